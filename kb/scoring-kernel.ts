import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { WASM_MAX_PAGES, WASM_PAGE_BYTES, createSharedMemory, growSharedMemory } from '../lib/shared-wasm-memory.ts';
import { SCORING_KERNEL_WASM } from './scoring-kernel-wasm.ts';

/**
 * A lexical search's hot loops as WebAssembly (scoring-kernel.wat: adding a list's BM25 terms,
 * choosing the top k, clearing the masks) and the memory they read. A module can only address its
 * own memory, so a snapshot meant for it is read into a ScoringArena: one shared WebAssembly memory
 * holding the file's bytes (its posting lists stay views of them) and the per-passage arrays a
 * query reads and writes. Its buffer is a SharedArrayBuffer, so the lexical helper thread reads the
 * same bytes and scores into arrays of its own in the same memory.
 */

/** Byte offsets into an arena of a query's arrays (per passage; `weights` per weight slot; `heap` of `KERNEL_HEAP_SLOTS` labels). */
export interface KernelArrays {
  live: number;
  lengths: number;
  scores: number;
  masks: number;
  touched: number;
  weights: number;
  heap: number;
}

/** The largest k the kernel's top-k heap holds (a larger k is chosen in JavaScript). */
export const KERNEL_HEAP_SLOTS = 4_096;

/**
 * A shared WebAssembly memory carved out by a bump allocator. Only the thread that made it
 * allocates; another thread gets its memory and the offsets of what was allocated for it, and
 * wraps the memory only to make views.
 */
export class ScoringArena {
  private top: number;

  constructor(
    readonly memory: WebAssembly.Memory,
    top = 0,
  ) {
    this.top = top;
  }

  /** An arena of at least `bytes`, or undefined where the system will not give a WebAssembly memory that large. */
  static create(bytes: number): ScoringArena | undefined {
    const memory = createSharedMemory(bytes);
    return memory && new ScoringArena(memory);
  }

  /**
   * Grows the memory now so that `bytes` more (and their alignment) can be allocated without
   * growing it again; false when they would pass wasm32's limit or the system refuses the memory.
   */
  reserve(bytes: number): boolean {
    const end = Math.ceil(this.top / 8) * 8 + bytes;
    if (end > WASM_MAX_PAGES * WASM_PAGE_BYTES) return false;
    const size = this.memory.buffer.byteLength;
    return end <= size || growSharedMemory(this.memory, end - size) !== undefined;
  }

  /** The offset of `bytes` new zeroed bytes, 8-aligned; the memory grows when it must. */
  allocate(bytes: number): number {
    const start = Math.ceil(this.top / 8) * 8;
    const end = start + bytes;
    const size = this.memory.buffer.byteLength;
    if (end > size) this.memory.grow(Math.ceil((end - size) / WASM_PAGE_BYTES));
    this.top = end;
    return start;
  }

  /** A view of `length` elements at `offset`. */
  view<T extends Uint8Array | Int32Array | Uint32Array | Float32Array | Float64Array>(
    type: { new (buffer: ArrayBufferLike, byteOffset: number, length: number): T },
    offset: number,
    length: number,
  ): T {
    return new type(this.memory.buffer, offset, length);
  }
}

/**
 * A file's bytes in shared memory: read into a new arena (the file at offset 0), or, for a file
 * past what a WebAssembly memory can address (4 GiB) or a system that will not give one that
 * large, into a plain SharedArrayBuffer and no arena.
 */
export function readIntoArena(path: string): { arena: ScoringArena | undefined; file: Uint8Array } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const arena = ScoringArena.create(size);
    const file = arena ? arena.view(Uint8Array, arena.allocate(size), size) : new Uint8Array(new SharedArrayBuffer(size));
    for (let offset = 0; offset < size; ) {
      const read = readSync(fd, file, offset, size - offset, offset);
      if (read === 0) throw new Error('the lexical index file ended early');
      offset += read;
    }
    return { arena, file };
  } finally {
    closeSync(fd);
  }
}

let compiled: WebAssembly.Module | undefined;

/** BM25's length normalisation (kb/lexical-index.ts `Bm25Norm`). */
interface Norm {
  k1: number;
  b: number;
  delta: number;
  averageLength: number;
}

type TopKExport = (touched: number, count: number, scores: number, heap: number, k: number) => number;
type ClearExport = (touched: number, count: number, masks: number) => void;

type AccumulateExport = (
  p: number,
  n: number,
  label: number,
  live: number,
  lengths: number,
  scores: number,
  masks: number,
  weights: number,
  touched: number,
  count: number,
  flag: number,
  value: number,
  k1: number,
  b: number,
  delta: number,
  averageLength: number,
  touchNew: number,
) => number;

/** The kernel instantiated over one arena's memory (one per thread). */
export class ScoringKernel {
  private readonly run: AccumulateExport;
  private readonly best: TopKExport;
  private readonly reset: ClearExport;

  constructor(memory: WebAssembly.Memory) {
    // Compiled once per thread (about a kilobyte: well under a millisecond).
    compiled ??= new WebAssembly.Module(Buffer.from(SCORING_KERNEL_WASM, 'base64'));
    const { exports } = new WebAssembly.Instance(compiled, { env: { memory } });
    this.run = exports.accumulate as AccumulateExport;
    this.best = exports.topK as TopKExport;
    this.reset = exports.clear as ClearExport;
  }

  /**
   * `fillHeap` of kb/lexical-index.ts: the best `k` (1 to KERNEL_HEAP_SLOTS) of the `count` labels
   * from byte `touched` by their scores, ties by label, into the heap of `arrays`; returns how many.
   */
  topK(touched: number, count: number, arrays: KernelArrays, k: number): number {
    return this.best(touched, count, arrays.scores, arrays.heap, k);
  }

  /** `clearTouched` of kb/lexical-index.ts (the masks) over the first `count` labels of the touched list of `arrays`. */
  clear(count: number, arrays: KernelArrays): void {
    this.reset(arrays.touched, count, arrays.masks);
  }

  /**
   * `accumulate` of kb/lexical-index.ts over `count` postings from byte `at` of the memory (after
   * the posting whose label is `previous`); returns the new count of touched passages.
   */
  accumulate(
    at: number,
    count: number,
    previous: number,
    arrays: KernelArrays,
    touchedCount: number,
    flag: number,
    value: number,
    norm: Norm,
    touchNew: boolean,
  ): number {
    return this.run(
      at,
      count,
      previous,
      arrays.live,
      arrays.lengths,
      arrays.scores,
      arrays.masks,
      arrays.weights,
      arrays.touched,
      touchedCount,
      flag,
      value,
      norm.k1,
      norm.b,
      norm.delta,
      norm.averageLength,
      touchNew ? 1 : 0,
    );
  }
}
