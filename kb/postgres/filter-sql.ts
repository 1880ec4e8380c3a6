import type { StoreFilter } from '../store.ts';
import { normalizeCompany, normalizeTag, normalizeTicker } from '../store-filter.ts';

/**
 * A declarative `StoreFilter` as a SQL condition over `articles a` (and `passages p`), with every
 * value sent as a bind parameter: no input ever becomes SQL text. Pure.
 *
 * Tickers and tags are compared in the normalised forms the articles table keeps beside the
 * originals (`ticker_keys`, `tag_keys`) by kb/store-filter.ts, the normalisation the embedded store applies,
 * so "$nvda" finds NVDA and "AI Chips" finds ai_chips; the company likewise (`company_key`). An empty
 * ticker or tag list does not narrow, while an empty list of article ids or document types selects
 * nothing (as in the embedded store); an undated article fails a date bound.
 */
export interface SqlCondition {
  /** `TRUE` when nothing narrows, otherwise conditions joined by AND. */
  sql: string;
  /** Whether the condition reads the articles table (the caller joins it only then). */
  needsArticles: boolean;
}

/** Appends the filter's values to `params` and returns the condition that refers to them. */
export function buildFilterCondition(filter: StoreFilter | undefined, params: unknown[]): SqlCondition {
  const conditions: string[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (!filter) return { sql: 'TRUE', needsArticles: false };
  const listOf = (values: string[] | undefined, normalize: (value: string) => string) => (values ?? []).map(normalize).filter((value) => value.length > 0);

  if (filter.articleIds) conditions.push(`p.article_id = ANY(${bind(filter.articleIds)}::text[])`);
  // Every condition after this one reads the articles table.
  const passageConditions = conditions.length;
  const tickers = listOf(filter.tickers, normalizeTicker);
  if (tickers.length > 0) conditions.push(`a.ticker_keys && ${bind(tickers)}::text[]`);
  const tags = listOf(filter.tags, normalizeTag);
  if (tags.length > 0) conditions.push(`a.tag_keys && ${bind(tags)}::text[]`);
  if (filter.from) conditions.push(`a.published >= ${bind(filter.from)}::text`);
  if (filter.to) conditions.push(`a.published <= ${bind(filter.to)}::text`);
  if (filter.documentType) conditions.push(`a.document_type = ANY(${bind(filter.documentType)}::text[])`);
  if (filter.company?.trim()) conditions.push(`a.company_key = ${bind(normalizeCompany(filter.company))}::text`);

  return { sql: conditions.length > 0 ? conditions.join(' AND ') : 'TRUE', needsArticles: conditions.length > passageConditions };
}
