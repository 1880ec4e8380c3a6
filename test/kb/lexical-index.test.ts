import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { LexicalIndex, mergeSortedRuns } from '../../kb/lexical-index.ts';
import { tokenize } from '../../kb/tokenize.ts';
import { retainedBytes } from '../helpers/retained-heap.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const query = (text: string) => tokenize(text).map((term) => ({ term, weight: 1 }));

/**
 * The binary form with its terms in name order: an index read from a snapshot writes its short
 * lists (kept in a frozen table) after the others, so two equal indexes may order terms apart.
 */
function canonical(index: LexicalIndex, sliceBytes?: number): { head: Buffer; terms: [string, Buffer][] } {
  const file = Buffer.concat([...index.serialize(sliceBytes)]);
  const headerLength = file.readUInt32LE(8);
  const header = JSON.parse(file.toString('utf8', 12, 12 + headerLength)) as { capacity: number; terms: number };
  const align = (offset: number) => (offset + 3) & ~3;
  let offset = align(align(12 + headerLength) + header.capacity * 9);
  const head = file.subarray(0, offset);
  const terms: [string, Buffer][] = [];
  for (let term = 0; term < header.terms; term += 1) {
    const nameLength = file.readUInt32LE(offset);
    const name = file.toString('utf8', offset + 4, offset + 4 + nameLength);
    const encodedLength = file.readUInt32LE(offset + 4 + nameLength + 8);
    const end = offset + 4 + nameLength + 12 + encodedLength;
    terms.push([name, file.subarray(offset, end)]);
    offset = end;
  }
  expect(offset).toBe(file.length);
  return { head, terms: terms.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) };
}

function build(): LexicalIndex {
  const index = LexicalIndex.create();
  index.add({ label: 0, text: 'The Russell 2000 closed at a record as small caps rallied on rate cuts.', section: 'Markets', title: 'Small caps run' });
  index.add({ label: 1, text: 'Rate cuts help small companies with floating-rate debt; rate cuts lower interest bills.', section: 'Rates', title: 'Fed path' });
  index.add({ label: 2, text: 'Crude inventories rose and refiners reported wider margins.', section: 'Energy', title: 'Oil desk' });
  index.add({ label: 5, text: 'Copper demand from grid spending lifted miners.', section: 'Metals', title: 'Metals desk' });
  return index;
}

describe('LexicalIndex (BM25 over typed-array postings)', () => {
  it('ranks by BM25: more occurrences of a rarer term rank higher, unrelated passages are absent', () => {
    const result = build().search(query('rate cuts'), 10);
    expect(result.hits.map((hit) => hit.label)).toEqual([1, 0]);
    expect(result.hits[0]!.score).toBeGreaterThan(result.hits[1]!.score);
  });

  it('reports which query terms each passage holds, for hits and for passages asked about', () => {
    const index = build();
    const result = index.search(query('record refiners copper'), 1, { report: [0, 2, 5, 1] });
    const bit = (term: string) => 1 << result.terms.indexOf(term);
    expect(result.hits).toHaveLength(1);
    expect(result.reported.get(0)).toBe(bit('record'));
    expect(result.reported.get(2)).toBe(bit('refiners'));
    expect(result.reported.get(5)).toBe(bit('copper'));
    expect(result.reported.has(1)).toBe(false);
    // Scratch buffers are reset: a second query is not polluted by the first.
    expect(index.search(query('record'), 5).hits.map((hit) => hit.label)).toEqual([0]);
  });

  it('with k 0 only reports, and reports what a full search reports', () => {
    const index = build();
    const full = index.search(query('rate record refiners copper'), 1, { report: [0, 2, 5, 1, 9] });
    const reportOnly = index.search(query('rate record refiners copper'), 0, { report: [0, 2, 5, 1, 9] });
    expect(reportOnly.hits).toEqual([]);
    expect(reportOnly.terms).toEqual(full.terms);
    // The full search's hit is reported from its mask too: every asked label agrees.
    expect([...reportOnly.reported].sort(([a], [b]) => a - b)).toEqual([...full.reported].sort(([a], [b]) => a - b));
    expect(reportOnly.reported.get(1)).toBe(1 << reportOnly.terms.indexOf('rate'));
  });

  it('counts section and title words with a lower weight than text words', () => {
    const result = build().search(query('markets'), 5);
    expect(result.hits.map((hit) => hit.label)).toEqual([0]);
    expect(result.hits[0]!.score).toBeGreaterThan(0);
  });

  it('filters by label and keeps document frequencies right after a removal', () => {
    const index = build();
    expect(index.search(query('rate cuts'), 10, { accept: (label) => label !== 1 }).hits.map((hit) => hit.label)).toEqual([0]);
    expect(index.frequencyOf('cuts')).toBe(2);
    index.remove({ label: 1, text: 'Rate cuts help small companies with floating-rate debt; rate cuts lower interest bills.' });
    expect(index.frequencyOf('cuts')).toBe(1);
    expect(index.size).toBe(3);
    expect(index.search(query('floating'), 10).hits).toEqual([]);
    expect(() => index.add({ label: 0, text: 'again', section: '', title: '' })).toThrow(/already indexed/);
  });

  it('round-trips through its binary file, dropping removed passages', () => {
    const index = build();
    index.remove({ label: 2, text: 'Crude inventories rose and refiners reported wider margins.' });
    const path = join(tempDir(), 'lexical.bin');
    index.write(path);
    const loaded = LexicalIndex.read(path);
    expect(loaded.size).toBe(3);
    expect(loaded.search(query('rate cuts'), 10)).toEqual(index.search(query('rate cuts'), 10));
    expect(loaded.search(query('refiners'), 10).hits).toEqual([]);
    expect(loaded.idf('copper')).toBeCloseTo(index.idf('copper'), 10);
    loaded.add({ label: 9, text: 'Refiners again.', section: '', title: '' });
    expect(loaded.search(query('refiners'), 10).hits.map((hit) => hit.label)).toEqual([9]);
  });
});

