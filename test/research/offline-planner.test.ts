import { describe, expect, it } from 'vitest';
import { findMultipleConflicts, pickCommonPairs, rankPassageSubjects, readMultiples } from '../../server/research/multiples.ts';
import { inferTheme, planResearchOffline, type PlanningContext } from '../../server/research/offline-planner.ts';
import { createPlanValidator } from '../../server/research/plan-schema.ts';
import { QUESTION_COMPARE, QUESTION_RALLY } from './helpers.ts';

const validator = createPlanValidator();
const CONTEXT: PlanningContext = {
  today: '2026-11-21',
  asOf: '2026-08-24',
  dataEnd: '2026-08-21',
  valuations: [{ a: { name: 'Russell 2000', value: 18 }, b: { name: 'S&P 500', value: 31 }, article: { title: 'A note', published: '2026-01-17' } }],
};

describe('offline planner', () => {
  it('plans the rally question: RUT vs GSPC over the three months to the last price session, every theme, valid tools', () => {
    const plan = planResearchOffline(QUESTION_RALLY, CONTEXT);
    expect(plan.steps.length).toBeGreaterThanOrEqual(3);
    expect(plan.steps.length).toBeLessThanOrEqual(8);
    expect(validator.validate(plan.steps).ok).toBe(true);
    expect(plan.steps[0]!.tools[0]).toEqual({ name: 'compare', arguments: { symbols: ['RUT', 'GSPC'], from: '2026-05-22', to: '2026-08-21' } });
    expect(plan.steps.map((step) => inferTheme(step))).toEqual(['performance', 'volatility', 'valuation', 'earnings', 'rates', 'drivers', 'risks']);
    expect(plan.steps.find((step) => step.tools.some((call) => call.name === 'valuation_gap'))!.tools[0]!.arguments).toEqual({
      a: { label: 'Russell 2000 P/E', value: 18 },
      b: { label: 'S&P 500 P/E', value: 31 },
    });
    expect(plan.notes.join(' ')).toMatch(/Benchmark added.*S&P 500/);
    expect(plan.notes.join(' ')).toMatch(/2026-05-22 to 2026-08-21, ending at the last session of the price data/);
  });

  it('plans the comparison question over 2026 (cut at the data) on the themes it names, with performance and risks', () => {
    const plan = planResearchOffline(QUESTION_COMPARE, CONTEXT);
    expect(validator.validate(plan.steps).ok).toBe(true);
    expect(plan.steps.map((step) => inferTheme(step))).toEqual(['performance', 'valuation', 'earnings', 'rates', 'risks']);
    expect(plan.steps[0]!.tools[0]!.arguments).toEqual({ symbols: ['RUT', 'GSPC'], from: '2026-01-01', to: '2026-08-21' });
  });

  it('plans without a valuation tool when no article states a pair, and without series for a question naming no market', () => {
    const bare = planResearchOffline(QUESTION_RALLY, { today: '2026-11-21', asOf: '2026-08-24' });
    expect(bare.steps.flatMap((step) => step.tools).some((call) => call.name === 'valuation_gap')).toBe(false);
    expect(bare.steps[0]!.tools[0]!.arguments).toMatchObject({ from: '2026-05-25', to: '2026-08-24' });
    const vague = planResearchOffline('What are people saying about tariffs?', CONTEXT);
    expect(vague.steps.length).toBeGreaterThanOrEqual(3);
    expect(vague.steps.flatMap((step) => step.tools)).toEqual([]);
    expect(vague.steps[0]!.query).toBe('What are people saying about tariffs?');
  });

  it('measures the period a question names and the market it names against small caps', () => {
    const plan = planResearchOffline('How did the S&P 500 do in Q1 2026 and why?', CONTEXT);
    expect(plan.steps[0]!.tools[0]!.arguments).toEqual({ symbols: ['GSPC', 'RUT'], from: '2026-01-01', to: '2026-03-31' });
    expect(plan.steps.map((step) => inferTheme(step))).toEqual(['performance', 'drivers', 'risks']);
  });
});

describe('valuation multiples in article sentences', () => {
  // Our own sentences, shaped like the ways articles quote multiples.
  const passage = [
    'Small caps were the cheap corner of the market in January, according to most desks.',
    'The Russell 2000 changed hands at roughly 18 times forward earnings, while the S&P 500 carried a P/E near 31.',
    'Count the companies that lose money and the index looks different: its multiple climbs to about 37 times, dearer than large caps.',
    'On profitable members alone, the Russell 2000 sits near 20x against 26x for the S&P 500.',
    "The S&P SmallCap 600 screens cheaper still, at 15.6 times next year's earnings.",
    'The index gained 7.5% in the month, its best January since 2019.',
  ];
  const subjects = passage.map(() => rankPassageSubjects(passage));
  const mentions = readMultiples(passage, subjects);

  it('attributes each multiple to the index it describes, including "the index" from the passage', () => {
    expect(mentions.map(({ name, value, sentence, named }) => [name, value, sentence, named])).toEqual([
      ['Russell 2000', 18, 1, true],
      ['S&P 500', 31, 1, true],
      ['Russell 2000', 37, 2, false],
      ['Russell 2000', 20, 3, true],
      ['S&P 500', 26, 3, true],
      ['S&P SmallCap 600', 15.6, 4, true],
    ]);
    expect(mentions.find((mention) => mention.value === 37)!.basis).toBe('includes-loss-makers');
    expect(mentions.find((mention) => mention.value === 20)!.basis).toBe('profitable-only');
  });

  it('finds the conflicting values of one index and ignores rounding differences', () => {
    const conflicts = findMultipleConflicts(mentions);
    expect(conflicts.map((conflict) => [conflict.name, conflict.values.map((entry) => entry.value)])).toEqual([
      ['Russell 2000', [18, 20, 37]],
      ['S&P 500', [26, 31]],
    ]);
    expect(
      findMultipleConflicts([
        { ...mentions[0]!, value: 18 },
        { ...mentions[0]!, value: 18.5, sentence: 4 },
      ]),
    ).toEqual([]);
  });

  it('picks the valuation pairs named side by side, most repeated first', () => {
    const pairs = pickCommonPairs([...mentions, { ...mentions[0]!, sentence: 9 }], ['russell-2000', 's&p-500']);
    expect(pairs.map(({ a, b }) => [a.value, b.value])).toEqual([
      [18, 31],
      [20, 26],
    ]);
  });
});

describe('an auto-accepted plan keeps every index the question names', () => {
  it('compares the Nasdaq Composite, the S&P 500 and the Russell 2000 in one comparison', () => {
    const plan = planResearchOffline('How did the Nasdaq Composite, the S&P 500 and the Russell 2000 compare in the first half of 2026?', CONTEXT);
    const compare = plan.steps.flatMap((step) => step.tools).find((call) => call.name === 'compare');
    expect(compare?.arguments).toMatchObject({ symbols: ['IXIC', 'GSPC', 'RUT'], from: '2026-01-01', to: '2026-06-30' });
    expect(plan.steps[0]!.title).toBe('Performance: Nasdaq Composite vs S&P 500 vs Russell 2000');
  });
});
