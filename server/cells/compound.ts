import type { Cell } from './types.ts';

/**
 * Operations over operations as one formula for the `compute` tool (pure): the cells in the order
 * the formula names them (x1, x2, …), so the tool substitutes every input, evaluates the whole
 * expression with the audited calculator and writes it back with the inputs' names. One computation
 * per answer keeps every input cited in one formula line.
 */
export interface CompoundPlan {
  inputs: Cell[];
  /** Over x1, x2, … (the inputs in order): the compute tool's "formula" operation. */
  formula: string;
  /** "%" when the result is a percentage (a share, a percentage change). */
  unit?: '%';
}

const variable = (index: number) => `x${index + 1}`;

function mean(offset: number, count: number): string {
  const terms = Array.from({ length: count }, (_, index) => variable(offset + index));
  return count === 1 ? terms[0]! : `(${terms.join(' + ')}) / ${count}`;
}

/** average(first) − average(second): "the difference between the average X and the average Y". */
export function differenceOfAverages(first: Cell[], second: Cell[]): CompoundPlan {
  return { inputs: [...first, ...second], formula: `${mean(0, first.length)} - ${mean(first.length, second.length)}` };
}

/**
 * The later period's ratio minus the earlier one's: "the change in the ratio of X to Y". For a
 * share (× 100) the change is in percentage points; `relative` asks for the percentage change of
 * the ratio instead.
 */
export function changeOfRatio(earlier: [Cell, Cell], later: [Cell, Cell], options: { percent: boolean; relative: boolean }): CompoundPlan {
  const scale = options.percent ? ' * 100' : '';
  const before = `x1 / x2${scale}`;
  const after = `x3 / x4${scale}`;
  const formula = options.relative ? `(${after} - ${before}) / abs(${before}) * 100` : `${after} - ${before}`;
  return { inputs: [...earlier, ...later], formula, ...(options.percent || options.relative ? { unit: '%' as const } : {}) };
}

/** The mean of period-on-period changes over cells ordered earliest first: "the average annual change". */
export function averageOfChanges(ordered: Cell[]): CompoundPlan {
  const changes = ordered.slice(1).map((_, index) => `(${variable(index + 1)} - ${variable(index)})`);
  return { inputs: ordered, formula: `(${changes.join(' + ')}) / ${changes.length}` };
}

/** (parts summed) ÷ whole, × 100 for a share: "the proportion of X and Y in Z". */
export function shareOfSum(parts: Cell[], whole: Cell, percent: boolean): CompoundPlan {
  const sum = parts.map((_, index) => variable(index)).join(' + ');
  return {
    inputs: [...parts, whole],
    formula: `(${sum}) / ${variable(parts.length)}${percent ? ' * 100' : ''}`,
    ...(percent ? { unit: '%' as const } : {}),
  };
}
