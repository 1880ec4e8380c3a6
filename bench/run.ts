import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { KnowledgeBase } from '../kb/knowledge-base.ts';
import { createLocalEmbedder } from '../ingest/embed/local-embedder.ts';
import { ingestPaths } from '../ingest/pipeline.ts';
import { searchKnowledgeBase, type SearchMode } from '../server/retrieval/hybrid-search.ts';
import { REPO_ROOT, WORD_VECTOR_CACHE } from './retrieval/corpus.ts';

/**
 * `npm run bench [-- ARTICLES]`: ingest throughput with the local embedder on a generated corpus,
 * then search latency (p50/p99, k=8) for lexical, vector and hybrid retrieval over the result.
 * Prints a table and writes bench/results/ingest-search-<articles>.json.
 */
const ARTICLES = Number(process.argv[2] ?? 1000);
const SECTORS = ['energy', 'banks', 'utilities', 'semiconductors', 'retail', 'biotech', 'airlines', 'homebuilders', 'insurers', 'railroads'];
const VERBS = ['rallied', 'slipped', 'climbed', 'fell', 'rebounded', 'stalled', 'surged', 'eased'];
const DRIVERS = ['rate-cut hopes', 'earnings revisions', 'tariff headlines', 'a softer dollar', 'bond yields', 'oil prices', 'merger talk', 'credit spreads'];

function generateCorpus(dir: string, count: number): void {
  for (let index = 0; index < count; index += 1) {
    const sector = SECTORS[index % SECTORS.length]!;
    const paragraphs = Array.from({ length: 8 }, (_, p) => {
      const verb = VERBS[(index + p) % VERBS.length]!;
      const driver = DRIVERS[(index * 3 + p) % DRIVERS.length]!;
      return `${sector} shares ${verb} ${((index * 7 + p * 13) % 50) / 10}% in session ${p} of week ${index} as traders weighed ${driver}. ` +
        `Portfolio managers said the move in ${sector} reflected positioning into the quarter, while strategists flagged ${driver} as the swing factor for small caps and the Russell 2000.`;
    });
    const sections = [`Markets\n\n${paragraphs.slice(0, 4).join('\n\n')}`, `Outlook\n\n${paragraphs.slice(4).join('\n\n')}`];
    writeFileSync(join(dir, `note-${String(index).padStart(6, '0')}.txt`), `${sector} desk note ${index}\n\nFebruary ${1 + (index % 27)}, 2026\n\n${sections.join('\n\n')}\n`);
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'copilot-bench-'));
  try {
    const corpus = join(work, 'corpus');
    mkdirSync(corpus);
    generateCorpus(corpus, ARTICLES);
    const embedder = await createLocalEmbedder({ cacheDir: WORD_VECTOR_CACHE });
    const kb = KnowledgeBase.open(join(work, 'index'), { id: embedder.id, dim: embedder.dim });
    const started = performance.now();
    const summary = await ingestPaths([corpus], { kb, embedder, commitIntervalMs: 10_000 });
    const seconds = (performance.now() - started) / 1000;
    const ingest = {
      articles: summary.added,
      chunks: summary.chunksIndexed,
      seconds: Number(seconds.toFixed(2)),
      articlesPerSecond: Number((summary.added / seconds).toFixed(1)),
      chunksPerSecond: Number((summary.chunksIndexed / seconds).toFixed(1)),
    };

    const queries = Array.from({ length: 200 }, (_, index) => `why did ${SECTORS[index % SECTORS.length]} shares ${VERBS[index % VERBS.length]} on ${DRIVERS[index % DRIVERS.length]}`);
    const search: Record<string, { p50Ms: number; p99Ms: number }> = {};
    for (const mode of ['lexical', 'vector', 'hybrid'] as SearchMode[]) {
      const latencies: number[] = [];
      for (const query of queries) {
        const begin = performance.now();
        await searchKnowledgeBase(kb, embedder, { query, k: 8, mode, today: '2026-11-21' });
        latencies.push(performance.now() - begin);
      }
      latencies.sort((a, b) => a - b);
      search[mode] = { p50Ms: Number(percentile(latencies, 0.5).toFixed(2)), p99Ms: Number(percentile(latencies, 0.99).toFixed(2)) };
    }
    const result = {
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
      ingest,
      search,
      rssMb: Math.round(process.memoryUsage().rss / 1024 / 1024),
      at: new Date().toISOString(),
    };
    console.log(`ingest: ${ingest.articles} articles, ${ingest.chunks} chunks in ${ingest.seconds} s → ${ingest.articlesPerSecond} articles/s, ${ingest.chunksPerSecond} chunks/s`);
    console.log('| search (k=8) | p50 ms | p99 ms |');
    console.log('| --- | --- | --- |');
    for (const [mode, figures] of Object.entries(search)) console.log(`| ${mode} | ${figures.p50Ms} | ${figures.p99Ms} |`);
    console.log(`RSS ${result.rssMb} MB on ${result.machine.cpus} × ${result.machine.model}, Node ${result.machine.node}`);
    mkdirSync(join(REPO_ROOT, 'bench/results'), { recursive: true });
    writeFileSync(join(REPO_ROOT, `bench/results/ingest-search-${ARTICLES}.json`), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
