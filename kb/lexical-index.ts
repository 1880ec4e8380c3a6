import { z } from 'zod';
import { writeFileAtomic } from './atomic-write.ts';
import { FrozenTerms, FrozenTermsBuilder } from './frozen-terms.ts';
import {
  LEXICAL_HELPER_SHARE,
  type LexicalHelperAnswer,
  type LexicalHelperLink,
  type LexicalHelperRequest,
  type SharedLexicalMemory,
} from './lexical-shared.ts';
import { POSTING_DEFAULTS, PostingList } from './posting-list.ts';
import { KERNEL_HEAP_SLOTS, type KernelArrays, readIntoArena, ScoringArena, ScoringKernel } from './scoring-kernel.ts';
import { tokenize } from './tokenize.ts';

/**
 * BM25 over passages, with compressed posting lists (posting-list.ts). MiniSearch (measured) scored
 * every passage containing any query term through object maps: 120 ms p50 / 480 ms p99 at 100k
 * passages. Here a query decodes the postings of its terms into a reused score buffer, and a
 * bounded heap picks the top k: each posting costs a few byte reads.
 *
 * Passages are numbered by their vector-index label (unique, never reused), so both indexes share
 * one id space. Section headings and article titles are indexed with lower weights than the text.
 * A removed passage is marked dead at once and its postings are dropped at the next compaction.
 */
export interface LexicalDocument {
  label: number;
  text: string;
  section: string;
  title: string;
}

export interface WeightedTerm {
  term: string;
  weight: number;
}

export interface LexicalHit {
  label: number;
  score: number;
  /** Bit i set when the passage holds query term i (of the terms searched, in the order given). */
  mask: number;
}

export interface LexicalSearchResult {
  hits: LexicalHit[];
  /** The query terms actually searched (at most 32), in mask bit order. */
  terms: string[];
  /** Masks of the passages asked about in `report`, whether or not they made the top k. */
  reported: Map<number, number>;
}

/**
 * BM25+ (Lv & Zhai 2011): `delta` lifts every matching passage a little, so a long passage that
 * holds a rare term is not scored below a short one that lacks it.
 */
/** Relative slack on MaxScore's bounds: scores add up in float32, the bounds in float64. */
const PRUNING_MARGIN = 1e-4;
/** Passage lengths (in terms) MaxScore's per-passage bounds are tabulated for; longer ones share the last. */
const LENGTH_BOUND_TABLE = 1_024;

export const LEXICAL_DEFAULTS = {
  k1: 1.2,
  b: 0.75,
  delta: 0,
  sectionWeight: 0.6,
  titleWeight: 0.4,
  maxQueryTerms: 32,
  /**
   * Terms in more than this share of passages do not choose candidates (their IDF is near zero
   * and walking their postings is most of the cost); they still add to the chosen passages' scores
   * and masks, looked up by binary search in their sorted postings.
   */
  commonShare: 0.25,
  /** …only in knowledge bases this large: below it every posting is scanned (it is cheap) and exact. */
  commonMinPassages: 5_000,
  /** MaxScore pruning (see `search`); it changes no result, and off only to check that it does not. */
  maxScore: true,
  /**
   * MaxScore's threshold (the k-th best score so far) is read over at most this many of the
   * passages touched first (those holding the rarest terms, which rank highest): the k-th best of
   * a subset is never above the k-th best of all, so it stays a safe bound. Read over every touched
   * passage, before each list, it cost milliseconds at 1M passages once 100k+ were touched.
   */
  thresholdSample: 4_096,
  /**
   * Before the longer lists are read, this many of the best passages so far (at least k) get their
   * full score (their remaining terms looked up): the k-th best of those is a real passage's
   * score, so the true k-th best is at least that, and MaxScore can start pruning while a
   * threshold made of the terms read so far is still far too low (0 turns it off). At 1M passages,
   * 200 generated questions of each of four seeds, k = 60 (lexical p99 by seed): 10.8–13.7 ms
   * without, 8.9–10.1 with 64, 9.2–12.3 with 256, 10.8–11.6 with 1,024. Seeded again before each
   * later list until pruning starts (the best passages over more terms make better seeds): 400 of
   * those questions, alternating with seeding once, p50 2.9 vs 3.5 ms and p99 9.3 vs 10.6.
   */
  seedPassages: 64,
  /** …only when the lists left hold at least this many times the postings completing them may decode. */
  seedPayback: 4,
  /**
   * Once MaxScore has chosen its candidates, a later list is read whole (each posting added to the
   * passages already touched) instead of looked up for each candidate when the candidates number
   * more than its postings over this: dense lookups decode most of the list anyway, with a skip and
   * a write per candidate on top. At 1M passages (800 generated questions, k = 60, alternating per
   * question with the code that looked every list up; the same hits): mean 2.70 and 2.74 against
   * 2.75 and 2.80 ms, p99 9.10 and 8.79 against 9.73 and 8.99 (two runs); the slowest 20 questions
   * 187.5 against 207.9 ms. Densities 2 and 8 were no better than 4. 0 turns it off.
   */
  scanDensity: 4,
  /**
   * Score a snapshot's lists with the WebAssembly loop (scoring-kernel.wat) where the index was
   * read into a ScoringArena; the same scores to the bit, and off only to check that they are.
   */
  scoringKernel: true,
};

/** Weight slots the kernel's copy of the weight table holds at least (a snapshot has a handful; later writes may add some). */
const KERNEL_WEIGHT_SLOTS = 4_096;

/** The slots of the kernel's weight table for a snapshot of `weights` distinct weights. */
function kernelWeightSlots(weights: number): number {
  return Math.max(KERNEL_WEIGHT_SLOTS, 2 * weights);
}

/** One thread's scores, masks and touched list (a word each per passage) and top-k heap, carved from `arena`. */
function allocateQueryArrays(arena: ScoringArena, capacity: number): Pick<KernelArrays, 'scores' | 'masks' | 'touched' | 'heap'> {
  return {
    scores: arena.allocate(capacity * 4),
    masks: arena.allocate(capacity * 4),
    touched: arena.allocate(capacity * 4),
    heap: arena.allocate(KERNEL_HEAP_SLOTS * 4),
  };
}

/**
 * What an index's arena needs beside its snapshot: the per-passage arrays copied out of it (lengths,
 * posting counts, live flags: 9 bytes a passage), `allocateQueryArrays` for this thread and the
 * helper, and the weight table; each of those dozen pieces may take up to 7 bytes more to align.
 */
function kernelArenaBytes(capacity: number, weights: number): number {
  return capacity * 9 + 2 * (capacity * 12 + KERNEL_HEAP_SLOTS * 4) + 8 * kernelWeightSlots(weights) + 12 * 8;
}

/**
 * The scoring kernel of an index read into a ScoringArena, and the arrays it scores with: a query
 * hands it a list when the list's bytes are views of `file` and the query's arrays are these (an
 * index that grew past its snapshot's capacity has new arrays and scores in JavaScript).
 */
interface KernelScoring {
  kernel: ScoringKernel;
  file: ArrayBufferLike;
  at: KernelArrays;
  live: Uint8Array;
  lengths: Float32Array;
  scores: Float32Array;
  masks: Uint32Array;
  touched: Int32Array;
  /** The weight table as float64, by slot (`KERNEL_WEIGHT_SLOTS` or more). */
  weights: Float64Array;
  /** The top-k heap the kernel fills (KERNEL_HEAP_SLOTS labels). */
  heap: Int32Array;
}

/**
 * Format 5: each posting list as it is in memory (label gaps and weight slots as varints, see
 * posting-list.ts), after a table of the distinct weights (a handful of values: term counts plus
 * the section and title weights). Format 4 (gaps, then fixed-width slots) is still read.
 */
const MAGIC = 'CPLX0005';
const MAGIC_FORMAT_4 = 'CPLX0004';

