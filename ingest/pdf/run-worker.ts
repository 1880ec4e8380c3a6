import { Worker } from 'node:worker_threads';

/**
 * Runs jobs in a worker thread with a time budget per job, terminating the thread when a budget
 * runs out, so a hostile input cannot stall the event loop. The thread is kept between jobs (pdf.js
 * takes a second or more to load) and exits after `idleMs` without work. The worker module is plain
 * JavaScript: Node 20 cannot load TypeScript in a worker without a loader that costs seconds.
 */
export type WorkerOutcome = { ok: true; value: unknown } | { ok: false; reason: 'timeout' | 'crashed'; message: string };

export interface WorkerHostOptions {
  /** Exit the idle thread after this long (it is restarted on the next job). */
  idleMs?: number;
  /** Heap limit of the thread: a decompression bomb fails the job, not the server. */
  maxMemoryMb?: number;
}

interface Job {
  data: unknown;
  timeoutMs: number;
  resolve: (outcome: WorkerOutcome) => void;
}

export class WorkerHost {
  private worker: Worker | undefined;
  private readonly queue: Job[] = [];
  private busy = false;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly moduleUrl: URL,
    private readonly options: WorkerHostOptions = {},
  ) {}

  run(data: unknown, timeoutMs: number): Promise<WorkerOutcome> {
    return new Promise((resolve) => {
      this.queue.push({ data, timeoutMs, resolve });
      this.next();
    });
  }

  /** Stops the thread now (pending jobs fail as crashed). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker !== undefined) await worker.terminate();
  }

  private spawn(): Worker {
    // execArgv: [] so the thread does not inherit tsx's loader from `tsx server/main.ts`.
    const worker = new Worker(this.moduleUrl, { execArgv: [], resourceLimits: { maxOldGenerationSizeMb: this.options.maxMemoryMb ?? 1024 } });
    worker.unref();
    return worker;
  }

  private next(): void {
    if (this.busy) return;
    const job = this.queue.shift();
    if (job === undefined) {
      clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => void this.close(), this.options.idleMs ?? 30_000);
      this.idleTimer.unref();
      return;
    }
    clearTimeout(this.idleTimer);
    this.busy = true;
    if (this.worker === undefined) this.worker = this.spawn();
    const worker = this.worker;
    let settled = false;
    const finish = (outcome: WorkerOutcome, broken: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (broken && this.worker === worker) {
        this.worker = undefined;
        void worker.terminate();
      }
      this.busy = false;
      job.resolve(outcome);
      this.next();
    };
    const onMessage = (message: unknown) => {
      const reply = message as { ok?: unknown; value?: unknown; message?: unknown };
      if (reply.ok === true) finish({ ok: true, value: reply.value }, false);
      else finish({ ok: false, reason: 'crashed', message: String(reply.message ?? 'the job failed') }, false);
    };
    const onError = (error: Error) => finish({ ok: false, reason: 'crashed', message: error.message }, true);
    const onExit = (code: number) => finish({ ok: false, reason: 'crashed', message: `the worker exited with code ${code}` }, true);
    const timer = setTimeout(() => finish({ ok: false, reason: 'timeout', message: `took longer than ${job.timeoutMs} ms` }, true), job.timeoutMs);
    worker.on('message', onMessage);
    worker.once('error', onError);
    worker.once('exit', onExit);
    worker.postMessage(job.data);
  }
}
