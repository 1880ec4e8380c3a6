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
