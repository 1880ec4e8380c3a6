import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../kb/knowledge-base.ts';
import { createLocalEmbedder } from '../../ingest/embed/local-embedder.ts';
import { createApp } from '../../server/app.ts';
import { watchKnowledgeBase } from '../../server/kb-watcher.ts';
import { createSearchRouter } from '../../server/routes/search.ts';
import { useApp } from '../helpers/http.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const REPO = resolve(import.meta.dirname, '../..');
const CACHE = join(REPO, '.cache/word-vectors');
const tempDir = useTempDirs();
const start = useApp();
const ARTICLES = 200;

describe('ingest while serving', () => {
  it('searches and health reads during an ingest by another process see whole generations, never a torn one', async () => {
    const corpus = tempDir();
    // One short paragraph per article: exactly one passage each, so a consistent state has
    // as many passages as articles, and a torn one would not.
    for (let index = 0; index < ARTICLES; index += 1) {
      writeFileSync(join(corpus, `n${String(index).padStart(4, '0')}.txt`), `Energy note ${index}\n\nMarch 3, 2026\n\nEnergy shares moved ${index % 7}.5% as traders weighed crude supply, refinery margins and rate-cut hopes in session ${index}.\n`);
    }
    const dataDir = tempDir();
    const indexDir = join(dataDir, 'index');
    const embedder = await createLocalEmbedder({ cacheDir: CACHE });
    const kb = KnowledgeBase.open(indexDir, { id: embedder.id, dim: embedder.dim });
    const watcher = watchKnowledgeBase(kb, { intervalMs: 15 });
    const app = await start(
      createApp({ kb, embedder, llm: { mode: 'offline' }, security: { rateLimit: false }, routers: [{ path: '/search', router: createSearchRouter({ kb, embedder, today: () => '2026-11-21' }) }] }),
    );

    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'ingest/cli.ts'), corpus, '--commit-interval', '10'], {
      cwd: REPO,
      env: { ...process.env, COPILOT_DATA_DIR: dataDir, COPILOT_CACHE_DIR: CACHE, OPENAI_API_KEY: '' },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolveExit) => child.on('exit', resolveExit));
    let done = false;
    void exited.then(() => (done = true));

    const observations: { generation: number; articles: number; chunks: number }[] = [];
    let searches = 0;
    while (!done) {
      const [health, search] = await Promise.all([app.json('/api/health'), app.json('/api/search', { body: { query: 'energy shares crude supply', k: 10 } })]);
      observations.push({ generation: health.body.generation, articles: health.body.articles, chunks: health.body.chunks });
      expect(search.status).toBe(200);
      for (const result of search.body.results) expect(result.chunkId.startsWith(`${result.articleId}-`)).toBe(true);
      searches += 1;
    }
    expect(await exited).toBe(0);
    // Let the watcher pick up the last commit.
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    watcher.stop();

    expect(searches).toBeGreaterThan(3);
    const generations = new Set(observations.map((observation) => observation.generation));
    expect(generations.size).toBeGreaterThan(1);
    for (const observation of observations) expect(observation.chunks).toBe(observation.articles);
    // Generations only move forward, and with them the counts.
    for (let index = 1; index < observations.length; index += 1) {
      expect(observations[index]!.generation).toBeGreaterThanOrEqual(observations[index - 1]!.generation);
      expect(observations[index]!.articles).toBeGreaterThanOrEqual(observations[index - 1]!.articles);
    }
    expect(kb.stats()).toEqual({ articles: ARTICLES, chunks: ARTICLES });
  });
});
