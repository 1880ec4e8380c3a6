import type { KnowledgeStore } from '../../../kb/store.ts';
import type { Embedder } from '../../../ingest/embed/embedder.ts';
import { findLineItems, lineItem } from '../../../lib/line-items.ts';
import { passageTable } from '../../cells/passage-table.ts';
import { notesOfTable, titlesByNoteMark } from '../../evidence/footnotes.ts';
import { searchKnowledgeBase, SEARCH_DEFAULTS, type Relevance, type SearchHit } from '../../retrieval/hybrid-search.ts';
import { findNamedArticles, type QueryAnalysis } from '../../retrieval/query-understanding.ts';
import { titleIndexOf } from '../../retrieval/title-index.ts';
import type { EngineInput } from '../types.ts';
import type { Intent } from './intent.ts';
import { missingNames } from './missing-names.ts';
import type { QuestionReading } from './read-question.ts';

/**
 * Stage 3a of the offline engine: the passages an answer may draw on. The question is searched as
 * asked; a "why" or "what are the risks" question also as its subject plus the language
 * explanations are written in; a question over tables also by its line items and periods.
 */
export const GATHER_DEFAULTS = {
  k: 8,
  /** Explanations and risks gather points from more passages than a single figure does. */
  explainExtra: 4,
  /**
   * The top hit decides whether anything is relevant; below it, BM25 reordering lowers scores, so
   * supporting passages need only this share of the threshold.
   */
  supportShare: 0.6,
  /** A table's note passage ranks just under the table. */
  noteScoreShare: 0.9,
};

export interface GatheredPassages {
  relevance: Relevance;
  /** Passages relevant enough to answer from, in retrieval order (the question's own search first). */
  relevant: SearchHit[];
  /** Names the question is about that no document mentions. */
  missing: string[];
}

export interface GatherInput {
  input: Pick<EngineInput, 'question' | 'filters' | 'today' | 'signal'>;
  analysis: QueryAnalysis;
  intent: Intent;
  reading: QuestionReading;
  /** A question about the bundled price series: its tables are not searched by line item. */
  marketQuestion: boolean;
}

export async function gatherPassages(deps: { kb: KnowledgeStore; embedder: Embedder }, gather: GatherInput): Promise<GatheredPassages> {
  const { input, analysis, intent, reading } = gather;
  // A question that quotes or names an article's title is about that article.
  const named = findNamedArticles(input.question, await titleIndexOf(deps.kb));
  const filters = input.filters ?? (named.articleIds.length > 0 ? { articleIds: named.articleIds } : undefined);
  const search = (query: string, k: number, extraTerms?: string[]) =>
    searchKnowledgeBase(deps.kb, deps.embedder, {
      query,
      k,
      today: input.today,
      signal: input.signal,
      ...(extraTerms ? { extraTerms } : {}),
      ...(filters ? { filters } : {}),
      // Documents' questions: similar tables compete, so the one whose rows, periods and figures
      // the question names goes first (questions about the bundled price series are not about tables).
      rerank: !gather.marketQuestion,
    });
  const supportFloor = GATHER_DEFAULTS.supportShare * SEARCH_DEFAULTS.noneThreshold;

  const explains = intent.explain || intent.risks;
  const first = await search(intent.searchQuery, explains ? GATHER_DEFAULTS.k + GATHER_DEFAULTS.explainExtra : GATHER_DEFAULTS.k, intent.cueWords);
  // A "why" or "what are the risks" question is also searched as its subject plus the words
  // explanations are written with: the question's own verb ("outperforming") otherwise pulls in
  // passages that merely repeat it.
  if (explains && first.relevance !== 'none') {
    const subject = analysis.entities.map((entity) => entity.name).join(' ') || intent.searchQuery;
    const reworded = await search(`${subject} ${intent.cueWords.join(' ')}`, GATHER_DEFAULTS.k);
    const seen = new Set(first.hits.map((hit) => hit.chunk.id));
    for (const hit of reworded.hits) if (!seen.has(hit.chunk.id) && hit.score >= SEARCH_DEFAULTS.noneThreshold) first.hits.push(hit);
  }
  const missing = named.articleIds.length + named.mentionedIds.length > 0 ? [] : await missingNames(input.question, analysis, deps.kb);
  const relevant = first.relevance === 'none' ? [] : first.hits.filter((hit) => hit.score >= supportFloor);
  // Questions over documents' tables: also search by the question's line items (with their other
  // captions: "COGS" finds "Cost of sales") and periods. A computation's words ("percentage
  // change") pull in prose about changes; the items find the table with the inputs.
  const itemQuery = gather.marketQuestion ? '' : focusedQuery(reading);
  if (itemQuery) {
    const focused = await search(itemQuery, GATHER_DEFAULTS.k);
    const seen = new Set(relevant.map((hit) => hit.chunk.id));
    if (focused.relevance !== 'none') {
      for (const hit of focused.hits) if (!seen.has(hit.chunk.id) && hit.score >= supportFloor) relevant.push(hit);
    }
  }
  relevant.push(...(await tableNotes(relevant, deps.kb)));
  return { relevance: first.relevance, relevant, missing };
}

/**
 * The passages holding the notes of the retrieved tables: a row marked "(1)" is explained in a
 * paragraph below the table ("(1) Include cost of equipment sold, …") that rarely repeats the row's
 * name, so the question's words do not find it; the table it belongs to does.
 */
async function tableNotes(hits: SearchHit[], kb: KnowledgeStore): Promise<SearchHit[]> {
  const seen = new Set(hits.map((hit) => hit.chunk.id));
  const documents: string[] = [];
  const notes: SearchHit[] = [];
  for (const hit of hits) {
    if (documents.includes(hit.article.id)) continue;
    documents.push(hit.article.id);
    const tableHit = hits.find((other) => other.article.id === hit.article.id && passageTable(other.chunk));
    const table = tableHit && passageTable(tableHit.chunk);
    // Only a table that marks a title sends for its document's passages.
    if (!tableHit || !table || titlesByNoteMark([table]).size === 0) continue;
    for (const chunk of notesOfTable(table, await kb.passagesOf(hit.article.id))) {
      if (seen.has(chunk.id)) continue;
      seen.add(chunk.id);
      notes.push({ ...tableHit, chunk, score: tableHit.score * GATHER_DEFAULTS.noteScoreShare });
    }
  }
  return notes;
}

/** The line items, their other captions and the periods of a question over tables, as a search query. */
export function focusedQuery(reading: QuestionReading): string {
  const items = [
    ...reading.items,
    ...(reading.ratio?.formulas.flatMap((formula) => (formula.formula.match(/[a-z_]+/g) ?? []).map((id) => lineItem(id).names[0]!)) ?? []),
  ];
  if (items.length === 0) return '';
  const captions = reading.items.flatMap((item) => findLineItems(item).flatMap((found) => lineItem(found.id).names.slice(0, 3)));
  return `${[...new Set([...items, ...captions])].join(' ')} ${reading.periods.map((period) => period.label).join(' ')}`;
}
