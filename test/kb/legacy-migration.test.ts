import hnswlib from 'hnswlib-node';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { tokenize } from '../../kb/tokenize.ts';
import { AppError } from '../../lib/errors.ts';
import { createFakeEmbedder } from '../helpers/fake-embedder.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const embedder = createFakeEmbedder();
const info = { id: embedder.id, dim: embedder.dim };

/** Writes an index in the previous format (manifest.json + gen-000003/), as the old KnowledgeBase committed it. */
async function writeLegacyIndex(dir: string): Promise<void> {
  const generation = join(dir, 'gen-000003');
  mkdirSync(generation, { recursive: true });
  const texts = ['Copper rallied as a smelter outage cut supply.', 'Miners gained with the metal.'];
  const article = {
    title: 'Copper desk',
    text: texts.join('\n\n'),
    sections: [{ paragraphs: texts }],
    published: '2026-02-03',
    tags: ['metals'],
    tickers: ['FCX'],
    references: [],
    id: '0123456789abcdef',
    contentHash: 'legacy-hash',
    origins: ['/notes/copper.md', '/copies/copper.md'],
    ingestedAt: '2026-02-03T10:00:00.000Z',
    chunkIds: ['0123456789abcdef-0', '0123456789abcdef-1'],
  };
  const chunks = texts.map((text, ordinal) => ({ id: `${article.id}-${ordinal}`, articleId: article.id, ordinal, text, label: 7 + ordinal }));
  const lines = [
    { formatVersion: 2, embedder: info, nextLabel: 9, counts: { articles: 1, chunks: 2 } },
    { kind: 'article', article },
    ...chunks.map((chunk) => ({ kind: 'chunk', chunk })),
  ];
  writeFileSync(join(generation, 'docstore.jsonl'), `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`);
  const graph = new hnswlib.HierarchicalNSW('cosine', info.dim);
  graph.initIndex({ maxElements: 16, m: 16, efConstruction: 200, randomSeed: 100 });
  const vectors = await embedder.embedDocuments(texts);
  chunks.forEach((chunk, index) => graph.addPoint(Array.from(vectors[index]!), chunk.label));
  graph.writeIndexSync(join(generation, 'vectors.hnsw'));
  writeFileSync(join(generation, 'lexical.bin'), 'old lexical index, rebuilt by the migration');
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      formatVersion: 2,
      generation: 3,
      embedder: info,
      savedAt: '2026-02-03T10:00:00.000Z',
      counts: { articles: 1, chunks: 2 },
      files: { docstore: 'gen-000003/docstore.jsonl', vectors: 'gen-000003/vectors.hnsw', lexical: 'gen-000003/lexical.bin' },
    }),
  );
  writeFileSync(join(dir, 'write.lock'), JSON.stringify({ pid: 1, host: 'a-container-long-gone', purpose: 'npm run ingest' }));
}

describe('an index of the previous format', () => {
  it('is migrated on open: same ids, origins and vectors, searchable, old files and the stale lock removed', async () => {
    const dir = tempDir();
    await writeLegacyIndex(dir);
    const store = await EmbeddedStore.open({ indexDir: dir, embedder: info });
    try {
      expect(await store.stats()).toEqual({ articles: 1, chunks: 2 });
      const article = await store.getArticle('0123456789abcdef');
      expect(article).toMatchObject({
        title: 'Copper desk',
        origins: ['/notes/copper.md', '/copies/copper.md'],
        chunkIds: ['0123456789abcdef-0', '0123456789abcdef-1'],
      });
      const hits = await store.lexicalSearch(
        tokenize('smelter outage').map((term) => ({ term, weight: 1 })),
        5,
      );
      expect(hits.hits.map((hit) => hit.passageId)).toEqual(['0123456789abcdef-0']);
      const vector = await embedder.embedQuery('Miners gained with the metal.');
      expect((await store.vectorSearch(vector, 1))[0]).toMatchObject({ passageId: '0123456789abcdef-1' });
      expect(readdirSync(dir).filter((entry) => entry.startsWith('gen-') || entry === 'manifest.json' || entry === 'write.lock')).toEqual([]);
      // The same file ingested again is recognised through its origin.
      expect(
        (await store.planUpsert({ title: 'Copper desk', text: 'new text', sections: [], tags: [], tickers: [], references: [] }, '/notes/copper.md')).action,
      ).toBe('update');
    } finally {
      await store.close();
    }
  });

  it('is refused with an actionable message when the configured embedder differs, and left as it was', async () => {
    const dir = tempDir();
    await writeLegacyIndex(dir);
    const caught = await EmbeddedStore.open({ indexDir: dir, embedder: { id: 'openai:text-embedding-3-small', dim: 1536 } }).catch((error: unknown) => error);
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).message).toMatch(/previous format.*COPILOT_EMBEDDINGS/s);
    expect((caught as AppError).message).not.toContain(dir);
    expect(existsSync(join(dir, 'manifest.json'))).toBe(true);
  });
});
