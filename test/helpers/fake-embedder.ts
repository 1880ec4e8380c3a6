import { createHash } from 'node:crypto';
import type { Embedder } from '../../ingest/embed/embedder.ts';

/**
 * A deterministic bag-of-words embedder for tests that exercise storage and plumbing rather
 * than semantics: each lower-cased word maps to a pseudo-random direction; a text is their sum.
 */
export function createFakeEmbedder(dim = 16, id = 'fake:bow-v1'): Embedder & { calls: number } {
  const embed = (text: string): Float32Array => {
    const vector = new Float32Array(dim);
    for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
      const digest = createHash('sha256').update(word).digest();
      for (let index = 0; index < dim; index += 1) vector[index]! += (digest[index % digest.length]! - 127.5) / 127.5;
    }
    const norm = Math.hypot(...vector);
    if (norm > 0) for (let index = 0; index < dim; index += 1) vector[index]! /= norm;
    return vector;
  };
  const embedder = {
    id,
    dim,
    calls: 0,
    async embedDocuments(texts: string[]) {
      embedder.calls += 1;
      return texts.map(embed);
    },
    async embedQuery(text: string) {
      return embed(text);
    },
  };
  return embedder;
}
