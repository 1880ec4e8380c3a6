import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LEXICAL_DEFAULTS, LexicalIndex } from '../../kb/lexical-index.ts';
import { ScoringArena, ScoringKernel } from '../../kb/scoring-kernel.ts';
import { tokenize } from '../../kb/tokenize.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const query = (text: string) => tokenize(text).map((term) => ({ term, weight: 1 + (text.length % 3) / 4 }));
afterEach(() => {
  LEXICAL_DEFAULTS.scoringKernel = true;
  vi.restoreAllMocks();
});

/**
 * Seeded passages with Zipf-like words, and postings whose varints take more than one byte: a
 * rare word far apart (label gaps of two and three bytes) and a word repeated up to 200 times
 * (weight slots past 127).
 */
function corpus(seed: number, count: number) {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const word = () => `w${Math.floor(1 / (random() * 0.98 + 0.02)) - 1}`;
  const document = (label: number) => {
    const words = Array.from({ length: 1 + Math.floor(random() * 30) }, word);
    if (label % 7 === 0) words.push(...Array.from({ length: 1 + (label % 200) }, () => 'repeated'));
    if (label === 3 || label === 300 || label === count - 2) words.push('faraway');
    return { label, text: words.join(' '), section: random() < 0.1 ? word() : '', title: `t${label % 50}` };
  };
  const queries = [
    ...Array.from({ length: 30 }, () => Array.from({ length: 2 + Math.floor(random() * 6) }, word).join(' ')),
    'repeated w1',
    'faraway w0 w2',
    'repeated faraway w3 w4 w5',
  ];
  return { document, queries };
}

/** The corpus's first `count` passages built in memory (less those `removed` keeps), and the snapshot written of them. */
function snapshotOf(seed: number, count: number, removed: (label: number) => boolean = () => false) {
  const { document, queries } = corpus(seed, count);
  const written = LexicalIndex.create();
  for (let label = 0; label < count; label += 1) written.add(document(label));
  for (let label = 0; label < count; label += 1) if (removed(label)) written.remove({ label, text: undefined });
  const path = join(tempDir(), 'lexical.bin');
  written.write(path);
  return { document, queries, written, path };
}

/** Both ways over every query: the kernel's results, then the JavaScript loop's. */
function bothWays(index: LexicalIndex, queries: string[], options: Parameters<LexicalIndex['search']>[2] = {}) {
  const run = (kernel: boolean) => {
    LEXICAL_DEFAULTS.scoringKernel = kernel;
    return queries.map((words, position) => index.search(query(words), 3 + (position % 5) * 15, options));
  };
  return { kernel: run(true), javascript: run(false) };
}

