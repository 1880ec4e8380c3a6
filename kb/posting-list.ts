/**
 * One term's postings in the BM25 index, compressed in memory: each posting is the gap to the
 * previous label and the slot of its weight (an index into the index's table of distinct weights),
 * both as LEB128 varints. About 2.5 bytes a posting instead of 8 for a label and a float32 weight
 * (a 100k-passage knowledge base holds about 12 million postings), so a million passages fit in
 * memory. Scanning decodes in order; a lookup by label jumps through a small skip table.
 *
 * Labels only grow (the store never reuses one), so appending keeps the list sorted.
 */
export const POSTING_DEFAULTS = {
  /** A skip entry every this many postings: a lookup decodes at most this many. */
  skipEvery: 128,
  initialBytes: 8,
};

export class PostingList {
  bytes: Uint8Array;
  byteLength = 0;
  length = 0;
  lastLabel = 0;
  /** Live passages whose text (not heading or title) holds the term (kept by the lexical index). */
  frequency = 0;
  /** At least the largest weight of any posting (kept by the lexical index): bounds the term's best score. */
  maxWeight = 0;
  /**
   * Pairs (label of the posting before, byte offset) for postings skipEvery, 2·skipEvery, … (the
   * first block starts at 0, 0). Most terms are rare and have one block, hence no table: at 1M
   * passages a typed array per term was a large share of the dictionary's heap.
   */
  private skips: Int32Array | undefined;
  /**
   * Set on a list read from a snapshot: its bytes are a view of the file, never copied. Postings
   * appended later go to `tail`, a list of its own (its first label is stored whole, not as a gap):
   * growing the view instead copied every list an upload touched, 128 MB and 187 ms for one
   * article at 1M passages, and doubled their memory.
   */
  private frozen = false;
  /** Postings appended after the frozen part, all with larger labels (see `frozen`). */
  tail: PostingList | undefined;

  constructor(bytes: Uint8Array = new Uint8Array(POSTING_DEFAULTS.initialBytes)) {
    this.bytes = bytes;
  }

  /**
   * A list from its encoded bytes (a snapshot); the skip table (and, given the weight of each slot,
   * the largest weight) is rebuilt in one pass.
   */
  static fromEncoded(bytes: Uint8Array, length: number, frequency: number, weights?: readonly number[]): PostingList {
    const list = new PostingList(bytes);
    list.frozen = true;
    list.byteLength = bytes.length;
    list.frequency = frequency;
    const { lastLabel, maxSlot } = scanEncoded(bytes, length, weights, (index, label, offset) => list.addSkip(index, label, offset));
    list.length = length;
    list.lastLabel = lastLabel;
    if (weights && length > 0) list.maxWeight = weights[maxSlot]!;
    return list;
  }

  /**
   * A list of at most `skipEvery` postings (no skip table) from its encoded bytes and what a scan
   * of them gave (`scanEncoded`): nothing is decoded, so a query can make one for each term it reads.
   */
  static ofShort(bytes: Uint8Array, summary: { length: number; lastLabel: number; frequency: number; maxWeight: number }): PostingList {
    if (summary.length > POSTING_DEFAULTS.skipEvery) throw new Error('a posting list this long needs its skip table (fromEncoded)');
    return PostingList.fromParts(bytes, { ...summary, skips: undefined });
  }

  /**
   * A frozen list from its encoded bytes, what a scan of them gave and its skip table, as another
   * thread's `sharedParts` hands them over: nothing is decoded.
   */
  static fromParts(bytes: Uint8Array, parts: Omit<SharedPostingParts, 'byteOffset' | 'byteLength'>): PostingList {
    const list = new PostingList(bytes);
    list.frozen = true;
    list.byteLength = bytes.length;
    list.length = parts.length;
    list.lastLabel = parts.lastLabel;
    list.frequency = parts.frequency;
    list.maxWeight = parts.maxWeight;
    list.skips = parts.skips;
    return list;
  }

