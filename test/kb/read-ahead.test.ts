import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { readAhead } from '../../kb/embedded/read-ahead.ts';
import { createFakeEmbedder } from '../helpers/fake-embedder.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const embedder = createFakeEmbedder();
const opened: EmbeddedStore[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

describe('readAhead', () => {
  it('reads a file through, chunk by chunk, and says how many bytes', async () => {
    const path = join(tempDir(), 'data.bin');
    writeFileSync(path, Buffer.alloc(10_000, 7));
    expect(await readAhead(path, 1_000_000, { chunkBytes: 4096 })).toBe(10_000);
  });

  it('reads nothing from a file larger than it may bring in, or from no file', async () => {
    const path = join(tempDir(), 'data.bin');
    writeFileSync(path, Buffer.alloc(10_000, 7));
    expect(await readAhead(path, 9_999)).toBe(0);
    expect(await readAhead(join(tempDir(), 'absent.bin'), 1_000_000)).toBe(0);
  });

  it('stops when asked', async () => {
    const path = join(tempDir(), 'data.bin');
    writeFileSync(path, Buffer.alloc(10_000, 7));
    let chunks = 0;
    expect(await readAhead(path, 1_000_000, { chunkBytes: 1000, stop: () => ++chunks > 3 })).toBe(3000);
  });
});

describe('EmbeddedStore.prewarm', () => {
  it("reads the store's database file, and nothing once the share of free memory allows none", async () => {
    const indexDir = tempDir();
    const store = await EmbeddedStore.open({ indexDir, embedder: { id: embedder.id, dim: embedder.dim } });
    opened.push(store);
    expect(await store.prewarm()).toBeGreaterThan(0);
    // A signal already aborted (a shutdown during the warm-up) reads nothing.
    const stopped = new AbortController();
    stopped.abort();
    expect(await store.prewarm(stopped.signal)).toBe(0);
    const closedOff = await EmbeddedStore.open({
      indexDir: tempDir(),
      embedder: { id: embedder.id, dim: embedder.dim },
      tuning: { prewarmShareOfFreeMemory: 0 },
    });
    opened.push(closedOff);
    expect(await closedOff.prewarm()).toBe(0);
  });
});
