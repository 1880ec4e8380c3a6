import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { createLocalEmbedder } from '../../ingest/embed/local-embedder.ts';
import { createApp } from '../../server/app.ts';
import { watchKnowledgeBase } from '../../server/kb-watcher.ts';
import { createSearchRouter } from '../../server/routes/search.ts';
import { useApp } from '../helpers/http.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { TYPESCRIPT_RUNNER } from '../../lib/runtime-flags.ts';

const REPO = resolve(import.meta.dirname, '../..');
const CACHE = join(REPO, '.cache/word-vectors');
const tempDir = useTempDirs();
const start = useApp();
const ARTICLES = 200;

describe('ingest while serving', () => {
  it('searches and health reads during an ingest by another process see whole articles, never a torn state', async () => {
    const corpus = tempDir();
    // One short paragraph per article: exactly one passage each, so a consistent state has
    // as many passages as articles, and a torn one would not.
    for (let index = 0; index < ARTICLES; index += 1) {
      writeFileSync(
        join(corpus, `n${String(index).padStart(4, '0')}.txt`),
        `Energy note ${index}\n\nMarch 3, 2026\n\nEnergy shares moved ${index % 7}.5% as traders weighed crude supply, refinery margins and rate-cut hopes in session ${index}.\n`,
      );
    }
    const dataDir = tempDir();
    const indexDir = join(dataDir, 'index');
    const embedder = await createLocalEmbedder({ cacheDir: CACHE });
    const kb = await EmbeddedStore.open({ indexDir, embedder: { id: embedder.id, dim: embedder.dim } });
    const watcher = watchKnowledgeBase(kb, { intervalMs: 15 });
    const app = await start(
      createApp({
        kb,
        embedder,
        llm: { mode: 'offline' },
        security: { rateLimit: false },
        routers: [{ path: '/search', router: createSearchRouter({ kb, embedder, today: () => '2026-11-21' }) }],
      }),
    );

    const child = spawn(process.execPath, [...TYPESCRIPT_RUNNER, join(REPO, 'ingest/cli.ts'), corpus], {
      cwd: REPO,
      env: { ...process.env, COPILOT_DATA_DIR: dataDir, COPILOT_CACHE_DIR: CACHE, OPENAI_API_KEY: '' },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolveExit) => child.on('exit', resolveExit));
    let done = false;
    void exited.then(() => (done = true));

    const observations: { version: number; articles: number; chunks: number }[] = [];
    let searches = 0;
    while (!done) {
      const [health, search] = await Promise.all([app.json('/api/health'), app.json('/api/search', { body: { query: 'energy shares crude supply', k: 10 } })]);
      observations.push({ version: health.body.version, articles: health.body.articles, chunks: health.body.chunks });
      expect(search.status).toBe(200);
      for (const result of search.body.results) expect(result.chunkId.startsWith(`${result.articleId}-`)).toBe(true);
      searches += 1;
    }
    expect(await exited).toBe(0);
    // Let the watcher pick up the last commit.
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    watcher.stop();

    expect(searches).toBeGreaterThan(3);
    const versions = new Set(observations.map((observation) => observation.version));
    expect(versions.size).toBeGreaterThan(1);
    for (const observation of observations) expect(observation.chunks).toBe(observation.articles);
    // Versions only move forward, and with them the counts.
    for (let index = 1; index < observations.length; index += 1) {
      expect(observations[index]!.version).toBeGreaterThanOrEqual(observations[index - 1]!.version);
      expect(observations[index]!.articles).toBeGreaterThanOrEqual(observations[index - 1]!.articles);
    }
    expect(await kb.stats()).toEqual({ articles: ARTICLES, chunks: ARTICLES });
    await kb.close();
  });

  it('a write from the command line reaches a running server by applying that one change, not by reloading', async () => {
    const corpus = tempDir();
    for (let index = 0; index < 30; index += 1) {
      writeFileSync(
        join(corpus, `n${index}.txt`),
        `Bank note ${index}\n\nMarch 3, 2026\n\nRegional banks moved ${index}% as deposit costs eased in session ${index}.\n`,
      );
    }
    const dataDir = tempDir();
    const env = { ...process.env, COPILOT_DATA_DIR: dataDir, COPILOT_CACHE_DIR: CACHE, OPENAI_API_KEY: '' };
    const runCli = (args: string[]) =>
      new Promise<number | null>((resolveExit) =>
        spawn(process.execPath, [...TYPESCRIPT_RUNNER, join(REPO, 'ingest/cli.ts'), ...args], { cwd: REPO, env, stdio: 'ignore' }).on('exit', resolveExit),
      );
    expect(await runCli([corpus])).toBe(0);

    const embedder = await createLocalEmbedder({ cacheDir: CACHE });
    const kb = await EmbeddedStore.open({ indexDir: join(dataDir, 'index'), embedder: { id: embedder.id, dim: embedder.dim } });
    const refreshes: number[] = [];
    const watcher = watchKnowledgeBase(kb, { intervalMs: 20, onRefresh: (changes) => refreshes.push(changes) });
    const app = await start(
      createApp({
        kb,
        embedder,
        llm: { mode: 'offline' },
        routers: [{ path: '/search', router: createSearchRouter({ kb, embedder, today: () => '2026-11-21' }) }],
      }),
    );
    const search = () => app.json('/api/search', { body: { query: 'copper smelter outage', k: 3, mode: 'lexical' } });
    expect((await search()).body.results).toEqual([]);

    const extra = tempDir();
    writeFileSync(join(extra, 'copper.txt'), 'Copper note\n\nMarch 4, 2026\n\nCopper jumped after a smelter outage in Chile cut supply.\n');
    expect(await runCli([extra])).toBe(0);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && refreshes.length === 0) await new Promise((resolveWait) => setTimeout(resolveWait, 20));
    watcher.stop();

    // One change applied: the new article, on top of the 30 already in memory.
    expect(refreshes).toEqual([1]);
    expect((await app.json('/api/health')).body).toMatchObject({ articles: 31, chunks: 31 });
    const found = (await search()).body.results;
    expect(found).toHaveLength(1);
    expect(found[0].text).toContain('smelter outage');
    await kb.close();
  });
});