  /**
   * Where the frozen part's bytes lie in `shared` and what reading them needs (its skip table
   * copied), when they are a view of it: another thread holding the same memory can then read the
   * part through `fromParts`. Undefined for a list whose bytes are its own.
   */
  sharedParts(shared: ArrayBufferLike): SharedPostingParts | undefined {
    if (!this.frozen || this.bytes.buffer !== shared) return undefined;
    const blocks = Math.ceil(this.length / POSTING_DEFAULTS.skipEvery);
    return {
      byteOffset: this.bytes.byteOffset,
      byteLength: this.byteLength,
      length: this.length,
      lastLabel: this.lastLabel,
      frequency: this.frequency,
      maxWeight: this.maxWeight,
      skips: this.skips?.slice(0, 2 * (blocks - 1)),
    };
  }

  /**
   * Where a scan for the postings from `label` on starts: the index and byte offset of the first
   * posting at or past it and the label before that posting (0 at the start). Jumps through the
   * skip table, then decodes within the block.
   */
  seek(label: number): { index: number; offset: number; previous: number } {
    const skips = this.skips;
    const every = POSTING_DEFAULTS.skipEvery;
    const blocks = Math.ceil(this.length / every);
    let index = 0;
    let offset = 0;
    let previous = 0;
    if (skips && blocks > 1 && skips[0]! < label) {
      // The last block whose preceding label is below `label`.
      let low = 1;
      let high = blocks - 1;
      while (low < high) {
        const middle = (low + high + 1) >> 1;
        if (skips[2 * (middle - 1)]! < label) low = middle;
        else high = middle - 1;
      }
      index = low * every;
      offset = skips[2 * (low - 1) + 1]!;
      previous = skips[2 * (low - 1)]!;
    }
    const bytes = this.bytes;
    while (index < this.length) {
      let at = offset;
      let byte = bytes[at++]!;
      let gap = byte & 0x7f;
      for (let shift = 7; byte >= 0x80; shift += 7) {
        byte = bytes[at++]!;
        gap += (byte & 0x7f) * 2 ** shift;
      }
      if ((index === 0 ? gap : previous + gap) >= label) break;
      previous = index === 0 ? gap : previous + gap;
      while (bytes[at++]! >= 0x80);
      offset = at;
      index += 1;
    }
    return { index, offset, previous };
  }

  /** The smallest label in the list (its tail's when the frozen part is empty); -1 when it has none. */
  firstLabelOrNone(): number {
    if (this.length > 0) return this.firstLabel();
    return this.tail ? this.tail.firstLabelOrNone() : -1;
  }

  /** Postings in the list, its tail's included. */
  get size(): number {
    return this.length + (this.tail?.length ?? 0);
  }