describe('LexicalIndex binary form', () => {
  it('keeps labels far apart and more than 256 distinct weights exact', () => {
    const index = LexicalIndex.create();
    // Term counts from 1 to 300 give 300 distinct weights (two bytes each); labels jump by 7,001 (varints of one to three bytes).
    for (let count = 1; count <= 300; count += 1) {
      index.add({ label: count * 7_001, text: `${'alpha '.repeat(count)}beta${count}`, section: count % 2 ? 'Alpha notes' : '', title: 'Alpha' });
    }
    const loaded = LexicalIndex.fromBytes(Buffer.concat([...index.serialize(7)]));
    expect(loaded.search(query('alpha'), 300)).toEqual(index.search(query('alpha'), 300));
    expect(loaded.search(query('beta250'), 5).hits.map((hit) => hit.label)).toEqual([250 * 7_001]);
    expect(loaded.frequencyOf('alpha')).toBe(300);
  });

  it('writes in pieces of bounded size, a long posting list as a piece of its own, and reads them back whole', () => {
    const index = LexicalIndex.create();
    // One term in every passage (a long list), the others in one passage each (many short entries).
    for (let label = 0; label < 2_000; label += 1) index.add({ label, text: `common rare${label}`, section: '', title: '' });
    const sliceBytes = 256;
    const pieces = [...index.serialize(sliceBytes)].slice(2);
    const longest = Math.max(...pieces.map((piece) => piece.length));
    // The common term's list (2,000 postings) is one piece; every other piece stays near the bound.
    expect(longest).toBeGreaterThan(2_000);
    expect(pieces.filter((piece) => piece.length > 2 * sliceBytes)).toHaveLength(1);
    const loaded = LexicalIndex.fromBytes(Buffer.concat([...index.serialize(sliceBytes)]));
    expect(loaded.search(query('common rare1999'), 3)).toEqual(index.search(query('common rare1999'), 3));
    expect(loaded.frequencyOf('common')).toBe(2_000);
  });

  it('adds passages to an index read from a snapshot as to one built in memory, and writes the same bytes', () => {
    const texts = (label: number) => `harbor cargo ${label % 3 === 0 ? 'record volumes' : 'cranes'} note${label}`;
    const memory = LexicalIndex.create();
    const early = LexicalIndex.create();
    for (let label = 0; label < 600; label += 1) {
      for (const index of label < 400 ? [memory, early] : [memory]) index.add({ label, text: texts(label), section: 'Port', title: '' });
    }
    const read = LexicalIndex.fromBytes(Buffer.concat([...early.serialize()]));
    for (let label = 400; label < 600; label += 1) read.add({ label, text: texts(label), section: 'Port', title: '' });
    for (const words of ['harbor record', 'cranes note450', 'volumes port cargo']) {
      expect(read.search(query(words), 50, { report: [3, 450, 599] })).toEqual(memory.search(query(words), 50, { report: [3, 450, 599] }));
    }
    expect(canonical(read)).toEqual(canonical(memory));
  });

  it('drops removed passages while writing: a term left without passages is gone after reading back', () => {
    const index = build();
    index.remove({ label: 2, text: 'Crude inventories rose and refiners reported wider margins.' });
    index.remove({ label: 0, text: 'The Russell 2000 closed at a record as small caps rallied on rate cuts.' });
    const loaded = LexicalIndex.fromBytes(Buffer.concat([...index.serialize(64)]));
    for (const reader of [index, loaded]) {
      expect(reader.frequencyOf('refiners')).toBe(0);
      expect(reader.search(query('refiners record'), 5).hits).toEqual([]);
      expect(reader.search(query('rate cuts copper'), 5).hits.map((hit) => hit.label)).toEqual([1, 5]);
    }
    // The written index is compacted too: writing it again gives the same bytes.
    expect(canonical(index, 64)).toEqual(canonical(loaded, 64));
  });

  it('removes and adds passages in an index read from a snapshot as in one built in memory, and compacts its short lists', () => {
    // "harbor" and "cargo" are in every passage (lists with a skip table); each note<label> is in one (a short, frozen list).
    const texts = (label: number) => `harbor cargo ${label % 3 === 0 ? 'record volumes' : 'cranes'} note${label} lot${label % 40}`;
    const memory = LexicalIndex.create();
    for (let label = 0; label < 400; label += 1) memory.add({ label, text: texts(label), section: 'Port', title: '' });
    const read = LexicalIndex.fromBytes(Buffer.concat([...memory.serialize()]));
    for (const index of [memory, read]) {
      for (const label of [3, 7, 250]) index.remove({ label, text: texts(label) });
      index.add({ label: 400, text: 'note7 lot3 harbor', section: 'Port', title: '' });
    }
    for (const term of ['note3', 'note7', 'note8', 'lot3', 'lot7', 'harbor', 'absent']) expect(read.frequencyOf(term)).toBe(memory.frequencyOf(term));
    for (const words of ['note7 lot3', 'note3 harbor', 'lot10 record', 'lot7 cranes note8']) {
      expect(read.search(query(words), 20, { report: [3, 8, 10, 400] })).toEqual(memory.search(query(words), 20, { report: [3, 8, 10, 400] }));
    }
    expect(canonical(read)).toEqual(canonical(memory));
    const again = LexicalIndex.fromBytes(Buffer.concat([...read.serialize()]));
    expect(again.frequencyOf('note3')).toBe(0);
    expect(again.search(query('note3'), 5).hits).toEqual([]);
    expect(again.search(query('note7 lot3'), 3).hits.map((hit) => hit.label)).toEqual(memory.search(query('note7 lot3'), 3).hits.map((hit) => hit.label));
  });

  it('holds the short lists of an index read from a snapshot outside the collected heap', async () => {
    // 30,000 rare terms: as a string, a list object and a view each they kept ~9 MB of heap.
    const index = LexicalIndex.create();
    for (let label = 0; label < 10_000; label += 1) index.add({ label, text: `alpha w${label}a w${label}b w${label}c`, section: '', title: '' });
    const bytes = Buffer.concat([...index.serialize()]);
    const { bytes: retained, kept } = await retainedBytes(() => LexicalIndex.fromBytes(bytes));
    expect(kept.search(query('w1234b'), 1).hits.map((hit) => hit.label)).toEqual([1234]);
    expect(kept.frequencyOf('alpha')).toBe(10_000);
    expect(retained).toBeLessThan(1_500_000);
  });

  it('still reads format 4 (gaps, then one-byte weight slots), as earlier snapshots hold it', () => {
    const fresh = LexicalIndex.create();
    fresh.add({ label: 0, text: 'copper copper', section: '', title: '' });
    fresh.add({ label: 1, text: 'copper zinc', section: '', title: '' });
    const header = Buffer.from(JSON.stringify({ count: 2, totalLength: 4, capacity: 4, nextLabel: 2, terms: 2, livePostings: 3, weights: [2, 1] }));
    const headerPad = Buffer.alloc((4 - ((8 + 4 + header.length) % 4)) % 4);
    const uint32 = (value: number) => {
      const bytes = Buffer.alloc(4);
      bytes.writeUInt32LE(value);
      return bytes;
    };
    const term = (name: string, frequency: number, encoded: number[]) =>
      Buffer.concat([uint32(name.length), Buffer.from(name), uint32(frequency), uint32(encoded.length / 2), uint32(encoded.length), Buffer.from(encoded)]);
    const file = Buffer.concat([
      Buffer.from('CPLX0004'),
      uint32(header.length),
      header,
      headerPad,
      Buffer.from(new Float32Array([2, 2, 0, 0]).buffer),
      Buffer.from(new Uint32Array([1, 2, 0, 0]).buffer),
      Buffer.from([1, 1, 0, 0]),
      term('copper', 2, [0, 1, 0, 1]),
      term('zinc', 1, [1, 1]),
    ]);
    const loaded = LexicalIndex.fromBytes(file);
    for (const words of ['copper', 'zinc', 'copper zinc']) expect(loaded.search(query(words), 5)).toEqual(fresh.search(query(words), 5));
    expect(loaded.frequencyOf('copper')).toBe(2);
    for (const index of [loaded, fresh]) index.add({ label: 2, text: 'zinc again', section: '', title: '' });
    expect(loaded.search(query('zinc'), 5)).toEqual(fresh.search(query('zinc'), 5));
  });

  it('reads postings in place from the file and copies a list only when it grows, leaving the file and other lists intact', () => {
    const fresh = build();
    const file = Buffer.concat([...fresh.serialize()]);
    const before = Buffer.from(file);
    const loaded = LexicalIndex.fromBytes(file);
    const later = [
      { label: 6, text: 'Rate cuts and small caps again; copper too.', section: 'Markets', title: 'Small caps run' },
      { label: 7, text: 'Refiners and miners, crude and copper.', section: 'Energy', title: 'Oil desk' },
    ];
    for (const document of later) {
      loaded.add(document);
      fresh.add(document);
    }
    expect(file.equals(before)).toBe(true);
    for (const words of ['rate cuts', 'copper', 'refiners crude', 'small caps markets', 'miners desk', 'russell']) {
      expect(loaded.search(query(words), 10)).toEqual(fresh.search(query(words), 10));
    }
  });

  it('refuses a truncated file', () => {
    const bytes = Buffer.concat([...build().serialize()]);
    expect(() => LexicalIndex.fromBytes(bytes.subarray(0, bytes.length - 3))).toThrow();
  });
});

