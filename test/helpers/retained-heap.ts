import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// Exposes V8's collector to this process without a command-line flag (vitest starts the workers).
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/**
 * Heap bytes that stay reachable while `keep` holds what `build` returned: the used heap after a
 * full collection, minus the used heap after one before building; and likewise the bytes of
 * ArrayBuffers and Buffers (outside the heap) kept.
 */
export async function retainedBytes<T>(build: () => T | Promise<T>): Promise<{ bytes: number; bufferBytes: number; kept: T }> {
  collect();
  const before = process.memoryUsage();
  const kept = await build();
  collect();
  const after = process.memoryUsage();
  return { bytes: after.heapUsed - before.heapUsed, bufferBytes: after.arrayBuffers - before.arrayBuffers, kept };
}
