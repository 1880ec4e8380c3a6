import hnswlib from 'hnswlib-node';
import { AppError } from '../lib/errors.ts';
import { ColdFileGuard, SavedVectors } from './saved-vectors.ts';

const { HierarchicalNSW } = hnswlib;

export const VECTOR_INDEX_DEFAULTS = {
  /**
   * Graph degree and build-time beam width, chosen by measurement at 100k generated passages
   * (`npm run bench -- --steps hnsw`, docs/performance-log.md "Later round"): M 12 /
   * efConstruction 48 builds about 2.4x faster than 16 / 64 (2,453 against 1,029 inserts/s in one
   * run) and, searched with efSearch 400, keeps recall@8 against exact search at 0.976 (16 / 64
   * gave 0.979); a smaller graph also means a smaller snapshot.
   */
  m: 12,
  efConstruction: 48,
  /**
   * Search beam width: recall@8 at 100k was 0.946 / 0.967 / 0.976 / 0.986 at efSearch 200 / 300 /
   * 400 / 600 for 0.4 / 0.5 / 0.8 / 1.0 ms p50; 400 is the smallest that clears the 0.97 goal.
   * LangChain's wrapper leaves it at 10 (recall 0.46), which is why we drive hnswlib directly.
   */
  efSearch: 400,
  /**
   * Recall at a given beam width falls as the graph grows, so above this size the beam widens as
   * (size / efSearchAtSize) ^ efSearchGrowth. Measured at 300k generated passages (`--steps hnsw
   * --hnsw-sizes 300000`): recall@8 0.964 / 0.969 / 0.976 / 0.984 at efSearch 400 / 500 / 600 /
   * 800. At 1M (`bench/suite/graph-recall.ts` over a kept store, exact search read back from the
   * database): 0.918 / 0.950 / 0.963 / 0.971 / 0.981 at 400 / 600 / 800 / 1,100 / 1,400 (inline
   * search p50 0.8 / 0.9 / 1.2 / 2.4 / 2.8 ms). 0.44 gives 1,102 at 1M and 649 at 300k, each
   * clearing 0.97 (0.37, fitted to 300k alone, gave 938 at 1M: 0.966).
   */
  efSearchAtSize: 100_000,
  efSearchGrowth: 0.44,
  initialCapacity: 1024,
  randomSeed: 100,
};

/** How a search beam widens with the graph: `efSearch` up to `efSearchAtSize` passages, then by (size / efSearchAtSize) ^ efSearchGrowth. */
export interface BeamGrowth {
  efSearch: number;
  efSearchAtSize: number;
  efSearchGrowth: number;
}

/** The search beam width for a graph of `size` passages (see VECTOR_INDEX_DEFAULTS.efSearchGrowth). */
export function efSearchFor(size: number, defaults: BeamGrowth = VECTOR_INDEX_DEFAULTS): number {
  if (size <= defaults.efSearchAtSize) return defaults.efSearch;
  return Math.ceil(defaults.efSearch * (size / defaults.efSearchAtSize) ** defaults.efSearchGrowth);
}

export interface VectorIndexParameters {
  m: number;
  efConstruction: number;
  efSearch: number;
}

export interface VectorHit {
  label: number;
  /** Cosine similarity in [-1, 1]. */
  similarity: number;
}

/**
 * Which labels a search may return, as data rather than a closure so that it can cross to the
 * thread that owns the graph (see vector-thread.ts).
 */
export interface LabelFilter {
  /** Sorted, disjoint half-open ranges as flat pairs `[start0, end0, start1, end1, …]`: only labels inside count. */
  ranges?: Int32Array;
  /** Labels never returned (indexed but not yet visible). */
  exclude?: Int32Array;
}

/** The predicate a label filter stands for (undefined when it accepts everything). */
export function labelPredicate(filter: LabelFilter | undefined): ((label: number) => boolean) | undefined {
  const ranges = filter?.ranges;
  const excluded = filter?.exclude && filter.exclude.length > 0 ? new Set(filter.exclude) : undefined;
  if (!ranges && !excluded) return undefined;
  return (label) => {
    if (excluded?.has(label)) return false;
    if (!ranges) return true;
    // The last range starting at or before the label decides.
    let low = 0;
    let high = ranges.length / 2 - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (ranges[2 * middle]! <= label) {
        found = middle;
        low = middle + 1;
      } else high = middle - 1;
    }
    return found >= 0 && label < ranges[2 * found + 1]!;
  };
}