const LexicalHeaderSchema = z.object({
  count: z.number().int().nonnegative(),
  totalLength: z.number().nonnegative(),
  capacity: z.number().int().nonnegative(),
  nextLabel: z.number().int().nonnegative(),
  terms: z.number().int().nonnegative(),
  livePostings: z.number().int().nonnegative(),
  /** Distinct posting weights; each posting stores an index into it (1 byte up to 256 values, else 2). */
  weights: z.array(z.number()),
});

export class LexicalIndex {
  /** Lists with a skip table, lists that changed since the snapshot, and new terms' lists. */
  private postings = new Map<string, PostingList>();
  /** The snapshot's other lists (short ones: most terms), as typed arrays (frozen-terms.ts). */
  private frozen: FrozenTerms | undefined;
  private lengths: Float32Array<ArrayBufferLike> = new Float32Array(1024);
  /** Distinct terms (postings) each passage added, so a removal needs only the passage text. */
  private postingCounts: Uint32Array<ArrayBufferLike> = new Uint32Array(1024);
  private live: Uint8Array<ArrayBufferLike> = new Uint8Array(1024);
  private count = 0;
  private nextLabel = 0;
  private totalLength = 0;
  private deadPostings = 0;
  private livePostings = 0;
  // Scratch buffers reused across queries (a search is synchronous, so they are never shared).
  /** Every distinct posting weight (rounded to float32, as scored) by slot, and the slot of each. */
  private weightTable: number[] = [];
  private weightSlots = new Map<number, number>();
  private scores = new Float32Array(1024);
  private masks = new Uint32Array(1024);
  /** Labels a query touched (reused: a fresh array per query of 100k+ labels was old-space garbage). */
  private touched = new Int32Array(1024);
  /**
   * MaxScore's candidates and the buffer their runs are merged through, reused likewise: fresh,
   * they were up to 5 MB of ArrayBuffers a query at 1M passages, memory outside the heap whose
   * growth starts full collections (one fell among the first users' questions).
   */
  private kept = new Int32Array(1024);
  private merging = new Int32Array(1024);
  /** The weight slot of each candidate in the list being looked up (-1: absent), reused likewise. */
  private slots = new Int32Array(1024);
  /** MaxScore's per-length bounds (see `search`), refilled by each query. */
  private lengthBounds = new Float64Array(LENGTH_BOUND_TABLE);
  /** At most the shortest live passage's length (a removal leaves it lower): bounds a term's best score. */
  private minLength = Number.POSITIVE_INFINITY;
  /** The snapshot's memory as another thread reads it, on an index read from a file (see `sharedMemory`). */
  private shared: SharedLexicalMemory | undefined;
  /** The thread that scores part of a large query's lists (lexical-helper.ts), once attached. */
  private helper: LexicalHelperLink | undefined;
  /** Scores the helper's part here when the helper does not take it up (made at the first such query). */
  private stealView: LexicalIndex | undefined;
  /** The memory the snapshot was read into and the kernel that scores its lists (see `KernelScoring`). */
  private arena: ScoringArena | undefined;
  private scoring: KernelScoring | undefined;

  static create(): LexicalIndex {
    return new LexicalIndex();
  }

  get size(): number {
    return this.count;
  }

  has(label: number): boolean {
    return label < this.live.length && this.live[label] === 1;
  }

  /** Passages whose text holds the term. */
  frequencyOf(term: string): number {
    const posting = this.postings.get(term);
    if (posting) return posting.frequency;
    const rank = this.frozen?.rankOf(term);
    return rank === undefined ? 0 : this.frozen!.frequencyOf(rank);
  }

  /** Inverse document frequency (BM25's smoothed form). */
  idf(term: string): number {
    const frequency = this.frequencyOf(term);
    return Math.log(1 + (this.count - frequency + 0.5) / (frequency + 0.5));
  }

  get dirtFactor(): number {
    const total = this.livePostings + this.deadPostings;
    return total === 0 ? 0 : this.deadPostings / total;
  }

  add(document: LexicalDocument): void {
    if (this.has(document.label)) throw new Error(`passage ${document.label} is already indexed`);
    // Postings stay sorted by label (binary search relies on it): labels only ever grow.
    if (document.label < this.nextLabel) throw new Error(`passage labels must increase (${document.label} after ${this.nextLabel - 1})`);
    this.nextLabel = document.label + 1;
    this.ensureCapacity(document.label + 1);
    const textTerms = tokenize(document.text);
    const weights = new Map<string, number>();
    for (const term of textTerms) weights.set(term, (weights.get(term) ?? 0) + 1);
    // Every key so far comes from the text: each is one more passage holding its term.
    const inText = weights.size;
    for (const term of tokenize(document.section)) weights.set(term, (weights.get(term) ?? 0) + LEXICAL_DEFAULTS.sectionWeight);
    for (const term of tokenize(document.title)) weights.set(term, (weights.get(term) ?? 0) + LEXICAL_DEFAULTS.titleWeight);
    let position = 0;
    for (const [term, weight] of weights) {
      // Map iteration follows insertion order: the first `inText` keys are the text's terms.
      this.append(term, document.label, weight, position < inText ? 1 : 0);
      position += 1;
    }
    this.lengths[document.label] = Math.max(1, textTerms.length);
    this.minLength = Math.min(this.minLength, Math.max(1, textTerms.length));
    this.postingCounts[document.label] = weights.size;
    this.live[document.label] = 1;
    this.count += 1;
    this.totalLength += Math.max(1, textTerms.length);
    this.livePostings += weights.size;
  }

  /**
   * Removes a passage. `text` must be the passage text that was added: it drives the document
   * frequencies, which stay as they were when it is unknown.
   */
  remove(document: { label: number; text: string | undefined }): void {
    if (!this.has(document.label)) return;
    this.live[document.label] = 0;
    // The helper reads the snapshot's passages through the shared copy (the own one may have grown since).
    if (this.shared && document.label < this.shared.live.length) this.shared.live[document.label] = 0;
    this.count -= 1;
    this.totalLength -= this.lengths[document.label]!;
    const postings = this.postingCounts[document.label]!;
    this.livePostings -= postings;
    this.deadPostings += postings;
    if (document.text === undefined) return;
    for (const term of new Set(tokenize(document.text))) {
      const posting = this.postings.get(term);
      if (posting && posting.frequency > 0) posting.frequency -= 1;
      const rank = posting ? undefined : this.frozen?.rankOf(term);
      if (rank !== undefined) this.frozen!.decrementFrequency(rank);
    }
  }

