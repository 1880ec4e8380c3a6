import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLocalEmbedder } from '../../ingest/embed/local-embedder.ts';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { embeddedStoreThreads } from '../../kb/open-store.ts';
import { fullCollection } from '../../lib/full-collection.ts';
import { searchKnowledgeBase } from '../../server/retrieval/hybrid-search.ts';
import { warmUpSearch } from '../../server/retrieval/warm-up.ts';
import { WORD_VECTOR_CACHE } from '../retrieval/corpus.ts';
import { writeStepResult } from './step-io.ts';
import { summarizeLatencies } from './statistics.ts';
import { CORPUS_DEFAULTS, generateQuestions } from './synthetic-corpus.ts';

/**
 * The lexical helper thread (kb/lexical-helper.ts) against none, on a kept store (`store-scale-bench.ts
 * --keep DIR`; the helper starts at 250,000 passages): the same folder opened twice in one process,
 * with the server's threads and without the helper, each warmed up as the server warms up (the
 * helper starts in the background meanwhile); then every question asked of both, in turns (which
 * goes first alternates), so both meet the machine in the same phase. Hybrid latency of each, and
 * how many questions got the same hits and scores from both (all of them, or the helper is wrong).
 *
 *   tsx bench/suite/lexical-helper-bench.ts --open DIR --out result.json
 */
export const LEXICAL_HELPER_BENCH_DEFAULTS = {
  questions: 400,
  passes: 2,
  today: '2026-11-21',
  k: 8,
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { open: { type: 'string' }, out: { type: 'string' }, questions: { type: 'string' } } });
  if (!values.open || !values.out) throw new Error('--open DIR and --out FILE are required');
  // The folder `--keep` built (the store in its `index`), or a store's own folder, as store-scale-bench.ts takes it.
  const indexDir = existsSync(join(values.open, 'index', 'kb.sqlite')) ? join(values.open, 'index') : values.open;
  if (!existsSync(join(indexDir, 'kb.sqlite'))) throw new Error(`no store in ${values.open}: give the folder store-scale-bench.ts --keep built`);
  const { k, today, passes } = LEXICAL_HELPER_BENCH_DEFAULTS;
  const count = Number(values.questions ?? LEXICAL_HELPER_BENCH_DEFAULTS.questions);
  if (!Number.isInteger(count) || count <= 0) throw new Error(`--questions must be a positive integer: ${values.questions}`);
  const embedder = await createLocalEmbedder({ cacheDir: WORD_VECTOR_CACHE });
  const info = { id: embedder.id, dim: embedder.dim };
  const threads = embeddedStoreThreads();
  const helped = await EmbeddedStore.open({ indexDir, embedder: info, ...threads });
  const alone = await EmbeddedStore.open({ indexDir, embedder: info, ...threads, lexicalHelpers: undefined });
  try {
    for (const kb of [helped, alone]) await warmUpSearch(kb, { today, embedder, collectGarbage: fullCollection() });
    // Questions of a seed the warm-up never asked: each reads passages no earlier question read.
    const questions = generateQuestions(count, CORPUS_DEFAULTS.seed + 3);
    const latencies = { helped: [] as number[], alone: [] as number[] };
    let same = 0;
    for (let pass = 0; pass < passes; pass += 1) {
      for (const [position, query] of questions.entries()) {
        const order = (position + pass) % 2 === 0 ? (['helped', 'alone'] as const) : (['alone', 'helped'] as const);
        const answers: Record<string, string> = {};
        for (const side of order) {
          const started = performance.now();
          const result = await searchKnowledgeBase(side === 'helped' ? helped : alone, embedder, { query, k, today });
          latencies[side].push(performance.now() - started);
          answers[side] = JSON.stringify(result.hits.map((hit) => [hit.chunk.id, hit.score]));
        }
        if (answers.helped === answers.alone) same += 1;
      }
    }
    writeStepResult(values.out, {
      passages: (await helped.stats()).chunks,
      questions: count,
      passes,
      helped: summarizeLatencies(latencies.helped),
      alone: summarizeLatencies(latencies.alone),
      sameHits: same,
      searches: count * passes,
    });
  } finally {
    await helped.close();
    await alone.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