/**
 * The approximate nearest-neighbour index over passage vectors (hnswlib, cosine space). Labels are
 * integers owned by the store; deletion marks a label so it is never returned again.
 */
export class VectorIndex {
  readonly dim: number;
  private index: InstanceType<typeof HierarchicalNSW>;
  private live = new Uint8Array(1024);
  private count = 0;

  /** A beam width set by the caller (a benchmark sweep); otherwise it follows the size. */
  private fixedEf: number | undefined;
  private currentEf = 0;
  /** The graph file last read or written, where vectors are read by label (saved-vectors.ts). */
  private saved: SavedVectors | undefined;
  /** Counts which files were opened, so that one opened earlier never replaces one opened later. */
  private savedGeneration = 0;
  /** Settles once the file opened last is in use or given up. */
  private savedIndexing: Promise<void> = Promise.resolve();
  private closed = false;
  /** Leaves the file aside for a while after a read that went to the disk. */
  private readonly fileGuard = new ColdFileGuard();
  /** Vectors `similarities` has read from the saved file and from hnswlib since the index was made (what a test or a benchmark checks). */
  readonly vectorReads = { saved: 0, graph: 0 };

  private constructor(dim: number, index: InstanceType<typeof HierarchicalNSW>, efSearch?: number) {
    this.dim = dim;
    this.index = index;
    this.fixedEf = efSearch;
  }

  static create(dim: number, parameters: Partial<VectorIndexParameters> = {}, capacity = VECTOR_INDEX_DEFAULTS.initialCapacity): VectorIndex {
    const index = new HierarchicalNSW('cosine', dim);
    index.initIndex({
      maxElements: Math.max(16, capacity),
      m: parameters.m ?? VECTOR_INDEX_DEFAULTS.m,
      efConstruction: parameters.efConstruction ?? VECTOR_INDEX_DEFAULTS.efConstruction,
      randomSeed: VECTOR_INDEX_DEFAULTS.randomSeed,
    });
    return new VectorIndex(dim, index, parameters.efSearch);
  }

  /**
   * Loads a saved index (read on a libuv thread); `liveLabels` come from the store, which is the
   * source of truth: any other label in the file is marked deleted so it never surfaces.
   */
  static async read(path: string, dim: number, liveLabels: Iterable<number>, efSearch?: number): Promise<VectorIndex> {
    const index = new HierarchicalNSW('cosine', dim);
    await index.readIndex(path, false);
    const vectorIndex = new VectorIndex(dim, index, efSearch);
    for (const label of liveLabels) vectorIndex.markLive(label);
    for (const label of index.getIdsList()) {
      if (vectorIndex.has(label)) continue;
      try {
        index.markDelete(label);
      } catch {
        // Already marked deleted in the saved file: nothing to do.
      }
    }
    await vectorIndex.adoptSaved(path);
    return vectorIndex;
  }

  get size(): number {
    return this.count;
  }

  /** The search beam width (recall against latency; see VECTOR_INDEX_DEFAULTS.efSearch). */
  set efSearch(ef: number) {
    this.fixedEf = ef;
  }

  add(label: number, vector: Float32Array): void {
    if (vector.length !== this.dim) {
      throw new AppError('embedder_mismatch', `Vector of dimension ${vector.length} cannot go into an index of dimension ${this.dim}.`);
    }
    const needed = this.index.getCurrentCount() + 1;
    if (needed > this.index.getMaxElements()) this.index.resizeIndex(Math.max(needed, this.index.getMaxElements() * 2));
    this.index.addPoint(Array.from(vector), label);
    this.markLive(label);
  }

  /** Adds `labels.length` vectors laid end to end in `vectors` (how a batch crosses threads). */
  addBatch(labels: Int32Array, vectors: Float32Array): void {
    labels.forEach((label, position) => {
      this.add(label, vectors.subarray(position * this.dim, (position + 1) * this.dim));
    });
  }

  remove(label: number): void {
    if (!this.has(label)) return;
    this.live[label] = 0;
    this.count -= 1;
    this.index.markDelete(label);
  }

  has(label: number): boolean {
    return label < this.live.length && this.live[label] === 1;
  }