  /**
   * BM25 top k for weighted query terms (OR semantics). `accept` filters passages by label;
   * `report` asks for the term masks of other passages (e.g. the vector side's candidates).
   */
  search(query: WeightedTerm[], k: number, options: { accept?: (label: number) => boolean; report?: Iterable<number> } = {}): LexicalSearchResult {
    const merged = new Map<string, number>();
    for (const { term, weight } of query) merged.set(term, Math.max(merged.get(term) ?? 0, weight));
    // The most informative terms first; a query rarely has more than 32. (No `weight` field: whole
    // in some queries and fractional in others, it changed these objects' shape between queries,
    // and the code after `search`'s last loop deoptimised on every call; see `clearTouched`.)
    const terms = [...merged]
      .flatMap(([term, weight]) => {
        const posting = this.listOf(term);
        return posting ? [{ term, value: weight * this.idf(term), posting }] : [];
      })
      .sort((a, b) => b.value - a.value || a.term.localeCompare(b.term))
      .slice(0, LEXICAL_DEFAULTS.maxQueryTerms);
    const reported = new Map<number, number>();
    if (terms.length === 0 || this.count === 0) return { hits: [], terms: terms.map(({ term }) => term), reported };
    if (k <= 0) {
      // Only the report (a hybrid query asks it for vector candidates once both searches are back):
      // every term looked up, which is what the report of a full search holds too. The labels are
      // looked up in label order, each list walked once for all of them (`slotsOf`), not searched
      // from its start for each label.
      const live = this.live;
      const labels = Int32Array.from(new Set([...(options.report ?? [])].filter((label) => label >= 0 && label < live.length && live[label] === 1))).sort();
      if (this.slots.length < labels.length) this.slots = new Int32Array(Math.max(labels.length, this.slots.length * 2));
      const slots = this.slots;
      const found = new Uint32Array(labels.length);
      terms.forEach(({ posting }, bit) => {
        posting.slotsOf(labels, labels.length, slots);
        markFound(slots, labels.length, this.weightTable, found, 1 << bit);
      });
      labels.forEach((label, index) => {
        if (found[index] !== 0) reported.set(label, found[index]!);
      });
      return { hits: [], terms: terms.map(({ term }) => term), reported };
    }

    const { k1, b, delta, commonShare, commonMinPassages } = LEXICAL_DEFAULTS;
    const averageLength = this.totalLength / this.count;
    const { scores, masks, live, lengths } = this;
    const norm: Bm25Norm = { k1, b, delta, averageLength };
    const contribution = (value: number, frequency: number, label: number) => termScore(value, frequency, lengths[label]!, k1, b, delta, averageLength);
    const isCommon = terms.map(({ posting }) => this.count >= commonMinPassages && posting.frequency > commonShare * this.count);
    // When every term is common, they all choose candidates (a query of only common words).
    if (isCommon.every(Boolean)) isCommon.fill(false);
    const selective = terms.flatMap(({ value, posting }, bit) => (isCommon[bit] ? [] : [{ bit, value, posting }]));
    const shared = options.accept ? undefined : this.helperRequest(selective, k, norm);
    // With a helper thread, it scores the snapshot's lists below `split` while this thread scores the
    // rest; the two top k merged are the top k of all (each passage's score is summed in the same
    // order either way).
    const split = shared?.split ?? 0;
    if (shared) this.helper!.begin(shared);
    const scored = this.scoreSelective(selective, k, norm, this.minLength, { from: split, to: NO_LABEL_LIMIT, accept: options.accept });
    let { lookedUpBits, touchedCount } = scored;
    let touched = this.touched;
    const touch = (label: number) => {
      if (touchedCount === touched.length) touched = this.touched = grownInt32(touched, touchedCount + 1);
      touched[touchedCount++] = label;
    };
    let hits = scored.hits;
    if (shared) {
      // Not taken up by the helper (busy, slow to wake, or gone): this thread scores its part too.
      const theirs = this.helper!.end() ?? this.sharedView().answer(shared);
      for (const hit of theirs.hits) {
        scores[hit.label] = hit.score;
        masks[hit.label] = hit.mask;
        touch(hit.label);
      }
      hits = [...hits, ...theirs.hits].sort(compareHits).slice(0, k);
      lookedUpBits |= theirs.lookedUpBits;
    }
    /** Every term's bit: a passage below `split` that is not a hit was scored by the helper, not here. */
    const allBits = terms.length === 32 ? -1 : (1 << terms.length) - 1;
    let commonBits = 0;
    isCommon.forEach((common, bit) => {
      if (common) commonBits |= 1 << bit;
    });
    /** Adds the mask bits (and, with `withScore`, the scores) of the terms in `bits` to one passage, by lookup. */
    const addLookedUp = (label: number, bits: number, withScore: boolean) => {
      if (bits === 0) return;
      terms.forEach(({ posting, value }, bit) => {
        if ((bits & (1 << bit)) === 0) return;
        const frequency = this.weightOf(posting, label);
        if (frequency === 0) return;
        masks[label]! |= 1 << bit;
        if (withScore) scores[label]! += contribution(value, frequency, label);
      });
    };

    if (commonBits !== 0) {
      for (const hit of hits) {
        addLookedUp(hit.label, commonBits, true);
        hit.score = scores[hit.label]!;
        hit.mask = masks[hit.label]!;
      }
      hits.sort(compareHits);
    }
    for (const label of options.report ?? []) {
      if (label >= masks.length || live[label] !== 1 || hits.some((hit) => hit.label === label)) {
        if (label < masks.length && masks[label] !== 0) reported.set(label, masks[label]!);
        continue;
      }
      if (masks[label] === 0) touch(label);
      // A passage MaxScore dropped (or never read) lacks the bits of the terms only looked up.
      addLookedUp(label, label < split ? allBits : commonBits | lookedUpBits, false);
      if (masks[label] !== 0) reported.set(label, masks[label]!);
    }
    const names = terms.map(({ term }) => term);
    this.clearTouched(touched, touchedCount);
    return { hits, terms: names, reported };
  }

