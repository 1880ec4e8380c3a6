import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { TATQA_DEV_PATH, runDocumentEvaluation, scoreOutcomes, type QuestionOutcome } from './documents/run.ts';
import type { Split } from './documents/dataset.ts';

/**
 * `npm run eval:documents`: the offline engine on real annual-report tables and text (TAT-QA dev,
 * read from ../shared at run time). Prints the TUNE half (the one to look at) and the REPORT half
 * (only measured). `--split tune --limit 20 --failures` for a quick look while developing, `--type
 * arithmetic` to ask only one answer type's questions, `--out outcomes.json` to keep every outcome.
 */
const { values } = parseArgs({
  options: {
    split: { type: 'string' },
    limit: { type: 'string' },
    failures: { type: 'boolean', default: false },
    type: { type: 'string' },
    out: { type: 'string' },
  },
});
const splits = values.split ? [values.split as Split] : undefined;
const started = Date.now();
const outcomes = await runDocumentEvaluation({
  ...(splits ? { splits } : {}),
  ...(values.limit ? { limit: Number(values.limit) } : {}),
  ...(values.type ? { answerType: values.type as QuestionOutcome['answerType'] } : {}),
  onProgress: (done, total) => {
    if (done % 100 === 0 || done === total) process.stderr.write(`\r${done}/${total} questions`);
  },
});
process.stderr.write('\n');
if (!outcomes) {
  console.log(`eval:documents skipped: ${TATQA_DEV_PATH} is absent (the TAT-QA dev set lives in the project workspace, not in the repository).`);
} else {
  const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
  for (const split of ['tune', 'report'] as const) {
    const half = outcomes.filter((outcome) => outcome.split === split);
    if (half.length === 0) continue;
    const scores = scoreOutcomes(half);
    console.log(
      `\n${split.toUpperCase()} half: ${scores.questions} questions, recall@5 ${percent(scores.recallAt5)}, correct ${percent(scores.correct)}, refusals ${percent(scores.refusals)}`,
    );
    console.log('  type         questions  correct   exact  numeric  retrieved  correct if retrieved  cites context  correct if cited');
    for (const [type, entry] of Object.entries(scores.byType).sort()) {
      const share = (count: number) => percent(count / entry.questions).padStart(7);
      const given = (count: number, of: number) => (of === 0 ? '—' : percent(count / of));
      console.log(
        `  ${type.padEnd(12)} ${String(entry.questions).padStart(9)}  ${share(entry.correct)} ${share(entry.exact)}  ${share(entry.numeric)}    ${share(entry.retrieved)}  ${given(entry.correctRetrieved, entry.retrieved).padStart(20)}  ${share(entry.citesContext).padStart(13)}  ${given(entry.correctCitesContext, entry.citesContext).padStart(16)}`,
      );
    }
    const times = half.map((outcome) => outcome.elapsedMs).sort((a, b) => a - b);
    console.log(
      `  answer time p50 ${times[Math.floor(times.length / 2)]!.toFixed(1)} ms, p90 ${times[Math.floor(times.length * 0.9)]!.toFixed(1)} ms (retrieval included)`,
    );
  }
  if (values.out) writeFileSync(values.out, JSON.stringify(outcomes, null, 1));
  if (values.failures) printFailures(outcomes.filter((outcome) => !outcome.correct && outcome.split === 'tune'));
  console.log(`\n${outcomes.length} questions in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function printFailures(failures: QuestionOutcome[]): void {
  for (const failure of failures) {
    console.log(
      `\n✗ [${failure.answerType}${failure.retrieved ? '' : ', not retrieved'}${failure.citesContext ? '' : ', other document'}] ${failure.question}\n  gold: ${JSON.stringify(failure.gold)}${failure.derivation ? ` = ${failure.derivation}` : ''}\n  got:  ${failure.answer.split(/\n\s*\n/)[0]!.slice(0, 300)}`,
    );
  }
}