  search(vector: Float32Array, k: number, filter?: LabelFilter): VectorHit[] {
    if (this.count === 0 || k <= 0) return [];
    const limit = Math.min(k, this.count);
    const accept = labelPredicate(filter);
    const ef = this.fixedEf ?? efSearchFor(this.count);
    if (ef !== this.currentEf) {
      this.index.setEf(ef);
      this.currentEf = ef;
    }
    // Deleted labels are marked in hnswlib itself; a JS filter doubles the search time, so it is
    // passed only when the caller filters.
    const { neighbors, distances } = accept ? this.index.searchKnn(Array.from(vector), limit, accept) : this.index.searchKnn(Array.from(vector), limit);
    return neighbors.map((label, position) => ({ label, similarity: 1 - (distances[position] ?? 1) }));
  }

  /**
   * Cosine similarity of `vector` to each label's stored vector, NaN for a label not in the graph.
   * hnswlib keeps vectors normalised (cosine space), so each is one dot product; this is how the
   * store scores candidates found another way, without reading their vectors from its database
   * (at 1M passages, 60 cold reads took a fresh question 4.5 ms on average). The vectors come from
   * the graph's saved file where it holds them: 60 of them in 0.09 ms at 100k passages, against
   * 0.65 ms through hnswlib's getPoint, which was as long as the vector search itself.
   */
  similarities(labels: Int32Array, vector: Float32Array): Float32Array {
    const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
    const result = new Float32Array(labels.length).fill(Number.NaN);
    const score = (position: number, stored: ArrayLike<number>) => {
      let sum = 0;
      for (let index = 0; index < stored.length; index += 1) sum += stored[index]! * vector[index]!;
      result[position] = sum / norm;
    };
    // From the saved graph file where it holds the label (unless its pages were lately read from
    // the disk); hnswlib's getPoint (a JavaScript array built element by element) for the rest,
    // passages added since the file was written.
    const saved = norm !== 0 ? this.saved : undefined;
    const fromFile = saved
      ? this.fileGuard.attempt(() =>
          saved.visit(
            labels.map((label) => (this.has(label) ? label : -1)),
            score,
          ),
        )
      : undefined;
    labels.forEach((label, position) => {
      if (fromFile?.[position] === 1) {
        this.vectorReads.saved += 1;
        return;
      }
      if (!this.has(label)) return;
      if (norm === 0) {
        result[position] = 0;
        return;
      }
      this.vectorReads.graph += 1;
      score(position, this.index.getPoint(label));
    });
    return result;
  }

  vectorOf(label: number): Float32Array | undefined {
    if (!this.has(label)) return undefined;
    return Float32Array.from(this.index.getPoint(label));
  }

  /** Writes the index to `path` on a libuv thread; the index must not change until it resolves. */
  async write(path: string): Promise<void> {
    await this.index.writeIndex(path);
    // The store renames the folder it writes into once the snapshot is complete, which Windows
    // refuses while a file in it is open: there the file loaded at start serves until a restart.
    if (process.platform !== 'win32') await this.adoptSaved(path);
  }

  /** Closes the saved file vectors are read from (the graph itself needs no closing). */
  async close(): Promise<void> {
    this.closed = true;
    const saved = this.saved;
    this.saved = undefined;
    await saved?.close();
  }

  /**
   * Opens the graph file just read or written (before its folder is renamed) and reads vectors
   * from it once its labels are indexed, which happens in the background: the file replaces the
   * one in use then, unless a later one was opened meanwhile. A file that cannot serve leaves
   * hnswlib to serve every vector.
   */
  private async adoptSaved(path: string): Promise<void> {
    if (this.closed) return;
    const saved = await SavedVectors.open(path, this.dim).catch(() => undefined);
    if (!saved) return;
    const generation = ++this.savedGeneration;
    const adopt = async (indexed: boolean) => {
      if (!indexed || this.closed || generation !== this.savedGeneration) return saved.close();
      const previous = this.saved;
      this.saved = saved;
      await previous?.close();
    };
    this.savedIndexing = saved
      .indexLabels(this.saved)
      .then(adopt, () => saved.close())
      .catch(() => undefined);
  }

  /** Waits for the graph file last read or written to be indexed; true when vectors are now read from it. */
  async savedVectorsReady(): Promise<boolean> {
    await this.savedIndexing;
    return this.saved !== undefined;
  }

  private markLive(label: number): void {
    if (label >= this.live.length) {
      const grown = new Uint8Array(Math.max(label + 1, this.live.length * 2));
      grown.set(this.live);
      this.live = grown;
    }
    if (this.live[label] === 1) return;
    this.live[label] = 1;
    this.count += 1;
  }
}
