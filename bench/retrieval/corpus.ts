import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { createLocalEmbedder } from '../../ingest/embed/local-embedder.ts';
import type { Embedder } from '../../ingest/embed/embedder.ts';
import { ingestPaths } from '../../ingest/pipeline.ts';
import { searchKnowledgeBase, type SEARCH_DEFAULTS, type SearchMode } from '../../server/retrieval/hybrid-search.ts';
import type { RankedPassage } from './evaluate.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SAMPLE_DIR = join(REPO_ROOT, 'data/articles');
export const SEEDS_DIR = resolve(REPO_ROOT, '../shared/seeds');
export const WORD_VECTOR_CACHE = join(REPO_ROOT, '.cache/word-vectors');
/** The evaluation's "today": after every article in the corpus. */
export const EVAL_TODAY = '2026-11-21';

/** Builds a knowledge base from the sample corpus (and the seeds when present) with the local embedder. */
export async function buildEvaluationCorpus(indexDir: string): Promise<{ kb: EmbeddedStore; embedder: Embedder; seeds: boolean }> {
  const embedder = await createLocalEmbedder({ cacheDir: WORD_VECTOR_CACHE });
  const kb = await EmbeddedStore.open({ indexDir: indexDir, embedder: { id: embedder.id, dim: embedder.dim } });
  const seeds = existsSync(SEEDS_DIR);
  const summary = await ingestPaths([SAMPLE_DIR, ...(seeds ? [SEEDS_DIR] : [])], { kb, embedder });
  if (summary.failed.length > 0) throw new Error(`evaluation corpus failed to ingest: ${JSON.stringify(summary.failed)}`);
  return { kb, embedder, seeds };
}

export function createSearcher(kb: EmbeddedStore, embedder: Embedder, mode: SearchMode, tuning: Partial<typeof SEARCH_DEFAULTS> = {}) {
  return async (question: string): Promise<RankedPassage[]> => {
    const result = await searchKnowledgeBase(kb, embedder, { query: question, k: 8, mode, today: EVAL_TODAY, tuning });
    return result.hits.map((hit) => ({
      articleFile: basename(hit.article.origins[0] ?? ''),
      text: hit.chunk.text,
      score: hit.score,
    }));
  };
}
