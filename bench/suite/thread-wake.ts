import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import { percentile, round } from './statistics.ts';

/**
 * How long a message takes to reach a thread that is waiting for it: what every hybrid search pays
 * (the graph thread is sent the query vector, then the lexical hits' labels; the main thread is
 * sent the answers), measured here with no code of the copilot involved. The median is tens of
 * microseconds. On the 2-vCPU VMs these benchmarks ran on (a nested hypervisor whose guest kernel
 * packs threads onto few vCPUs), a thread woken while its sender kept computing often waited for
 * the sender's core though the other was idle: with the sender busy for 5 ms, 18–38 of 400
 * messages more than 2 ms late (at most 4.4–5.9 ms), three quarters or more of the delay counted
 * as waiting for a core (docs/performance-log.md, session 22). Beside a store of 1M passages, messages to the
 * graph thread also came 10–22 ms late while the main thread sat idle, little of it seen by the
 * guest's counters. Reported beside the store benchmarks so that their latency can be read
 * against the machine's.
 */
export const THREAD_WAKE_DEFAULTS = {
  /** Messages per condition. */
  messages: 400,
  /** How long the sender keeps its core busy after sending, in the busy condition (a search's lexical part at 1M). */
  busyMs: 5,
  /** The longest pause between two messages (a random pause, so messages do not fall in step with timer ticks). */
  maxPauseMs: 5,
};

/** One message: how late it was handled, and how much of that the receiving thread waited runnable for a core. */
export interface WakeSample {
  delayMs: number;
  /** Undefined where the scheduler's counters cannot be read (not Linux). */
  waitedForCoreMs: number | undefined;
}

const WakeSummarySchema = z.object({
  messages: z.number(),
  p50Ms: z.number(),
  p99Ms: z.number(),
  maxMs: z.number(),
  /** Messages handled more than 2 ms after they were sent. */
  over2Ms: z.number(),
  totalMs: z.number(),
  /** Of `totalMs`, the time the receiving thread was runnable and waiting for a core (Linux only). */
  waitedForCoreMs: z.number().optional(),
});
export type WakeSummary = z.infer<typeof WakeSummarySchema>;

/** What the bench steps write (and the report reads back). */
export const ThreadWakeResultSchema = z.object({
  /** The main thread sends and waits: the graph thread's wake-up when both were idle. */
  toIdleWorker: WakeSummarySchema,
  /** The main thread sends and keeps computing (as while it scores the lexical side). */
  toIdleWorkerSenderBusy: WakeSummarySchema,
  /** The worker answers a main thread that waits for it. */
  toIdleMain: WakeSummarySchema,
});
export type ThreadWakeResult = z.infer<typeof ThreadWakeResultSchema>;

/** One line for a report: the wake-ups that reach past 2 ms, and how much of them the guest's scheduler saw. Pure. */
export function describeThreadWake(result: ThreadWakeResult): string {
  const part = (label: string, summary: WakeSummary) => {
    const seen =
      summary.waitedForCoreMs === undefined
        ? ''
        : `, ${Math.round((100 * summary.waitedForCoreMs) / Math.max(summary.totalMs, 1e-9))} % of it waiting for a core`;
    return `${label} p50 ${summary.p50Ms.toFixed(2)} / p99 ${summary.p99Ms.toFixed(2)} / max ${summary.maxMs.toFixed(1)} ms (${summary.over2Ms} of ${summary.messages} over 2 ms${seen})`;
  };
  return [
    part('to an idle thread', result.toIdleWorker),
    part('the same while the sender computes', result.toIdleWorkerSenderBusy),
    part('back to a waiting main thread', result.toIdleMain),
  ].join('; ');
}

