import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { WalCheckpointer } from '../../kb/embedded/wal-checkpointer.ts';
import { threadWalCheckpoints, type WalCheckpointsFactory } from '../../kb/embedded/wal-checkpoints.ts';
import { embeddedStoreThreads } from '../../kb/open-store.ts';
import { createFakeEmbedder } from '../helpers/fake-embedder.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const PAGE = 4096;
const HOUR = 3_600_000;
const connections: Database.Database[] = [];
afterEach(() => {
  for (const db of connections.splice(0)) if (db.open) db.close();
});

/** A database in WAL mode as the store opens it, with a table of page-sized rows. */
function database(path = join(tempDir(), 'kb.sqlite')): { path: string; db: Database.Database; write: (pages: number) => void } {
  const db = new Database(path);
  connections.push(db);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE IF NOT EXISTS pages (id INTEGER PRIMARY KEY, body BLOB)');
  const insert = db.prepare('INSERT INTO pages (body) VALUES (?)');
  // One commit per row, as uploads commit one article each.
  const write = (pages: number) => {
    for (let page = 0; page < pages; page += 1) insert.run(Buffer.alloc(PAGE - 100, page % 251));
  };
  return { path, db, write };
}

function connect(path: string): Database.Database {
  const db = new Database(path, { fileMustExist: true });
  connections.push(db);
  return db;
}

const fileBytes = (path: string) => statSync(path).size;

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('WalCheckpointer', () => {
  it('checkpoints only after another connection committed, and copies the log into the file', () => {
    const { path, write } = database();
    const checkpointer = new WalCheckpointer(connect(path));
    // A log left from before it started is copied at once.
    expect(checkpointer.tick()).toMatchObject({ action: 'checkpointed', complete: true });
    expect(checkpointer.tick()).toEqual({ action: 'idle' });
    const before = fileBytes(path);
    write(20);
    expect(fileBytes(path)).toBe(before);
    const tick = checkpointer.tick();
    expect(tick).toMatchObject({ action: 'checkpointed', complete: true });
    expect(tick.action === 'checkpointed' && tick.copied).toBeGreaterThanOrEqual(20);
    expect(fileBytes(path)).toBeGreaterThan(before + 19 * PAGE);
    expect(checkpointer.tick()).toEqual({ action: 'idle' });
  });

  it('comes back for frames a reader still needed, with no new commit', () => {
    const { path, write } = database();
    write(1);
    const checkpointer = new WalCheckpointer(connect(path));
    checkpointer.tick();
    // A reader inside a transaction sees the database as it was: later frames must stay in the log.
    const reader = connect(path);
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM pages').get();
    write(10);
    const partial = checkpointer.tick();
    expect(partial).toMatchObject({ action: 'checkpointed', complete: false });
    expect(partial.action === 'checkpointed' && partial.copied < partial.frames).toBe(true);
    reader.exec('COMMIT');
    expect(checkpointer.tick()).toMatchObject({ action: 'checkpointed', complete: true });
    expect(checkpointer.tick()).toEqual({ action: 'idle' });
  });
});

