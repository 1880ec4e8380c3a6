/** Latency summaries and recall, shared by every benchmark step. */

export interface LatencySummary {
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  samples: number;
}

/** Nearest-rank percentile of an ascending list (p in [0, 1]). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil(p * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export function summarizeLatencies(latenciesMs: readonly number[]): LatencySummary {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / (sorted.length || 1);
  return { p50Ms: round(percentile(sorted, 0.5), 3), p99Ms: round(percentile(sorted, 0.99), 3), meanMs: round(mean, 3), samples: sorted.length };
}

/** Times `run` once per input (after `warmup` untimed calls on the first inputs). */
export async function timeEach<T, R>(inputs: readonly T[], run: (input: T) => R | Promise<R>, warmup = 10): Promise<{ latency: LatencySummary; results: R[] }> {
  for (const input of inputs.slice(0, warmup)) await run(input);
  const latencies: number[] = [];
  const results: R[] = [];
  for (const input of inputs) {
    const started = performance.now();
    results.push(await run(input));
    latencies.push(performance.now() - started);
  }
  return { latency: summarizeLatencies(latencies), results };
}

/** Share of the exact top-k that the approximate top-k found, averaged over queries. */
export function meanRecall(approximate: readonly (readonly number[])[], exact: readonly (readonly number[])[]): number {
  if (exact.length === 0) return 0;
  let total = 0;
  exact.forEach((truth, index) => {
    const found = new Set(approximate[index] ?? []);
    total += truth.length === 0 ? 1 : truth.filter((label) => found.has(label)).length / truth.length;
  });
  return round(total / exact.length, 4);
}

export function rssMb(): number {
  return Math.round(process.memoryUsage().rss / 1024 / 1024);
}

/**
 * How many values a histogram recorded above `threshold` (perf_hooks histograms answer percentiles,
 * not counts: the share above is found by bisecting the percentile that crosses the threshold).
 * An event-loop delay monitor records one large value per stall, so this counts stalls.
 */
export function countAbove(histogram: { count: number; percentile(p: number): number }, threshold: number): number {
  if (histogram.count === 0 || histogram.percentile(100) <= threshold) return 0;
  let below = 0;
  let above = 100;
  for (let step = 0; step < 48; step += 1) {
    const middle = (below + above) / 2;
    if (histogram.percentile(middle) > threshold) above = middle;
    else below = middle;
  }
  return Math.max(1, Math.round((histogram.count * (100 - below)) / 100));
}
