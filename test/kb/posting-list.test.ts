import { describe, expect, it } from 'vitest';
import { POSTING_DEFAULTS, PostingList } from '../../kb/posting-list.ts';

/** Labels with gaps of one to four varint bytes, over several skip blocks. */
function sampleLabels(): number[] {
  const labels: number[] = [];
  let label = 3;
  for (let index = 0; index < POSTING_DEFAULTS.skipEvery * 3 + 17; index += 1) {
    labels.push(label);
    label += [1, 130, 20_000, 3_000_000][index % 4]!;
  }
  return labels;
}

function listOf(labels: number[]): PostingList {
  const list = new PostingList();
  labels.forEach((label, index) => list.append(label, index % 300));
  return list;
}

describe('PostingList', () => {
  it('gives back every posting in order, with its weight slot', () => {
    const labels = sampleLabels();
    const seen: [number, number][] = [];
    listOf(labels).forEach((label, slot) => seen.push([label, slot]));
    expect(seen).toEqual(labels.map((label, index) => [label, index % 300]));
  });

  it('finds a label through its skip table, in every block, and says -1 for labels it lacks', () => {
    const labels = sampleLabels();
    const list = listOf(labels);
    labels.forEach((label, index) => expect(list.slotOf(label)).toBe(index % 300));
    for (const missing of [0, 2, 5, labels.at(-1)! + 1, labels[POSTING_DEFAULTS.skipEvery]! - 1]) expect(list.slotOf(missing)).toBe(-1);
    expect(new PostingList().slotOf(0)).toBe(-1);
  });

  it('round-trips through its encoded bytes and keeps only what a filter accepts', () => {
    const labels = sampleLabels();
    const list = listOf(labels);
    list.frequency = 42;
    const copy = PostingList.fromEncoded(list.encoded().slice(), list.length, list.frequency);
    expect(copy.lastLabel).toBe(labels.at(-1));
    labels.forEach((label, index) => expect(copy.slotOf(label)).toBe(index % 300));
    const even = list.filtered((label) => label % 2 === 0);
    const kept = labels.filter((label) => label % 2 === 0);
    expect(even.length).toBe(kept.length);
    expect(even.frequency).toBe(42);
    kept.forEach((label) => expect(even.slotOf(label)).toBe(labels.indexOf(label) % 300));
    expect(() => PostingList.fromEncoded(list.encoded().slice(0, -1), list.length, 1)).toThrow();
  });

  it('takes about 2 bytes a posting for close labels and one-byte slots (an 8-byte label and weight before)', () => {
    const list = new PostingList();
    for (let label = 0; label < 10_000; label += 3) list.append(label, 1);
    expect(list.encoded().length).toBe(2 * list.length);
  });

  it('refuses labels that do not increase', () => {
    const list = listOf([5]);
    expect(() => list.append(5, 0)).toThrow(/increase/);
  });
});

describe('PostingList lookups of many labels in one walk', () => {
  it('finds exactly the labels the list holds, with their slots, in every block and past its end', () => {
    const labels = sampleLabels();
    const list = listOf(labels);
    const asked = [
      0,
      2,
      ...labels.filter((_, index) => index % 3 === 0),
      ...labels.map((label) => label + 1).filter((_, index) => index % 5 === 0),
      labels.at(-1)! + 10,
    ];
    const sorted = Int32Array.from(new Set(asked)).sort();
    const found = new Map<number, number>();
    for (const [label, slot] of slotsOf(list, sorted)) found.set(label, slot);
    const expected = new Map([...sorted].flatMap((label) => (list.slotOf(label) >= 0 ? [[label, list.slotOf(label)] as const] : [])));
    expect(found).toEqual(expected);
    expect(found.size).toBeGreaterThan(POSTING_DEFAULTS.skipEvery);
    // Far apart (jumps over many blocks of a long list) and one per block or less: the same answers.
    const long = listOf(Array.from({ length: POSTING_DEFAULTS.skipEvery * 40 }, (_, index) => 5 + index * 3 + (index % 2)));
    for (const gap of [9_001, 997, 131, 61]) {
      const sparse = Int32Array.from({ length: Math.floor(15_500 / gap) + 1 }, (_, index) => 4 + index * gap);
      const sparseFound = new Map<number, number>();
      for (const [label, slot] of slotsOf(long, sparse)) sparseFound.set(label, slot);
      expect(sparseFound).toEqual(new Map([...sparse].flatMap((label) => (long.slotOf(label) >= 0 ? [[label, long.slotOf(label)] as const] : []))));
      expect(sparseFound.size).toBeGreaterThan(0);
    }
    // Only the first `count` labels are looked up: the slots past them are left as they were.
    const slots = new Int32Array(sorted.length).fill(-7);
    list.slotsOf(sorted, 3, slots);
    expect([...slots.subarray(3)].every((slot) => slot === -7)).toBe(true);
    expect([...slots.subarray(0, 3)]).toEqual([...sorted.subarray(0, 3)].map((label) => list.slotOf(label)));
  });

  it('keeps the largest weight it was given through a filter', () => {
    const list = PostingList.fromEncoded(listOf([1, 4, 9]).encoded().slice(), 3, 3, [0.5, 2, 7]);
    expect(list.maxWeight).toBe(7);
    expect(list.filtered((label) => label !== 4).maxWeight).toBe(7);
  });
});