  /**
   * The top k by the selective lists (those choosing candidates) over the passages labelled
   * `window.from` to `window.to` (excluded), by MaxScore, with their scores and masks over those
   * lists; the passages it touched stay in `touched` (its first `touchedCount`) with their scores and
   * masks, for the caller to complete and clear.
   */
  private scoreSelective(
    selective: SelectiveList[],
    k: number,
    norm: Bm25Norm,
    minLength: number,
    window: ScanWindow,
  ): { hits: LexicalHit[]; lookedUpBits: number; touchedCount: number } {
    // MaxScore (Turtle & Flood 1995), term at a time: once the k-th best score so far exceeds
    // what the terms not yet read could add at most, no passage they alone hold can enter the
    // top k, so those terms (the longest lists: the rarest terms come first) are only looked up
    // for the passages that can still make it. The top k, its scores and its masks are exactly
    // what reading every list gives; at 1M passages this skips most postings of a query.
    const { k1, b, delta, averageLength } = norm;
    const { scores, masks, live, lengths, weightTable } = this;
    const kernel = this.usableKernel();
    const accept = window.accept;
    const contribution = (value: number, frequency: number, label: number) => termScore(value, frequency, lengths[label]!, k1, b, delta, averageLength);
    let touched = this.touched;
    let touchedCount = 0;
    const lengthFloor = k1 * (1 - b + (b * minLength) / averageLength);
    const bounds = selective.map(({ value, posting }) => {
      const weight = posting.maxWeight;
      // The term-frequency part of BM25 stays below k1 + 1 whatever the weight (a list whose largest weight is unknown).
      return value * ((weight > 0 ? (weight * (k1 + 1)) / (weight + lengthFloor) : k1 + 1) + delta);
    });
    const prunable = LEXICAL_DEFAULTS.maxScore && selective.every(({ value }) => value >= 0) && Number.isFinite(lengthFloor);
    let remainingBound = bounds.reduce((sum, bound) => sum + bound, 0);
    /** The most the terms read so far can give a passage: the threshold cannot exceed it. */
    let readBound = 0;
    let remainingPostings = selective.reduce((sum, { posting }) => sum + posting.size, 0);
    let threshold = 0;
    /** Terms only looked up for the candidates (MaxScore), by bit. */
    let lookedUpBits = 0;
    let candidates: Int32Array | undefined;
    let candidateCount = 0;
    /** Whether any passage at `score` may still reach the threshold (a margin for float32 sums). */
    const mayReach = (score: number) => score + remainingBound * (1 + PRUNING_MARGIN) + PRUNING_MARGIN >= threshold;
    // A touched passage's own bound: the terms not read yet at their largest weight in a passage of
    // its length, not of the shortest one (a heading a few words long), so fewer candidates are
    // looked up (the slowest 5 % of queries at 1M: lookups 2.4 → 1.8 ms). Kept by length (a whole
    // count of terms; the bound falls as it grows, so the last entry serves every longer passage).
    const boundByLength = this.lengthBounds;
    let firstUnread = 0;
    let tabulatedFrom = -1;
    /** Makes `boundByLength` the table for the lists from `firstUnread` on (entries filled as lengths come up). */
    const tabulate = () => {
      if (tabulatedFrom === firstUnread) return;
      tabulatedFrom = firstUnread;
      boundByLength.fill(-1);
    };
    const unreadBound: UnreadBound = { lists: selective, from: 0, minLength, norm };
    /** Where each scanned list's passages begin in `touched`: each list adds its new passages in label order. */
    const runStarts: number[] = [];
    let seedThreshold = 0;
    selective.forEach(({ bit, value, posting }, position) => {
      firstUnread = position;
      // Pruning starts once the k-th best score so far exceeds what the lists left could add, which
      // it cannot while the lists read could add less; reading it costs a pass over some touched
      // passages, worth it only before lists longer than that.
      if (!candidates && prunable && touchedCount > 0 && remainingPostings > 2 * touchedCount) {
        const sample = touched.subarray(0, Math.min(touchedCount, LEXICAL_DEFAULTS.thresholdSample));
        const seedCount = Math.max(k, LEXICAL_DEFAULTS.seedPassages);
        // Completing the seeds decodes at most a block of each list left per seed: worth it only
        // when those lists are much longer (at 100k passages it was a net cost).
        const seedCost = seedCount * POSTING_DEFAULTS.skipEvery * (selective.length - position);
        // Seeded again before each list while no pruning has started: the best passages over more
        // terms read are likelier to hold the rest, so their full scores make a higher threshold.
        let seeds: LexicalHit[] | undefined;
        if (touchedCount >= k && LEXICAL_DEFAULTS.seedPassages > 0 && remainingPostings >= LEXICAL_DEFAULTS.seedPayback * seedCost) {
          seeds = topK(sample, scores, masks, seedCount, accept, kernel);
          if (seeds.length >= k) seedThreshold = Math.max(seedThreshold, fullScoreThreshold(seeds, selective.slice(position), k, contribution, weightTable));
        }
        let sampled = 0;
        if (!(readBound * (1 + PRUNING_MARGIN) < remainingBound)) {
          // The seeds, when taken this round, are the sample's best in order: their k-th is this one.
          const best = seeds ?? topK(sample, scores, masks, k, accept, kernel);
          sampled = best.length >= k ? best[k - 1]!.score : 0;
        }
        threshold = Math.max(sampled, seedThreshold);
        if (threshold > 0 && !mayReach(0)) {
          // Kept in `touched` order, then merged run by run into label order (sorting them all cost
          // a slow query 1.6 ms at 1M passages).
          if (this.kept.length < touchedCount) {
            this.kept = new Int32Array(Math.max(touchedCount, this.kept.length * 2));
            this.merging = new Int32Array(this.kept.length);
          }
          const kept = this.kept;
          const keptStarts: number[] = [];
          tabulate();
          unreadBound.from = firstUnread;
          const reach: Reach = { scores, lengths, table: boundByLength, unread: unreadBound, threshold };
          runStarts.forEach((start, run) => {
            keptStarts.push(candidateCount);
            const end = run + 1 < runStarts.length ? runStarts[run + 1]! : touchedCount;
            candidateCount = keepReachable(touched, start, end, kept, candidateCount, reach);
          });
          candidates = mergeSortedRuns(kept, candidateCount, keptStarts, this.merging);
        }
      }
      const flag = 1 << bit;
      if (candidates) {
        lookedUpBits |= flag;
        const arrays: ScoringArrays = { live, lengths, scores, masks, weights: weightTable, touched, kernel };
        if (candidateCount * LEXICAL_DEFAULTS.scanDensity > posting.size) {
          // Read whole, the touched passages that are no longer candidates get the term too: they
          // are never candidates again, and a report asks for their masks by lookup anyway.
          for (let part: PostingList | undefined = posting; part; part = part.tail) accumulate(part, window, flag, value, norm, arrays, touchedCount, false);
        } else {
          if (this.slots.length < candidateCount) this.slots = new Int32Array(Math.max(candidateCount, this.slots.length * 2));
          posting.slotsOf(candidates, candidateCount, this.slots);
          addFound(candidates, candidateCount, this.slots, flag, value, norm, arrays);
        }
        remainingBound -= bounds[position]!;
        firstUnread = position + 1;
        tabulate();
        unreadBound.from = firstUnread;
        candidateCount = keepReachable(candidates, 0, candidateCount, candidates, 0, { scores, lengths, table: boundByLength, unread: unreadBound, threshold });
        return;
      }
      remainingBound -= bounds[position]!;
      readBound += bounds[position]!;
      remainingPostings -= posting.size;
      // Each passage is touched once, so no query touches more than there are labels.
      const room = Math.min(touchedCount + posting.size, live.length);
      if (room > touched.length) touched = this.touched = grownInt32(touched, room);
      runStarts.push(touchedCount);
      // A list read from a snapshot may have a tail of later postings (posting-list.ts): each part
      // starts from label 0.
      for (let part: PostingList | undefined = posting; part; part = part.tail) {
        touchedCount = accumulate(part, window, flag, value, norm, { live, lengths, scores, masks, weights: weightTable, touched, kernel }, touchedCount, true);
      }
    });
    const hits = topK(candidates ? candidates.subarray(0, candidateCount) : touched.subarray(0, touchedCount), scores, masks, k, accept, kernel);
    return { hits, lookedUpBits, touchedCount };
  }

  /** Writes the index atomically in a compact binary form (typed arrays as they are in memory). */
  write(path: string): void {
    writeFileAtomic(path, Buffer.concat([...this.serialize()]));
  }

  /**
   * The binary form in pieces of about `sliceBytes` each, so a caller can write a large index in
   * small slices between other work: a long posting list is its own piece (a view, not a copy);
   * pieces cut by a count of terms held the first, most common terms' lists in one 84 ms copy at
   * 100k passages. The index must not change until the generator finishes.
   */
  *serialize(sliceBytes = 1 << 20): Generator<Uint8Array> {
    // Removed passages' postings are dropped list by list as the lists are written, so compaction
    // is spread over the pieces instead of one pass over every list before the first.
    const compacting = this.deadPostings > 0;
    const isLive = (label: number) => this.live[label] === 1;
    const header = Buffer.from(
      JSON.stringify({
        count: this.count,
        totalLength: this.totalLength,
        capacity: this.live.length,
        nextLabel: this.nextLabel,
        terms: this.postings.size + (this.frozen?.size ?? 0),
        livePostings: this.livePostings,
        weights: this.weightTable,
      }),
    );
    yield Buffer.concat([Buffer.from(MAGIC), uint32(header.length), header, pad(header.length)]);
    yield Buffer.concat([bytesOf(this.lengths), bytesOf(this.postingCounts), bytesOf(this.live), pad(this.live.length)]);
    let parts: Uint8Array[] = [];
    let bytes = 0;
    for (const [term, written] of this.postings) {
      let posting = written;
      if (compacting) {
        posting = written.filtered(isLive);
        // The header counted this term: a list left empty is written empty (readers skip those).
        if (posting.length === 0) this.postings.delete(term);
        else this.postings.set(term, posting);
      }
      const name = Buffer.from(term);
      const encoded = posting.encoded();
      parts.push(uint32(name.length), name, uint32(posting.frequency), uint32(posting.size), uint32(encoded.length));
      bytes += 16 + name.length;
      if (encoded.length >= sliceBytes / 4) {
        yield Buffer.concat(parts);
        yield encoded;
        parts = [];
        bytes = 0;
        continue;
      }
      parts.push(encoded);
      bytes += encoded.length;
      if (bytes >= sliceBytes) {
        yield Buffer.concat(parts);
        parts = [];
        bytes = 0;
      }
    }
    for (const { name, rank } of this.frozen?.entries() ?? []) {
      let posting = this.frozen!.list(rank);
      if (compacting && hasDead(posting, isLive)) {
        // A list holding removed passages leaves the frozen table for the map, compacted; one left
        // empty is still written (the header counted it; readers skip empty lists) and kept nowhere.
        posting = this.frozen!.take(rank).filtered(isLive);
        if (posting.length > 0) this.postings.set(Buffer.from(name).toString('utf8'), posting);
      }
      const encoded = posting.encoded();
      parts.push(uint32(name.length), name, uint32(posting.frequency), uint32(posting.size), uint32(encoded.length), encoded);
      bytes += 16 + name.length + encoded.length;
      if (bytes >= sliceBytes) {
        yield Buffer.concat(parts);
        parts = [];
        bytes = 0;
      }
    }
    if (parts.length > 0) yield Buffer.concat(parts);
    if (compacting) this.deadPostings = 0;
  }

