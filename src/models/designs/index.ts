// The designs `model:` can name, one line each.
import type { Design } from './design.js';
import { minioNslock } from './minioNslock.js';
import { minioDsync } from './minioDsync.js';
import { juicefsGateway } from './juicefs-gateway/index.js';
import { rustfsFastlock } from './rustfs-fastlock/index.js';
import { alluxioLocks } from './alluxio-locks/index.js';

export const DESIGNS: readonly Design[] = [
  minioNslock,
  minioDsync,
  juicefsGateway,
  rustfsFastlock,
  alluxioLocks,
];

export function designById(id: string): Design | undefined { return DESIGNS.find((d) => d.id === id); }