  append(label: number, slot: number): void {
    if (this.length > 0 && label <= this.lastLabel) throw new Error(`posting labels must increase (${label} after ${this.lastLabel})`);
    if (this.frozen) {
      this.tail ??= new PostingList();
      this.tail.append(label, slot);
      return;
    }
    if (this.byteLength + 10 > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.byteLength + 10));
      grown.set(this.bytes.subarray(0, this.byteLength));
      this.bytes = grown;
    }
    if (this.length > 0 && this.length % POSTING_DEFAULTS.skipEvery === 0) this.addSkip(this.length, this.lastLabel, this.byteLength);
    this.byteLength = writeVarint(this.bytes, this.byteLength, this.length === 0 ? label : label - this.lastLabel);
    this.byteLength = writeVarint(this.bytes, this.byteLength, slot);
    this.lastLabel = label;
    this.length += 1;
  }

  /** The weight slot of `label`'s posting, or -1 when the term is not in that passage. */
  slotOf(label: number): number {
    if (this.tail && label > this.lastLabel) return this.tail.slotOf(label);
    if (this.length === 0 || label > this.lastLabel) return -1;
    const skips = this.skips;
    // The last block whose preceding label is below `label` holds it, if any block does.
    let low = 1;
    let high = Math.ceil(this.length / POSTING_DEFAULTS.skipEvery) - 1;
    let block = 0;
    while (skips && low <= high) {
      const middle = (low + high) >> 1;
      if (skips[2 * (middle - 1)]! < label) {
        block = middle;
        low = middle + 1;
      } else high = middle - 1;
    }
    const bytes = this.bytes;
    let current = block === 0 ? 0 : skips![2 * (block - 1)]!;
    let offset = block === 0 ? 0 : skips![2 * (block - 1) + 1]!;
    const end = Math.min(this.length, (block + 1) * POSTING_DEFAULTS.skipEvery);
    for (let index = block * POSTING_DEFAULTS.skipEvery; index < end; index += 1) {
      let byte = bytes[offset++]!;
      let delta = byte & 0x7f;
      for (let shift = 7; byte >= 0x80; shift += 7) {
        byte = bytes[offset++]!;
        delta += (byte & 0x7f) * 2 ** shift;
      }
      current = index === 0 ? delta : current + delta;
      byte = bytes[offset++]!;
      let slot = byte & 0x7f;
      for (let shift = 7; byte >= 0x80; shift += 7) {
        byte = bytes[offset++]!;
        slot += (byte & 0x7f) * 2 ** shift;
      }
      if (current === label) return slot;
      if (current > label) return -1;
    }
    return -1;
  }

  /**
   * For `count` labels in ascending order, sets `slots[position]` to the weight slot of each one the
   * list holds and to -1 for the others: one walk that jumps through the skip table over blocks
   * holding none of them. (Written to an array, not passed to a callback: a callback shared by
   * several callers was not inlined, and a slow query's 100k+ lookups at 1M passages cost about 57 ns
   * each that way, three times as much as reading a posting in a full scan.)
   */
  slotsOf(labels: Int32Array, count: number, slots: Int32Array): void {
    const every = POSTING_DEFAULTS.skipEvery;
    const bytes = this.bytes;
    const skips = this.skips;
    const blocks = Math.ceil(this.length / every);
    let index = 0;
    let offset = 0;
    /** Label and slot of posting index − 1 (−1: none decoded yet). */
    let current = -1;
    let slot = -1;
    for (let position = 0; position < count; position += 1) {
      const target = labels[position]!;
      if (target > this.lastLabel || this.length === 0) {
        // The rest are past the frozen part: the tail holds them if anything does.
        if (this.tail) this.tail.slotsOf(labels.subarray(position), count - position, slots.subarray(position));
        else slots.fill(-1, position, count);
        return;
      }
      const next = Math.floor(index / every) + 1;
      if (current < target && skips && next < blocks && skips[2 * (next - 1)]! < target) {
        // The last block past the current one whose preceding label is below the target, found by
        // galloping from the next block: dense targets (a query's many candidates) mostly stay in
        // the current block or the next, where a binary search over every block cost log(blocks)
        // steps for each one.
        let block = next;
        let step = 1;
        let beyond = next + 1;
        while (beyond < blocks && skips[2 * (beyond - 1)]! < target) {
          block = beyond;
          step *= 2;
          beyond = block + step;
        }
        let high = Math.min(beyond, blocks) - 1;
        while (block < high) {
          const middle = (block + high + 1) >> 1;
          if (skips[2 * (middle - 1)]! < target) block = middle;
          else high = middle - 1;
        }
        index = block * every;
        current = skips[2 * (block - 1)]!;
        offset = skips[2 * (block - 1) + 1]!;
      }
      while (current < target && index < this.length) {
        let byte = bytes[offset++]!;
        let delta = byte & 0x7f;
        for (let shift = 7; byte >= 0x80; shift += 7) {
          byte = bytes[offset++]!;
          delta += (byte & 0x7f) * 2 ** shift;
        }
        current = index === 0 ? delta : current + delta;
        byte = bytes[offset++]!;
        slot = byte & 0x7f;
        for (let shift = 7; byte >= 0x80; shift += 7) {
          byte = bytes[offset++]!;
          slot += (byte & 0x7f) * 2 ** shift;
        }
        index += 1;
      }
      slots[position] = current === target ? slot : -1;
    }
  }

  /** Calls `visit` for every posting in label order. */
  forEach(visit: (label: number, slot: number) => void): void {
    const bytes = this.bytes;
    let offset = 0;
    let label = 0;
    for (let index = 0; index < this.length; index += 1) {
      let byte = bytes[offset++]!;
      let delta = byte & 0x7f;
      for (let shift = 7; byte >= 0x80; shift += 7) {
        byte = bytes[offset++]!;
        delta += (byte & 0x7f) * 2 ** shift;
      }
      label += delta;
      byte = bytes[offset++]!;
      let slot = byte & 0x7f;
      for (let shift = 7; byte >= 0x80; shift += 7) {
        byte = bytes[offset++]!;
        slot += (byte & 0x7f) * 2 ** shift;
      }
      visit(label, slot);
    }
    this.tail?.forEach(visit);
  }

  /** A copy holding only the postings `keep` accepts, sized to fit. */
  filtered(keep: (label: number) => boolean): PostingList {
    const kept = new PostingList();
    kept.frequency = this.frequency;
    kept.maxWeight = this.maxWeight;
    this.forEach((label, slot) => {
      if (keep(label)) kept.append(label, slot);
    });
    return kept.trimmed();
  }

  /** The encoded postings (what a snapshot stores): a view when there is no tail, else the tail joined on. */
  encoded(): Uint8Array {
    const own = this.bytes.subarray(0, this.byteLength);
    if (!this.tail || this.tail.length === 0) return own;
    // The tail's first label is stored whole: as a gap from the frozen part's last label it joins on.
    const tail = this.tail.encoded();
    let offset = 0;
    while (tail[offset]! >= 0x80) offset += 1;
    const first = new Uint8Array(10);
    const firstLength = writeVarint(first, 0, this.tail.firstLabel() - (this.length === 0 ? 0 : this.lastLabel));
    const joined = new Uint8Array(own.length + firstLength + tail.length - offset - 1);
    joined.set(own);
    joined.set(first.subarray(0, firstLength), own.length);
    joined.set(tail.subarray(offset + 1), own.length + firstLength);
    return joined;
  }

  private firstLabel(): number {
    let label = 0;
    for (let offset = 0, shift = 0; ; offset += 1, shift += 7) {
      const byte = this.bytes[offset]!;
      label += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return label;
    }
  }

  private trimmed(): PostingList {
    if (this.bytes.length > this.byteLength) this.bytes = this.bytes.slice(0, Math.max(this.byteLength, 1));
    return this;
  }

  private addSkip(index: number, previousLabel: number, offset: number): void {
    const entry = index / POSTING_DEFAULTS.skipEvery - 1;
    if (!this.skips || this.skips.length < 2 * (entry + 1)) {
      const grown = new Int32Array(Math.max(2, (this.skips?.length ?? 0) * 2, 2 * (entry + 1)));
      if (this.skips) grown.set(this.skips);
      this.skips = grown;
    }
    this.skips[2 * entry] = previousLabel;
    this.skips[2 * entry + 1] = offset;
  }
}

