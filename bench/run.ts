import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from './retrieval/corpus.ts';
import {
  CellsResultSchema,
  ChatResultSchema,
  ColdStartResultSchema,
  IngestResultSchema,
  PdfResultSchema,
  PgvectorResultSchema,
  PostgresResultSchema,
  SearchResultSchema,
  StoreResultSchema,
  VectorParamsResultSchema,
  checkGoals,
  formatReport,
  type SuiteResults,
} from './suite/report.ts';
import { runStep, type StepResult } from './suite/step-io.ts';
import { ThreadWakeResultSchema } from './suite/thread-wake.ts';

/**
 * `npm run bench`: the whole performance suite, each heavy step in its own process.
 *
 *   npm run bench                      ingest 1k + 10k articles; search at 10k, 100k, 300k chunks;
 *                                      chat load; cold start (≈ 12 minutes on 2 cores)
 *   npm run bench -- --quick           small sizes only (≈ 1 minute); also BENCH_QUICK=1
 *   npm run bench -- --steps search --search-sizes 100000
 *   npm run bench -- --steps pdf       PDF pages per second on a generated 100-page report
 *   npm run bench -- --steps cells     answers computed from table cells (p50 goal < 100 ms)
 *   npm run bench -- --steps postgres --postgres-sizes 10000,100000
 *   npm run bench -- --steps pgvector  pgvector's HNSW recall@8 against exact search by ef_search
 *                                      (vectors bulk-loaded, index built after; 100k in ≈ 4 minutes)
 *   npm run bench -- --steps store     the embedded store under load at 100k passages: build rate,
 *                                      disk, uploads, search and chat beside writers, event-loop stalls
 *   npm run bench -- --steps hnsw      hnswlib build parameters (M, efConstruction) vs recall@8
 *   npm run bench -- --steps store-scale --store-scale-sizes 1000000
 *                                      opt-in: RSS and hybrid latency of a large store opened afresh
 *
 * Prints Markdown tables and writes bench/results/*.json (quick runs: bench/results/quick/).
 * LangChain's HNSWLib comparison runs when @langchain/community can be loaded (see bench/README.md).
 */
const FULL = {
  ingestArticles: [1_000, 10_000],
  searchChunks: [10_000, 100_000, 300_000],
  /** The LangChain store builds a second HNSW graph: compared where it fits the time budget. */
  langchainUpTo: 100_000,
  /** Saving and reloading is timed up to this size (what a server start pays with a big index). */
  persistUpTo: 300_000,
  /** Lexical search at 300k chunks takes ~0.5 s a query: fewer questions keep the suite near 15 minutes. */
  questions: (chunks: number) => (chunks > 100_000 ? 100 : 200),
  chatSeconds: 10,
  chatConnections: 10,
  coldStartRuns: 3,
  /**
   * The Postgres store through PGlite (single-threaded WebAssembly): 10k passages take a few
   * minutes to ingest; 100k is opt-in (`--postgres-sizes 10000,100000`, about an hour here).
   */
  postgresChunks: [10_000],
  /** pgvector's recall by search beam: the vectors are bulk-loaded and indexed after, so 100k takes minutes. */
  pgvectorChunks: [100_000],
  pgvectorEf: '40,100,200,400',
  /** The embedded store as a server runs it: the issue's goals are stated at 100k passages. */
  storeChunks: [100_000],
  storeSeconds: 15,
  storeUploads: 100,
  /** The hnswlib parameter sweep builds one graph per pair: about a minute each at 100k here. */
  hnswChunks: [100_000],
  /** Opt-in (`--steps store-scale`): a 1M build takes about 15 CPU minutes. */
  storeScaleChunks: [300_000],
};
const QUICK = {
  ...FULL,
  ingestArticles: [1_000],
  searchChunks: [10_000],
  chatSeconds: 3,
  coldStartRuns: 1,
  postgresChunks: [1_000],
  pgvectorChunks: [2_000],
  storeChunks: [5_000],
  storeSeconds: 3,
  storeUploads: 20,
  hnswChunks: [5_000],
  storeScaleChunks: [5_000],
};

const STEPS = ['ingest', 'search', 'chat', 'cold', 'postgres', 'pgvector', 'pdf', 'cells', 'store', 'hnsw', 'store-scale'] as const;
type Step = (typeof STEPS)[number];
/** Steps run only when named: too long for the whole suite. */
const OPT_IN: readonly Step[] = ['store-scale'];

