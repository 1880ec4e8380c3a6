import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLocalEmbedder } from '../../ingest/embed/local-embedder.ts';
import { ingestDocument } from '../../ingest/pipeline.ts';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { createChatService } from '../../server/chat/chat-service.ts';
import { createConversationStore } from '../../server/chat/conversations.ts';
import { createOfflineEngine } from '../../server/chat/offline-engine.ts';
import { createPriceStore } from '../../server/market/price-store.ts';
import { loadPromptLibrary } from '../../server/prompts.ts';
import { createToolRegistry } from '../../server/tools/registry.ts';
import { EVAL_TODAY, REPO_ROOT, WORD_VECTOR_CACHE } from '../retrieval/corpus.ts';
import { createRandom, type Random } from './random.ts';
import { round, summarizeLatencies } from './statistics.ts';
import { writeStepResult } from './step-io.ts';

/**
 * Latency of answers computed from table cells (offline engine, one question at a time): a
 * knowledge base of generated annual-report extracts (a table "in millions" over three fiscal
 * years and a paragraph each; our own wording, deterministic), then questions that need a
 * computation (change, percentage change, average, share, a difference of averages, a change of a
 * ratio). Only answers that ran the `compute` tool count toward the latency.
 *
 *   tsx bench/suite/cells-bench.ts --documents 150 --questions 150 --out result.json
 */
export const CELLS_BENCH_DEFAULTS = { documents: 150, questions: 150, seed: 11 };

const SEGMENTS = ['Industrial', 'Consumer', 'Healthcare', 'Energy', 'Software', 'Logistics', 'Retail', 'Materials', 'Media', 'Telecom'];
const ROWS = [
  'Revenue',
  'Cost of sales',
  'Gross profit',
  'Selling and marketing',
  'Research and development',
  'Operating income',
  'Interest expense',
  'Net income',
];
const YEARS = [2019, 2018, 2017];

function renderExtract(index: number, random: Random): { markdown: string; segment: string } {
  const segment = `${SEGMENTS[index % SEGMENTS.length]} unit ${Math.floor(index / SEGMENTS.length) + 1}`;
  const base = 200 + Math.floor(random.next() * 5_000);
  const lines = ROWS.map((row, rowIndex) => {
    const values = YEARS.map((_, yearIndex) => (base / (rowIndex + 1)) * (1 - 0.07 * yearIndex + 0.1 * random.next()));
    return `| ${segment} ${row.toLowerCase()} | ${values.map((value) => value.toLocaleString('en-US', { maximumFractionDigits: 1 })).join(' | ')} |`;
  });
  const markdown = [
    `# Segment review ${index + 1}`,
    `Figures for the ${segment} segment, in millions.`,
    [`| (in millions) | ${YEARS.join(' | ')} |`, `| --- |${' --- |'.repeat(YEARS.length)}`, ...lines].join('\n'),
    `The ${segment} segment kept investing in its plants while margins moved with input costs.`,
  ].join('\n\n');
  return { markdown, segment };
}

function questionsFor(segment: string, random: Random): string {
  const forms = [
    `What was the change in ${segment} revenue from 2018 to 2019?`,
    `What was the percentage change in ${segment} net income between 2017 and 2018?`,
    `What was the average ${segment} operating income for 2018 and 2019?`,
    `What is ${segment} gross profit as a percentage of ${segment} revenue in 2019?`,
    `What is the difference between the average ${segment} revenue and the average ${segment} cost of sales?`,
    `What was the change in the ratio of ${segment} operating income to ${segment} revenue from 2018 to 2019?`,
  ];
  return forms[Math.floor(random.next() * forms.length)]!;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { documents: { type: 'string' }, questions: { type: 'string' }, out: { type: 'string' } } });
  const documents = Number(values.documents ?? CELLS_BENCH_DEFAULTS.documents);
  const questionCount = Number(values.questions ?? CELLS_BENCH_DEFAULTS.questions);
  const random = createRandom(CELLS_BENCH_DEFAULTS.seed);
  const work = mkdtempSync(join(tmpdir(), 'copilot-cells-bench-'));
  try {
    const embedder = await createLocalEmbedder({ cacheDir: WORD_VECTOR_CACHE });
    const kb = await EmbeddedStore.open({ indexDir: join(work, 'index'), embedder: { id: embedder.id, dim: embedder.dim } });
    const segments: string[] = [];
    for (let index = 0; index < documents; index++) {
      const { markdown, segment } = renderExtract(index, random);
      segments.push(segment);
      await ingestDocument({ content: markdown, filename: `segment-${index + 1}.md` }, { kb, embedder });
    }
    const prompts = loadPromptLibrary(join(REPO_ROOT, 'prompts'));
    const prices = createPriceStore({ dataDir: join(REPO_ROOT, 'data') });
    const offline = createOfflineEngine({ kb, embedder, registry: createToolRegistry(), toolContext: () => ({ prices, today: EVAL_TODAY }), prompts });
    const chat = createChatService({ offline, conversations: createConversationStore(), prompts, today: () => EVAL_TODAY });
    const ask = (message: string) => chat.ask({ message }, { signal: new AbortController().signal, onEvent: () => {} });
    // Warm-up: the first answers pay for lazy loading (prompt rendering, term statistics caches).
    for (const segment of segments.slice(0, 5)) await ask(questionsFor(segment, random));

    const computed: number[] = [];
    let answered = 0;
    for (let index = 0; index < questionCount; index++) {
      const question = questionsFor(segments[Math.floor(random.next() * segments.length)]!, random);
      const started = performance.now();
      const response = await ask(question);
      const elapsed = performance.now() - started;
      answered += 1;
      if (response.toolCalls.some((call) => call.name === 'compute' && call.result !== null)) computed.push(elapsed);
    }
    const latency = summarizeLatencies(computed);
    writeStepResult(values.out ?? join(work, 'result.json'), {
      documents,
      questions: answered,
      computed: computed.length,
      p50Ms: round(latency.p50Ms),
      p99Ms: round(latency.p99Ms),
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
