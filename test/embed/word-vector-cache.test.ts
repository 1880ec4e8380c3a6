import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalEmbedder } from '../../ingest/embed/local-embedder.ts';
import { decodeWordVectorCache, encodeWordVectorCache, vocabularyOf, wordsOf, type WordVectorTable } from '../../ingest/embed/word-vector-cache.ts';
import { loadWordVectors } from '../../ingest/embed/word-vectors.ts';
import { SIF_DEFAULTS, sifFiguresOf } from '../../ingest/embed/sif.ts';
import { isAppError } from '../../lib/errors.ts';

const words = ['the', 'stocks', 'rally', 'flour', 'série'];
const table: WordVectorTable = {
  size: words.length,
  vocabulary: vocabularyOf(words),
  dim: 3,
  vectors: Float32Array.from([0.1, 0.2, 0.3, 1, 0, 0, 0.9, 0.1, 0, 0, 0, 1, -1, 0.5, 0.25]),
};

/** A miniature file in the wink layout: each vector is [...dims, l2norm, wordIndex]. */
function writeTinyWinkModel(directory: string, version: string): string {
  const vectors: Record<string, number[]> = {};
  words.forEach((word, rank) => {
    const row = Array.from(table.vectors.subarray(rank * 3, rank * 3 + 3));
    vectors[word] = [...row, Math.hypot(...row), rank];
  });
  const model = {
    precision: 8,
    l2NormIndex: 3,
    wordIndex: 4,
    size: words.length,
    dimensions: 3,
    words,
    vectors,
    unkVector: [0, 0, 0, 0, -1],
  };
  writeFileSync(join(directory, 'model.json'), JSON.stringify(model));
  writeFileSync(join(directory, 'package.json'), JSON.stringify({ name: 'tiny-vectors', version }));
  return join(directory, 'model.json');
}

const SIF = { a: 1e-3, commonDirection: [0.6, 0, 0.8], meanNorm: 0.75 };

const directories: string[] = [];
function makeTempDir(): string {
  const directory = mkdtempSync(join(tmpdir(), 'word-vectors-'));
  directories.push(directory);
  return directory;
}
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

describe('word-vector cache format', () => {
  it('round-trips words (including non-ASCII) and vectors exactly', () => {
    const bytes = encodeWordVectorCache(table, { model: 'tiny@1', sourceBytes: 42 }, SIF);
    const { header, table: decoded } = decodeWordVectorCache(bytes);
    expect(header).toMatchObject({ model: 'tiny@1', sourceBytes: 42, size: 5, dim: 3, sif: SIF });
    expect(wordsOf(decoded)).toEqual(words);
    expect(Array.from(decoded.vectors)).toEqual(Array.from(table.vectors));
  });

  it('reads a cache at an unaligned offset', () => {
    const bytes = encodeWordVectorCache(table, { model: 'tiny@1', sourceBytes: 42 }, SIF);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(Array.from(decodeWordVectorCache(shifted.subarray(1)).table.vectors)).toEqual(Array.from(table.vectors));
  });

  it('rejects a truncated or foreign file with index_corrupt', () => {
    const bytes = encodeWordVectorCache(table, { model: 'tiny@1', sourceBytes: 42 }, SIF);
    for (const damaged of [bytes.subarray(0, bytes.length - 4), Buffer.from('not a cache at all')]) {
      let caught: unknown;
      try {
        decodeWordVectorCache(damaged);
      } catch (error) {
        caught = error;
      }
      expect(isAppError(caught) && caught.code).toBe('index_corrupt');
    }
  });
});

