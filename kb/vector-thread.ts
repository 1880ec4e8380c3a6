import type { Worker } from 'node:worker_threads';
import { AppError } from '../lib/errors.ts';
import { startThread } from '../lib/thread-script.ts';
import type { VectorGraph, VectorGraphFactory } from './vector-graph.ts';
import type { VectorThreadAnswer, VectorThreadReply, VectorThreadRequest } from './vector-thread-host.ts';
import type { LabelFilter, VectorHit } from './vector-index.ts';

export const VECTOR_THREAD_DEFAULTS = {
  /** Queued inserts are sent in one message once this many wait (else at the next event-loop turn). */
  batchPassages: 256,
  /**
   * Inserts sent and not yet applied beyond which `ready()` waits: a bulk ingest stores faster than
   * one thread inserts into the graph (0.26 ms a passage at 100k), and the queue holds vectors.
   */
  maxQueuedPassages: 8_192,
  /** How long `close` waits for the inserts already sent before it stops the thread regardless. */
  closeDrainMs: 10_000,
};

const ENTRY = new URL('./vector-thread-main.ts', import.meta.url);

type Request = VectorThreadRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

interface Waiting {
  resolve(answer: VectorThreadAnswer): void;
  reject(error: unknown): void;
}

/**
 * The hnswlib graph on a worker thread of its own (the host is vector-thread-host.ts). hnswlib-node
 * inserts on one thread only; here that thread is not the one storing and indexing passages, so a
 * bulk ingest keeps both cores busy. Writes are batched into few messages and applied in order; a
 * search sent after a write sees it, unless that write was a background insert (see `add`).
 */
export class ThreadedVectorGraph implements VectorGraph {
  readonly dim: number;
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  private failure: AppError | undefined;
  private closed = false;
  private count = 0;
  private addLabels: number[] = [];
  private addVectors: Float32Array[] = [];
  private removeLabels: number[] = [];
  /** Whether the queued inserts are background ones (a batch holds one kind). */
  private queuedBackground = false;
  /** The id of the last write a later search must see (0: none yet). */
  private lastBlockingId = 0;
  /** Settles once the last write sent is applied (or failed). */
  private lastWrite: Promise<void> = Promise.resolve();
  private flushScheduled = false;
  /** Inserts sent and not yet applied. */
  private inFlight = 0;
  private readyWaiters: (() => void)[] = [];

  private constructor(worker: Worker, dim: number, count: number) {
    this.worker = worker;
    this.dim = dim;
    this.count = count;
    worker.on('message', (reply: VectorThreadReply | { ready: true }) => {
      if ('ready' in reply) return;
      const waiting = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
      if (!waiting) return;
      if (reply.ok) waiting.resolve(reply.similarities ?? reply.hits);
      else waiting.reject(new AppError('internal', 'The vector index failed.', { cause: new Error(reply.message) }));
    });
    worker.on('error', (error) => this.fail(new AppError('internal', 'The vector index thread crashed; restart the copilot.', { cause: error })));
    worker.on('exit', () => {
      if (!this.closed) this.fail(new AppError('internal', 'The vector index thread stopped; restart the copilot.'));
    });
  }

  /** Starts a thread holding an empty graph or one read from a file. */
  static async start(dim: number, first: Extract<Request, { type: 'create' | 'read' }>, liveCount: number): Promise<ThreadedVectorGraph> {
    const worker = startThread(ENTRY);
    await new Promise<void>((resolve, reject) => {
      const onMessage = (message: { ready?: boolean }) => {
        if (!message.ready) return;
        worker.off('error', reject);
        resolve();
      };
      worker.once('message', onMessage);
      worker.once('error', reject);
    }).catch((error: unknown) => {
      void worker.terminate();
      throw new AppError('internal', 'The vector index thread could not start.', { cause: error });
    });
    const graph = new ThreadedVectorGraph(worker, dim, liveCount);
    try {
      await graph.send(first);
    } catch (error) {
      await graph.close();
      throw error;
    }
    return graph;
  }

  get size(): number {
    return this.count;
  }

  add(label: number, vector: Float32Array, options: { background?: boolean } = {}): void {
    if (vector.length !== this.dim) {
      throw new AppError('embedder_mismatch', `Vector of dimension ${vector.length} cannot go into an index of dimension ${this.dim}.`);
    }
    const background = options.background === true;
    if (background !== this.queuedBackground) {
      this.flush();
      this.queuedBackground = background;
    }
    this.addLabels.push(label);
    this.addVectors.push(vector);
    this.count += 1;
    if (this.addLabels.length >= VECTOR_THREAD_DEFAULTS.batchPassages) this.flush();
    // Background inserts wait for `settled` (or a full batch): each message wakes the graph's
    // thread, and beside a bulk ingest on two busy cores a message cost this thread 0.35 ms of wall
    // time (timed around postMessage; 13 µs with idle cores), most likely its core taken meanwhile.
    else if (!background) this.scheduleFlush();
  }

