import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createLocalEmbedder, defaultWordVectorCacheDir, LOCAL_EMBEDDER_ID, type LocalEmbedder } from '../../ingest/embed/local-embedder.ts';

// One cache per machine, shared by every test run (gitignored): the 5-second JSON conversion happens once.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cacheDir = resolve(repoRoot, '.cache/word-vectors');

function cosine(left: Float32Array, right: Float32Array): number {
  let sum = 0;
  for (let index = 0; index < left.length; index += 1) sum += left[index]! * right[index]!;
  return sum;
}

function norm(vector: Float32Array): number {
  return Math.sqrt(cosine(vector, vector));
}

describe('local embedder (wink GloVe vectors, SIF)', () => {
  let embedder: LocalEmbedder;
  beforeAll(async () => {
    embedder = await createLocalEmbedder({ cacheDir });
  });

  it('names its model and weighting and has 100 dimensions', () => {
    expect(embedder.id).toBe(LOCAL_EMBEDDER_ID);
    expect(embedder.id).toBe('local:wink-sg-100d:sif-v1');
    expect(embedder.dim).toBe(100);
    expect(embedder.stats.vocabularySize).toBe(341_479);
    expect(defaultWordVectorCacheDir('/srv/copilot-data')).toBe('/srv/copilot-data/cache');
  });

  it('reads the vectors into a shared WebAssembly memory and sums them there, to the bit of the JavaScript loop where it may not', async () => {
    expect(embedder.stats.weightedSum).toBe('webassembly');
    expect(embedder.source.cacheMemory).toBeInstanceOf(WebAssembly.Memory);
    const texts = ['Operating income rose 7.5% to $1.2 billion in fiscal 2024, led by XQZW.', 'mid-1990s all-time highs', '营收同比增长'];
    const kernel = await embedder.embedDocuments(texts);
    // A system that refuses the memory (a limit on virtual memory): plain shared memory, JavaScript's loop.
    const memory = vi.spyOn(WebAssembly, 'Memory').mockImplementation(function refuse() {
      throw new RangeError('WebAssembly.Memory(): could not allocate memory');
    });
    try {
      const plain = await createLocalEmbedder({ cacheDir });
      expect(plain.stats.weightedSum).toBe('javascript');
      expect(plain.source.cacheMemory).toBeUndefined();
      expect(plain.source.cacheBytes?.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(await plain.embedDocuments(texts)).toEqual(kernel);
    } finally {
      memory.mockRestore();
    }
    // Another thread's embedder made from the source shares the memory and sums in it too.
    const twin = await createLocalEmbedder(embedder.source);
    expect(twin.stats.weightedSum).toBe('webassembly');
    expect(await twin.embedDocuments(texts)).toEqual(kernel);
  });

  it('reuses the cache: a second load reads the binary file, not the JSON', async () => {
    expect(existsSync(embedder.stats.cachePath)).toBe(true);
    const again = await createLocalEmbedder({ cacheDir });
    expect(again.stats.source).toBe('cache');
    expect(again.stats.cachePath).toBe(embedder.stats.cachePath);
    expect(await again.embedQuery('small caps')).toEqual(await embedder.embedQuery('small caps'));
  });

  it('scores paraphrases closer than unrelated sentences', async () => {
    const [record, paraphrase, recipe] = await embedder.embedDocuments([
      'The Russell 2000 small-cap index rallied to a record',
      'Small company stocks climbed to an all-time high',
      'The recipe calls for two cups of flour',
    ]);
    expect(cosine(record!, paraphrase!)).toBeGreaterThan(cosine(record!, recipe!) + 0.3);
  });

  it('puts a rate-cut question nearer a passage on the Fed lowering rates than one on M&A', async () => {
    const query = await embedder.embedQuery('Will the Fed cut interest rates?');
    const [fed, deals] = await embedder.embedDocuments([
      'The Federal Reserve lowered its benchmark rate by a quarter point on Wednesday.',
      'Merger and acquisition activity surged as companies agreed to combine in large deals.',
    ]);
    expect(cosine(query, fed!)).toBeGreaterThan(cosine(query, deals!) + 0.2);
  });

  it('still matches out-of-vocabulary terms such as Chinese text exactly', async () => {
    const [cut, cutDetail, phone] = await embedder.embedDocuments(['美联储降息', '美联储宣布降息25个基点', '苹果公司发布新手机']);
    expect(cosine(cut!, cutDetail!)).toBeGreaterThan(cosine(cut!, phone!) + 0.3);
  });

  it('returns unit-length vectors, and a zero vector without NaN for text with no usable token', async () => {
    const vectors = await embedder.embedDocuments(['Treasury yields rose.', 'IWM QQQ', '降息', 'x']);
    for (const vector of vectors) expect(norm(vector)).toBeCloseTo(1, 5);
    for (const text of ['', '   ', '!!! ... ---']) {
      const vector = await embedder.embedQuery(text);
      expect(vector).toHaveLength(100);
      expect(Array.from(vector).every((value) => value === 0)).toBe(true);
    }
  });

  it('is deterministic and order-independent across a batch', async () => {
    const texts = ['Gold hit a record as investors sought safety.', 'Oil slid on supply worries.'];
    const forward = await embedder.embedDocuments(texts);
    const backward = await embedder.embedDocuments([...texts].reverse());
    expect(forward[0]).toEqual(backward[1]);
    expect(forward[1]).toEqual(backward[0]);
    expect(await embedder.embedQuery(texts[0]!)).toEqual(forward[0]);
  });

  it('stops when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(embedder.embedDocuments(['anything'], controller.signal)).rejects.toThrow();
  });
});