function parseSizes(text: string | undefined, fallback: number[]): number[] {
  if (!text) return fallback;
  const sizes = text.split(',').map((part) => Number(part.trim()));
  if (sizes.some((size) => !Number.isInteger(size) || size <= 0)) throw new Error(`sizes must be positive integers: ${text}`);
  return sizes;
}

function parseSteps(text: string | undefined): Step[] {
  if (!text) return STEPS.filter((step) => !OPT_IN.includes(step));
  const steps = text.split(',').map((part) => part.trim());
  const unknown = steps.filter((step) => !(STEPS as readonly string[]).includes(step));
  if (unknown.length > 0) throw new Error(`unknown steps ${unknown.join(', ')}; choose from ${STEPS.join(', ')}`);
  return steps as Step[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: process.env.BENCH_QUICK === '1' },
      steps: { type: 'string' },
      'ingest-sizes': { type: 'string' },
      'search-sizes': { type: 'string' },
      'postgres-sizes': { type: 'string' },
      'pgvector-sizes': { type: 'string' },
      'pgvector-ef': { type: 'string' },
      'store-sizes': { type: 'string' },
      'hnsw-sizes': { type: 'string' },
      'hnsw-pairs': { type: 'string' },
      'hnsw-ef-search': { type: 'string' },
      'store-scale-sizes': { type: 'string' },
    },
  });
  const plan = values.quick ? QUICK : FULL;
  const steps = parseSteps(values.steps);
  const ingestSizes = parseSizes(values['ingest-sizes'], plan.ingestArticles);
  const searchSizes = parseSizes(values['search-sizes'], plan.searchChunks);
  const postgresSizes = parseSizes(values['postgres-sizes'], plan.postgresChunks);
  const pgvectorSizes = parseSizes(values['pgvector-sizes'], plan.pgvectorChunks);
  const storeSizes = parseSizes(values['store-sizes'], plan.storeChunks);
  const hnswSizes = parseSizes(values['hnsw-sizes'], plan.hnswChunks);
  const storeScaleSizes = parseSizes(values['store-scale-sizes'], plan.storeScaleChunks);
  const resultsDir = join(REPO_ROOT, 'bench/results', values.quick ? 'quick' : '');
  mkdirSync(resultsDir, { recursive: true });
  const started = performance.now();
  const save = (name: string, result: StepResult) => writeFileSync(join(resultsDir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  const script = (name: string) => join(REPO_ROOT, 'bench/suite', name);
  const log = (message: string) => console.log(`[bench ${((performance.now() - started) / 1000).toFixed(0)} s] ${message}`);

  const results: SuiteResults = { ingest: [], search: [], postgres: [], pgvector: [], store: [], vectorParams: [] };
  // First, on a machine nothing else of the suite loads yet: how late a message reaches a waiting
  // thread. Every search below pays it (a hybrid search exchanges up to four messages with the graph
  // thread), and on the VMs measured here it was sometimes milliseconds (bench/suite/thread-wake.ts).
  log('machine: thread wake-up latency (two threads passing messages, a few seconds)');
  const threadWake = await runStep(script('thread-wake-bench.ts'), [], { timeoutMs: 2 * 60_000 });
  save('thread-wake', threadWake);
  results.threadWake = ThreadWakeResultSchema.parse(threadWake);
  if (steps.includes('ingest')) {
    for (const articles of ingestSizes) {
      log(`ingest: ${articles} articles`);
      const result = await runStep(script('ingest-bench.ts'), ['--articles', String(articles)], { timeoutMs: 10 * 60_000 });
      save(`ingest-${articles}`, result);
      results.ingest.push(IngestResultSchema.parse(result));
    }
  }
  if (steps.includes('search')) {
    for (const chunks of searchSizes) {
      log(`search: building a knowledge base of ${chunks} chunks`);
      const flags = [
        '--questions',
        String(plan.questions(chunks)),
        ...(chunks <= plan.langchainUpTo ? ['--langchain'] : []),
        ...(chunks <= plan.persistUpTo ? ['--persist'] : []),
      ];
      // 300k chunks need more than V8's default 4 GB heap (peak RSS ≈ 8 GB measured).
      const nodeFlags = chunks > 100_000 ? ['--max-old-space-size=12288'] : [];
      const result = await runStep(script('search-bench.ts'), ['--chunks', String(chunks), ...flags], { nodeFlags, timeoutMs: 20 * 60_000 });
      save(`search-${chunks}`, result);
      results.search.push(SearchResultSchema.parse(result));
    }
  }
  if (steps.includes('chat')) {
    log(`chat: offline engine, ${plan.chatConnections} connections × ${plan.chatSeconds} s, JSON then SSE`);
    const result = await runStep(script('chat-load-bench.ts'), ['--seconds', String(plan.chatSeconds), '--connections', String(plan.chatConnections)], {
      timeoutMs: 5 * 60_000,
    });
    save('chat', result);
    results.chat = ChatResultSchema.parse(result);
  }
  if (steps.includes('cold')) {
    log(`cold start: first run, then ${plan.coldStartRuns} × (npm start, node lib/run-typescript.mjs)`);
    const result = await runStep(script('cold-start-bench.ts'), ['--runs', String(plan.coldStartRuns)], { timeoutMs: 5 * 60_000 });
    save('cold-start', result);
    results.coldStart = ColdStartResultSchema.parse(result);
  }

  if (steps.includes('pdf')) {
    log('pdf: a generated 100-page report through the worker and the layout');
    const result = await runStep(script('pdf-bench.ts'), ['--pages', '100'], { timeoutMs: 5 * 60_000 });
    save('pdf', result);
    results.pdf = PdfResultSchema.parse(result);
  }
  if (steps.includes('cells')) {
    log('cells: answers computed from table cells, 150 generated report extracts');
    const result = await runStep(script('cells-bench.ts'), [], { timeoutMs: 3 * 60_000 });
    save('cells', result);
    results.cells = CellsResultSchema.parse(result);
  }
  if (steps.includes('postgres')) {
    for (const chunks of postgresSizes) {
      log(`postgres: ${chunks} chunks through PGlite + pgvector over the wire`);
      const result = await runStep(script('postgres-bench.ts'), ['--chunks', String(chunks), '--questions', String(plan.questions(chunks))], {
        timeoutMs: 120 * 60_000,
      });
      save(`postgres-${chunks}`, result);
      results.postgres?.push(PostgresResultSchema.parse(result));
    }
  }
  if (steps.includes('pgvector')) {
    for (const chunks of pgvectorSizes) {
      log(`pgvector: HNSW recall@8 by ef_search over ${chunks} vectors (PGlite, bulk-loaded)`);
      const args = ['--chunks', String(chunks), '--ef', values['pgvector-ef'] ?? plan.pgvectorEf, '--questions', String(plan.questions(chunks))];
      const result = await runStep(script('pgvector-recall.ts'), args, { timeoutMs: 60 * 60_000 });
      save(`pgvector-${chunks}`, result);
      results.pgvector?.push(PgvectorResultSchema.parse(result));
    }
  }
  if (steps.includes('store')) {
    for (const chunks of storeSizes) {
      log(`store: the embedded store at ${chunks} passages (build, uploads, search and chat beside writers)`);
      const args = ['--chunks', String(chunks), '--seconds', String(plan.storeSeconds), '--uploads', String(plan.storeUploads)];
      const result = await runStep(script('store-bench.ts'), args, { timeoutMs: 60 * 60_000 });
      save(`store-${chunks}`, result);
      results.store?.push(StoreResultSchema.parse(result));
    }
  }
  if (steps.includes('hnsw')) {
    for (const chunks of hnswSizes) {
      log(`hnsw: build parameters vs recall@8 at ${chunks} passages`);
      const pairs = [
        ...(values['hnsw-pairs'] ? ['--pairs', values['hnsw-pairs']] : []),
        ...(values['hnsw-ef-search'] ? ['--ef-search', values['hnsw-ef-search']] : []),
      ];
      const result = await runStep(script('vector-params-bench.ts'), ['--chunks', String(chunks), ...pairs], { timeoutMs: 60 * 60_000 });
      save(`hnsw-${chunks}`, result);
      results.vectorParams?.push(VectorParamsResultSchema.parse(result));
    }
  }
  if (steps.includes('store-scale')) {
    for (const chunks of storeScaleSizes) {
      log(`store-scale: build ${chunks} passages, then RSS and hybrid latency of the store opened afresh`);
      const result = await runStep(script('store-scale-bench.ts'), ['--chunks', String(chunks)], { timeoutMs: 3 * 60 * 60_000 });
      save(`store-scale-${chunks}`, result);
      console.log(JSON.stringify(result, null, 2));
    }
  }

  const machine = {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
  const report = formatReport(results);
  const minutes = ((performance.now() - started) / 60_000).toFixed(1);
  console.log(`\n${report}\n\nMachine: ${machine.cpus} × ${machine.model}, ${machine.memoryGb} GB, Node ${machine.node}; suite took ${minutes} min.`);
  save('summary', { machine, quick: values.quick, steps, minutes: Number(minutes), goals: checkGoals(results), at: new Date().toISOString(), report });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