  /** Reads a snapshot into shared memory, so that a helper thread can read its lists in place (`sharedMemory`). */
  static read(path: string): LexicalIndex {
    const { arena, file } = readIntoArena(path);
    return LexicalIndex.fromBytes(file, arena);
  }

  /** An index over a snapshot's bytes; given the arena they were read into, its lists are scored by the kernel. */
  static fromBytes(file: Uint8Array, arena?: ScoringArena | undefined): LexicalIndex {
    // Posting lists are views into `file` (no copy: at 1M passages they are 0.2 GB, and copying
    // them twice at open left that much more RSS behind); a list is copied only when it grows.
    // The per-passage arrays are copied, aligned for their typed arrays.
    const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
    const text = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
    const magic = text.toString('latin1', 0, MAGIC.length);
    if (magic !== MAGIC && magic !== MAGIC_FORMAT_4) throw new Error('not a lexical index of this version');
    let offset = MAGIC.length;
    const headerLength = view.getUint32(offset, true);
    offset += 4;
    const header = LexicalHeaderSchema.parse(JSON.parse(text.toString('utf8', offset, offset + headerLength)));
    offset = align(offset + headerLength);
    // Read into shared memory, the per-passage arrays the helper reads are shared too; read into
    // an arena, they are in it, where the kernel reads them, beside its other arrays: the memory is
    // grown for all of them at once, or the index does without the arena if it cannot be.
    const shareable = file.buffer instanceof SharedArrayBuffer;
    if (arena && !arena.reserve(kernelArenaBytes(header.capacity, header.weights.length))) arena = undefined;
    const copy = <T extends Uint8Array | Uint32Array | Float32Array>(
      type: { new (buffer: ArrayBufferLike, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number },
      start: number,
      length: number,
    ): T => {
      const byteLength = length * type.BYTES_PER_ELEMENT;
      if (start + byteLength > file.length) throw new Error('the lexical index is truncated');
      const copied = arena
        ? arena.view(type, arena.allocate(byteLength), length)
        : new type(shareable ? new SharedArrayBuffer(byteLength) : new ArrayBuffer(byteLength), 0, length);
      new Uint8Array(copied.buffer, copied.byteOffset, byteLength).set(file.subarray(start, start + byteLength));
      return copied;
    };
    const index = new LexicalIndex();
    index.lengths = copy(Float32Array, offset, header.capacity);
    offset += header.capacity * 4;
    index.postingCounts = copy(Uint32Array, offset, header.capacity);
    offset += header.capacity * 4;
    index.live = copy(Uint8Array, offset, header.capacity);
    offset = align(offset + header.capacity);
    index.weightTable = header.weights.map((weight) => Math.fround(weight));
    index.weightSlots = new Map(index.weightTable.map((weight, slot) => [weight, slot]));
    for (let label = 0; label < header.capacity; label += 1) {
      if (index.live[label] === 1) index.minLength = Math.min(index.minLength, index.lengths[label]!);
    }
    const wide = header.weights.length > 256;
    const frozen = magic === MAGIC ? FrozenTerms.builder(file, header.terms) : undefined;
    for (let term = 0; term < header.terms; term += 1) {
      const nameLength = view.getUint32(offset, true);
      offset += 4;
      const nameStart = offset;
      offset += nameLength;
      const frequency = view.getUint32(offset, true);
      const length = view.getUint32(offset + 4, true);
      const encodedLength = view.getUint32(offset + 8, true);
      offset += 12;
      const end = offset + encodedLength;
      if (end > file.length) throw new Error('the lexical index has a posting of the wrong size');
      if (frozen && FrozenTermsBuilder.holds(length)) {
        frozen.add(nameStart, nameStart + nameLength, offset, end, length, frequency, index.weightTable);
        offset = end;
        continue;
      }
      const name = text.toString('utf8', nameStart, nameStart + nameLength);
      const posting =
        magic === MAGIC
          ? PostingList.fromEncoded(file.subarray(offset, end), length, frequency, index.weightTable)
          : readFormat4Posting(file.subarray(offset, end), length, frequency, wide, index.weightTable);
      offset = end;
      // An empty list is a term whose passages were all removed before the snapshot was written.
      if (length > 0) index.postings.set(name, posting);
    }
    if (offset !== file.length) throw new Error('the lexical index has trailing or missing bytes');
    index.frozen = frozen?.build();
    index.count = header.count;
    index.nextLabel = header.nextLabel;
    index.totalLength = header.totalLength;
    index.livePostings = header.livePostings;
    if (shareable) index.shared = { file, live: index.live, lengths: index.lengths, weights: [...index.weightTable], labels: header.nextLabel };
    if (arena) {
      index.useArena(arena, file);
    } else {
      index.scores = new Float32Array(header.capacity);
      index.masks = new Uint32Array(header.capacity);
    }
    return index;
  }

  /**
   * Gives this index (read into `arena`) the kernel: its scores, masks and touched list and a
   * float64 copy of its weight table in the arena, beside the snapshot's live flags and lengths.
   */
  private useArena(arena: ScoringArena, file: Uint8Array): void {
    const capacity = this.live.length;
    const weightSlots = kernelWeightSlots(this.weightTable.length);
    const at: KernelArrays = {
      live: this.live.byteOffset,
      lengths: this.lengths.byteOffset,
      weights: arena.allocate(weightSlots * 8),
      ...allocateQueryArrays(arena, capacity),
    };
    this.scores = arena.view(Float32Array, at.scores, capacity);
    this.masks = arena.view(Uint32Array, at.masks, capacity);
    this.touched = arena.view(Int32Array, at.touched, capacity);
    const weights = arena.view(Float64Array, at.weights, weightSlots);
    weights.set(this.weightTable);
    this.arena = arena;
    const { live, lengths, scores, masks, touched } = this;
    const heap = arena.view(Int32Array, at.heap, KERNEL_HEAP_SLOTS);
    this.scoring = { kernel: new ScoringKernel(arena.memory), file: file.buffer, at, live, lengths, scores, masks, touched, weights, heap };
  }

  /**
   * Resets the masks of the first `count` labels of `touched` (in WebAssembly when they are the
   * kernel's). Their scores are left: a passage's score is only read while its mask is set, and the
   * next query to touch it writes its first term rather than adding it (`accumulate`). Clearing
   * both took a slow query at 1M about a tenth of its lexical time; masks alone, about half that.
   */
  private clearTouched(touched: Int32Array, count: number): void {
    const kernel = this.usableKernel();
    if (kernel && touched === kernel.touched) kernel.kernel.clear(count, kernel.at);
    else clearTouched(touched, count, this.masks);
  }

  /** The kernel, when this index has one and its arrays are still the ones in the arena. */
  private usableKernel(): KernelScoring | undefined {
    const scoring = this.scoring;
    if (!scoring || !LEXICAL_DEFAULTS.scoringKernel) return undefined;
    const current = scoring.live === this.live && scoring.lengths === this.lengths && scoring.scores === this.scores && scoring.masks === this.masks;
    return current && scoring.touched === this.touched && this.weightTable.length <= scoring.weights.length ? scoring : undefined;
  }

  /**
   * What a helper thread needs to score this index's snapshot lists in place: the file's bytes, the
   * snapshot's passage lengths and live flags (kept current on removal) and weights. Undefined for
   * an index not read from a snapshot.
   */
  sharedMemory(): SharedLexicalMemory | undefined {
    const shared = this.shared;
    const scoring = this.scoring;
    if (shared && scoring && this.arena && !shared.scoring) {
      // The helper's own scores, masks and touched list, in the arena beside this thread's.
      const capacity = shared.live.length;
      const { live, lengths, weights } = scoring.at;
      shared.scoring = { memory: this.arena.memory, at: { live, lengths, weights, ...allocateQueryArrays(this.arena, capacity) } };
    }
    return shared;
  }

  /** Lets `helper` score part of each large query's lists from now on (see `search`). */
  attachHelper(helper: LexicalHelperLink): void {
    if (!this.shared) throw new Error('a lexical helper needs an index read from a snapshot');
    this.helper = helper;
  }

  /**
   * The helper's share of a query (the snapshot's lists below a split label), or undefined when the
   * query is small, no helper is attached, or a list holds postings below the split that the helper
   * cannot read (a list compacted in memory since the snapshot).
   */
  private helperRequest(selective: SelectiveList[], k: number, norm: Bm25Norm): LexicalHelperRequest | undefined {
    const shared = this.shared;
    if (!this.helper?.usable || !shared || k <= 0) return undefined;
    if (selective.reduce((sum, { posting }) => sum + posting.size, 0) < LEXICAL_HELPER_SHARE.minPostings) return undefined;
    const split = Math.min(shared.labels, Math.floor(this.nextLabel * LEXICAL_HELPER_SHARE.share));
    const lists: LexicalHelperRequest['lists'] = [];
    for (const { bit, value, posting } of selective) {
      const parts = posting.sharedParts(shared.file.buffer);
      if (parts) {
        if (parts.length > 0) lists.push({ ...parts, bit, value });
        continue;
      }
      // A list with bytes of its own (a term new since the snapshot) is this thread's alone when it starts at or past the split.
      const first = posting.firstLabelOrNone();
      if (first >= 0 && first < split) return undefined;
    }
    if (lists.length === 0) return undefined;
    const { maxScore, thresholdSample, seedPassages, seedPayback, scanDensity, scoringKernel } = LEXICAL_DEFAULTS;
    return {
      split,
      k,
      norm,
      minLength: this.minLength,
      lists,
      defaults: { maxScore, thresholdSample, seedPassages, seedPayback, scanDensity, scoringKernel },
    };
  }

  /**
   * This thread's own copy of the helper's view, for the queries the helper does not take up. It
   * scores in JavaScript: the arena's arrays for that view are the helper thread's, which may
   * still be scoring an abandoned request in them.
   */
  private sharedView(): LexicalIndex {
    this.stealView ??= LexicalIndex.sharedView({ ...this.shared!, scoring: undefined });
    return this.stealView;
  }

  /** An index that only answers helper requests over `memory` (the helper thread's, or a stand-in for it). */
  static sharedView(memory: SharedLexicalMemory): LexicalIndex {
    const view = new LexicalIndex();
    view.shared = memory;
    view.live = memory.live;
    view.lengths = memory.lengths;
    view.weightTable = memory.weights;
    // Sized to the requests' splits as they come (`answer`): the helper scores only labels below them.
    view.scores = new Float32Array(0);
    view.masks = new Uint32Array(0);
    const scoring = memory.scoring;
    if (scoring) {
      // Its arrays in the arena (sized to every label, so `answer` never replaces them).
      const capacity = memory.live.length;
      const arena = new ScoringArena(scoring.memory);
      view.scores = arena.view(Float32Array, scoring.at.scores, capacity);
      view.masks = arena.view(Uint32Array, scoring.at.masks, capacity);
      view.touched = arena.view(Int32Array, scoring.at.touched, capacity);
      const weights = arena.view(Float64Array, scoring.at.weights, memory.weights.length);
      view.scoring = {
        kernel: new ScoringKernel(scoring.memory),
        file: memory.file.buffer,
        at: scoring.at,
        live: memory.live,
        lengths: memory.lengths,
        scores: view.scores,
        masks: view.masks,
        touched: view.touched,
        weights,
        heap: arena.view(Int32Array, scoring.at.heap, KERNEL_HEAP_SLOTS),
      };
    }
    return view;
  }

  /** Scores the lists of a helper request over the passages below its split (on a `sharedView`). */
  answer(request: LexicalHelperRequest): LexicalHelperAnswer {
    const memory = this.shared;
    if (!memory) throw new Error('only a shared view answers helper requests');
    Object.assign(LEXICAL_DEFAULTS, request.defaults);
    if (this.scores.length < request.split) {
      // (Never on a view with the kernel: its arrays hold every label.)
      this.scores = new Float32Array(request.split);
      this.masks = new Uint32Array(request.split);
    }
    const lists = request.lists.map(({ byteOffset, byteLength, bit, value, ...parts }) => ({
      bit,
      value,
      posting: PostingList.fromParts(new Uint8Array(memory.file.buffer, byteOffset, byteLength), parts),
    }));
    const { hits, lookedUpBits, touchedCount } = this.scoreSelective(lists, request.k, request.norm, request.minLength, { from: 0, to: request.split });
    this.clearTouched(this.touched, touchedCount);
    return { hits, lookedUpBits };
  }

  /** The term's postings (a list made for the caller when the term is in the frozen table). */
  private listOf(term: string): PostingList | undefined {
    const posting = this.postings.get(term);
    if (posting) return posting;
    const rank = this.frozen?.rankOf(term);
    return rank === undefined ? undefined : this.frozen!.list(rank);
  }

  /** The weight of a term in one passage (0 if absent), found through the posting list's skip table. */
  private weightOf(posting: PostingList, label: number): number {
    const slot = posting.slotOf(label);
    return slot < 0 ? 0 : this.weightTable[slot]!;
  }

  private append(term: string, label: number, weight: number, frequency: number): void {
    let posting = this.postings.get(term);
    if (!posting) {
      // A frozen list that grows moves to the map (its new postings go to its tail).
      const rank = this.frozen?.rankOf(term);
      posting = rank === undefined ? new PostingList() : this.frozen!.take(rank);
      this.postings.set(term, posting);
    }
    posting.frequency += frequency;
    // Scores use the weight as float32 (as the earlier typed-array postings held it).
    const stored = Math.fround(weight);
    let slot = this.weightSlots.get(stored);
    if (slot === undefined) {
      slot = this.weightTable.length;
      this.weightTable.push(stored);
      this.weightSlots.set(stored, slot);
      // The kernel's copy, while it has room (past it, queries score in JavaScript).
      if (this.scoring && slot < this.scoring.weights.length) this.scoring.weights[slot] = stored;
    }
    posting.append(label, slot);
    posting.maxWeight = Math.max(posting.maxWeight, stored);
  }

  private ensureCapacity(size: number): void {
    if (size <= this.live.length) return;
    const capacity = Math.max(size, this.live.length * 2);
    const grow = <T extends Float32Array | Uint8Array | Uint32Array>(array: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(array);
      return next;
    };
    this.lengths = grow(this.lengths, (n) => new Float32Array(n));
    this.postingCounts = grow(this.postingCounts, (n) => new Uint32Array(n));
    this.live = grow(this.live, (n) => new Uint8Array(n));
    this.scores = new Float32Array(capacity);
    this.masks = new Uint32Array(capacity);
  }
}

export interface Bm25Norm {
  k1: number;
  b: number;
  delta: number;
  averageLength: number;
}

/** A list that chooses candidates, with its mask bit and its value (query weight × IDF). */
interface SelectiveList {
  bit: number;
  value: number;
  posting: PostingList;
}

/** The labels a search scores, `from` included and `to` excluded, and the filter it applies. */
interface ScanWindow {
  from: number;
  to: number;
  accept?: ((label: number) => boolean) | undefined;
}

/** The per-passage arrays a query reads and the scratch arrays it writes (see `LexicalIndex`). */
interface ScoringArrays {
  live: Uint8Array;
  lengths: Float32Array;
  scores: Float32Array;
  masks: Uint32Array;
  weights: number[];
  /** Has room for every posting of the list being read. */
  touched: Int32Array;
  /** The kernel, when these arrays are its own (see `KernelScoring`). */
  kernel?: KernelScoring | undefined;
}

/**
 * One term's BM25+ score in one passage (`frequency`: the term's weight there; `length`: the
 * passage's).
 */
function termScore(value: number, frequency: number, length: number, k1: number, b: number, delta: number, averageLength: number): number {
  return value * ((frequency * (k1 + 1)) / (frequency + k1 * (1 - b + (b * length) / averageLength)) + delta);
}

/**
 * Adds one term's postings within the window (varint label gaps and weight slots, posting-list.ts)
 * to the scores and masks of live passages, recording each passage touched for the first time;
 * returns the new count of touched passages. The hot loop of a query, kept apart from `search`'s closures: as a
 * closure writing the captured touched count, every posting read and wrote it through the
 * closure's context (lexical search at 1M passages, 200 generated questions, four passes each:
 * p50 5.1–5.4 → 4.4–5.3 ms). The formula is `termScore`'s, written out: called here, even with
 * scalar arguments, it measured slower. Without `touchNew`, only the passages already touched get
 * the term (MaxScore's later lists when its candidates are dense).
 */
function accumulate(
  part: PostingList,
  window: ScanWindow,
  flag: number,
  value: number,
  norm: Bm25Norm,
  arrays: ScoringArrays,
  touchedCount: number,
  touchNew: boolean,
): number {
  if (part.length === 0 || part.lastLabel < window.from) return touchedCount;
  // The window's postings, found through the skip table.
  const start = window.from > 0 ? part.seek(window.from) : FROM_START;
  const end = window.to <= part.lastLabel ? part.seek(window.to).index : part.length;
  const bytes = part.bytes;
  const { live, lengths, scores, masks, weights, touched, kernel } = arrays;
  if (kernel && bytes.buffer === kernel.file && touched === kernel.touched) {
    // The same loop in WebAssembly (scoring-kernel.wat): about half the time a posting.
    return kernel.kernel.accumulate(bytes.byteOffset + start.offset, end - start.index, start.previous, kernel.at, touchedCount, flag, value, norm, touchNew);
  }
  const { k1, b, delta, averageLength } = norm;
  let count = touchedCount;
  let offset = start.offset;
  let label = start.previous;
  for (let index = start.index; index < end; index += 1) {
    let byte = bytes[offset++]!;
    let gap = byte & 0x7f;
    for (let shift = 7; byte >= 0x80; shift += 7) {
      byte = bytes[offset++]!;
      gap += (byte & 0x7f) * 2 ** shift;
    }
    label += gap;
    byte = bytes[offset++]!;
    let slot = byte & 0x7f;
    for (let shift = 7; byte >= 0x80; shift += 7) {
      byte = bytes[offset++]!;
      slot += (byte & 0x7f) * 2 ** shift;
    }
    if (live[label] !== 1) continue;
    const first = masks[label] === 0;
    if (first) {
      if (!touchNew) continue;
      touched[count++] = label;
    }
    const frequency = weights[slot]!;
    const score = value * ((frequency * (k1 + 1)) / (frequency + k1 * (1 - b + (b * lengths[label]!) / averageLength)) + delta);
    // A passage's first term is written, not added: a query clears only the masks it set (see `clearTouched`).
    scores[label] = first ? score : scores[label]! + score;
    masks[label]! |= flag;
  }
  return count;
}

const FROM_START = { index: 0, offset: 0, previous: 0 };
/** Above every label: a window's end when it has none. */
const NO_LABEL_LIMIT = Number.POSITIVE_INFINITY;

/**
 * Adds one looked-up term to the candidates the list holds (`slots`, from `PostingList.slotsOf`:
 * -1 where it holds none). A loop of its own, like `accumulate`, and for the same reason.
 */
function addFound(labels: Int32Array, count: number, slots: Int32Array, flag: number, value: number, norm: Bm25Norm, arrays: ScoringArrays): void {
  const { lengths, scores, masks, weights } = arrays;
  const { k1, b, delta, averageLength } = norm;
  for (let index = 0; index < count; index += 1) {
    const slot = slots[index]!;
    if (slot < 0) continue;
    const label = labels[index]!;
    const frequency = weights[slot]!;
    scores[label]! += value * ((frequency * (k1 + 1)) / (frequency + k1 * (1 - b + (b * lengths[label]!) / averageLength)) + delta);
    masks[label]! |= flag;
  }
}

/** Sets `flag` in `found[i]` for each label whose slot (from `PostingList.slotsOf`) holds a weight. */
function markFound(slots: Int32Array, count: number, weights: readonly number[], found: Uint32Array, flag: number): void {
  for (let index = 0; index < count; index += 1) {
    const slot = slots[index]!;
    if (slot >= 0 && weights[slot] !== 0) found[index]! |= flag;
  }
}

/** The lists a query has not read yet (`lists` from `from` on): what they could still add bounds a passage. */
interface UnreadBound {
  lists: readonly { value: number; posting: PostingList }[];
  from: number;
  minLength: number;
  norm: Bm25Norm;
}

/** What `keepReachable` tests a passage against: its score so far plus its length's bound (`table`, -1 where not yet computed). */
interface Reach {
  scores: Float32Array;
  lengths: Float32Array;
  table: Float64Array;
  unread: UnreadBound;
  threshold: number;
}

/**
 * Copies to `out` (from `outCount` on) the labels of `labels[start, end)` that may still reach the
 * threshold; returns the new count. `out` may be `labels` itself when `outCount <= start`. A loop
 * of its own (see `clearTouched`): as a closure called for each passage, this test took the
 * slowest queries at 1M passages 2.3–3.1 ms, about as long as their lookups.
 */
function keepReachable(labels: Int32Array, start: number, end: number, out: Int32Array, outCount: number, reach: Reach): number {
  const { scores, lengths, table, threshold } = reach;
  let count = outCount;
  for (let index = start; index < end; index += 1) {
    const label = labels[index]!;
    const length = Math.min(lengths[label]!, LENGTH_BOUND_TABLE - 1);
    let bound = table[length]!;
    if (bound < 0) bound = table[length] = lengthBound(length, reach.unread);
    if (scores[label]! + bound >= threshold) out[count++] = label;
  }
  return count;
}

/**
 * The most the unread lists can add to a passage of `length` terms: each term at its largest weight
 * (the term-frequency part of BM25 stays below k1 + 1 whatever the weight, for a list whose largest
 * weight is unknown), with a margin for float32 sums.
 */
function lengthBound(length: number, unread: UnreadBound): number {
  const { k1, b, delta, averageLength } = unread.norm;
  const norm = k1 * (1 - b + (b * Math.max(length, unread.minLength)) / averageLength);
  let bound = 0;
  for (let position = unread.from; position < unread.lists.length; position += 1) {
    const { value, posting } = unread.lists[position]!;
    const weight = posting.maxWeight;
    bound += value * ((weight > 0 ? (weight * (k1 + 1)) / (weight + norm) : k1 + 1) + delta);
  }
  return bound * (1 + PRUNING_MARGIN) + PRUNING_MARGIN;
}

/**
 * The k best touched passages by score (ties by label), through a bounded min-heap. Written with
 * index loops over typed arrays: a query calls it only a few times, so it often runs before the
 * optimiser has compiled it, and the iterator and closure form boxed every score it read there
 * (a tenth of a hybrid query's allocation).
 */
function topK(
  touched: Int32Array,
  scores: Float32Array,
  masks: Uint32Array,
  k: number,
  accept?: (label: number) => boolean,
  kernel?: KernelScoring,
): LexicalHit[] {
  if (kernel && !accept && k >= 1 && k <= KERNEL_HEAP_SLOTS && scores === kernel.scores && touched.buffer === kernel.touched.buffer) {
    // The same choice in WebAssembly, over labels in the arena (the touched list; not MaxScore's candidates).
    const size = kernel.kernel.topK(touched.byteOffset, touched.length, kernel.at, k);
    const hits: LexicalHit[] = [];
    for (let position = 0; position < size; position += 1) {
      const label = kernel.heap[position]!;
      hits.push({ label, score: scores[label]!, mask: masks[label]! });
    }
    return hits.sort(compareHits);
  }
  const heap = new Int32Array(Math.max(0, Math.min(k, touched.length)));
  // One loop for filtered searches and one for the rest: see `clearTouched` on why a loop's function
  // holds nothing the loop has not run (a call of `accept` never made would be such a site).
  const size = accept ? fillHeapAccepted(touched, scores, heap, k, accept) : fillHeap(touched, scores, heap, k);
  const hits: LexicalHit[] = [];
  for (let position = 0; position < size; position += 1) {
    const label = heap[position]!;
    hits.push({ label, score: scores[label]!, mask: masks[label]! });
  }
  return hits.sort(compareHits);
}

/** Fills `heap` with the best `k` of `touched` (a min-heap: the worst kept at the top); returns how many it holds. */
function fillHeap(touched: Int32Array, scores: Float32Array, heap: Int32Array, k: number): number {
  let size = 0;
  for (let position = 0; position < touched.length; position += 1) {
    const label = touched[position]!;
    if (size === k && !isWorse(scores, heap[0]!, label)) continue;
    size = offer(heap, size, k, label, scores);
  }
  return size;
}

/** `fillHeap` over the passages `accept` keeps. */
function fillHeapAccepted(touched: Int32Array, scores: Float32Array, heap: Int32Array, k: number, accept: (label: number) => boolean): number {
  let size = 0;
  for (let position = 0; position < touched.length; position += 1) {
    const label = touched[position]!;
    if (size === k && !isWorse(scores, heap[0]!, label)) continue;
    if (!accept(label)) continue;
    size = offer(heap, size, k, label, scores);
  }
  return size;
}

/** Adds `label` to a heap of `size` (replacing its worst when full, which the caller has checked `label` beats); returns the new size. */
function offer(heap: Int32Array, size: number, k: number, label: number, scores: Float32Array): number {
  if (size < k) {
    let index = size;
    heap[index] = label;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!isWorse(scores, heap[index]!, heap[parent]!)) break;
      const swap = heap[index]!;
      heap[index] = heap[parent]!;
      heap[parent] = swap;
      index = parent;
    }
    return size + 1;
  }
  heap[0] = label;
  let index = 0;
  for (;;) {
    const left = 2 * index + 1;
    const right = left + 1;
    let smallest = index;
    if (left < size && isWorse(scores, heap[left]!, heap[smallest]!)) smallest = left;
    if (right < size && isWorse(scores, heap[right]!, heap[smallest]!)) smallest = right;
    if (smallest === index) return size;
    const swap = heap[index]!;
    heap[index] = heap[smallest]!;
    heap[smallest] = swap;
    index = smallest;
  }
}

