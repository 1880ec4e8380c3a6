import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LEXICAL_DEFAULTS, LexicalIndex } from '../../kb/lexical-index.ts';
import { analyzeQuery } from '../../server/retrieval/query-understanding.ts';
import { writeStepResult } from './step-io.ts';
import { summarizeLatencies } from './statistics.ts';
import { CORPUS_DEFAULTS, generateArticle, generateQuestions } from './synthetic-corpus.ts';

/**
 * Lexical search with the WebAssembly scoring loop (kb/scoring-kernel.wat) against the JavaScript
 * one, on one snapshot read into its arena: the lexical index of a kept store (`--open DIR`, as
 * `store-scale-bench.ts --keep DIR` leaves it), or one built here from `--passages N` generated
 * passages. Every question is asked both ways in turns (which goes first alternates), `passes`
 * times, so both meet the machine in the same phase; on one thread (no helper), k = 60 as hybrid
 * search asks. Latency of each, and how many searches gave the same hits, scores and masks (all of
 * them, or the kernel is wrong).
 *
 *   tsx bench/suite/scoring-kernel-bench.ts --open DIR --out result.json
 *   tsx bench/suite/scoring-kernel-bench.ts --passages 200000 --out result.json
 */
export const SCORING_KERNEL_BENCH_DEFAULTS = {
  questions: 400,
  passes: 3,
  k: 60,
  today: '2026-11-21',
};

/**
 * The lexical snapshot of a kept store (its newest: snapshot folders are named by a zero-padded
 * sequence number; a kept store has one), or of `passages` generated ones written to `work`.
 */
function snapshotPath(open: string | undefined, passages: number, work: string): string {
  if (open) {
    const snapshots = ['index/snapshots', 'snapshots'].map((folder) => join(open, folder)).find((folder) => existsSync(folder));
    if (!snapshots) throw new Error(`no store in ${open}: give the folder store-scale-bench.ts --keep built`);
    const newest = readdirSync(snapshots)
      .filter((name) => !name.endsWith('.tmp') && existsSync(join(snapshots, name, 'lexical.bin')))
      .sort()
      .at(-1);
    if (!newest) throw new Error(`no lexical snapshot under ${snapshots}`);
    return join(snapshots, newest, 'lexical.bin');
  }
  const index = LexicalIndex.create();
  let label = 0;
  for (let article = 0; label < passages; article += 1) {
    const { article: parsed, passages: items } = generateArticle(article, Math.min(CORPUS_DEFAULTS.passagesPerArticle, passages - label));
    for (const { section, text } of items) index.add({ label: label++, text, section, title: parsed.title });
  }
  const path = join(work, 'lexical.bin');
  index.write(path);
  return path;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { open: { type: 'string' }, passages: { type: 'string' }, out: { type: 'string' }, questions: { type: 'string' } },
  });
  const passages = Number(values.passages ?? 0);
  if (!values.out || (!values.open && !(Number.isInteger(passages) && passages > 0))) {
    throw new Error('usage: scoring-kernel-bench.ts (--open DIR | --passages N) --out FILE [--questions N]');
  }
  const { k, today, passes } = SCORING_KERNEL_BENCH_DEFAULTS;
  const count = Number(values.questions ?? SCORING_KERNEL_BENCH_DEFAULTS.questions);
  if (!Number.isInteger(count) || count <= 0) throw new Error(`--questions must be a positive integer: ${values.questions}`);
  const work = mkdtempSync(join(tmpdir(), 'copilot-bench-kernel-'));
  try {
    const path = snapshotPath(values.open, passages, work);
    const index = LexicalIndex.read(path);
    const queries = generateQuestions(count, CORPUS_DEFAULTS.seed + 1).map((question) => analyzeQuery(question, today).terms);
    const search = (terms: (typeof queries)[number], kernel: boolean) => {
      LEXICAL_DEFAULTS.scoringKernel = kernel;
      return index.search(terms, k);
    };
    // Warm both loops (V8 compiles the JavaScript one as it runs).
    for (const terms of queries) for (const kernel of [true, false]) search(terms, kernel);
    const latencies = { kernel: [] as number[], javascript: [] as number[] };
    let same = 0;
    for (let pass = 0; pass < passes; pass += 1) {
      for (const [position, terms] of queries.entries()) {
        const answers: Record<string, string> = {};
        for (const kernel of (position + pass) % 2 === 0 ? [true, false] : [false, true]) {
          const started = performance.now();
          const result = search(terms, kernel);
          latencies[kernel ? 'kernel' : 'javascript'].push(performance.now() - started);
          answers[String(kernel)] = JSON.stringify(result.hits);
        }
        if (answers.true === answers.false) same += 1;
      }
    }
    LEXICAL_DEFAULTS.scoringKernel = true;
    writeStepResult(values.out, {
      passages: index.size,
      questions: count,
      passes,
      kernel: summarizeLatencies(latencies.kernel),
      javascript: summarizeLatencies(latencies.javascript),
      sameHits: same,
      searches: count * passes,
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
