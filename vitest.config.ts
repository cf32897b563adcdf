// Tests assert behaviour, never time: the timeout only stops a hung test. Several replay every
// scenario and take seconds on 2 busy cores, over vitest's 5 s default.
import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000 } });
