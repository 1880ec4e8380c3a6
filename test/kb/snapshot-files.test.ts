import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeOldSnapshots } from '../../kb/embedded/snapshot.ts';
import { loopTurnsDuring } from '../helpers/loop-turns.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();

/** A snapshot folder of `files` files, last changed `ageMs` ago. */
function snapshotFolder(indexDir: string, name: string, ageMs: number, files = 3): string {
  const path = join(indexDir, 'snapshots', name);
  mkdirSync(path, { recursive: true });
  for (let index = 0; index < files; index += 1) writeFileSync(join(path, `part-${index}.bin`), Buffer.alloc(4096, index));
  const changed = new Date(Date.now() - ageMs);
  utimesSync(path, changed, changed);
  return path;
}

describe('removeOldSnapshots', () => {
  it('removes old folders but the one kept, and leaves young ones (another process may be reading them)', async () => {
    const dir = tempDir();
    const old = snapshotFolder(dir, '0000000001-aaaaaaaa', 120_000);
    const kept = snapshotFolder(dir, '0000000002-bbbbbbbb', 120_000);
    const young = snapshotFolder(dir, '0000000003-cccccccc', 1_000);
    await removeOldSnapshots(dir, '0000000002-bbbbbbbb', 60_000);
    expect([existsSync(old), existsSync(kept), existsSync(young)]).toEqual([false, true, true]);
  });

  it('does nothing for a store without snapshots', async () => {
    await expect(removeOldSnapshots(tempDir(), undefined, 60_000)).resolves.toBeUndefined();
  });

  it('removes on libuv threads, letting the event loop turn meanwhile', async () => {
    // Removing a 70 MB snapshot synchronously held the thread 17-22 ms (more while another process
    // wrote to the store): requests and timers waited behind it.
    const dir = tempDir();
    const old = snapshotFolder(dir, '0000000001-aaaaaaaa', 120_000, 200);
    const { turns } = await loopTurnsDuring(() => removeOldSnapshots(dir, undefined, 60_000));
    expect(existsSync(old)).toBe(false);
    expect(turns).toBeGreaterThan(0);
  });
});
