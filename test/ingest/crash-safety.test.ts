import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { DATABASE_FILE } from '../../kb/embedded/schema.ts';
import { tokenize } from '../../kb/tokenize.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { TYPESCRIPT_RUNNER } from '../../lib/runtime-flags.ts';

const REPO = resolve(import.meta.dirname, '../..');
const tempDir = useTempDirs();
const ARTICLES = 400;

function writeCorpus(dir: string): void {
  const sectors = ['energy', 'banks', 'utilities', 'semiconductors', 'retail', 'biotech', 'airlines', 'homebuilders'];
  for (let index = 0; index < ARTICLES; index += 1) {
    const sector = sectors[index % sectors.length]!;
    const paragraphs = Array.from(
      { length: 6 },
      (_, p) =>
        `Note ${index} part ${p}: ${sector} shares moved ${(index % 9) + p}.${p} percent as traders weighed earnings, rates and the outlook for marker${index}x${p}. ` +
        `Analysts said the ${sector} group could keep swinging while investors rotate between growth and value.`,
    );
    writeFileSync(
      join(dir, `note-${String(index).padStart(4, '0')}.txt`),
      `${sector} update number ${index}\n\nFebruary 3, 2026\n\n${paragraphs.join('\n\n')}\n`,
    );
  }
}

function runIngest(args: string[], env: Record<string, string>, onStdout?: (text: string) => void) {
  const child = spawn(process.execPath, [...TYPESCRIPT_RUNNER, join(REPO, 'ingest/cli.ts'), ...args], {
    cwd: REPO,
    env: { ...process.env, ...env, OPENAI_API_KEY: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (data: Buffer) => {
    output += data.toString();
    onStdout?.(output);
  });
  child.stderr.on('data', (data: Buffer) => (output += data.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolvePromise) =>
    child.on('exit', (code, signal) => resolvePromise({ code, signal, output })),
  );
  return { child, exited };
}

/** Articles committed so far, read the way a second process would (SQLite readers never block the writer). */
function committedArticles(indexDir: string): number {
  const path = join(indexDir, DATABASE_FILE);
  if (!existsSync(path)) return 0;
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      return Number(db.prepare('SELECT count(*) FROM articles').pluck().get());
    } finally {
      db.close();
    }
  } catch {
    // The schema is being created right now.
    return 0;
  }
}

/** The vector of an article's first passage, read from the database itself. */
function storedVector(indexDir: string, articleId: string): Float32Array {
  const db = new Database(join(indexDir, DATABASE_FILE), { readonly: true });
  const blob = db.prepare('SELECT vector FROM passages WHERE article_id = ? AND ordinal = 0 AND removed_seq IS NULL').pluck().get(articleId) as Buffer;
  db.close();
  return new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
}

async function openStored(indexDir: string): Promise<EmbeddedStore> {
  const db = new Database(join(indexDir, DATABASE_FILE), { readonly: true });
  const embedder = z
    .object({ id: z.string(), dim: z.number() })
    .parse(JSON.parse(String(db.prepare("SELECT value FROM meta WHERE key = 'embedder'").pluck().get())));
  db.close();
  return EmbeddedStore.open({ indexDir, embedder });
}

describe('crash safety', () => {
  it('a SIGKILL in the middle of an ingest loses no committed article and leaves the store consistent', async () => {
    const corpus = tempDir();
    mkdirSync(corpus, { recursive: true });
    writeCorpus(corpus);
    const dataDir = tempDir();
    const indexDir = join(dataDir, 'index');
    const env = { COPILOT_DATA_DIR: dataDir, COPILOT_CACHE_DIR: join(REPO, '.cache/word-vectors') };

    const { child, exited } = runIngest([corpus], env);
    // Kill mid-batch, once some articles are committed.
    const deadline = Date.now() + 60_000;
    let seen = 0;
    while (Date.now() < deadline && seen < 40) {
      seen = committedArticles(indexDir);
      await new Promise((resolveWait) => setTimeout(resolveWait, 5));
    }
    child.kill('SIGKILL');
    const result = await exited;
    expect(result.signal).toBe('SIGKILL');

    const kb = await openStored(indexDir);
    const { articles, chunks } = await kb.stats();
    // Everything seen committed before the kill is there.
    expect(articles).toBeGreaterThanOrEqual(seen);
    expect(articles).toBeLessThan(ARTICLES);
    // Every stored article has all its passages, and every search result points at a stored article.
    const listed = (await kb.listArticles()).articles;
    expect(listed).toHaveLength(articles);
    let passages = 0;
    for (const article of listed) {
      const own = await kb.passagesOf(article.id);
      expect(own).toHaveLength(article.chunkIds.length);
      passages += own.length;
    }
    expect(passages).toBe(chunks);
    const hits = (
      await kb.lexicalSearch(
        tokenize('energy shares traders').map((term) => ({ term, weight: 1 })),
        50,
      )
    ).hits;
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of await kb.getPassages(hits.map((found) => found.passageId))) expect(await kb.getArticle(hit.articleId)).toBeDefined();
    // A stored passage's vector (read from the database) finds that passage, and scores 1 against it.
    const anyId = listed[0]!.chunkIds[0]!;
    const vector = storedVector(indexDir, listed[0]!.id);
    expect((await kb.vectorSearch(vector, 1))[0]?.passageId).toBe(anyId);
    expect((await kb.similaritiesOf([anyId], vector)).get(anyId)).toBeCloseTo(1, 5);
    await kb.close();

    // There is no lock to go stale: the next run finishes the batch.
    const rerun = await runIngest([corpus], env).exited;
    expect(rerun.code, rerun.output).toBe(0);
    expect(rerun.output).toMatch(new RegExp(`added ${ARTICLES - articles}, updated 0, skipped ${articles}`));
    const finished = await openStored(indexDir);
    expect((await finished.stats()).articles).toBe(ARTICLES);
    await finished.close();
    // Two command-line runs of 400 articles: minutes on a loaded two-core machine.
  }, 240_000);

  it('deletes an article from the command line', async () => {
    const corpus = tempDir();
    writeFileSync(
      join(corpus, 'one.txt'),
      'Energy note\n\nFebruary 3, 2026\n\nEnergy shares rallied as crude prices rose for a third day and refiners reported wider margins.\n',
    );
    const dataDir = tempDir();
    const env = { COPILOT_DATA_DIR: dataDir, COPILOT_CACHE_DIR: join(REPO, '.cache/word-vectors') };
    expect((await runIngest([corpus], env).exited).code).toBe(0);
    const indexDir = join(dataDir, 'index');
    const before = await openStored(indexDir);
    const id = (await before.listArticles()).articles[0]!.id;
    await before.close();
    const deleted = await runIngest(['--delete', id], env).exited;
    expect(deleted.output).toContain(`deleted ${id}`);
    const kb = await openStored(indexDir);
    expect(await kb.stats()).toEqual({ articles: 0, chunks: 0 });
    expect((await kb.lexicalSearch([{ term: 'energy', weight: 1 }], 5)).hits).toEqual([]);
    await kb.close();
  });
});
