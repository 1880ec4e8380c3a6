import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runOfflineAnswerSet } from '../../bench/answers/run-offline.ts';

/**
 * The answer test set (`npm run eval:answers`) as a regression floor for the offline engine:
 * correct answers (facts present, an expected source cited, "not found" when nothing answers)
 * and the share of figures grounded in a cited source. No timing.
 */
describe('offline engine on the answer test set', () => {
  const indexDir = mkdtempSync(join(tmpdir(), 'copilot-answers-floor-'));
  afterAll(() => rmSync(indexDir, { recursive: true, force: true }));

  it('answers most questions correctly and grounds nearly every figure', async () => {
    const result = await runOfflineAnswerSet(indexDir);
    expect(result.verdicts.length).toBeGreaterThanOrEqual(30);
    expect(result.score).toBeGreaterThanOrEqual(result.seeds ? 0.85 : 0.75);
    expect(result.groundedShare).toBeGreaterThanOrEqual(0.95);
    // The questions the issue names with figures are answered correctly. The P/E premium question
    // (a05) expects the 18x-vs-31x reading (72%), which a seed analysis states, while the sample
    // corpus alone also offers 20x vs 26x (30%), a correct answer on its own measure that the test
    // set does not list, so without the seeds a05 counts through the score only. The "why" and
    // "risks" questions (a03, a04) count through the score only: their expected facts were once
    // matched by word lists copied from them, and the general language of explanations and risks
    // that replaced those lists names other, also correct, drivers and risks.
    for (const id of result.seeds ? ['a01', 'a02', 'a05'] : ['a01', 'a02'])
      expect(result.verdicts.find((verdict) => verdict.id === id)?.correct, id).toBe(true);
  });
});
