import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answerSplit } from './answers/evaluate.ts';
import { runOfflineAnswerSet } from './answers/run-offline.ts';

/** `npm run eval:answers`: the share of the answer test set the offline engine answers correctly. */
const indexDir = mkdtempSync(join(tmpdir(), 'copilot-answers-'));
try {
  const result = await runOfflineAnswerSet(indexDir);
  console.log(
    `offline engine: ${result.verdicts.filter((v) => v.correct).length}/${result.verdicts.length} correct (${(result.score * 100).toFixed(1)}%), ` +
      `grounded figures ${(result.groundedShare * 100).toFixed(1)}% (seeds ${result.seeds ? 'included' : 'absent'})`,
  );
  // TUNE is the half to look at while changing the engine; REPORT is only measured.
  for (const split of ['tune', 'report'] as const) {
    const half = result.verdicts.filter((verdict) => answerSplit(verdict.id) === split);
    console.log(`  ${split.toUpperCase()} half: ${half.filter((v) => v.correct).length}/${half.length} correct`);
  }
  for (const verdict of result.verdicts.filter((v) => !v.correct && answerSplit(v.id) === 'tune')) {
    console.log(`  ✗ ${verdict.id} ${verdict.question}`);
    if (verdict.missingFacts.length) console.log(`      missing: ${verdict.missingFacts.map((alternatives) => alternatives.join(' | ')).join('; ')}`);
    if (!verdict.citedExpectedSource) console.log('      no expected source cited');
    if (verdict.saidNoAnswer) console.log('      said "not found"');
  }
} finally {
  rmSync(indexDir, { recursive: true, force: true });
}
