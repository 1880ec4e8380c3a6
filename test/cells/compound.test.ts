import { describe, expect, it } from 'vitest';
import { averageOfChanges, changeOfRatio, differenceOfAverages, shareOfSum, type CompoundPlan } from '../../server/cells/compound.ts';
import type { Cell } from '../../server/cells/types.ts';
import { ComputeArgsSchema, runCompute } from '../../server/tools/definitions/compute.ts';

function cell(label: string, year: number, value: number): Cell {
  return {
    passageId: 'p',
    rowIndex: 0,
    columnIndex: 0,
    label,
    path: [],
    column: String(year),
    period: { label: String(year), year },
    text: String(value),
    value,
    scale: 1,
  };
}

/** Runs a plan through the compute tool, as the engine does: one formula over every input. */
function evaluate(plan: CompoundPlan) {
  return runCompute(
    ComputeArgsSchema.parse({
      operation: 'formula',
      formula: plan.formula,
      inputs: plan.inputs.map((input) => ({ name: input.label, value: input.value!, period: String(input.period!.year) })),
    }),
  );
}

describe('compound operations (hand-computed figures)', () => {
  it('difference of two averages: (166 + 178) ÷ 2 − (57 + 44) ÷ 2 = 121.5', () => {
    const plan = differenceOfAverages(
      [cell('Contribution', 2019, 166), cell('Contribution', 2018, 178)],
      [cell('Benefit', 2019, 57), cell('Benefit', 2018, 44)],
    );
    expect(plan.formula).toBe('(x1 + x2) / 2 - (x3 + x4) / 2');
    const result = evaluate(plan);
    expect(result.value).toBeCloseTo(121.5, 10);
    expect(result.formula).toBe('(Contribution (2019) + Contribution (2018)) ÷ 2 − (Benefit (2019) + Benefit (2018)) ÷ 2');
  });

  it('difference of averages of a negative line: (433 + 685) ÷ 2 − (−2,088 − 1,074) ÷ 2 = 2,140', () => {
    const plan = differenceOfAverages([cell('Income', 2019, 433), cell('Income', 2018, 685)], [cell('Costs', 2019, -2088), cell('Costs', 2018, -1074)]);
    expect(evaluate(plan).value).toBeCloseTo(2140, 10);
  });

  it('change of a ratio: 30 ÷ 120 − 20 ÷ 100 = 0.05, in points for a share (5), relative for a percentage change (25%)', () => {
    const earlier: [Cell, Cell] = [cell('Profit', 2018, 20), cell('Revenue', 2018, 100)];
    const later: [Cell, Cell] = [cell('Profit', 2019, 30), cell('Revenue', 2019, 120)];
    expect(evaluate(changeOfRatio(earlier, later, { percent: false, relative: false })).value).toBeCloseTo(0.05, 10);
    const points = changeOfRatio(earlier, later, { percent: true, relative: false });
    expect(points.unit).toBe('%');
    expect(evaluate(points).value).toBeCloseTo(5, 10);
    expect(evaluate(changeOfRatio(earlier, later, { percent: false, relative: true })).value).toBeCloseTo(25, 10);
  });

  it('average of period-on-period changes: ((110 − 100) + (125 − 110) + (121 − 125)) ÷ 3 = 7', () => {
    const plan = averageOfChanges([cell('Sales', 2016, 100), cell('Sales', 2017, 110), cell('Sales', 2018, 125), cell('Sales', 2019, 121)]);
    expect(plan.formula).toBe('((x2 - x1) + (x3 - x2) + (x4 - x3)) / 3');
    expect(evaluate(plan).value).toBeCloseTo(7, 10);
  });

  it('share of a sum: (425 + 33) ÷ 38,771 × 100 = 1.1813%', () => {
    const plan = shareOfSum([cell('Deferred revenue', 2019, 425), cell('Accrued warranty', 2019, 33)], cell('Gross deferred tax assets', 2019, 38771), true);
    expect(plan.unit).toBe('%');
    expect(evaluate(plan).value).toBeCloseTo((458 / 38771) * 100, 10);
    expect(evaluate(shareOfSum([cell('A', 2019, 1), cell('B', 2019, 2)], cell('C', 2019, 4), false)).value).toBeCloseTo(0.75, 10);
  });
});
