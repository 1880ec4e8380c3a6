import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadTatqa, splitOf, type Split } from './documents/dataset.ts';
import { buildTatqaKnowledgeBase } from './documents/knowledge-base.ts';
import { TATQA_DEV_PATH } from './documents/run.ts';
import { EVAL_TODAY } from './retrieval/corpus.ts';

/**
 * `npm run eval:document-retrieval`: where the offline engine's retrieval puts each TAT-QA question's
 * own document (the same open corpus as `eval:documents`, answers not judged). Prints recall@1/3/5,
 * the rank of the gold document when it misses the top 5, and recall by question shape, so
 * retrieval work is measured apart from answering. `--split tune` while developing; `--misses N`
 * lists N missed questions.
 */
const { values } = parseArgs({
  options: {
    split: { type: 'string', default: 'tune' },
    limit: { type: 'string' },
    misses: { type: 'string', default: '0' },
  },
});

/** Only the field of the raw file the dataset module does not parse: where the answer is read from. */
const AnswerFromSchema = z.array(z.object({ questions: z.array(z.object({ uid: z.string(), answer_from: z.string().optional() })) }));

interface Ranked {
  question: string;
  shape: string[];
  /** 1-based rank of the first retrieved passage from the gold document (as `eval:documents` counts); 0 when absent. */
  rank: number;
}

const contexts = loadTatqa(TATQA_DEV_PATH);
if (!contexts) {
  console.log(`eval:document-retrieval skipped: ${TATQA_DEV_PATH} is absent.`);
  process.exit(0);
}
const answerFrom = new Map(
  AnswerFromSchema.parse(JSON.parse(readFileSync(TATQA_DEV_PATH, 'utf8')))
    .flatMap((context) => context.questions)
    .map((question) => [question.uid, question.answer_from ?? '?']),
);
const split = values.split as Split;
const indexDir = mkdtempSync(join(tmpdir(), 'copilot-document-retrieval-'));
try {
  const { contextOf, engine } = await buildTatqaKnowledgeBase(contexts, indexDir);
  const chosen = contexts.filter((context) => splitOf(context.table.uid) === split).slice(0, values.limit ? Number(values.limit) : undefined);
  const ranked: Ranked[] = [];
  const started = Date.now();
  for (const context of chosen) {
    for (const question of context.questions) {
      let order: string[] = [];
      await engine.answer({
        question: question.question,
        history: [],
        today: EVAL_TODAY,
        language: 'en',
        signal: new AbortController().signal,
        emit: (event) => {
          if (event.type === 'retrieval') order = event.sources.map((source) => contextOf.get(source.articleId) ?? source.articleId);
        },
      });
      const rank = order.indexOf(context.table.uid) + 1;
      ranked.push({ question: question.question, shape: shapeOf(question.question, answerFrom.get(question.uid) ?? '?'), rank });
    }
  }
  const elapsed = (Date.now() - started) / 1000;
  const share = (list: Ranked[], test: (entry: Ranked) => boolean) => `${((list.filter(test).length / Math.max(1, list.length)) * 100).toFixed(1)}%`;
  const within = (n: number) => (entry: Ranked) => entry.rank > 0 && entry.rank <= n;
  console.log(`${split.toUpperCase()} half: ${ranked.length} questions`);
  console.log(
    `  recall@1 ${share(ranked, within(1))}  @3 ${share(ranked, within(3))}  @5 ${share(ranked, within(5))}  @any ${share(ranked, (entry) => entry.rank > 0)}`,
  );
  const missed = ranked.filter((entry) => !within(5)(entry));
  const histogram = new Map<string, number>();
  for (const entry of missed) {
    const bucket = entry.rank === 0 ? 'not retrieved' : entry.rank <= 8 ? 'rank 6-8' : 'rank 9+';
    histogram.set(bucket, (histogram.get(bucket) ?? 0) + 1);
  }
  console.log(`  misses: ${missed.length} (${[...histogram].map(([bucket, count]) => `${bucket} ${count}`).join(', ')})`);
  const shapes = [...new Set(ranked.flatMap((entry) => entry.shape))].sort();
  console.log('  shape                     questions  recall@1  recall@5');
  for (const shape of shapes) {
    const group = ranked.filter((entry) => entry.shape.includes(shape));
    console.log(`  ${shape.padEnd(25)} ${String(group.length).padStart(9)}  ${share(group, within(1)).padStart(8)}  ${share(group, within(5)).padStart(8)}`);
  }
  for (const entry of missed.slice(0, Number(values.misses))) console.log(`\n✗ rank ${entry.rank || '-'}: ${entry.question}`);
  console.log(`\n${ranked.length} questions in ${elapsed.toFixed(1)} s (${((elapsed / Math.max(1, ranked.length)) * 1000).toFixed(1)} ms each)`);
} finally {
  rmSync(indexDir, { recursive: true, force: true });
}

/** Coarse, question-independent shapes: where the answer sits and what the question gives to find it. */
function shapeOf(question: string, from: string): string[] {
  const shapes = [`answer from ${from}`];
  const years = question.match(/\b(?:19|20)\d{2}\b/g) ?? [];
  shapes.push(years.length === 0 ? 'no year' : 'names a year');
  const figures = (question.replace(/\b(?:19|20)\d{2}\b/g, '').match(/\d[\d,.]*/g) ?? []).filter((figure) => figure.length > 1);
  if (figures.length > 0) shapes.push('quotes a figure');
  if (/\b(?:total|other|net)\b/i.test(question)) shapes.push('total/other/net word');
  if (/\bthe table\b/i.test(question)) shapes.push('mentions "the table"');
  const words = question.split(/\s+/).length;
  shapes.push(words <= 8 ? 'short (<=8 words)' : words <= 14 ? 'medium (9-14 words)' : 'long (15+ words)');
  return shapes;
}