/** Best first; ties by label (scores are float32 values, so equal scores compare equal here too). */
function compareHits(a: LexicalHit, b: LexicalHit): number {
  return b.score - a.score || a.label - b.label;
}

/**
 * Resets the masks a query set (its scores are written afresh at their first term, see
 * `accumulate`). A loop of its own: V8 (Node 20) compiles a function whose loop runs long while
 * the call is still in it (on-stack replacement) and keeps that code
 * for later calls; when the code after the loop deoptimises (a site it had never run, or objects of
 * a shape it had not seen), every later call entered it and deoptimised again at the same place.
 * `search` and `topK` did, 1.5 times a query for a whole process in some runs (`node --trace-deopt`:
 * the same optimised code deoptimised 2,236 times in 20 s of searches and chats at 100k passages).
 * So the long loops here live in functions that end where the loop does.
 */
function clearTouched(touched: Int32Array, count: number, masks: Uint32Array): void {
  for (let index = 0; index < count; index += 1) masks[touched[index]!] = 0;
}

/**
 * A lower bound on the k-th best score of a query: `seeds` (passages with their scores over the
 * terms read so far) completed with the terms not read yet, looked up, and the k-th best taken,
 * less a margin (the search sums scores in float32).
 */
function fullScoreThreshold(
  seeds: LexicalHit[],
  unread: { value: number; posting: PostingList }[],
  k: number,
  contribution: (value: number, frequency: number, label: number) => number,
  weights: number[],
): number {
  const ordered = [...seeds].sort((a, b) => a.label - b.label);
  const labels = Int32Array.from(ordered, (seed) => seed.label);
  const full = Float64Array.from(ordered, (seed) => seed.score);
  const slots = new Int32Array(labels.length);
  for (const { value, posting } of unread) {
    posting.slotsOf(labels, labels.length, slots);
    slots.forEach((slot, position) => {
      if (slot >= 0) full[position]! += contribution(value, weights[slot]!, labels[position]!);
    });
  }
  full.sort().reverse();
  return Math.max(0, full[k - 1]! * (1 - PRUNING_MARGIN) - PRUNING_MARGIN);
}