/** A frozen list's bytes in shared memory and what reading them needs (`PostingList.sharedParts`). */
export interface SharedPostingParts {
  byteOffset: number;
  byteLength: number;
  length: number;
  lastLabel: number;
  frequency: number;
  maxWeight: number;
  skips: Int32Array | undefined;
}

/**
 * Decodes an encoded list once, checking it is whole: its last label and the slot of its largest
 * weight (given the weight of each slot), calling `atSkip(index, label before, offset)` where each
 * skip-table entry belongs.
 */
export function scanEncoded(
  bytes: Uint8Array,
  length: number,
  weights?: readonly number[],
  atSkip?: (index: number, previousLabel: number, offset: number) => void,
): { lastLabel: number; maxSlot: number } {
  let maxSlot = 0;
  let offset = 0;
  let label = 0;
  for (let index = 0; index < length; index += 1) {
    if (atSkip && index > 0 && index % POSTING_DEFAULTS.skipEvery === 0) atSkip(index, label, offset);
    let shift = 0;
    let delta = 0;
    for (;;) {
      const byte = bytes[offset++];
      if (byte === undefined) throw new Error('the lexical index has a truncated posting list');
      delta += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) break;
      shift += 7;
    }
    label += delta;
    let slot = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[offset++];
      if (byte === undefined) throw new Error('the lexical index has a truncated posting list');
      slot += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) break;
    }
    if (weights && weights[slot]! > weights[maxSlot]!) maxSlot = slot;
  }
  if (offset !== bytes.length) throw new Error('the lexical index has a posting list of the wrong size');
  return { lastLabel: label, maxSlot };
}

/** LEB128: 7 bits a byte, low bits first; returns the offset after it. */
export function writeVarint(buffer: Uint8Array, start: number, value: number): number {
  let offset = start;
  let rest = value;
  while (rest >= 0x80) {
    buffer[offset++] = (rest & 0x7f) | 0x80;
    rest = Math.floor(rest / 128);
  }
  buffer[offset++] = rest;
  return offset;
}
