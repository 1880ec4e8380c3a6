import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEmbedText } from '../ingest/chunk.ts';
import { createLocalEmbedder } from '../ingest/embed/local-embedder.ts';
import { EmbeddedStore } from '../kb/embedded/embedded-store.ts';
import { searchKnowledgeBase } from '../server/retrieval/hybrid-search.ts';
import { WORD_VECTOR_CACHE } from '../bench/retrieval/corpus.ts';
import { generateArticle, generateQuestions } from '../bench/suite/synthetic-corpus.ts';
const embedder = await createLocalEmbedder({ cacheDir: WORD_VECTOR_CACHE });
const kb = await EmbeddedStore.open({ indexDir: mkdtempSync(join(tmpdir(), 'prof-')), embedder: { id: embedder.id, dim: embedder.dim } });
let t = performance.now();
for (let a = 0; a < 600; a += 1) {
  const { article, passages } = generateArticle(a);
  const vectors = passages.map((p) => embedder.embedSync(buildEmbedText(article, p.section, p.text)));
  await kb.upsert(await kb.planUpsert(article, `b:${a}`), article, passages, vectors);
}
console.log('build', (performance.now() - t).toFixed(0), 'ms');
const qs = generateQuestions(200);
t = performance.now();
for (const q of qs) await searchKnowledgeBase(kb, embedder, { query: q, k: 8, today: '2026-11-21' });
console.log('search', ((performance.now() - t) / 200).toFixed(1), 'ms each');
