import type { MessagePort } from 'node:worker_threads';
import type { Bm25Norm, LexicalHit } from './lexical-index.ts';
import type { SharedPostingParts } from './posting-list.ts';
import type { KernelArrays } from './scoring-kernel.ts';

/**
 * What the lexical index and its helper thread (lexical-helper.ts) share: the snapshot's bytes in
 * shared memory, read in place by both, and the shape of a request and its answer.
 */
export const LEXICAL_HELPER_SHARE = {
  /** A query's lists hold at least this many postings before the helper takes a part (below it a round trip costs more than it saves). */
  minPostings: 60_000,
  /** The share of the labels the helper scores (those below it): half, as the lists spread evenly over labels. */
  share: 0.5,
};

/** A snapshot read into shared memory (see `LexicalIndex.sharedMemory`). */
export interface SharedLexicalMemory {
  /** The snapshot file; its lists are views of it. */
  file: Uint8Array;
  /** Live flags of the snapshot's passages, cleared on removal. */
  live: Uint8Array;
  lengths: Float32Array;
  /** The posting weights by slot, as the snapshot's lists use them. */
  weights: number[];
  /** Labels in the snapshot: every posting below it is in a list's shared part. */
  labels: number;
  /**
   * For a snapshot read into a ScoringArena (scoring-kernel.ts): its memory, and where the helper's
   * own scores, masks and touched list are in it beside the shared live flags, lengths and weights.
   */
  scoring?: { memory: WebAssembly.Memory; at: KernelArrays } | undefined;
}

/** The helper's part of one query: the selective lists' shared parts, scored over the labels below `split`. */
export interface LexicalHelperRequest {
  split: number;
  k: number;
  norm: Bm25Norm;
  minLength: number;
  lists: (SharedPostingParts & { bit: number; value: number })[];
  /** The tunables the query runs with (a test may change them on one thread). */
  defaults: { maxScore: boolean; thresholdSample: number; seedPassages: number; seedPayback: number; scanDensity: number; scoringKernel: boolean };
}

/** The top k of the helper's part (scores and masks over the selective lists) and the bits it only looked up. */
export interface LexicalHelperAnswer {
  hits: LexicalHit[];
  lookedUpBits: number;
}

/** The index's side of a helper: hand over a part, then take its answer, or undefined when the helper did not take it up. */
export interface LexicalHelperLink {
  readonly usable: boolean;
  begin(request: LexicalHelperRequest): void;
  end(): LexicalHelperAnswer | undefined;
}

/** Indexes into the control array the index's thread and the helper share (lexical-helper.ts). */
export const CONTROL = { state: 0, sequence: 1, closed: 2 } as const;
/** The helper's part of the current query: not handed over, waiting, being scored, answered. */
export const STATE = { idle: 0, requested: 1, running: 2, done: 3 } as const;
export type HelperPhase = (typeof STATE)[keyof typeof STATE];

/** Request numbers wrap within what the state word holds beside the phase (two bits). */
const SEQUENCE_MASK = 0x1fff_ffff;

/** The request after `sequence`. */
export function nextSequence(sequence: number): number {
  return (sequence + 1) & SEQUENCE_MASK;
}

/**
 * The state word: the phase of one request, tagged with that request's number. A helper woken
 * late can then only claim the request it read from the port: with a bare phase it once claimed
 * the next query's part (the index's thread had taken its own back and handed over another
 * meanwhile), scored the old request, and the index's thread waited 500 ms for an answer that
 * never came, then gave up on the helper for good.
 */
export function stateWord(sequence: number, phase: HelperPhase): number {
  return (sequence << 2) | phase;
}

/** The phase the state word holds, whichever request it is for. */
export function phaseOf(word: number): HelperPhase {
  return (word & 3) as HelperPhase;
}

/** The index's side: hands request `sequence` over (its body is already on the port) and wakes the helper. */
export function offerRequest(control: Int32Array, sequence: number): void {
  Atomics.store(control, CONTROL.state, stateWord(sequence, STATE.requested));
  Atomics.store(control, CONTROL.sequence, sequence);
  Atomics.notify(control, CONTROL.sequence);
}

/** The index's side: takes request `sequence` back if the helper has not claimed it; true when taken. */
export function takeBackRequest(control: Int32Array, sequence: number): boolean {
  const requested = stateWord(sequence, STATE.requested);
  return Atomics.compareExchange(control, CONTROL.state, requested, stateWord(sequence, STATE.idle)) === requested;
}

/** The helper's side: claims request `sequence` if it is still the one handed over and unclaimed; true when claimed. */
export function claimRequest(control: Int32Array, sequence: number): boolean {
  const requested = stateWord(sequence, STATE.requested);
  return Atomics.compareExchange(control, CONTROL.state, requested, stateWord(sequence, STATE.running)) === requested;
}

/** The helper's side: request `sequence` is answered (its reply is already on the port). */
export function finishRequest(control: Int32Array, sequence: number): void {
  Atomics.store(control, CONTROL.state, stateWord(sequence, STATE.done));
  Atomics.notify(control, CONTROL.state);
}

/** What the helper thread is started with. */
export interface LexicalHelperData {
  memory: SharedLexicalMemory;
  control: Int32Array;
  port: MessagePort;
}

export type LexicalHelperReply = { sequence: number; answer: LexicalHelperAnswer } | { sequence: number; error: string };
