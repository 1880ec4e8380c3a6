import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LEXICAL_HELPER_DEFAULTS, LexicalHelper } from '../../kb/lexical-helper.ts';
import { LexicalIndex } from '../../kb/lexical-index.ts';
import {
  CONTROL,
  claimRequest,
  finishRequest,
  LEXICAL_HELPER_SHARE,
  type LexicalHelperLink,
  type LexicalHelperRequest,
  nextSequence,
  offerRequest,
  phaseOf,
  STATE,
  takeBackRequest,
} from '../../kb/lexical-shared.ts';
import { tokenize } from '../../kb/tokenize.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const query = (text: string) => tokenize(text).map((term) => ({ term, weight: 1 }));
const minPostings = LEXICAL_HELPER_SHARE.minPostings;
afterEach(() => {
  LEXICAL_HELPER_SHARE.minPostings = minPostings;
});

/** A seeded corpus with Zipf-like words: lists from a handful of passages to most of them. */
function randomCorpus(seed: number) {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const word = () => `w${Math.floor(1 / (random() * 0.98 + 0.02)) - 1}`;
  const document = (label: number) => ({
    label,
    text: Array.from({ length: 1 + Math.floor(random() * 40) }, word).join(' '),
    section: random() < 0.1 ? word() : '',
    title: `t${label % 300}`,
  });
  const queries = Array.from({ length: 40 }, () => Array.from({ length: 2 + Math.floor(random() * 6) }, word).join(' '));
  return { document, queries };
}

/**
 * The same knowledge base twice: one read from a snapshot (its lists in shared memory), one built in
 * memory, each then given later passages (tails and new terms past the snapshot) and removals on
 * both sides of the split.
 */
function twins(dir: string): { shared: LexicalIndex; reference: LexicalIndex; queries: string[] } {
  const { document, queries } = randomCorpus(23);
  const reference = LexicalIndex.create();
  for (let label = 0; label < 6_000; label += 1) reference.add(document(label));
  for (let label = 0; label < 6_000; label += 41) reference.remove({ label, text: undefined });
  const path = join(dir, 'lexical.bin');
  reference.write(path);
  const shared = LexicalIndex.read(path);
  // Enough of them to outgrow the snapshot's per-passage arrays (8,192), so the removals after land in copies of them.
  // Titles of their own, so the snapshot's title words keep lists nothing was added to.
  const later = Array.from({ length: 2_400 }, (_, index) => ({
    ...document(6_000 + index),
    text: `${document(0).text} fresh${index % 7}`,
    title: `u${index % 300}`,
  }));
  for (const passage of later) {
    reference.add(passage);
    shared.add(passage);
  }
  for (const label of [3, 77, 1_500, 2_999, 3_001, 5_500, 6_010, 8_000]) {
    reference.remove({ label, text: undefined });
    shared.remove({ label, text: undefined });
  }
  return { shared, reference, queries: [...queries, 'fresh3 w1 w2', 'w0 fresh5'] };
}

const searchAll = (index: LexicalIndex, queries: string[]) =>
  queries.map((words, position) => index.search(query(words), 5 + (position % 4) * 20, { report: [4, 77, 1_234, 3_500, 6_100, 8_300] }));

/** A helper on this thread: `end` answers through a shared view, or (not taking it up) leaves it to the index. */
function inProcessHelper(index: LexicalIndex, takesUp: boolean): LexicalHelperLink & { requests: LexicalHelperRequest[] } {
  const view = LexicalIndex.sharedView(index.sharedMemory()!);
  const requests: LexicalHelperRequest[] = [];
  return {
    requests,
    usable: true,
    begin: (request) => requests.push(request),
    end: () => (takesUp ? view.answer(requests.at(-1)!) : undefined),
  };
}

describe('the helper protocol over the shared control words', () => {
  const controlWords = () => new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));

  it('lets a helper woken late claim only the request it read, not the one handed over after it was taken back', () => {
    const control = controlWords();
    const first = nextSequence(0);
    offerRequest(control, first);
    // The index's thread finished its own part before the helper ran: it takes the part back...
    expect(takeBackRequest(control, first)).toBe(true);
    // ...and hands over the next query's part before the helper, woken for the first, gets to run.
    const second = nextSequence(first);
    offerRequest(control, second);
    expect(Atomics.load(control, CONTROL.sequence)).toBe(second);
    expect(claimRequest(control, first)).toBe(false);
    expect(claimRequest(control, second)).toBe(true);
    // Claimed: the index's thread waits for its answer instead of taking it back.
    expect(takeBackRequest(control, second)).toBe(false);
    finishRequest(control, second);
    expect(phaseOf(Atomics.load(control, CONTROL.state))).toBe(STATE.done);
    expect(claimRequest(control, second)).toBe(false);
  });

  it('keeps request numbers and their phases apart when the numbers wrap', () => {
    const control = controlWords();
    expect(nextSequence(0x1fff_fffe)).toBe(0x1fff_ffff);
    expect(nextSequence(0x1fff_ffff)).toBe(0);
    // The last number before the wrap: its state word is still a positive 32-bit integer.
    offerRequest(control, 0x1fff_ffff);
    expect(Atomics.load(control, CONTROL.state)).toBeGreaterThan(0);
    expect(claimRequest(control, 0)).toBe(false);
    expect(claimRequest(control, 0x1fff_ffff)).toBe(true);
  });
});

