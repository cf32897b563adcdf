// A checker worker thread's entry: the sources are TypeScript, run through tsx as the CLI does.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
