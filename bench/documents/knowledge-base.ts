import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { createLocalEmbedder } from '../../ingest/embed/local-embedder.ts';
import { ingestDocument } from '../../ingest/pipeline.ts';
import { createOfflineEngine } from '../../server/chat/offline-engine.ts';
import { createPriceStore } from '../../server/market/price-store.ts';
import { loadPromptLibrary, type PromptLibrary } from '../../server/prompts.ts';
import { createToolRegistry } from '../../server/tools/registry.ts';
import { join } from 'node:path';
import { EVAL_TODAY, REPO_ROOT, WORD_VECTOR_CACHE } from '../retrieval/corpus.ts';
import type { TatqaContext } from './dataset.ts';
import { renderContextMarkdown } from './render.ts';

/**
 * Every TAT-QA context as a Markdown document of one knowledge base (an open corpus, as a user
 * would have the reports), and the offline engine over it: the setup both document evaluations share.
 */
export async function buildTatqaKnowledgeBase(contexts: TatqaContext[], indexDir: string) {
  const embedder = await createLocalEmbedder({ cacheDir: WORD_VECTOR_CACHE });
  const kb = await EmbeddedStore.open({ indexDir, embedder: { id: embedder.id, dim: embedder.dim } });
  /** Article id -> the TAT-QA table uid it was built from. */
  const contextOf = new Map<string, string>();
  for (const [position, context] of contexts.entries()) {
    const content = renderContextMarkdown(context, `Annual report extract ${position + 1}`);
    const report = await ingestDocument({ content, filename: `extract-${position + 1}.md`, origin: `tatqa:${context.table.uid}` }, { kb, embedder });
    for (const articleId of report.articleIds) contextOf.set(articleId, context.table.uid);
  }
  const prompts: PromptLibrary = loadPromptLibrary(join(REPO_ROOT, 'prompts'));
  const prices = createPriceStore({ dataDir: join(REPO_ROOT, 'data') });
  const engine = createOfflineEngine({ kb, embedder, registry: createToolRegistry(), toolContext: () => ({ prices, today: EVAL_TODAY }), prompts });
  return { contextOf, prompts, engine };
}
