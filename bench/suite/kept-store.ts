import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/**
 * A store folder a benchmark kept (`--keep`): its database opened read-only and the folder of its
 * current snapshot (the graph and BM25 files). `open` is the kept folder or its `index/`.
 */
export function openKeptStore(open: string): { db: Database.Database; indexDir: string; snapshotDir: string } {
  const indexDir = existsSync(join(open, 'index', 'kb.sqlite')) ? join(open, 'index') : open;
  const db = new Database(join(indexDir, 'kb.sqlite'), { readonly: true });
  const pointer = JSON.parse(String((db.prepare("SELECT value FROM meta WHERE key = 'snapshot'").pluck().get() as string | undefined) ?? 'null')) as {
    name: string;
  } | null;
  if (!pointer) {
    db.close();
    throw new Error(`no snapshot in ${indexDir}: close the store once to write one`);
  }
  return { db, indexDir, snapshotDir: join(indexDir, 'snapshots', pointer.name) };
}
