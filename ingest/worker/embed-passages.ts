import { createLocalEmbedder, type LocalEmbedder, type LocalEmbedderOptions } from '../embed/local-embedder.ts';

/**
 * The worker half of embedding passages off the event loop (see embed/worker-embedder.ts): the
 * local embedder is built once per worker from its `source` (the word vectors are shared memory
 * with the thread that sent them) and reused by every later job.
 */
export interface EmbedPassagesInput {
  source: LocalEmbedderOptions;
  texts: string[];
}

const embedders = new Map<string, Promise<LocalEmbedder>>();

export async function embedPassages(input: EmbedPassagesInput): Promise<Float32Array[]> {
  const { cacheBytes: _bytes, cacheMemory: _memory, ...identity } = input.source;
  const key = JSON.stringify(identity);
  let embedder = embedders.get(key);
  if (!embedder) {
    embedder = createLocalEmbedder(input.source);
    embedders.set(key, embedder);
    // A failed load is not kept: the next job tries again.
    embedder.catch(() => embedders.delete(key));
  }
  const ready = await embedder;
  return input.texts.map((text) => ready.embedSync(text));
}
