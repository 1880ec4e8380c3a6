/**
 * Pure numeric building blocks for the market tools. Everything works at full float precision;
 * rounding happens only when a tool shapes its result.
 */

/** Trading sessions per year, the usual factor for annualising daily volatility (√252). */
export const TRADING_DAYS_PER_YEAR = 252;

/** Percentage change from `base` to `value`: 100 · (value / base − 1). */
export function percentChange(base: number, value: number): number {
  return (value / base - 1) * 100;
}

/** Simple returns between consecutive values: r[i] = v[i+1] / v[i] − 1 (fractions, not %). */
export function simpleReturns(values: number[]): number[] {
  const returns: number[] = [];
  for (let index = 1; index < values.length; index++) returns.push(values[index]! / values[index - 1]! - 1);
  return returns;
}

export function mean(values: number[]): number {
  if (values.length === 0) throw new RangeError('mean of an empty list');
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** Sample standard deviation (divides by n − 1), what analysts mean by "volatility" of returns. */
export function sampleStdDev(values: number[]): number {
  if (values.length < 2) throw new RangeError('sample standard deviation needs at least two values');
  return Math.sqrt(sumOfSquaredDeviations(values) / (values.length - 1));
}

/** Population standard deviation (divides by n). */
export function populationStdDev(values: number[]): number {
  if (values.length === 0) throw new RangeError('standard deviation of an empty list');
  return Math.sqrt(sumOfSquaredDeviations(values) / values.length);
}

export function annualizeDailyVolatility(daily: number, periodsPerYear = TRADING_DAYS_PER_YEAR): number {
  return daily * Math.sqrt(periodsPerYear);
}

export interface Drawdown {
  /** Negative or zero, in %: the worst fall from a running peak to a later value. */
  pct: number;
  peakIndex: number;
  troughIndex: number;
}

/** The largest peak-to-trough fall along `values`; 0 with peak = trough = 0 when prices only rose. */
export function maxDrawdown(values: number[]): Drawdown {
  if (values.length === 0) throw new RangeError('drawdown of an empty list');
  let worst: Drawdown = { pct: 0, peakIndex: 0, troughIndex: 0 };
  let peakIndex = 0;
  for (let index = 1; index < values.length; index++) {
    if (values[index]! > values[peakIndex]!) {
      peakIndex = index;
      continue;
    }
    const fall = percentChange(values[peakIndex]!, values[index]!);
    if (fall < worst.pct) worst = { pct: fall, peakIndex, troughIndex: index };
  }
  return worst;
}

/** Mean of the last `window` values. */
export function simpleMovingAverage(values: number[], window: number): number {
  assertWindow(values, window);
  return mean(values.slice(values.length - window));
}

/**
 * Exponential moving average at the last value, α = 2 / (window + 1), seeded with the simple
 * average of the first `window` values (the convention of most charting packages and of
 * `technicalindicators`). The seed's weight fades as (1 − α)^k, so callers pass several windows
 * of history.
 */
export function exponentialMovingAverage(values: number[], window: number): number {
  assertWindow(values, window);
  const alpha = 2 / (window + 1);
  let average = mean(values.slice(0, window));
  for (let index = window; index < values.length; index++) average = alpha * values[index]! + (1 - alpha) * average;
  return average;
}

export interface Streak {
  length: number;
  /** Inclusive indices of the run; -1 when length is 0. */
  start: number;
  end: number;
}

/** The longest run of `true` (the earliest if tied) and the run that ends at the last element. */
export function findStreaks(flags: boolean[]): { longest: Streak; current: Streak } {
  let longest: Streak = { length: 0, start: -1, end: -1 };
  let runStart = -1;
  for (let index = 0; index < flags.length; index++) {
    if (!flags[index]) {
      runStart = -1;
      continue;
    }
    if (runStart < 0) runStart = index;
    const length = index - runStart + 1;
    if (length > longest.length) longest = { length, start: runStart, end: index };
  }
  const current: Streak = runStart < 0 ? { length: 0, start: -1, end: -1 } : { length: flags.length - runStart, start: runStart, end: flags.length - 1 };
  return { longest, current };
}

/** Where `value` sits between `low` (0%) and `high` (100%). */
export function positionInRange(value: number, low: number, high: number): number {
  return high === low ? 100 : ((value - low) / (high - low)) * 100;
}

/** Rounds for display: 2 decimals unless asked otherwise; -0 becomes 0. */
export function roundTo(value: number, decimals = 2): number {
  // Rounds half away from zero, so +x and −x display symmetrically.
  const factor = 10 ** decimals;
  const rounded = (Math.sign(value) * Math.round(Math.abs(value) * factor)) / factor;
  return Object.is(rounded, -0) ? 0 : rounded;
}

function sumOfSquaredDeviations(values: number[]): number {
  const average = mean(values);
  let sum = 0;
  for (const value of values) sum += (value - average) ** 2;
  return sum;
}

function assertWindow(values: number[], window: number): void {
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`window must be a positive integer, got ${window}`);
  if (values.length < window) throw new RangeError(`window ${window} needs at least ${window} values, got ${values.length}`);
}
