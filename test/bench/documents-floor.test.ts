import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TATQA_DEV_PATH, runDocumentEvaluation, scoreOutcomes } from '../../bench/documents/run.ts';

/**
 * Floor on real annual-report tables (TAT-QA dev, read from ../shared at run time; skipped where
 * it is absent). The REPORT half is measured on a fixed sample of its contexts, so the figures
 * cannot silently fall below what the engine reaches today (`npm run eval:documents` for all).
 */
// Arithmetic measured 0.46 on this sample (35 of 76), December 2026; the floor leaves about five questions of margin.
const FLOOR = { recallAt5: 0.6, arithmetic: 0.4, span: 0.4, refusals: 0.05 };

describe.skipIf(!existsSync(TATQA_DEV_PATH))('offline engine on TAT-QA dev (report half sample)', () => {
  it('does not regress below the measured floor', { timeout: 240_000 }, async () => {
    const outcomes = (await runDocumentEvaluation({ splits: ['report'], limit: 30 }))!;
    const scores = scoreOutcomes(outcomes);
    const share = (type: string) => (scores.byType[type]?.correct ?? 0) / (scores.byType[type]?.questions ?? 1);
    expect(scores.recallAt5).toBeGreaterThanOrEqual(FLOOR.recallAt5);
    expect(share('arithmetic')).toBeGreaterThanOrEqual(FLOOR.arithmetic);
    expect(share('span')).toBeGreaterThanOrEqual(FLOOR.span);
    expect(scores.refusals).toBeLessThan(FLOOR.refusals);
  });
});