/** Summary of a list of samples. Pure. */
export function summarizeWakes(samples: readonly WakeSample[]): WakeSummary {
  const delays = samples.map((sample) => Math.max(0, sample.delayMs)).sort((a, b) => a - b);
  const totalMs = delays.reduce((sum, delay) => sum + delay, 0);
  const waits = samples.map((sample) => sample.waitedForCoreMs);
  const summary: WakeSummary = {
    messages: samples.length,
    p50Ms: round(percentile(delays, 0.5), 3),
    p99Ms: round(percentile(delays, 0.99), 3),
    maxMs: round(delays.at(-1) ?? 0, 3),
    over2Ms: delays.filter((delay) => delay > 2).length,
    totalMs: round(totalMs, 1),
  };
  if (waits.length > 0 && waits.every((wait) => wait !== undefined)) {
    summary.waitedForCoreMs = round(
      waits.reduce((sum, wait) => sum + wait, 0),
      1,
    );
  }
  return summary;
}

/**
 * The worker: answers each message with when it was handled and how long it waited for a core
 * since its last answer (it is idle in between, so that wait is the wake-up's). Plain JavaScript
 * (an eval worker). Times come from `process.hrtime`, one monotonic clock for every thread.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const waited = () => { try { return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1]); } catch { return Number.NaN; } };
let before = waited();
parentPort.on('message', () => {
  const handledNs = process.hrtime.bigint();
  const waitedNs = waited() - before;
  parentPort.postMessage({ handledNs, waitedNs, sentNs: process.hrtime.bigint() });
  before = waited();
});
parentPort.postMessage('ready');
`;

interface WorkerAnswer {
  handledNs: bigint;
  waitedNs: number;
  sentNs: bigint;
}

function waitedNsOfThisThread(): number | undefined {
  try {
    const waited = Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1]);
    return Number.isFinite(waited) ? waited : undefined;
  } catch {
    return undefined;
  }
}

const msBetween = (from: bigint, to: bigint) => Number(to - from) / 1e6;

/** Measures the three conditions of `ThreadWakeResult` with a worker of its own (a few seconds). */
export async function measureThreadWake(options: Partial<typeof THREAD_WAKE_DEFAULTS> = {}): Promise<ThreadWakeResult> {
  const { messages, busyMs, maxPauseMs } = { ...THREAD_WAKE_DEFAULTS, ...options };
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  // A worker that fails or stops ends the measurement with its error instead of leaving it waiting
  // for an answer that never comes (the exit that `terminate` causes below is expected, hence caught).
  const failed = new Promise<never>((_resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the thread wake-up worker stopped (exit code ${code})`)));
  });
  failed.catch(() => undefined);
  try {
    await Promise.race([new Promise((resolve) => worker.once('message', resolve)), failed]);
    const toWorker: WakeSample[] = [];
    const toWorkerBusy: WakeSample[] = [];
    const toMain: WakeSample[] = [];
    for (let index = 0; index < 2 * messages; index += 1) {
      const busy = index % 2 === 1;
      const answered = new Promise<WorkerAnswer>((resolve) => worker.once('message', resolve));
      const sentNs = process.hrtime.bigint();
      worker.postMessage(0);
      if (busy) {
        const until = performance.now() + busyMs;
        while (performance.now() < until) {
          // Keeps this thread's core busy, as a search's synchronous scoring does.
        }
      }
      const waitedBefore = waitedNsOfThisThread();
      const answer = await Promise.race([answered, failed]);
      const receivedNs = process.hrtime.bigint();
      const waitedAfter = waitedNsOfThisThread();
      const workerWaited = Number.isFinite(answer.waitedNs) ? answer.waitedNs / 1e6 : undefined;
      (busy ? toWorkerBusy : toWorker).push({ delayMs: msBetween(sentNs, answer.handledNs), waitedForCoreMs: workerWaited });
      // A busy sender was still computing when the answer came: only idle waits measure the main thread's wake-up.
      if (!busy) {
        const mainWaited = waitedBefore !== undefined && waitedAfter !== undefined ? (waitedAfter - waitedBefore) / 1e6 : undefined;
        toMain.push({ delayMs: msBetween(answer.sentNs, receivedNs), waitedForCoreMs: mainWaited });
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * maxPauseMs));
    }
    return { toIdleWorker: summarizeWakes(toWorker), toIdleWorkerSenderBusy: summarizeWakes(toWorkerBusy), toIdleMain: summarizeWakes(toMain) };
  } finally {
    await worker.terminate();
  }
}
