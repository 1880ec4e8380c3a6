/**
 * A seeded pseudo-random source, so every benchmark run builds the same corpus and asks the same
 * questions (mulberry32: tiny, fast, and good enough for picking words).
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  /** Skewed towards the start of the list (index ∝ u²): a few items are common, most are rare. */
  pickSkewed<T>(items: readonly T[]): T;
  /** A number with `decimals` digits after the point, uniform in [min, max). */
  amount(min: number, max: number, decimals?: number): string;
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    pick: (items) => items[int(items.length)]!,
    pickSkewed: (items) => items[Math.floor(next() * next() * items.length)]!,
    amount: (min, max, decimals = 1) => (min + next() * (max - min)).toFixed(decimals),
  };
}
