import { z } from 'zod';
import { ChunkSchema, EmbedderInfoSchema, StoredArticleSchema } from '../types.ts';

/**
 * The previous on-disk format (read only to migrate it into the embedded store). A commit wrote a new generation directory
 * (`gen-<n>/`: docstore, vectors, lexical index), then atomically replaces `manifest.json` to point
 * at it, then removes older generations. A reader follows the manifest, so a kill at any moment
 * leaves the previous generation loadable.
 */
export const FORMAT_VERSION = 2;

export const StoredChunkSchema = ChunkSchema.extend({
  /** The chunk's label in the vector index. */
  label: z.number().int().nonnegative(),
});
export type StoredChunk = z.infer<typeof StoredChunkSchema>;

export const ManifestSchema = z.object({
  formatVersion: z.literal(FORMAT_VERSION),
  generation: z.number().int().nonnegative(),
  embedder: EmbedderInfoSchema,
  savedAt: z.string(),
  counts: z.object({ articles: z.number().int().nonnegative(), chunks: z.number().int().nonnegative() }),
  files: z.object({ docstore: z.string(), vectors: z.string(), lexical: z.string() }),
});

/** The docstore is JSON Lines: this header, then one record per article and per passage. */
export const DocstoreHeaderSchema = z.object({
  formatVersion: z.literal(FORMAT_VERSION),
  embedder: EmbedderInfoSchema,
  nextLabel: z.number().int().nonnegative(),
  counts: z.object({ articles: z.number().int().nonnegative(), chunks: z.number().int().nonnegative() }),
});

export const DocstoreRecordSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('article'), article: StoredArticleSchema }),
  z.object({ kind: z.literal('chunk'), chunk: StoredChunkSchema }),
]);

export const MANIFEST_FILE = 'manifest.json';
