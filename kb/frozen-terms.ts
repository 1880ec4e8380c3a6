import { VocabularyIndex } from '../lib/vocabulary-index.ts';
import { POSTING_DEFAULTS, PostingList, scanEncoded } from './posting-list.ts';

/**
 * The short posting lists of a lexical index read from a snapshot (at most `skipEvery` postings,
 * so no skip table: most terms are rare), kept as typed arrays over the snapshot's bytes instead
 * of a string, a list object and a view per term. A query makes the list objects it reads (they
 * die young); a list that grows or is compacted moves to the index's map (`take`).
 *
 * Why: at 1M passages the 143k terms' strings, lists, views and boxed weights were ~700k of the
 * heap's 2M objects, every one of them traced by each full collection, whose marking slowed the
 * searches around it (the slowest 1 % of 1,400 fresh questions).
 */
export class FrozenTerms {
  private readonly file: Uint8Array;
  private readonly names: VocabularyIndex;
  /** Where each term's encoded postings start in `file` (a float: a snapshot may pass 4 GB). */
  private readonly offsets: Float64Array;
  private readonly byteLengths: Uint32Array;
  private readonly lengths: Uint32Array;
  private readonly lastLabels: Uint32Array;
  private readonly frequencies: Uint32Array;
  private readonly maxWeights: Float32Array;
  /** 1 once the term's list lives in the index's map instead. */
  private readonly moved: Uint8Array;
  private movedCount = 0;

  private constructor(file: Uint8Array, builder: FrozenTermsBuilder) {
    this.file = file;
    const count = builder.count;
    this.names = new VocabularyIndex(builder.nameBytes.subarray(0, Math.max(0, builder.nameLength - 1)), count);
    this.offsets = builder.offsets.slice(0, count);
    this.byteLengths = builder.byteLengths.slice(0, count);
    this.lengths = builder.lengths.slice(0, count);
    this.lastLabels = builder.lastLabels.slice(0, count);
    this.frequencies = builder.frequencies.slice(0, count);
    this.maxWeights = builder.maxWeights.slice(0, count);
    this.moved = new Uint8Array(count);
  }

  static builder(file: Uint8Array, terms: number): FrozenTermsBuilder {
    return new FrozenTermsBuilder(file, terms, (builder) => new FrozenTerms(file, builder));
  }

  /** Terms still held here. */
  get size(): number {
    return this.names.size - this.movedCount;
  }

  /** The term's rank here, or undefined when it is not held here (never was, or moved). */
  rankOf(term: string): number | undefined {
    const rank = this.names.rankOf(term);
    return rank === undefined || this.moved[rank] === 1 ? undefined : rank;
  }

  frequencyOf(rank: number): number {
    return this.frequencies[rank]!;
  }

  /** One passage holding the term was removed. */
  decrementFrequency(rank: number): void {
    if (this.frequencies[rank]! > 0) this.frequencies[rank]! -= 1;
  }

  /** A list object for the term's postings (a view of the snapshot's bytes; nothing is copied). */
  list(rank: number): PostingList {
    const offset = this.offsets[rank]!;
    return PostingList.ofShort(this.file.subarray(offset, offset + this.byteLengths[rank]!), {
      length: this.lengths[rank]!,
      lastLabel: this.lastLabels[rank]!,
      frequency: this.frequencies[rank]!,
      maxWeight: this.maxWeights[rank]!,
    });
  }

  /** The term's list, no longer held here: the caller keeps it (it is about to change). */
  take(rank: number): PostingList {
    const list = this.list(rank);
    this.moved[rank] = 1;
    this.movedCount += 1;
    return list;
  }

  /** The terms still held here: each one's UTF-8 name (a view) and rank. */
  *entries(): Generator<{ name: Uint8Array; rank: number }> {
    for (let rank = 0; rank < this.names.size; rank += 1) {
      if (this.moved[rank] !== 1) yield { name: this.names.bytesOf(rank), rank };
    }
  }
}

/** Collects the short lists while a snapshot is read (see `FrozenTerms`). */
export class FrozenTermsBuilder {
  count = 0;
  nameBytes: Uint8Array;
  nameLength = 0;
  readonly offsets: Float64Array;
  readonly byteLengths: Uint32Array;
  readonly lengths: Uint32Array;
  readonly lastLabels: Uint32Array;
  readonly frequencies: Uint32Array;
  readonly maxWeights: Float32Array;

  constructor(
    private readonly file: Uint8Array,
    terms: number,
    private readonly finish: (builder: FrozenTermsBuilder) => FrozenTerms,
  ) {
    this.nameBytes = new Uint8Array(Math.max(16, terms * 12));
    this.offsets = new Float64Array(terms);
    this.byteLengths = new Uint32Array(terms);
    this.lengths = new Uint32Array(terms);
    this.lastLabels = new Uint32Array(terms);
    this.frequencies = new Uint32Array(terms);
    this.maxWeights = new Float32Array(terms);
  }

  /** Whether a list of this many postings is held here (else it needs a list object with its skip table). */
  static holds(length: number): boolean {
    return length > 0 && length <= POSTING_DEFAULTS.skipEvery;
  }

  /** Adds a short list: its name's and postings' places in the file (checked whole, as `fromEncoded` does). */
  add(nameStart: number, nameEnd: number, start: number, end: number, length: number, frequency: number, weights: readonly number[]): void {
    const postings = this.file.subarray(start, end);
    const { lastLabel, maxSlot } = scanEncoded(postings, length, weights);
    const nameLength = nameEnd - nameStart;
    if (this.nameLength + nameLength + 1 > this.nameBytes.length) {
      const grown = new Uint8Array(Math.max(this.nameBytes.length * 2, this.nameLength + nameLength + 1));
      grown.set(this.nameBytes.subarray(0, this.nameLength));
      this.nameBytes = grown;
    }
    this.nameBytes.set(this.file.subarray(nameStart, nameEnd), this.nameLength);
    this.nameLength += nameLength;
    this.nameBytes[this.nameLength++] = 10;
    const rank = this.count++;
    this.offsets[rank] = start;
    this.byteLengths[rank] = end - start;
    this.lengths[rank] = length;
    this.lastLabels[rank] = lastLabel;
    this.frequencies[rank] = frequency;
    this.maxWeights[rank] = weights[maxSlot] ?? 0;
  }

  build(): FrozenTerms {
    return this.finish(this);
  }
}
