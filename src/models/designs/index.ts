// The designs `model:` can name, one line each.
import type { Design } from './design.js';
import { minioNslock } from './minioNslock.js';
import { minioDsync } from './minioDsync.js';

export const DESIGNS: readonly Design[] = [
  minioNslock,
  minioDsync,
];

export function designById(id: string): Design | undefined { return DESIGNS.find((d) => d.id === id); }