describe('loadWordVectors', () => {
  it('parses the JSON once, writes the cache, and reads the cache afterwards', async () => {
    const modelDir = makeTempDir();
    const cacheDir = join(makeTempDir(), 'nested', 'cache');
    const modelPath = writeTinyWinkModel(modelDir, '1.0.0');
    const first = await loadWordVectors({ cacheDir, modelPath });
    expect(first.source).toBe('json');
    expect(first.model).toBe('tiny-vectors@1.0.0');
    const second = await loadWordVectors({ cacheDir, modelPath });
    expect(second.source).toBe('cache');
    expect(wordsOf(second.table)).toEqual(words);
    expect(Array.from(second.table.vectors)).toEqual(Array.from(table.vectors));
    // Only the final file remains: no temporary files left behind.
    expect(readdirSync(cacheDir)).toEqual(['tiny-vectors@1.0.0.f2.wv']);
  });

  it('rebuilds the cache when it is damaged or the source changed', async () => {
    const modelDir = makeTempDir();
    const cacheDir = makeTempDir();
    const modelPath = writeTinyWinkModel(modelDir, '1.0.0');
    const { cachePath } = await loadWordVectors({ cacheDir, modelPath });
    writeFileSync(cachePath, readFileSync(cachePath).subarray(0, 20));
    expect((await loadWordVectors({ cacheDir, modelPath })).source).toBe('json');
    expect((await loadWordVectors({ cacheDir, modelPath })).source).toBe('cache');
    writeFileSync(modelPath, `${readFileSync(modelPath, 'utf8')}\n`);
    expect((await loadWordVectors({ cacheDir, modelPath })).source).toBe('json');
  });

  it('survives two builds racing for the same cache file', async () => {
    const modelPath = writeTinyWinkModel(makeTempDir(), '2.0.0');
    const cacheDir = makeTempDir();
    const results = await Promise.all([loadWordVectors({ cacheDir, modelPath }), loadWordVectors({ cacheDir, modelPath })]);
    expect(results.map((result) => wordsOf(result.table))).toEqual([words, words]);
    expect((await loadWordVectors({ cacheDir, modelPath })).source).toBe('cache');
    expect(readdirSync(cacheDir)).toEqual(['tiny-vectors@2.0.0.f2.wv']);
  });

  it("keeps the weighting's whole-table figures exactly as computed, and removes caches of older formats", async () => {
    const modelPath = writeTinyWinkModel(makeTempDir(), '4.0.0');
    const cacheDir = makeTempDir();
    writeFileSync(join(cacheDir, 'tiny-vectors@4.0.0.f1.wv'), 'an older format');
    writeFileSync(join(cacheDir, 'other-vectors@1.0.0.f1.wv'), 'another model');
    const built = await loadWordVectors({ cacheDir, modelPath });
    const read = await loadWordVectors({ cacheDir, modelPath });
    const computed = sifFiguresOf(built.table, SIF_DEFAULTS.a);
    for (const loaded of [built, read]) {
      expect(loaded.sif.a).toBe(SIF_DEFAULTS.a);
      expect(loaded.sif.meanNorm).toBe(computed.meanNorm);
      expect(Array.from(loaded.sif.commonDirection)).toEqual(Array.from(computed.commonDirection));
    }
    expect(readdirSync(cacheDir).sort()).toEqual(['other-vectors@1.0.0.f1.wv', 'tiny-vectors@4.0.0.f2.wv']);
  });

  it('fails with an actionable error when the model file is missing', async () => {
    await expect(loadWordVectors({ cacheDir: makeTempDir(), modelPath: join(makeTempDir(), 'missing.json') })).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('gives the local embedder its load source and the same vectors either way', async () => {
    const modelPath = writeTinyWinkModel(makeTempDir(), '3.0.0');
    const cacheDir = makeTempDir();
    const fromJson = await createLocalEmbedder({ cacheDir, modelPath });
    const fromCache = await createLocalEmbedder({ cacheDir, modelPath });
    expect([fromJson.stats.source, fromCache.stats.source]).toEqual(['json', 'cache']);
    expect(fromJson.dim).toBe(3);
    expect(await fromCache.embedQuery('stocks rally')).toEqual(await fromJson.embedQuery('stocks rally'));
  });

  it('computes its own figures for a weighting parameter the cache was not written for', async () => {
    const modelPath = writeTinyWinkModel(makeTempDir(), '5.0.0');
    const cacheDir = makeTempDir();
    await createLocalEmbedder({ cacheDir, modelPath });
    const other = await createLocalEmbedder({ cacheDir, modelPath, sif: { a: 0.5 } });
    const fresh = await createLocalEmbedder({ cacheDir: makeTempDir(), modelPath, sif: { a: 0.5 } });
    expect(other.stats.source).toBe('cache');
    expect(await other.embedQuery('the stocks')).toEqual(await fresh.embedQuery('the stocks'));
    expect(await other.embedQuery('the stocks')).not.toEqual(await (await createLocalEmbedder({ cacheDir, modelPath })).embedQuery('the stocks'));
  });
});
