import type { Embedder } from './embedder.ts';
import { createLocalEmbedder, defaultWordVectorCacheDir } from './local-embedder.ts';
import { createOpenAIEmbedder, type OpenAIEmbedderOptions } from './openai-embedder.ts';

export type EmbedderKind = 'local' | 'openai';

export interface CreateEmbedderOptions {
  kind: EmbedderKind;
  /** The copilot's data folder; the local word-vector cache goes to `<dataDir>/cache`. */
  dataDir: string;
  /** Overrides the local embedder's cache folder (tests share one per machine). */
  cacheDir?: string;
  openai?: OpenAIEmbedderOptions;
}

/** The one place an embedder is chosen; options come from the validated config, never from the environment here. */
export async function createEmbedder(options: CreateEmbedderOptions): Promise<Embedder> {
  switch (options.kind) {
    case 'local':
      return createLocalEmbedder({ cacheDir: options.cacheDir ?? defaultWordVectorCacheDir(options.dataDir) });
    case 'openai':
      return createOpenAIEmbedder(options.openai ?? {});
  }
}
