import { AppError } from './errors.ts';

/**
 * A word's rank in a list of words, looked up in typed arrays over the list's bytes (the words
 * joined by "\n", UTF-8) instead of a Map of strings. Used for the word-vector table (its cache file
 * holds the words that way) and for the terms of a lexical index read from a snapshot.
 *
 * Why (the word vectors): the Map and its strings were 31 MB of the server's heap (of about 120 MB live at 100k
 * passages), every one of them marked by each full collection, and 31 MB of RSS at 1M passages,
 * where the goal is 1.5 GB. Here the vocabulary stays the bytes it was read as (shared with the
 * ingest worker when it came from the cache) and the table is two typed arrays: nothing for the
 * collector to trace. A lookup encodes the word into a reused buffer and allocates nothing.
 *
 * Open addressing with linear probing over a power-of-two table of rank + 1 (0: empty); FNV-1a over
 * the UTF-8 bytes. A word listed twice maps to its last rank, as `Map#set` over the list did.
 */
export class VocabularyIndex {
  readonly size: number;
  private readonly bytes: Uint8Array;
  /** Where each word starts in `bytes`; word `rank` ends at `starts[rank + 1] - 1` (its "\n"). */
  private readonly starts: Uint32Array;
  private readonly slots: Int32Array;
  private readonly mask: number;
  private scratch = new Uint8Array(64);

  constructor(vocabulary: Uint8Array, size: number) {
    this.bytes = vocabulary;
    this.size = size;
    this.starts = new Uint32Array(size + 1);
    let rank = 0;
    if (size > 0) {
      for (let index = 0; index < vocabulary.length; index += 1) {
        if (vocabulary[index] === 10) {
          rank += 1;
          if (rank > size) break;
          this.starts[rank] = index + 1;
        }
      }
      rank += 1;
    }
    if (rank !== size) throw new AppError('index_corrupt', `The word-vector vocabulary lists ${rank} words, expected ${size}.`);
    // The last word ends at the end of the bytes, as if a "\n" followed.
    this.starts[size] = vocabulary.length + 1;
    let capacity = 1;
    while (capacity < Math.max(2, size * 2)) capacity *= 2;
    this.slots = new Int32Array(capacity);
    this.mask = capacity - 1;
    for (let word = 0; word < size; word += 1) {
      const start = this.starts[word]!;
      const end = this.starts[word + 1]! - 1;
      let slot = fnv(vocabulary, start, end) & this.mask;
      for (;;) {
        const held = this.slots[slot]!;
        if (held === 0 || this.sameWord(held - 1, vocabulary, start, end)) {
          this.slots[slot] = word + 1;
          break;
        }
        slot = (slot + 1) & this.mask;
      }
    }
  }

  /** The UTF-8 bytes of the word at `rank` (a view, not a copy). */
  bytesOf(rank: number): Uint8Array {
    return this.bytes.subarray(this.starts[rank]!, this.starts[rank + 1]! - 1);
  }

  /** The word's rank, or undefined when the table does not hold it. */
  rankOf(word: string): number | undefined {
    const length = this.encode(word);
    let slot = fnv(this.scratch, 0, length) & this.mask;
    for (;;) {
      const held = this.slots[slot]!;
      if (held === 0) return undefined;
      if (this.sameWord(held - 1, this.scratch, 0, length)) return held - 1;
      slot = (slot + 1) & this.mask;
    }
  }

  private sameWord(rank: number, other: Uint8Array, start: number, end: number): boolean {
    const from = this.starts[rank]!;
    const to = this.starts[rank + 1]! - 1;
    if (to - from !== end - start) return false;
    for (let offset = 0; offset < end - start; offset += 1) if (this.bytes[from + offset] !== other[start + offset]) return false;
    return true;
  }

  /** Writes the word's UTF-8 bytes into the scratch buffer (a lone surrogate as U+FFFD, as Buffer does). */
  private encode(word: string): number {
    if (this.scratch.length < word.length * 3) this.scratch = new Uint8Array(word.length * 3);
    const out = this.scratch;
    let length = 0;
    for (let index = 0; index < word.length; index += 1) {
      let code = word.charCodeAt(index);
      if (code < 0x80) {
        out[length++] = code;
        continue;
      }
      if (code >= 0xd800 && code <= 0xdbff && index + 1 < word.length) {
        const low = word.charCodeAt(index + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
          index += 1;
        }
      }
      if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
      if (code < 0x800) {
        out[length++] = 0xc0 | (code >> 6);
        out[length++] = 0x80 | (code & 0x3f);
      } else if (code < 0x10000) {
        out[length++] = 0xe0 | (code >> 12);
        out[length++] = 0x80 | ((code >> 6) & 0x3f);
        out[length++] = 0x80 | (code & 0x3f);
      } else {
        out[length++] = 0xf0 | (code >> 18);
        out[length++] = 0x80 | ((code >> 12) & 0x3f);
        out[length++] = 0x80 | ((code >> 6) & 0x3f);
        out[length++] = 0x80 | (code & 0x3f);
      }
    }
    return length;
  }
}

function fnv(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let index = start; index < end; index += 1) {
    hash ^= bytes[index]!;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
