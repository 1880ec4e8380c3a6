/**
 * Turns passages and queries into vectors. Implementations: `local` (pre-trained word vectors,
 * offline) and `openai`. `id` names the model and its weighting so an index built by one embedder
 * is never silently searched with another.
 */
export interface Embedder {
  readonly id: string;
  readonly dim: number;
  /** Vectors for passages, in order; each is L2-normalised (cosine = dot product). */
  embedDocuments(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
  /** A vector for a search query; may weight words differently from passages. */
  embedQuery(text: string, signal?: AbortSignal): Promise<Float32Array>;
}