describe('the WebAssembly scoring kernel', () => {
  it('carves its arena into aligned, zeroed pieces, growing the memory, up to what wasm32 addresses', () => {
    const arena = ScoringArena.create(100)!;
    const first = arena.allocate(5);
    const second = arena.allocate(200_000);
    expect([first, second]).toEqual([0, 8]);
    expect(arena.memory.buffer.byteLength).toBeGreaterThanOrEqual(200_008);
    expect(arena.view(Float64Array, second, 25_000).every((value) => value === 0)).toBe(true);
    expect(arena.reserve(1 << 20)).toBe(true);
    const reserved = arena.memory.buffer.byteLength;
    expect(reserved).toBeGreaterThanOrEqual(200_008 + (1 << 20));
    arena.allocate(1 << 20);
    expect(arena.memory.buffer.byteLength).toBe(reserved);
    expect(arena.reserve(2 ** 32)).toBe(false);
    expect(ScoringArena.create(2 ** 32 + 1)).toBeUndefined();
  });

  it('reads a snapshot without an arena where the system refuses the memory, scoring in JavaScript', () => {
    const { queries, written, path } = snapshotOf(5, 2_000);
    // As V8 refuses a memory it finds no address space for (a limit on virtual memory).
    const refused = vi.spyOn(WebAssembly, 'Memory').mockImplementation(function refuse() {
      throw new RangeError('WebAssembly.Memory(): could not allocate memory');
    });
    const index = LexicalIndex.read(path);
    refused.mockRestore();
    const calls = vi.spyOn(ScoringKernel.prototype, 'accumulate');
    const answers = queries.map((words) => index.search(query(words), 10));
    expect(calls).not.toHaveBeenCalled();
    expect(answers).toEqual(queries.map((words) => written.search(query(words), 10)));
    expect(index.sharedMemory()?.file.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('scores a snapshot read into its arena exactly as the JavaScript loop does', () => {
    const count = 20_000;
    const { queries, written, path } = snapshotOf(7, count, (label) => label % 97 === 5);
    // Its arrays, this thread's and the helper's, fit in what the read reserved: no later growth (which could fail).
    const grows = vi.spyOn(WebAssembly.Memory.prototype, 'grow');
    const index = LexicalIndex.read(path);
    expect(index.sharedMemory()?.scoring).toBeDefined();
    expect(grows).toHaveBeenCalledTimes(1);
    grows.mockRestore();
    const calls = ['accumulate', 'topK', 'clear'].map((name) => vi.spyOn(ScoringKernel.prototype, name as 'accumulate'));
    const { kernel, javascript } = bothWays(index, queries, { report: [3, 300, 1_234, count - 2] });
    // Each query adds lists, chooses its top k and clears its scores in WebAssembly.
    for (const spy of calls) expect(spy.mock.calls.length).toBeGreaterThanOrEqual(queries.length);
    expect(kernel).toEqual(javascript);
    // And as the index built in memory scores them (its lists were never in an arena).
    expect(queries.map((words, position) => written.search(query(words), 3 + (position % 5) * 15, { report: [3, 300, 1_234, count - 2] }))).toEqual(javascript);
    const filtered = bothWays(index, queries, { accept: (label) => label % 3 !== 0 });
    expect(filtered.kernel).toEqual(filtered.javascript);
    // A query clears only the masks it set, and a passage's first term is written over whatever
    // score an earlier query left: the same answers as an index that never answered anything.
    for (const [position, words] of queries.entries()) {
      if (position % 4 !== 0) continue;
      const options = { report: [3, 300, 1_234, count - 2] };
      const k = 3 + (position % 5) * 15;
      expect(LexicalIndex.read(path).search(query(words), k, options)).toEqual(kernel[position]);
    }
  });

  it('takes a weight first seen after the snapshot into its table, and leaves an index that outgrew the arena to JavaScript', () => {
    const { document, queries, written, path } = snapshotOf(11, 3_000);
    const index = LexicalIndex.read(path);
    // A weight no passage had (a word 777 times), below the snapshot's capacity (4,096 labels).
    const heavy = { label: 3_000, text: Array.from({ length: 777 }, () => 'repeated').join(' '), section: '', title: 'heavy' };
    index.add(heavy);
    written.add(heavy);
    const calls = vi.spyOn(ScoringKernel.prototype, 'accumulate');
    const withNewWeight = bothWays(index, [...queries, 'repeated']);
    expect(calls).toHaveBeenCalled();
    expect(withNewWeight.kernel).toEqual(withNewWeight.javascript);
    const everyHolder = index.search(query('repeated'), 3_001).hits;
    expect(everyHolder.find((hit) => hit.label === 3_000)?.score).toBeGreaterThan(0);
    // Past the snapshot's capacity the per-passage arrays are new copies outside the arena.
    for (let label = 3_001; label < 5_000; label += 1) {
      const passage = document(label);
      index.add(passage);
      written.add(passage);
    }
    calls.mockClear();
    const grown = bothWays(index, queries);
    expect(calls).not.toHaveBeenCalled();
    expect(grown.kernel).toEqual(grown.javascript);
    LEXICAL_DEFAULTS.scoringKernel = true;
    expect(queries.map((words, position) => written.search(query(words), 3 + (position % 5) * 15))).toEqual(grown.kernel);
  });
});
