import { Worker } from 'node:worker_threads';
import { AppError } from '../../lib/errors.ts';
import type { WorkerJobInput, WorkerJobName, WorkerJobOutput } from './jobs.ts';

/**
 * Runs the named jobs of jobs.ts in a worker thread, one at a time, each with a time budget. The
 * event loop that answers HTTP never runs the parse itself, so a hostile document cannot freeze
 * the server: a job over budget is stopped by terminating its worker (the only way to stop
 * synchronous JavaScript), and the next job gets a fresh one. Memory is capped per worker, so an
 * input that would exhaust it kills the worker, not the server.
 */
export const JOB_RUNNER_DEFAULTS = {
  /** A job running longer than this is stopped and reported as too complex to process. */
  timeBudgetMs: 10_000,
  /** Heap of the worker; a job that needs more fails instead of swelling the server. */
  maxHeapMb: 768,
  /** Jobs waiting for the worker beyond this many are refused at once. */
  maxQueued: 32,
};

export interface JobRunner {
  run<Name extends WorkerJobName>(
    name: Name,
    input: WorkerJobInput<Name>,
    options?: { signal?: AbortSignal; timeBudgetMs?: number; overBudget?: AppError },
  ): Promise<WorkerJobOutput<Name>>;
  /** Starts the worker ahead of the first job (loading the parsers takes a second or two). */
  warmUp(): Promise<void>;
  /** Stops the worker; queued jobs are rejected. */
  close(): Promise<void>;
}

interface QueuedJob {
  name: WorkerJobName;
  input: unknown;
  timeBudgetMs: number;
  /** The error a job stopped at its budget fails with, when its caller names its own limit. */
  overBudget?: AppError;
  signal?: AbortSignal;
  resolve(output: unknown): void;
  reject(error: unknown): void;
}

type WorkerMessage = { ready: true } | { id: number; ok: true; output: unknown } | { id: number; ok: false; message: string };

const ENTRY = new URL('./worker-entry.mjs', import.meta.url);

export function createJobRunner(options: Partial<typeof JOB_RUNNER_DEFAULTS> = {}): JobRunner {
  const settings = { ...JOB_RUNNER_DEFAULTS, ...options };
  const queue: QueuedJob[] = [];
  let worker: Worker | undefined;
  let ready: Promise<void> | undefined;
  let busy = false;
  let closed = false;
  let nextId = 0;

  const startWorker = (): Promise<void> => {
    const started = new Worker(ENTRY, { resourceLimits: { maxOldGenerationSizeMb: settings.maxHeapMb } });
    worker = started;
    return new Promise<void>((resolve, reject) => {
      const onMessage = (message: WorkerMessage) => {
        if ('ready' in message) {
          started.off('message', onMessage);
          started.off('error', onError);
          resolve();
        }
      };
      const onError = (error: Error) => {
        if (worker === started) stopWorker();
        reject(new AppError('internal', 'The parsing worker could not start.', { cause: error }));
      };
      started.on('message', onMessage);
      started.once('error', onError);
      // A worker that dies while idle is replaced by the next job.
      started.once('exit', () => {
        if (worker === started) stopWorker();
      });
    });
  };

  const stopWorker = () => {
    const stopping = worker;
    worker = undefined;
    ready = undefined;
    if (stopping) void stopping.terminate();
  };

  const pump = async (): Promise<void> => {
    if (busy || closed) return;
    const job = queue.shift();
    if (!job) {
      worker?.unref();
      return;
    }
    busy = true;
    try {
      if (job.signal?.aborted) throw new AppError('timeout', 'The request went away before its document was processed.');
      ready ??= startWorker();
      await ready;
      job.resolve(await runOnWorker(job));
    } catch (error) {
      job.reject(error);
    } finally {
      busy = false;
      void pump();
    }
  };

  const runOnWorker = (job: QueuedJob): Promise<unknown> => {
    const current = worker!;
    current.ref();
    const id = (nextId += 1);
    return new Promise((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        current.off('message', onMessage);
        current.off('error', onError);
        current.off('exit', onExit);
        job.signal?.removeEventListener('abort', onAbort);
      };
      const fail = (error: AppError) => {
        finish();
        stopWorker();
        reject(error);
      };
      const onMessage = (message: WorkerMessage) => {
        if ('ready' in message || message.id !== id) return;
        finish();
        if (message.ok) resolve(message.output);
        else reject(new AppError('internal', `The ${job.name} job failed.`, { cause: new Error(message.message) }));
      };
      const onError = (error: Error & { code?: string }) => {
        fail(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new AppError('payload_too_large', `The document needs more than ${settings.maxHeapMb} MB to process; split it into smaller documents.`)
            : new AppError('internal', `The ${job.name} job crashed.`, { cause: error }),
        );
      };
      const onExit = () => fail(new AppError('internal', `The ${job.name} worker stopped unexpectedly.`));
      const onAbort = () => fail(new AppError('timeout', 'The request went away while its document was processed.'));
      const timer = setTimeout(() => {
        fail(
          job.overBudget ??
            new AppError(
              'payload_too_large',
              `The document took longer than ${Math.round(job.timeBudgetMs / 100) / 10} s to process and was stopped; split it or simplify its markup.`,
            ),
        );
      }, job.timeBudgetMs);
      current.on('message', onMessage);
      current.once('error', onError);
      current.once('exit', onExit);
      job.signal?.addEventListener('abort', onAbort, { once: true });
      current.postMessage({ id, name: job.name, input: job.input });
    });
  };

  return {
    run(name, input, runOptions = {}) {
      if (closed) return Promise.reject(new AppError('upstream_unavailable', 'The server is shutting down.'));
      if (queue.length >= settings.maxQueued) {
        return Promise.reject(new AppError('rate_limited', 'Too many documents are waiting to be processed; retry in a moment.'));
      }
      return new Promise((resolve, reject) => {
        queue.push({
          name,
          input,
          timeBudgetMs: runOptions.timeBudgetMs ?? settings.timeBudgetMs,
          ...(runOptions.signal ? { signal: runOptions.signal } : {}),
          ...(runOptions.overBudget ? { overBudget: runOptions.overBudget } : {}),
          resolve: resolve as (output: unknown) => void,
          reject,
        });
        void pump();
      });
    },
    async warmUp() {
      if (closed) return;
      ready ??= startWorker();
      await ready;
      if (!busy) worker?.unref();
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new AppError('upstream_unavailable', 'The server is shutting down.'));
      const stopping = worker;
      worker = undefined;
      if (stopping) await stopping.terminate();
    },
  };
}