describe('LexicalIndex with common terms in a large knowledge base', () => {
  it('lets rare terms choose candidates, then adds common terms to their scores and masks', async () => {
    const { LEXICAL_DEFAULTS } = await import('../../kb/lexical-index.ts');
    const saved = LEXICAL_DEFAULTS.commonMinPassages;
    LEXICAL_DEFAULTS.commonMinPassages = 1;
    try {
      const index = LexicalIndex.create();
      for (let label = 0; label < 20; label += 1) {
        index.add({ label, text: `Market note ${label}: the market moved${label === 7 ? ' as copper rallied' : ''}.`, section: '', title: '' });
      }
      const result = index.search(query('market copper'), 3, { report: [3] });
      const bit = (term: string) => 1 << result.terms.indexOf(term);
      // Only the passage with the rare term is a candidate; its score includes the common term.
      expect(result.hits.map((hit) => hit.label)).toEqual([7]);
      expect(result.hits[0]!.mask).toBe(bit('market') | bit('copper'));
      const exact = (() => {
        LEXICAL_DEFAULTS.commonMinPassages = Number.MAX_SAFE_INTEGER;
        return index.search(query('market copper'), 1);
      })();
      expect(result.hits[0]!.score).toBeCloseTo(exact.hits[0]!.score, 5);
      // A passage asked about still learns which common terms it holds.
      expect(result.reported.get(3)).toBe(bit('market'));
    } finally {
      LEXICAL_DEFAULTS.commonMinPassages = saved;
    }
  });
});

