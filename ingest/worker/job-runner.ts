import type { Worker } from 'node:worker_threads';
import { AppError } from '../../lib/errors.ts';
import { startThread } from '../../lib/thread-script.ts';
import type { WorkerJobInput, WorkerJobName, WorkerJobOutput } from './jobs.ts';

/**
 * Runs the named jobs of jobs.ts in a worker thread, one at a time, each with a time budget. The
 * event loop that answers HTTP never runs the parse itself, so a hostile document cannot freeze
 * the server: a job over budget is stopped by terminating its worker (the only way to stop
 * synchronous JavaScript), and the next job gets a fresh one. Memory is capped per worker, so an
 * input that would exhaust it kills the worker, not the server.
 *
 * The worker runs its jobs in order, and the next job is posted before the current one ends
 * (`pipelineDepth`): handing it over only when this thread had handled the previous result left
 * the worker idle whenever this thread was busy (a bulk ingest storing what the worker embedded
 * waited for embedding a third of its time). A job's budget starts when the job before it ends,
 * so a job never pays for its predecessor.
 */
export const JOB_RUNNER_DEFAULTS = {
  /** A job running longer than this is stopped and reported as too complex to process. */
  timeBudgetMs: 10_000,
  /** Heap of the worker; a job that needs more fails instead of swelling the server. */
  maxHeapMb: 768,
  /** Jobs waiting for the worker beyond this many are refused at once. */
  maxQueued: 32,
  /** Jobs handed to the worker at once: the running one and the next. */
  pipelineDepth: 2,
  /**
   * The worker runs below normal priority (Linux: the thread alone): its jobs are write-side work,
   * parsing and embedding uploads, and on two busy cores it took the event loop's core from searches
   * and chats (measured in `npm run bench -- --steps store`, phase "uploads in this process").
   */
  lowPriority: true,
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
  /** Whether `close` was called (a warm-up failing after it has nothing to report). */
  readonly closed: boolean;
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

/** A job handed to the worker; the first of the list is the one running. */
interface PostedJob {
  id: number;
  job: QueuedJob;
  timer?: NodeJS.Timeout;
  /** Settled already (its caller went away while it waited in the worker): its result is dropped. */
  settled: boolean;
  onAbort?: () => void;
}

type WorkerMessage = { ready: true } | { id: number; ok: true; output: unknown } | { id: number; ok: false; message: string };

const ENTRY = new URL('./worker-main.ts', import.meta.url);

export function createJobRunner(options: Partial<typeof JOB_RUNNER_DEFAULTS> = {}): JobRunner {
  const settings = { ...JOB_RUNNER_DEFAULTS, ...options };
  const queue: QueuedJob[] = [];
  const posted: PostedJob[] = [];
  let worker: Worker | undefined;
  let ready: Promise<void> | undefined;
  let pumping = false;
  let closed = false;
  let nextId = 0;

  const startWorker = (): Promise<void> => {
    const started = startThread(ENTRY, { resourceLimits: { maxOldGenerationSizeMb: settings.maxHeapMb }, workerData: { lowPriority: settings.lowPriority } });
    worker = started;
    started.on('message', (message: WorkerMessage) => {
      if (worker === started && !('ready' in message)) finishHead(message);
    });
    started.on('error', (error: Error & { code?: string }) => {
      if (worker !== started || posted.length === 0) return;
      failHead(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new AppError('payload_too_large', `The document needs more than ${settings.maxHeapMb} MB to process; split it into smaller documents.`)
          : new AppError('internal', `The ${posted[0]!.job.name} job crashed.`, { cause: error }),
      );
    });
    started.once('exit', () => {
      if (worker !== started) return;
      // A worker that dies while idle is replaced by the next job.
      if (posted.length === 0) stopWorker();
      else failHead(new AppError('internal', `The ${posted[0]!.job.name} worker stopped unexpectedly.`));
    });
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
    });
  };

  const stopWorker = () => {
    const stopping = worker;
    worker = undefined;
    ready = undefined;
    if (stopping) void stopping.terminate();
  };

  /** The running job's budget starts now, and its caller may stop it. */
  const startHead = () => {
    const head = posted[0];
    if (!head || head.timer) return;
    const { job } = head;
    head.timer = setTimeout(() => {
      failHead(
        job.overBudget ??
          new AppError(
            'payload_too_large',
            `The document took longer than ${Math.round(job.timeBudgetMs / 100) / 10} s to process and was stopped; split it or simplify its markup.`,
          ),
      );
    }, job.timeBudgetMs);
  };

  const release = (entry: PostedJob) => {
    if (entry.timer) clearTimeout(entry.timer);
    if (entry.onAbort) entry.job.signal?.removeEventListener('abort', entry.onAbort);
  };

  const finishHead = (message: { id: number; ok: true; output: unknown } | { id: number; ok: false; message: string }) => {
    const head = posted[0];
    if (!head || head.id !== message.id) return;
    posted.shift();
    release(head);
    if (!head.settled) {
      if (message.ok) head.job.resolve(message.output);
      else head.job.reject(new AppError('internal', `The ${head.job.name} job failed.`, { cause: new Error(message.message) }));
    }
    startHead();
    void pump();
  };

  /** Stops the worker under the running job; the jobs posted behind it never started and go back to the queue. */
  const failHead = (error: AppError) => {
    const [head, ...waiting] = posted.splice(0);
    for (const entry of [head, ...waiting]) if (entry) release(entry);
    stopWorker();
    if (head && !head.settled) head.job.reject(error);
    queue.unshift(...waiting.filter((entry) => !entry.settled).map((entry) => entry.job));
    void pump();
  };

  const post = (job: QueuedJob) => {
    const current = worker!;
    current.ref();
    const entry: PostedJob = { id: (nextId += 1), job, settled: false };
    entry.onAbort = () => {
      if (posted[0] === entry) {
        failHead(new AppError('timeout', 'The request went away while its document was processed.'));
        return;
      }
      // Waiting behind the running job: answered now, its result dropped when it comes.
      entry.settled = true;
      release(entry);
      job.reject(new AppError('timeout', 'The request went away while its document was processed.'));
    };
    job.signal?.addEventListener('abort', entry.onAbort, { once: true });
    posted.push(entry);
    current.postMessage({ id: entry.id, name: job.name, input: job.input });
    startHead();
  };

  const pump = async (): Promise<void> => {
    if (pumping || closed) return;
    pumping = true;
    try {
      while (!closed && queue.length > 0 && posted.length < settings.pipelineDepth) {
        if (queue[0]!.signal?.aborted) {
          queue.shift()!.reject(new AppError('timeout', 'The request went away before its document was processed.'));
          continue;
        }
        ready ??= startWorker();
        try {
          await ready;
        } catch (error) {
          queue.shift()?.reject(error);
          continue;
        }
        if (closed || !worker) continue;
        const job = queue.shift();
        if (!job) break;
        if (job.signal?.aborted) job.reject(new AppError('timeout', 'The request went away before its document was processed.'));
        else post(job);
      }
      if (posted.length === 0) worker?.unref();
    } finally {
      pumping = false;
    }
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
    get closed() {
      return closed;
    },
    async warmUp() {
      if (closed) return;
      ready ??= startWorker();
      await ready;
      if (posted.length === 0) worker?.unref();
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new AppError('upstream_unavailable', 'The server is shutting down.'));
      for (const entry of posted.splice(0)) {
        release(entry);
        if (!entry.settled) entry.job.reject(new AppError('upstream_unavailable', 'The server is shutting down.'));
      }
      const stopping = worker;
      worker = undefined;
      if (stopping) await stopping.terminate();
    },
  };
}