describe('LexicalIndex with a helper scoring the snapshot below a split', () => {
  it('answers as one thread does: hits, scores, masks and reported terms, whether the helper takes its part up or not', () => {
    LEXICAL_HELPER_SHARE.minPostings = 0;
    const { shared, reference, queries } = twins(tempDir());
    const expected = searchAll(reference, queries);
    for (const takesUp of [true, false]) {
      const helper = inProcessHelper(shared, takesUp);
      shared.attachHelper(helper);
      expect(searchAll(shared, queries)).toEqual(expected);
      // Every unfiltered query went half to the helper, each with the snapshot's lists below the split.
      expect(helper.requests.length).toBeGreaterThan(queries.length - 3);
      expect(helper.requests.every((request) => request.split > 0 && request.split <= 6_000 && request.lists.length > 0)).toBe(true);
    }
  });

  it('keeps on this thread a filtered query, a small one, and one with a list compacted in memory since the snapshot', () => {
    const { shared, reference, queries } = twins(tempDir());
    const helper = inProcessHelper(shared, true);
    shared.attachHelper(helper);
    // Small: below the postings a helper is worth.
    expect(searchAll(shared, queries)).toEqual(searchAll(reference, queries));
    expect(helper.requests).toHaveLength(0);
    LEXICAL_HELPER_SHARE.minPostings = 0;
    const accept = (label: number) => label % 3 !== 0;
    const before = helper.requests.length;
    expect(shared.search(query('w1 w2 w3'), 10, { accept })).toEqual(reference.search(query('w1 w2 w3'), 10, { accept }));
    expect(helper.requests).toHaveLength(before);
    // Writing a snapshot compacts the lists holding removed passages into memory of their own.
    [...shared.serialize()];
    [...reference.serialize()];
    expect(searchAll(shared, queries)).toEqual(searchAll(reference, queries));
    // The long lists are now of their own bytes: a query with one of them (a word in a tenth of the
    // passages, so it chooses candidates) and a title word (whose short list, holding no removed
    // passage, still lies in the snapshot's memory) is not sent, though the title's list could be.
    const long = Array.from({ length: 50 }, (_, index) => `w${index}`).find((word) => {
      const frequency = shared.frequencyOf(word);
      return frequency > 300 && frequency < 0.2 * shared.size;
    })!;
    expect(long).toBeDefined();
    const asked = helper.requests.length;
    expect(shared.search(query(`t5 ${long}`), 10)).toEqual(reference.search(query(`t5 ${long}`), 10));
    expect(helper.requests).toHaveLength(asked);
    // Alone, the title's list goes to the helper.
    expect(shared.search(query('t5'), 10)).toEqual(reference.search(query('t5'), 10));
    expect(helper.requests).toHaveLength(asked + 1);
  });

  it('gives up on a helper that claims a part and never answers, scoring the part itself, and sends it no more', async () => {
    LEXICAL_HELPER_SHARE.minPostings = 0;
    const { answerWaitMs } = LEXICAL_HELPER_DEFAULTS;
    LEXICAL_HELPER_DEFAULTS.answerWaitMs = 50;
    const { shared, reference, queries } = twins(tempDir());
    const helper = await LexicalHelper.start(shared.sharedMemory()!, new URL('./fixtures/stuck-lexical-helper.mjs', import.meta.url));
    try {
      shared.attachHelper(helper);
      const expected = searchAll(reference, queries);
      // Until the thread first claims a part before this thread takes it back (a wake-up away).
      for (let round = 0; helper.usable && round < 50; round += 1) expect(searchAll(shared, queries)).toEqual(expected);
      expect(helper.usable).toBe(false);
      expect(searchAll(shared, queries)).toEqual(expected);
    } finally {
      LEXICAL_HELPER_DEFAULTS.answerWaitMs = answerWaitMs;
      await helper.close();
    }
  });

  it('scores with a helper thread as on one thread, and goes on alone once the thread is gone', async () => {
    LEXICAL_HELPER_SHARE.minPostings = 0;
    const { shared, reference, queries } = twins(tempDir());
    const helper = await LexicalHelper.start(shared.sharedMemory()!);
    try {
      shared.attachHelper(helper);
      const expected = searchAll(reference, queries);
      expect(searchAll(shared, queries)).toEqual(expected);
      // The thread's own answer to a part (the queries above may have taken every part back).
      const parts = inProcessHelper(shared, true);
      shared.attachHelper(parts);
      shared.search(query('w1 w2 w3 w4'), 20);
      shared.attachHelper(helper);
      helper.begin(parts.requests[0]!);
      for (let waited = 0; helper.busy && waited < 10_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(helper.end()).toEqual(LexicalIndex.sharedView(shared.sharedMemory()!).answer(parts.requests[0]!));
      // A thread that stops mid-way: its unclaimed parts are scored here, later queries never sent.
      await (helper as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
      expect(searchAll(shared, queries)).toEqual(expected);
      expect(helper.usable).toBe(false);
    } finally {
      await helper.close();
    }
  });
});