describe('LexicalIndex MaxScore pruning', () => {
  /** 3,000 passages: a rare term in 60 of them (some repeat it), two long lists, removals and headings in the mix. */
  function corpus(): LexicalIndex {
    const index = LexicalIndex.create();
    for (let label = 0; label < 3_000; label += 1) {
      const words = [`note${label % 97}`, 'filler words about markets'];
      if (label % 50 === 0) words.push(label % 100 === 0 ? 'zircon zircon' : 'zircon');
      if (label % 5 === 0) words.push('alpha');
      if (label % 7 === 0) words.push('beta beta');
      index.add({ label, text: words.join(' '), section: label % 11 === 0 ? 'Alpha desk' : '', title: label % 13 === 0 ? 'Beta' : 'Daily' });
    }
    for (let label = 0; label < 3_000; label += 37) index.remove({ label, text: undefined });
    return index;
  }

  it('gives the same hits, scores, masks and reported terms as reading every list, and skips lists it can', async () => {
    const { LEXICAL_DEFAULTS } = await import('../../kb/lexical-index.ts');
    const { PostingList } = await import('../../kb/posting-list.ts');
    const index = corpus();
    const report = [1, 5, 14, 35, 100, 150, 2_999, 74];
    const accept = (label: number) => label % 3 !== 1;
    const cases = [
      { words: 'zircon alpha', k: 10 },
      { words: 'zircon alpha beta', k: 20 },
      { words: 'zircon beta', k: 5, accept },
      { words: 'alpha beta markets', k: 10 },
      { words: 'note3 zircon alpha beta', k: 3 },
    ];
    const lookups = vi.spyOn(PostingList.prototype, 'slotsOf');
    const pruned = cases.map(({ words, k, accept: filter }) => index.search(query(words), k, { report, ...(filter ? { accept: filter } : {}) }));
    expect(lookups).toHaveBeenCalled();
    lookups.mockRestore();
    LEXICAL_DEFAULTS.maxScore = false;
    try {
      const full = cases.map(({ words, k, accept: filter }) => index.search(query(words), k, { report, ...(filter ? { accept: filter } : {}) }));
      expect(pruned).toEqual(full);
      // A report-only search (k 0) reports for every asked passage what the full search reports.
      for (const [position, { words }] of cases.entries()) {
        const reportOnly = index.search(query(words), 0, { report });
        expect(new Map([...reportOnly.reported].sort(([a], [b]) => a - b))).toEqual(new Map([...full[position]!.reported].sort(([a], [b]) => a - b)));
      }
    } finally {
      LEXICAL_DEFAULTS.maxScore = true;
    }
  });

  it('reports, with k 0, the terms each asked passage holds: labels in any order, repeated, removed or unknown, lists read from a snapshot with later postings', () => {
    const written = corpus();
    const index = LexicalIndex.fromBytes(Buffer.concat([...written.serialize()]));
    // Postings after the snapshot's go to each list's tail; some of them removed again.
    for (let label = 3_000; label < 3_400; label += 1) {
      index.add({ label, text: `${label % 3 === 0 ? 'alpha' : 'gamma'} zircon markets`, section: '', title: 'Late' });
    }
    for (let label = 3_001; label < 3_400; label += 41) index.remove({ label, text: undefined });
    const terms = ['zircon', 'alpha', 'beta', 'markets', 'note3', 'gamma'];
    const removed = (label: number) => (label < 3_000 ? label % 37 === 0 : (label - 3_001) % 41 === 0);
    const holds = (label: number, term: string): boolean => {
      if (label >= 3_000) return term === 'zircon' || term === 'markets' || term === (label % 3 === 0 ? 'alpha' : 'gamma');
      if (term === 'zircon') return label % 50 === 0;
      if (term === 'alpha') return label % 5 === 0 || label % 11 === 0;
      if (term === 'beta') return label % 7 === 0 || label % 13 === 0;
      if (term === 'markets') return true;
      return term === 'note3' && label % 97 === 3;
    };
    const asked = [3_399, 100, 7, 7, 2_999, 3_042, 0, 37, 3_001, 129, 3_500, -1, 1_300, 65, 3_300, 1_000];
    const { terms: searched, reported } = index.search(query(terms.join(' ')), 0, { report: asked });
    const expected = new Map<number, number>();
    for (const label of new Set(asked)) {
      if (label < 0 || label >= 3_400 || removed(label)) continue;
      const mask = searched.reduce((bits, term, bit) => (holds(label, term) ? bits | (1 << bit) : bits), 0);
      if (mask !== 0) expected.set(label, mask);
    }
    expect(new Map([...reported].sort(([a], [b]) => a - b))).toEqual(new Map([...expected].sort(([a], [b]) => a - b)));
  });

  it("reads a list whole for MaxScore's candidates when they are dense, adding the term to them alone", async () => {
    const { LEXICAL_DEFAULTS } = await import('../../kb/lexical-index.ts');
    const { PostingList } = await import('../../kb/posting-list.ts');
    const index = corpus();
    const report = [1, 5, 14, 35, 100, 150, 2_999, 74];
    const cases = ['zircon alpha', 'zircon alpha beta', 'note3 zircon alpha beta', 'zircon beta markets'];
    const search = () => cases.map((words) => index.search(query(words), 8, { report }));
    const scanDensity = LEXICAL_DEFAULTS.scanDensity;
    LEXICAL_DEFAULTS.scanDensity = Number.POSITIVE_INFINITY;
    const lookups = vi.spyOn(PostingList.prototype, 'slotsOf');
    let scanned: ReturnType<typeof search>;
    try {
      scanned = search();
    } finally {
      LEXICAL_DEFAULTS.scanDensity = scanDensity;
    }
    // MaxScore pruned (the same searches look lists up by default), but every list was read whole.
    expect(lookups).not.toHaveBeenCalled();
    search();
    expect(lookups).toHaveBeenCalled();
    lookups.mockRestore();
    LEXICAL_DEFAULTS.maxScore = false;
    try {
      expect(scanned).toEqual(search());
    } finally {
      LEXICAL_DEFAULTS.maxScore = true;
    }
  });

  it("takes MaxScore's candidate buffers from the index, not fresh for each query (megabytes of ArrayBuffers a query at 1M passages)", async () => {
    const { PostingList } = await import('../../kb/posting-list.ts');
    const index = corpus();
    const cases = ['zircon alpha beta', 'zircon beta', 'note3 zircon alpha beta'];
    const first = cases.map((words) => index.search(query(words), 10));
    const created: { name: string; length: number }[] = [];
    const watch = <T extends object>(name: 'Int32Array' | 'Float64Array', original: T): T =>
      new Proxy(original, {
        construct(target, args) {
          const made = Reflect.construct(target as new (...values: unknown[]) => object, args) as { length: number };
          created.push({ name, length: made.length });
          return made;
        },
      });
    const originals = { Int32Array: globalThis.Int32Array, Float64Array: globalThis.Float64Array };
    const lookups = vi.spyOn(PostingList.prototype, 'slotsOf');
    globalThis.Int32Array = watch('Int32Array', originals.Int32Array);
    globalThis.Float64Array = watch('Float64Array', originals.Float64Array);
    let again: ReturnType<LexicalIndex['search']>[];
    try {
      again = cases.map((words) => index.search(query(words), 10));
    } finally {
      globalThis.Int32Array = originals.Int32Array;
      globalThis.Float64Array = originals.Float64Array;
    }
    // MaxScore chose candidates (and looked the longer lists up for them) in these searches.
    expect(lookups).toHaveBeenCalled();
    lookups.mockRestore();
    // Only the top k's own heap (k long) is made per query, nothing the size of the passages touched.
    expect(created.filter(({ length }) => length > 10)).toEqual([]);
    expect(again).toEqual(first);
  });

  it('answers as reading every list over a random corpus, with or without seeded thresholds, filtered or not', async () => {
    const { LEXICAL_DEFAULTS } = await import('../../kb/lexical-index.ts');
    let state = 11;
    const random = () => {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      return state / 2_147_483_648;
    };
    // Words drawn with Zipf-like frequencies, so lists range from a handful of passages to most of them.
    const word = () => `w${Math.floor(1 / (random() * 0.98 + 0.02)) - 1}`;
    const index = LexicalIndex.create();
    for (let label = 0; label < 6_000; label += 1) {
      const length = 1 + Math.floor(random() * 40);
      index.add({ label, text: Array.from({ length }, word).join(' '), section: random() < 0.1 ? word() : '', title: `t${label % 300}` });
    }
    for (let label = 0; label < 6_000; label += 41) index.remove({ label, text: undefined });
    const queries = Array.from({ length: 40 }, () => Array.from({ length: 2 + Math.floor(random() * 6) }, word).join(' '));
    const accept = (label: number) => label % 4 !== 0;
    const run = () =>
      queries.map((words, position) =>
        index.search(query(words), 5 + (position % 4) * 20, { report: [3, 77, 1_234], ...(position % 3 === 0 ? { accept } : {}) }),
      );
    const asTuned = run();
    // Seeding pays off only over long lists (1M passages): here it is forced, and turned off.
    const seedPayback = LEXICAL_DEFAULTS.seedPayback;
    LEXICAL_DEFAULTS.seedPayback = 0;
    const seeded = run();
    LEXICAL_DEFAULTS.seedPayback = seedPayback;
    const seedPassages = LEXICAL_DEFAULTS.seedPassages;
    LEXICAL_DEFAULTS.seedPassages = 0;
    const unseeded = run();
    LEXICAL_DEFAULTS.seedPassages = seedPassages;
    // The lists after pruning starts: each read whole, and each looked up for the candidates.
    const scanDensity = LEXICAL_DEFAULTS.scanDensity;
    LEXICAL_DEFAULTS.scanDensity = Number.POSITIVE_INFINITY;
    const scanned = run();
    LEXICAL_DEFAULTS.scanDensity = 0;
    const lookedUp = run();
    LEXICAL_DEFAULTS.scanDensity = scanDensity;
    LEXICAL_DEFAULTS.maxScore = false;
    try {
      const full = run();
      expect(asTuned).toEqual(full);
      expect(seeded).toEqual(full);
      expect(unseeded).toEqual(full);
      expect(scanned).toEqual(full);
      expect(lookedUp).toEqual(full);
      expect(full.filter((result) => result.hits.length > 0).length).toBeGreaterThan(30);
    } finally {
      LEXICAL_DEFAULTS.maxScore = true;
    }
  });
});