describe('PostingList read from a snapshot, then appended to', () => {
  it('keeps its bytes as the view it was read from and behaves as one list with the later postings', () => {
    const labels = sampleLabels();
    const split = POSTING_DEFAULTS.skipEvery * 2 + 5;
    const file = listOf(labels.slice(0, split)).encoded().slice();
    const read = PostingList.fromEncoded(file, split, split);
    labels.slice(split).forEach((label, index) => read.append(label, (split + index) % 300));
    // Nothing was copied: the snapshot's bytes are still the list's own.
    expect(read.bytes.buffer).toBe(file.buffer);
    const whole = listOf(labels);
    expect(read.size).toBe(whole.length);
    const seen: [number, number][] = [];
    read.forEach((label, slot) => seen.push([label, slot]));
    expect(seen).toEqual(labels.map((label, index) => [label, index % 300]));
    for (const label of [...labels, 0, labels[split]! - 1, labels.at(-1)! + 1]) expect(read.slotOf(label)).toBe(whole.slotOf(label));
    const asked = Int32Array.from(new Set([2, ...labels.filter((_, index) => index % 4 === 0), labels[split]! + 1, labels.at(-1)!])).sort();
    const found = new Map<number, number>();
    for (const [label, slot] of slotsOf(read, asked)) found.set(label, slot);
    const expected = new Map<number, number>();
    for (const [label, slot] of slotsOf(whole, asked)) expected.set(label, slot);
    expect(found).toEqual(expected);
    // What a snapshot writes is what one list holding every posting encodes.
    expect(read.encoded()).toEqual(whole.encoded());
    expect(read.filtered((label) => label % 2 === 1).encoded()).toEqual(whole.filtered((label) => label % 2 === 1).encoded());
    expect(() => read.append(labels.at(-1)!, 0)).toThrow(/increase/);
  });
});

/** The labels of `sorted` the list holds, with their slots, through one `slotsOf` walk (which marks the others -1). */
function slotsOf(list: PostingList, sorted: Int32Array): [number, number][] {
  const slots = new Int32Array(sorted.length).fill(-7);
  list.slotsOf(sorted, sorted.length, slots);
  expect(slots.includes(-7)).toBe(false);
  return [...sorted].flatMap((label, position) => (slots[position]! >= 0 ? [[label, slots[position]!] as [number, number]] : []));
}

describe('PostingList seek and sharing', () => {
  it('seeks the first posting at or past a label, in any block, and scans on from there', () => {
    const labels = sampleLabels();
    const list = listOf(labels);
    const rest = (from: number): number[] => {
      const { index, offset, previous } = list.seek(from);
      // Decoded from the seek point as a scan does: the gap to `previous`, then the slot.
      const seen: number[] = [];
      let label = previous;
      let at = offset;
      for (let position = index; position < list.length; position += 1) {
        let shift = 0;
        let gap = 0;
        for (;;) {
          const byte = list.bytes[at++]!;
          gap += (byte & 0x7f) * 2 ** shift;
          shift += 7;
          if (byte < 0x80) break;
        }
        while (list.bytes[at++]! >= 0x80);
        label = position === 0 ? gap : label + gap;
        seen.push(label);
      }
      return seen;
    };
    const every = POSTING_DEFAULTS.skipEvery;
    const targets = [
      0,
      1,
      labels[0]!,
      labels[5]! + 1,
      labels[every]!,
      labels[every]! - 1,
      labels[every - 1]! + 1,
      labels[300]!,
      labels.at(-1)!,
      labels.at(-1)! + 1,
    ];
    for (const from of targets) expect(rest(from)).toEqual(labels.filter((label) => label >= from));
    expect(list.seek(labels.at(-1)! + 1).index).toBe(labels.length);
  });

  it('hands a frozen list over to another reader of the same shared bytes, skip table included', () => {
    const labels = sampleLabels();
    const written = listOf(labels).encoded();
    const shared = new Uint8Array(new SharedArrayBuffer(written.length + 16));
    shared.set(written, 16);
    const weights = Array.from({ length: 300 }, (_, slot) => slot + 1);
    const frozen = PostingList.fromEncoded(shared.subarray(16), labels.length, 7, weights);
    // A list of its own bytes, or one of other shared memory, cannot be handed over.
    expect(listOf(labels).sharedParts(shared.buffer)).toBeUndefined();
    expect(frozen.sharedParts(new SharedArrayBuffer(8))).toBeUndefined();
    const parts = frozen.sharedParts(shared.buffer)!;
    expect(parts).toMatchObject({ byteOffset: 16, byteLength: written.length, length: labels.length, lastLabel: labels.at(-1), frequency: 7, maxWeight: 300 });
    const { byteOffset, byteLength, ...rest } = parts;
    const copy = PostingList.fromParts(new Uint8Array(shared.buffer, byteOffset, byteLength), rest);
    const asked = Int32Array.from([...labels.filter((_, index) => index % 3 === 0), labels.at(-1)! + 5]);
    const fromCopy = new Int32Array(asked.length);
    const fromOriginal = new Int32Array(asked.length);
    copy.slotsOf(asked, asked.length, fromCopy);
    frozen.slotsOf(asked, asked.length, fromOriginal);
    expect(fromCopy).toEqual(fromOriginal);
    expect([...fromCopy].filter((slot) => slot >= 0)).toHaveLength(asked.length - 1);
    expect(copy.seek(labels[400]!)).toEqual(frozen.seek(labels[400]!));
  });
});