/**
 * The first `count` values, made of ascending runs starting at `starts` (distinct values), in
 * ascending order: runs merged pairwise, through `scratch` (at least `count` long; a new one if not
 * given). Returns the buffer holding the result (one of the two).
 */
export function mergeSortedRuns(values: Int32Array, count: number, starts: readonly number[], scratch?: Int32Array): Int32Array {
  let runs = starts.filter((start, index) => start < count && (index === 0 || start > starts[index - 1]!));
  if (runs.length <= 1) return values;
  if (scratch && scratch.length < count) throw new Error(`the scratch buffer holds ${scratch.length} values, not ${count}`);
  let from: Int32Array = values;
  let to: Int32Array = scratch ?? new Int32Array(count);
  while (runs.length > 1) {
    const merged: number[] = [];
    for (let run = 0; run < runs.length; run += 2) {
      const start = runs[run]!;
      const middle = run + 1 < runs.length ? runs[run + 1]! : count;
      const end = run + 2 < runs.length ? runs[run + 2]! : count;
      merged.push(start);
      let left = start;
      let right = middle;
      let out = start;
      while (left < middle && right < end) to[out++] = from[left]! <= from[right]! ? from[left++]! : from[right++]!;
      while (left < middle) to[out++] = from[left++]!;
      while (right < end) to[out++] = from[right++]!;
    }
    const swap = from;
    from = to;
    to = swap;
    runs = merged;
  }
  return from;
}

