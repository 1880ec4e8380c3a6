import type { KnowledgeStore } from '../../kb/store.ts';
import type { Embedder } from '../../ingest/embed/embedder.ts';
import { splitSentences } from '../../ingest/sentences.ts';
import type { PriceProvider } from '../market/types.ts';
import { searchKnowledgeBase } from '../retrieval/hybrid-search.ts';
import { analyzeQuery } from '../retrieval/query-understanding.ts';
import { pickCommonPairs, rankPassageSubjects, readMultiples, type SubjectEntity } from './multiples.ts';
import { pickPlanSeries, type PlanningContext } from './offline-planner.ts';

/**
 * What both planners need besides the question (I/O): the date the knowledge base reaches, so a
 * question without a period is measured up to the newest article, and a pair of P/E multiples an
 * article states for the question's indexes, so the valuation step can compute the gap between them.
 */
export interface PlanningDeps {
  kb: KnowledgeStore;
  embedder: Embedder;
  /** To end the default period at the last session the price data holds. */
  prices?: PriceProvider;
}

export async function gatherPlanningContext(deps: PlanningDeps, question: string, today: string, signal?: AbortSignal): Promise<PlanningContext> {
  // Articles list newest first; the bound leaves out undated and future-dated ones.
  const newest = (await deps.kb.listArticles({ limit: 1, filter: { to: today } })).articles[0]?.published;
  const context: PlanningContext = { today, asOf: newest ?? today };

  const { series } = pickPlanSeries(analyzeQuery(question, today));
  if (deps.prices && series.length > 0) {
    const ends = await Promise.all(series.map((entry) => lastSession(deps.prices!, entry.symbol, context.asOf, signal)));
    const known = ends.filter((end): end is string => end !== undefined).sort();
    if (known.length > 0) context.dataEnd = known[0]!;
  }
  if (series.length < 2) return context;
  const search = await searchKnowledgeBase(deps.kb, deps.embedder, {
    query: `${series.map((entry) => entry.name).join(' ')} forward P/E valuation multiple times earnings`,
    k: 8,
    today,
    ...(signal ? { signal } : {}),
  });
  if (search.relevance === 'none') return context;
  const sentences: { text: string; title: string; published?: string }[] = [];
  const subjects: SubjectEntity[][] = [];
  for (const hit of search.hits) {
    const passage = splitSentences(hit.chunk.text);
    const ranked = rankPassageSubjects(passage);
    for (const text of passage) {
      sentences.push({ text, title: hit.article.title, ...(hit.article.published ? { published: hit.article.published } : {}) });
      subjects.push(ranked);
    }
  }
  const pairs = pickCommonPairs(
    readMultiples(
      sentences.map((sentence) => sentence.text),
      subjects,
    ),
    series.map((entry) => entry.entityId),
  );
  if (pairs.length === 0) return context;
  return {
    ...context,
    valuations: pairs.map((pair) => {
      const from = sentences[pair.a.sentence]!;
      return {
        a: { name: pair.a.name, value: pair.a.value },
        b: { name: pair.b.name, value: pair.b.value },
        article: { title: from.title, ...(from.published ? { published: from.published } : {}) },
      };
    }),
  };
}

/** The last session on or before `asOf` in the symbol's price data; undefined when there is none. */
async function lastSession(prices: PriceProvider, symbol: string, asOf: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const from = new Date(Date.parse(`${asOf}T00:00:00Z`) - 120 * 86_400_000).toISOString().slice(0, 10);
    const series = await prices.getSeries(symbol, { from, to: asOf }, signal);
    return series.bars.filter((bar) => bar.date <= asOf).at(-1)?.date;
  } catch {
    // No data for the symbol: the tools will say so when the step runs.
    return undefined;
  }
}
