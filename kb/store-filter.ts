import type { StoreFilter } from './store.ts';

/**
 * How a `StoreFilter` reads article metadata, shared by every backend so the same filter selects
 * the same articles everywhere: tickers compare without `$`/`^` and case, tags without `#`, case
 * and the space/hyphen/underscore difference, dates are inclusive YYYY-MM-DD bounds on `published`
 * (undated articles fail a bound), the company matches case-insensitively as a whole name.
 */
export function normalizeTicker(symbol: string): string {
  return symbol.trim().replace(/^[$^]/, '').toUpperCase();
}

export function normalizeTag(tag: string): string {
  return tag
    .trim()
    .replace(/^#/, '')
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

export function normalizeCompany(company: string): string {
  return company.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** The article fields a filter reads. */
export interface FilterableArticle {
  id: string;
  published?: string | undefined;
  tickers: string[];
  tags: string[];
  documentType?: string | undefined;
  company?: string | undefined;
}

/** True when the filter asks for nothing (every article passes). */
export function isEmptyFilter(filter: StoreFilter | undefined): boolean {
  if (!filter) return true;
  return (
    filter.articleIds === undefined &&
    !filter.tickers?.length &&
    !filter.tags?.length &&
    !filter.from &&
    !filter.to &&
    filter.documentType === undefined &&
    !filter.company?.trim()
  );
}

/** Compiles a filter into a predicate over article metadata (one pass of normalisation per query). */
export function compileFilter(filter: StoreFilter | undefined): (article: FilterableArticle) => boolean {
  if (isEmptyFilter(filter) || !filter) return () => true;
  const ids = filter.articleIds ? new Set(filter.articleIds) : undefined;
  const tickers = new Set((filter.tickers ?? []).map(normalizeTicker).filter(Boolean));
  const tags = new Set((filter.tags ?? []).map(normalizeTag).filter(Boolean));
  const documentTypes = filter.documentType ? new Set(filter.documentType) : undefined;
  const company = filter.company?.trim() ? normalizeCompany(filter.company) : undefined;
  return (article) => {
    if (ids && !ids.has(article.id)) return false;
    if (tickers.size > 0 && !article.tickers.some((ticker) => tickers.has(normalizeTicker(ticker)))) return false;
    if (tags.size > 0 && !article.tags.some((tag) => tags.has(normalizeTag(tag)))) return false;
    if (filter.from && (!article.published || article.published < filter.from)) return false;
    if (filter.to && (!article.published || article.published > filter.to)) return false;
    if (documentTypes && (!article.documentType || !documentTypes.has(article.documentType))) return false;
    if (company && (!article.company || normalizeCompany(article.company) !== company)) return false;
    return true;
  };
}
