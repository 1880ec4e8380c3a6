import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../kb/knowledge-base.ts';
import { tokenize } from '../../kb/tokenize.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const REPO = resolve(import.meta.dirname, '../..');
const tempDir = useTempDirs();
const ARTICLES = 400;

function writeCorpus(dir: string): void {
  const sectors = ['energy', 'banks', 'utilities', 'semiconductors', 'retail', 'biotech', 'airlines', 'homebuilders'];
  for (let index = 0; index < ARTICLES; index += 1) {
    const sector = sectors[index % sectors.length]!;
    const paragraphs = Array.from({ length: 6 }, (_, p) =>
      `Note ${index} part ${p}: ${sector} shares moved ${(index % 9) + p}.${p} percent as traders weighed earnings, rates and the outlook for marker${index}x${p}. ` +
      `Analysts said the ${sector} group could keep swinging while investors rotate between growth and value.`,
    );
    writeFileSync(join(dir, `note-${String(index).padStart(4, '0')}.txt`), `${sector} update number ${index}\n\nFebruary 3, 2026\n\n${paragraphs.join('\n\n')}\n`);
  }
}

function runIngest(args: string[], env: Record<string, string>, onStdout?: (text: string) => void) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'ingest/cli.ts'), ...args], {
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

describe('crash safety', () => {
  it('a SIGKILL in the middle of an ingest leaves the last committed knowledge base loadable and consistent', async () => {
    const corpus = tempDir();
    mkdirSync(corpus, { recursive: true });
    writeCorpus(corpus);
    const dataDir = tempDir();
    const indexDir = join(dataDir, 'index');
    const env = { COPILOT_DATA_DIR: dataDir, COPILOT_CACHE_DIR: join(REPO, '.cache/word-vectors') };

    const { child, exited } = runIngest([corpus, '--commit-interval', '25'], env);
    // Kill as soon as at least two generations have been committed, mid-batch.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const generation = safeGeneration(indexDir);
      if (generation >= 2) break;
      await new Promise((resolveWait) => setTimeout(resolveWait, 5));
    }
    child.kill('SIGKILL');
    const result = await exited;
    expect(result.signal).toBe('SIGKILL');

    const manifest = KnowledgeBase.inspect(indexDir)!;
    const kb = KnowledgeBase.open(indexDir, manifest.embedder);
    const { articles, chunks } = kb.stats();
    expect(articles).toBeGreaterThan(0);
    expect(articles).toBeLessThan(ARTICLES);
    expect(manifest.counts).toEqual({ articles, chunks });
    // Every stored article has all its passages, and every search result points at a stored article.
    for (const article of kb.allArticles()) expect(kb.chunksOf(article.id)).toHaveLength(article.chunkIds.length);
    const hits = kb.lexicalSearch(tokenize('energy shares traders').map((term) => ({ term, weight: 1 })), 50).hits;
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) expect(kb.getArticle(hit.chunk.articleId)).toBeDefined();
    const anyChunk = kb.allChunks().next().value!;
    const vector = kb.vectorOf(anyChunk)!;
    expect(kb.vectorSearch(vector, 1)[0]?.chunk.id).toBe(anyChunk.id);

    // The lock left by the killed process does not block the next run, which finishes the batch.
    const rerun = await runIngest([corpus], env).exited;
    expect(rerun.code, rerun.output).toBe(0);
    expect(rerun.output).toMatch(new RegExp(`added ${ARTICLES - articles}, updated 0, skipped ${articles}`));
    expect(KnowledgeBase.open(indexDir, manifest.embedder).stats().articles).toBe(ARTICLES);
  });

  it('deletes an article from the command line', async () => {
    const corpus = tempDir();
    writeFileSync(join(corpus, 'one.txt'), 'Energy note\n\nFebruary 3, 2026\n\nEnergy shares rallied as crude prices rose for a third day and refiners reported wider margins.\n');
    const dataDir = tempDir();
    const env = { COPILOT_DATA_DIR: dataDir, COPILOT_CACHE_DIR: join(REPO, '.cache/word-vectors') };
    expect((await runIngest([corpus], env).exited).code).toBe(0);
    const indexDir = join(dataDir, 'index');
    const manifest = KnowledgeBase.inspect(indexDir)!;
    const id = KnowledgeBase.open(indexDir, manifest.embedder).listArticles().articles[0]!.id;
    const deleted = await runIngest(['--delete', id], env).exited;
    expect(deleted.output).toContain(`deleted ${id}`);
    const kb = KnowledgeBase.open(indexDir, manifest.embedder);
    expect(kb.stats()).toEqual({ articles: 0, chunks: 0 });
    expect(kb.lexicalSearch([{ term: 'energy', weight: 1 }], 5).hits).toEqual([]);
  });
});

function safeGeneration(indexDir: string): number {
  try {
    return KnowledgeBase.inspect(indexDir)?.generation ?? 0;
  } catch {
    return 0;
  }
}
