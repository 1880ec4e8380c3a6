import { describe, expect, it } from 'vitest';
import { formatReport } from '../../bench/suite/report.ts';
import { describeThreadWake, measureThreadWake, summarizeWakes, ThreadWakeResultSchema, type WakeSummary } from '../../bench/suite/thread-wake.ts';

describe('summarizeWakes', () => {
  it('summarises delays and the part spent waiting for a core', () => {
    const samples = [0.1, 0.1, 0.2, 3, 14].map((delayMs, index) => ({ delayMs, waitedForCoreMs: index === 4 ? 1 : 0 }));
    expect(summarizeWakes(samples)).toEqual({ messages: 5, p50Ms: 0.2, p99Ms: 14, maxMs: 14, over2Ms: 2, totalMs: 17.4, waitedForCoreMs: 1 });
  });

  it('leaves the core wait out where any sample could not read it, and counts a clock step back as no delay', () => {
    const summary = summarizeWakes([
      { delayMs: -0.01, waitedForCoreMs: 0 },
      { delayMs: 1, waitedForCoreMs: undefined },
    ]);
    expect(summary.waitedForCoreMs).toBeUndefined();
    expect(summary.p50Ms).toBe(0);
    expect(summary.totalMs).toBe(1);
  });
});

const summary = (over: Partial<WakeSummary>): WakeSummary => ({ messages: 400, p50Ms: 0.08, p99Ms: 3.1, maxMs: 9.6, over2Ms: 9, totalMs: 90, ...over });

describe('describeThreadWake', () => {
  it('says how late messages were and how much of it the scheduler saw', () => {
    const line = describeThreadWake({
      toIdleWorker: summary({ waitedForCoreMs: 45 }),
      toIdleWorkerSenderBusy: summary({ p99Ms: 5.8, over2Ms: 41 }),
      toIdleMain: summary({ maxMs: 4.1 }),
    });
    expect(line).toContain('to an idle thread p50 0.08 / p99 3.10 / max 9.6 ms (9 of 400 over 2 ms, 50 % of it waiting for a core)');
    expect(line).toContain('while the sender computes p50 0.08 / p99 5.80 / max 9.6 ms (41 of 400 over 2 ms)');
    expect(line).toContain('back to a waiting main thread p50 0.08 / p99 3.10 / max 4.1 ms');
  });

  it('is printed in the suite report', () => {
    const threadWake = { toIdleWorker: summary({}), toIdleWorkerSenderBusy: summary({}), toIdleMain: summary({}) };
    const report = formatReport({ ingest: [], search: [], threadWake });
    expect(report).toContain('### Thread wake-up on this machine');
    expect(report).toContain(`- before the suite: ${describeThreadWake(threadWake)}`);
  });
});

describe('measureThreadWake', () => {
  it('measures each condition with a worker of its own and stops it', async () => {
    const result = ThreadWakeResultSchema.parse(await measureThreadWake({ messages: 5, busyMs: 0, maxPauseMs: 0 }));
    for (const condition of [result.toIdleWorker, result.toIdleWorkerSenderBusy, result.toIdleMain]) {
      expect(condition.messages).toBe(5);
      expect(condition.maxMs).toBeGreaterThanOrEqual(condition.p50Ms);
      expect(condition.p50Ms).toBeGreaterThanOrEqual(0);
    }
    if (process.platform === 'linux') expect(result.toIdleWorker.waitedForCoreMs).toBeGreaterThanOrEqual(0);
  });
});