describe('threadWalCheckpoints', () => {
  it('stops the committing connection from checkpointing below the backstop, past SQLite\u2019s 1,000 pages', async () => {
    const { path, db, write } = database();
    const checkpoints = threadWalCheckpoints({ idleMs: HOUR }).start(db, path);
    const before = fileBytes(path);
    write(1_500);
    // Every page is still in the log: no commit copied any into the file.
    expect(fileBytes(path)).toBe(before);
    expect(fileBytes(`${path}-wal`)).toBeGreaterThan(1_500 * PAGE);
    await checkpoints.close();
  });

  it('checkpoints right after the store\u2019s commits, so that the log starts over instead of growing', async () => {
    const { path, db, write } = database();
    const checkpoints = threadWalCheckpoints({ idleMs: HOUR, spacingMs: 0 }).start(db, path);
    // Once the thread runs (it has copied a first commit)…
    const started = fileBytes(path);
    write(1);
    checkpoints.committed();
    await until(() => fileBytes(path) > started);
    const before = fileBytes(path);
    for (let commit = 0; commit < 300; commit += 1) {
      write(1);
      checkpoints.committed();
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    expect(fileBytes(path)).toBeGreaterThan(before + 250 * PAGE);
    // …the log is reused from its start: unsignalled, it grew by all 300 pages (the idle look comes an hour later).
    expect(fileBytes(`${path}-wal`)).toBeLessThan(50 * PAGE);
    await checkpoints.close();
  });

  it('bounds the log by checkpointing on the connection once it passes the backstop', async () => {
    const { path, db, write } = database();
    const checkpoints = threadWalCheckpoints({ idleMs: HOUR, backstopPages: 200 }).start(db, path);
    const before = fileBytes(path);
    write(1_000);
    expect(fileBytes(path)).toBeGreaterThan(before + 800 * PAGE);
    expect(fileBytes(`${path}-wal`)).toBeLessThan(300 * PAGE);
    await checkpoints.close();
  });

  it('copies other connections\u2019 commits when idle, and what is left as it stops', async () => {
    const { path, db, write } = database();
    const checkpoints = threadWalCheckpoints({ idleMs: 25 }).start(db, path);
    const before = fileBytes(path);
    // Not signalled: as another process's commits are.
    write(50);
    await until(() => fileBytes(path) > before + 49 * PAGE);
    await checkpoints.close();

    const quiet = database(join(tempDir(), 'kb.sqlite'));
    const stopping = threadWalCheckpoints({ idleMs: HOUR }).start(quiet.db, quiet.path);
    const quietBefore = fileBytes(quiet.path);
    quiet.write(50);
    await stopping.close();
    expect(fileBytes(quiet.path)).toBeGreaterThan(quietBefore + 49 * PAGE);
  });

  it('hands checkpoints back to the connection when the thread cannot run', async () => {
    const { path, db } = database();
    const broken = new URL('data:text/javascript,throw new Error("no checkpoint thread")');
    threadWalCheckpoints({ entry: broken }).start(db, path);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    await until(() => db.pragma('wal_autocheckpoint', { simple: true }) === 1000);
  });
});

describe('an embedded store with its checkpoints on a thread', () => {
  it('is what the server and the CLI open', async () => {
    const { path, db } = database();
    const checkpoints = embeddedStoreThreads().walCheckpoints!.start(db, path);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    await checkpoints.close();
  });

  it('keeps every write across close and reopen, stops the thread before its connection closes and leaves no log', async () => {
    const embedder = createFakeEmbedder();
    const info = { id: embedder.id, dim: embedder.dim };
    const dir = tempDir();
    const events: string[] = [];
    let commits = 0;
    const tracked: WalCheckpointsFactory = {
      start(db, path) {
        events.push(`start ${path === join(dir, 'kb.sqlite')}`);
        const checkpoints = threadWalCheckpoints({ idleMs: 25 }).start(db, path);
        return {
          committed() {
            commits += 1;
            checkpoints.committed();
          },
          async close() {
            await checkpoints.close();
            events.push(`stopped with the connection ${db.open ? 'open' : 'closed'}`);
          },
        };
      },
    };
    const store = await EmbeddedStore.open({ indexDir: dir, embedder: info, walCheckpoints: tracked });
    for (let index = 0; index < 20; index += 1) {
      const parsed = {
        title: `Note ${index}`,
        text: `Terminal ${index} handled record tonnage.`,
        sections: [{ paragraphs: [`Terminal ${index} handled record tonnage.`] }],
        tags: [],
        tickers: [],
        references: [],
      };
      const plan = await store.planUpsert(parsed, `/notes/${index}.md`);
      await store.upsert(plan, parsed, [{ text: parsed.text }], await embedder.embedDocuments([parsed.text]));
    }
    await store.close();
    expect(events).toEqual(['start true', 'stopped with the connection open']);
    // Each upload's commit was signalled to the thread.
    expect(commits).toBe(20);
    expect(existsSync(join(dir, 'kb.sqlite-wal'))).toBe(false);
    const reopened = await EmbeddedStore.open({ indexDir: dir, embedder: info, walCheckpoints: threadWalCheckpoints() });
    expect(await reopened.stats()).toEqual({ articles: 20, chunks: 20 });
    await reopened.close();
  });
});
