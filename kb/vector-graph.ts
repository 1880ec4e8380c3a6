import { type LabelFilter, VectorIndex, type VectorHit, type VectorIndexParameters } from './vector-index.ts';

/**
 * The approximate nearest-neighbour graph as the embedded store drives it: writes are queued
 * (applied in the order given, before any later search), searches and saves answer
 * asynchronously. Two implementations: `inline` keeps the hnswlib graph on the calling thread;
 * `thread` (vector-thread.ts) keeps it on a worker thread of its own, so inserts (the most
 * expensive part of indexing a passage) run beside the embedding and the storing work.
 */
export interface VectorGraph {
  readonly dim: number;
  /** Live labels. */
  readonly size: number;
  /**
   * Queues an insert. A later search sees it, unless it is a `background` insert: the passage of a
   * change not visible yet, which searches need not wait for (its store calls `settled` before
   * making the change visible). A bulk ingest in another process made every search wait behind
   * the inserts of its passages.
   */
  add(label: number, vector: Float32Array, options?: { background?: boolean }): void;
  remove(label: number): void;
  search(vector: Float32Array, k: number, filter?: LabelFilter): Promise<VectorHit[]>;
  /**
   * Cosine similarity of `vector` to each label's vector (NaN for a label not in the graph), seeing
   * the same writes a search would: how the store scores passages it found another way.
   */
  similarities(labels: Int32Array, vector: Float32Array): Promise<Float32Array>;
  /** Saves the graph as it is after every queued write; nothing may be added until it resolves. */
  write(path: string): Promise<void>;
  /** Resolves once every write queued before the call is applied. */
  settled(): Promise<void>;
  /** Resolves once the graph can take more writes (a thread's queue is bounded, so memory is). */
  ready(): Promise<void>;
  /** Problems a health check should report (a stopped thread), none when sound. */
  problems(): string[];
  close(): Promise<void>;
}

/** How a store builds its graph: empty, or from a saved file whose live labels the store gives. */
export interface VectorGraphFactory {
  readonly kind: 'inline' | 'thread';
  create(dim: number, parameters: Partial<VectorIndexParameters>): Promise<VectorGraph>;
  read(path: string, dim: number, liveLabels: Int32Array): Promise<VectorGraph>;
}

/** The graph on the calling thread: each write runs at once. */
export class InlineVectorGraph implements VectorGraph {
  readonly dim: number;
  private readonly index: VectorIndex;

  constructor(index: VectorIndex) {
    this.index = index;
    this.dim = index.dim;
  }

  get size(): number {
    return this.index.size;
  }

  add(label: number, vector: Float32Array): void {
    this.index.add(label, vector);
  }

  remove(label: number): void {
    this.index.remove(label);
  }

  async search(vector: Float32Array, k: number, filter?: LabelFilter): Promise<VectorHit[]> {
    return this.index.search(vector, k, filter);
  }

  async similarities(labels: Int32Array, vector: Float32Array): Promise<Float32Array> {
    return this.index.similarities(labels, vector);
  }

  write(path: string): Promise<void> {
    return this.index.write(path);
  }

  async settled(): Promise<void> {}

  async ready(): Promise<void> {}

  problems(): string[] {
    return [];
  }

  close(): Promise<void> {
    return this.index.close();
  }
}

export const inlineVectorGraphs: VectorGraphFactory = {
  kind: 'inline',
  async create(dim, parameters) {
    return new InlineVectorGraph(VectorIndex.create(dim, parameters));
  },
  async read(path, dim, liveLabels) {
    return new InlineVectorGraph(await VectorIndex.read(path, dim, liveLabels));
  },
};
