import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// Exposes V8's collector to this process without a command-line flag (vitest starts the workers).
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/**
 * Heap bytes that stay reachable while `keep` holds what `build` returned: the used heap after a
 * full collection, minus the used heap after one before building.
 */
export async function retainedBytes<T>(build: () => T | Promise<T>): Promise<{ bytes: number; kept: T }> {
  collect();
  const before = process.memoryUsage().heapUsed;
  const kept = await build();
  collect();
  return { bytes: process.memoryUsage().heapUsed - before, kept };
}