/** Whether passage `a` ranks below passage `b` (lower score, or the same score and a larger label). */
function isWorse(scores: Float32Array, a: number, b: number): boolean {
  const scoreA = scores[a]!;
  const scoreB = scores[b]!;
  return scoreA < scoreB || (scoreA === scoreB && a > b);
}

/** A format-4 posting list (all label gaps, then fixed-width weight slots), re-encoded as format 5. */
function readFormat4Posting(encoded: Uint8Array, length: number, frequency: number, wide: boolean, weights: readonly number[]): PostingList {
  const labels = new Int32Array(length);
  let offset = 0;
  let label = 0;
  for (let index = 0; index < length; index += 1) {
    let delta = 0;
    let shift = 0;
    for (;;) {
      const byte = encoded[offset++];
      if (byte === undefined) throw new Error('the lexical index has a truncated posting list');
      delta += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) break;
      shift += 7;
    }
    label += delta;
    labels[index] = label;
  }
  const posting = new PostingList();
  posting.frequency = frequency;
  for (let index = 0; index < length; index += 1) {
    const slot = wide ? encoded[offset]! | (encoded[offset + 1]! << 8) : encoded[offset]!;
    offset += wide ? 2 : 1;
    if (slot >= weights.length) throw new Error('the lexical index has a weight outside its table');
    posting.append(labels[index]!, slot);
    posting.maxWeight = Math.max(posting.maxWeight, weights[slot]!);
  }
  if (offset !== encoded.length) throw new Error('the lexical index has a posting of the wrong size');
  return posting;
}

/** Whether the list holds a posting of a passage `isLive` rejects. */
function hasDead(posting: PostingList, isLive: (label: number) => boolean): boolean {
  let dead = false;
  posting.forEach((label) => {
    if (!isLive(label)) dead = true;
  });
  return dead;
}

function grownInt32(array: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(Math.max(size, array.length * 2));
  grown.set(array);
  return grown;
}

function uint32(value: number): Uint8Array {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
}

function align(offset: number): number {
  return (offset + 3) & ~3;
}

function pad(length: number): Uint8Array {
  return Buffer.alloc(align(length) - length);
}

function bytesOf(array: Float32Array | Int32Array | Uint32Array | Uint8Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}