describe('mergeSortedRuns', () => {
  it('merges ascending runs into one ascending sequence, whatever their number and sizes', () => {
    expect([...mergeSortedRuns(Int32Array.from([5, 9, 1, 2, 30, 3, 4]), 7, [0, 2, 5])]).toEqual([1, 2, 3, 4, 5, 9, 30]);
    expect([...mergeSortedRuns(Int32Array.from([1, 4, 8]), 3, [0])]).toEqual([1, 4, 8]);
    // Through a scratch buffer the caller keeps (longer than needed is fine; shorter is refused).
    const scratch = new Int32Array(16);
    const through = mergeSortedRuns(Int32Array.from([5, 9, 1, 2, 30, 3, 4]), 7, [0, 2, 5], scratch);
    expect([...through.subarray(0, 7)]).toEqual([1, 2, 3, 4, 5, 9, 30]);
    expect(() => mergeSortedRuns(Int32Array.from([5, 9, 1, 2]), 4, [0, 2], new Int32Array(3))).toThrow(/scratch/);
    // Empty runs and values past `count` are ignored.
    expect([...mergeSortedRuns(Int32Array.from([7, 2, 3, 99]), 3, [0, 1, 1, 3])].slice(0, 3)).toEqual([2, 3, 7]);
    const runs = Array.from({ length: 9 }, (_, run) => Array.from({ length: run * 3 + 1 }, (_, index) => index * 9 + run));
    const merged = mergeSortedRuns(
      Int32Array.from(runs.flat()),
      runs.flat().length,
      runs.map((_, run) => runs.slice(0, run).flat().length),
    );
    expect([...merged]).toEqual(runs.flat().sort((a, b) => a - b));
  });
});
