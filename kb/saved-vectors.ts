import { readSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';

/**
 * Passage vectors read straight from a graph file hnswlib saved (a snapshot's `vectors.hnsw`), by
 * label. hnswlib-node hands a stored vector out only as a JavaScript array built element by element
 * (`getPoint`: about 11 µs for 100 dimensions on this project's machines, so 0.7 ms for the 60
 * lexical hits a hybrid search scores, as long as the vector search itself); a positioned read of
 * the file, which the graph's loading or saving has just put in the page cache, takes a few
 * microseconds, and a run of passages stored one after another (an article's) is one read.
 *
 * The layout is hnswlib's `saveIndex` (hnswalg.h): a 96-byte header, then every element's level-0
 * record (its links, its vector as float32, its label as a 64-bit integer), then the upper levels.
 * A file whose header does not describe that layout for `dim` dimensions is not used (the caller
 * asks hnswlib instead). A label's vector never changes (the store never reuses a label), so a file
 * holds the right vector for every label it holds, however old. A file held open keeps its disk
 * space after another process's snapshot replaces and removes it, until this graph saves its own.
 */
export const SAVED_VECTORS_DEFAULTS = {
  /** Bytes of level-0 records read at a time while the labels are indexed. */
  scanBytes: 4 << 20,
  /** Longest run of consecutive records read at once. */
  runBytes: 256 << 10,
  /** Calls served by hnswlib after one whose reads went to the disk (see `ColdFileGuard`). */
  restCalls: 256,
};

const HEADER_BYTES = 96;
/** hnswlib's `linklistsizeint` and `tableint` (4 bytes each) and `labeltype` (size_t, 8 bytes). */
const LINK_BYTES = 4;
const LABEL_BYTES = 8;

interface Layout {
  elements: number;
  recordBytes: number;
  dataOffset: number;
  labelOffset: number;
}

/** The level-0 layout a saved header describes, undefined unless it is hnswlib's for `dim` float32 dimensions and the file is long enough. */
export function savedLayout(header: Uint8Array, dim: number, fileBytes: number): Layout | undefined {
  if (header.length < HEADER_BYTES || !Number.isInteger(dim) || dim <= 0) return undefined;
  const view = new DataView(header.buffer, header.byteOffset, HEADER_BYTES);
  const size = (offset: number) => {
    const value = view.getBigUint64(offset, true);
    return value > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(value);
  };
  const offsetLevel0 = size(0);
  const elements = size(16);
  const recordBytes = size(24);
  const labelOffset = size(32);
  const dataOffset = size(40);
  const maxM0 = size(64);
  if (offsetLevel0 !== 0 || elements < 0 || maxM0 <= 0) return undefined;
  if (dataOffset !== maxM0 * LINK_BYTES + LINK_BYTES || labelOffset !== dataOffset + dim * 4 || recordBytes !== labelOffset + LABEL_BYTES) return undefined;
  if (HEADER_BYTES + elements * recordBytes > fileBytes) return undefined;
  return { elements, recordBytes, dataOffset, labelOffset };
}

export class SavedVectors {
  readonly dim: number;
  private readonly handle: FileHandle;
  private readonly layout: Layout;
  /** Record index by label, -1 where the file holds no such label; filled by `indexLabels`. */
  private recordOf = new Int32Array(0);
  private indexed = false;
  /** Records whose labels `indexLabels` read (what a test checks). */
  labelsRead = 0;
  private closed = false;
  /** Where runs are read to: records are 4-byte multiples, so every vector in it is an aligned Float32Array view. */
  private readonly buffer: ArrayBuffer;

  private constructor(handle: FileHandle, dim: number, layout: Layout) {
    this.handle = handle;
    this.dim = dim;
    this.layout = layout;
    this.buffer = new ArrayBuffer(Math.max(SAVED_VECTORS_DEFAULTS.runBytes, layout.recordBytes));
  }

  /**
   * Opens the file and checks its header now (a snapshot's folder is renamed once its graph is
   * written, so the file is held open from here on); undefined when the layout is not hnswlib's.
   * Nothing is read by label until `indexLabels` has run.
   */
  static async open(path: string, dim: number): Promise<SavedVectors | undefined> {
    const handle = await open(path, 'r');
    try {
      const header = new Uint8Array(HEADER_BYTES);
      const { bytesRead } = await handle.read(header, 0, HEADER_BYTES, 0);
      const layout = bytesRead === HEADER_BYTES ? savedLayout(header, dim, (await handle.stat()).size) : undefined;
      if (layout) return new SavedVectors(handle, dim, layout);
    } catch {
      // Unreadable: hnswlib serves every vector.
    }
    await handle.close();
    return undefined;
  }

  /** Records held. */
  get size(): number {
    return this.layout.elements;
  }

  /**
   * Reads every record's label, a few megabytes at a time on libuv's threads (4 MB of records is
   * about 8,000 passages), so the thread that owns the graph keeps answering meanwhile. False when
   * a label is not what hnswlib writes (the file is then not used).
   *
   * `earlier`, a file the same graph loaded or saved before this one, saves reading most of it:
   * hnswlib numbers its records in insertion order and never renumbers or reuses one, so this file
   * starts with the earlier file's records, and only those after them are read (a snapshot's new
   * passages, where a whole 100k-passage graph is 50 MB). Its first and last records are checked
   * to hold the same labels first; otherwise every record is read.
   */
  async indexLabels(earlier?: SavedVectors): Promise<boolean> {
    const { elements, recordBytes, labelOffset } = this.layout;
    const perChunk = Math.max(1, Math.floor(SAVED_VECTORS_DEFAULTS.scanBytes / recordBytes));
    const chunk = new Uint8Array(perChunk * recordBytes);
    const view = new DataView(chunk.buffer);
    const known = earlier?.indexed && earlier.layout.recordBytes === recordBytes && earlier.size <= elements ? earlier : undefined;
    const knownRecords = known?.size ?? 0;
    let recordOf = known ? known.recordOf.slice() : new Int32Array(Math.max(16, elements)).fill(-1);
    if (knownRecords > 0 && !(await this.holdsRecordsOf(recordOf, [0, knownRecords - 1]))) {
      return this.indexLabels();
    }
    for (let first = knownRecords; first < elements; first += perChunk) {
      if (this.closed) return false;
      const count = Math.min(perChunk, elements - first);
      const { bytesRead } = await this.handle.read(chunk, 0, count * recordBytes, HEADER_BYTES + first * recordBytes);
      if (bytesRead !== count * recordBytes) return false;
      for (let record = 0; record < count; record += 1) {
        const at = record * recordBytes + labelOffset;
        const label = view.getUint32(at, true);
        if (view.getUint32(at + 4, true) !== 0 || label > 0x7fffffff) return false;
        if (label >= recordOf.length) {
          const grown = new Int32Array(Math.max(label + 1, recordOf.length * 2)).fill(-1);
          grown.set(recordOf);
          recordOf = grown;
        }
        recordOf[label] = first + record;
        this.labelsRead += 1;
      }
    }
    this.recordOf = recordOf;
    this.indexed = !this.closed;
    return this.indexed;
  }

  /** Whether each of `records` holds the label `recordOf` gives it. */
  private async holdsRecordsOf(recordOf: Int32Array, records: number[]): Promise<boolean> {
    const { recordBytes, labelOffset } = this.layout;
    const label = new Uint8Array(LABEL_BYTES);
    const view = new DataView(label.buffer);
    for (const record of records) {
      const { bytesRead } = await this.handle.read(label, 0, LABEL_BYTES, HEADER_BYTES + record * recordBytes + labelOffset);
      const value = view.getUint32(0, true);
      if (bytesRead !== LABEL_BYTES || view.getUint32(4, true) !== 0 || value >= recordOf.length || recordOf[value] !== record) return false;
    }
    return true;
  }

  /** Whether the file holds `label` (false until its labels are indexed). */
  has(label: number): boolean {
    return this.indexed && label >= 0 && label < this.recordOf.length && this.recordOf[label]! >= 0;
  }

  /**
   * Calls `visit` with the vector of each label the file holds (a view valid only during the call),
   * skipping negative labels; returns which positions were visited. Labels whose records follow one
   * another are read together.
   */
  visit(labels: Int32Array, visit: (position: number, vector: Float32Array) => void): Uint8Array {
    const visited = new Uint8Array(labels.length);
    if (!this.indexed || this.closed) return visited;
    const { recordBytes, dataOffset } = this.layout;
    const maxRun = Math.max(1, Math.floor(SAVED_VECTORS_DEFAULTS.runBytes / recordBytes));
    const bytes = new Uint8Array(this.buffer);
    let position = 0;
    while (position < labels.length) {
      const first = this.recordIndex(labels[position]!);
      if (first < 0) {
        position += 1;
        continue;
      }
      let run = 1;
      while (run < maxRun && position + run < labels.length && this.recordIndex(labels[position + run]!) === first + run) run += 1;
      // From the first vector to the end of the last one: the records between are read whole.
      const length = (run - 1) * recordBytes + this.dim * 4;
      if (!this.read(bytes, length, HEADER_BYTES + first * recordBytes + dataOffset)) return visited;
      for (let offset = 0; offset < run; offset += 1) {
        visit(position + offset, new Float32Array(this.buffer, offset * recordBytes, this.dim));
        visited[position + offset] = 1;
      }
      position += run;
    }
    return visited;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.indexed = false;
    await this.handle.close();
  }

  private recordIndex(label: number): number {
    return label >= 0 && label < this.recordOf.length ? this.recordOf[label]! : -1;
  }

  /** A positioned read of `length` bytes; false when the file cannot give them (the caller asks hnswlib). */
  private read(into: Uint8Array, length: number, position: number): boolean {
    try {
      return readSync(this.handle.fd, into, 0, length, position) === length;
    } catch {
      return false;
    }
  }
}

/**
 * Whether reading the saved file is worth it right now. From the page cache 60 vectors take 0.09 ms;
 * from this VM's disk, after the cache was dropped, 12.5 ms (0.2 ms a read), where hnswlib's
 * getPoint takes 0.65 ms whatever the cache holds. A call during which the process's block reads
 * grew (`getrusage`'s inblock, Node's `fsRead`: page-cache hits do not count) makes hnswlib serve the
 * next `restCalls` calls; then the file is tried again (its pages those reads brought in may have
 * stayed). Another thread's disk read at that moment also counts: it only costs a rest.
 */
export class ColdFileGuard {
  private resting = 0;
  private readonly blockReads: () => number;
  private readonly restCalls: number;

  constructor(blockReads: () => number = () => process.resourceUsage().fsRead, restCalls = SAVED_VECTORS_DEFAULTS.restCalls) {
    this.blockReads = blockReads;
    this.restCalls = restCalls;
  }

  /** Runs `read` unless resting after a call that went to the disk; undefined when it did not run. */
  attempt<T>(read: () => T): T | undefined {
    if (this.resting > 0) {
      this.resting -= 1;
      return undefined;
    }
    const before = this.blockReads();
    const result = read();
    if (this.blockReads() > before) this.resting = this.restCalls;
    return result;
  }
}
