import { join, resolve } from 'node:path';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import type { Embedder } from '../../ingest/embed/embedder.ts';
import { createLocalEmbedder } from '../../ingest/embed/local-embedder.ts';
import { ingestPaths } from '../../ingest/pipeline.ts';
import { createPriceStore } from '../../server/market/price-store.ts';
import { loadPromptLibrary } from '../../server/prompts.ts';
import { createResearchService, type ResearchServiceDeps } from '../../server/research/research-service.ts';
import { createToolRegistry } from '../../server/tools/registry.ts';

export const REPO = resolve(import.meta.dirname, '../..');
export const TODAY = '2026-11-21';
export const QUESTION_RALLY = 'Is the small-cap rally sustainable?';
export const QUESTION_COMPARE = 'Compare small caps and large caps for 2026 on valuation, earnings and rates';
export const HEADINGS = ['Integrated Analysis', 'Key Insights', 'Risks & Opportunities', 'Key Information Summary', 'References'];

export const prompts = loadPromptLibrary(join(REPO, 'prompts'));
export const prices = createPriceStore({ dataDir: join(REPO, 'data') });

/**
 * The bundled sample corpus alone: every clone has it, so the reports these tests read are the same
 * with or without the workspace's ../shared/seeds beside the repo.
 */
export async function buildSampleKnowledgeBase(indexDir: string): Promise<{ kb: EmbeddedStore; embedder: Embedder }> {
  const embedder = await createLocalEmbedder({ cacheDir: join(REPO, '.cache/word-vectors') });
  const kb = await EmbeddedStore.open({ indexDir, embedder: { id: embedder.id, dim: embedder.dim } });
  await ingestPaths([join(REPO, 'data/articles')], { kb, embedder });
  return { kb, embedder };
}

export function createTestResearch(base: Pick<ResearchServiceDeps, 'kb' | 'embedder'> & Partial<ResearchServiceDeps>) {
  return createResearchService({
    registry: createToolRegistry(),
    toolContext: () => ({ prices, today: TODAY }),
    prompts,
    today: () => TODAY,
    ...base,
  });
}

/** Markers `[n]` in a report's Markdown outside its References section. */
export function markersOutsideReferences(markdown: string): number[] {
  const body = markdown.split('\n## References\n')[0]!;
  return [...body.matchAll(/\[(\d{1,3})\](?!\()/g)].map((match) => Number(match[1]));
}

/** Parses a Server-Sent Events body into `{event, data}` pairs. */
export function parseEvents(text: string): { event: string; data: any }[] {
  return [...text.matchAll(/^event: (\w+)\ndata: (.*)$/gm)].map((match) => ({ event: match[1]!, data: JSON.parse(match[2]!) }));
}