  remove(label: number): void {
    // A removal is always waited for (the removed passage must not take a search's places).
    if (this.queuedBackground) {
      this.flush();
      this.queuedBackground = false;
    }
    this.removeLabels.push(label);
    this.count -= 1;
    this.scheduleFlush();
  }

  async search(vector: Float32Array, k: number, filter?: LabelFilter): Promise<VectorHit[]> {
    // Queued background inserts are not for this search to see: they stay queued.
    if (!this.queuedBackground) this.flush();
    const hits = await this.send({ type: 'search', vector, k, ...(filter ? { filter } : {}), after: this.lastBlockingId });
    return Array.isArray(hits) ? hits : [];
  }

  async similarities(labels: Int32Array, vector: Float32Array): Promise<Float32Array> {
    if (!this.queuedBackground) this.flush();
    const answer = await this.send({ type: 'similarities', labels, vector, after: this.lastBlockingId });
    if (!(answer instanceof Float32Array) || answer.length !== labels.length) throw new AppError('internal', 'The vector index sent no similarities.');
    return answer;
  }

  async settled(): Promise<void> {
    this.flush();
    // Writes are applied in order: once the last one sent is, all are.
    await this.lastWrite;
  }

  async write(path: string): Promise<void> {
    this.flush();
    await this.send({ type: 'write', path });
  }

  ready(): Promise<void> {
    if (this.inFlight < VECTOR_THREAD_DEFAULTS.maxQueuedPassages || this.failure) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  problems(): string[] {
    return this.failure && !this.closed ? [this.failure.message] : [];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Stopping the thread while hnswlib was inside an insert aborted the whole process (a native
    // throw during termination, seen under load in the test suite): an empty update queued behind
    // the writes already sent answers once they are done (and no search runs while it is handled).
    if (!this.failure) {
      this.flush();
      let timer: NodeJS.Timeout | undefined;
      const empty = { type: 'update', addLabels: new Int32Array(0), addVectors: new Float32Array(0), removeLabels: new Int32Array(0) } as const;
      await Promise.race([
        this.send(empty).catch(() => undefined),
        new Promise((resolve) => {
          timer = setTimeout(resolve, VECTOR_THREAD_DEFAULTS.closeDrainMs);
        }),
      ]);
      clearTimeout(timer);
    }
    this.fail(new AppError('internal', 'The knowledge store is closed.'));
    await this.worker.terminate();
  }

  /** Sends the queued writes as one message. */
  private flush(): void {
    if (this.addLabels.length === 0 && this.removeLabels.length === 0) return;
    const addLabels = Int32Array.from(this.addLabels);
    const addVectors = new Float32Array(addLabels.length * this.dim);
    this.addVectors.forEach((vector, position) => addVectors.set(vector, position * this.dim));
    const removeLabels = Int32Array.from(this.removeLabels);
    this.addLabels = [];
    this.addVectors = [];
    this.removeLabels = [];
    const passages = addLabels.length;
    this.inFlight += passages;
    const applied = () => {
      this.inFlight -= passages;
      if (this.inFlight < VECTOR_THREAD_DEFAULTS.maxQueuedPassages) for (const resolve of this.readyWaiters.splice(0)) resolve();
    };
    // A failed write leaves the graph behind the database: later searches fail with the thread's error.
    const sent = this.send({ type: 'update', addLabels, addVectors, removeLabels }, [addLabels.buffer, addVectors.buffer, removeLabels.buffer]);
    if (!this.queuedBackground || removeLabels.length > 0) this.lastBlockingId = this.nextId;
    this.lastWrite = sent.then(
      () => undefined,
      () => undefined,
    );
    sent.then(applied, (error: unknown) => {
      applied();
      this.fail(error instanceof AppError ? error : new AppError('internal', 'The vector index failed.', { cause: error }));
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      if (!this.closed) this.flush();
    });
  }

  private send(request: Request, transfer: ArrayBuffer[] = []): Promise<VectorThreadAnswer> {
    if (this.failure) return Promise.reject(this.failure);
    const id = (this.nextId += 1);
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      // Referenced while an answer is awaited, so a process waiting for a search does not exit.
      this.worker.ref();
      // Not `{ ...request, id }`: a spread that adds a field made a hidden class per message in V8 (Node 20).
      this.worker.postMessage(Object.assign({ id }, request), transfer);
    });
  }

  private fail(error: AppError): void {
    this.failure ??= error;
    for (const waiting of this.waiting.values()) waiting.reject(this.failure);
    this.waiting.clear();
    for (const resolve of this.readyWaiters.splice(0)) resolve();
    this.worker.unref();
  }
}

export const threadVectorGraphs: VectorGraphFactory = {
  kind: 'thread',
  create(dim, parameters) {
    return ThreadedVectorGraph.start(dim, { type: 'create', dim, parameters }, 0);
  },
  read(path, dim, liveLabels) {
    return ThreadedVectorGraph.start(dim, { type: 'read', path, dim, live: liveLabels }, liveLabels.length);
  },
};
