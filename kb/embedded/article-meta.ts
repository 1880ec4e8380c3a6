import { z } from 'zod';
import type { StoredArticle } from '../types.ts';

/**
 * What the embedded store keeps in memory about each article: the fields filters and listings
 * read, and where its passages sit in the label space (a version's passages take consecutive
 * labels). Stored as JSON in each change row, so replaying changes rebuilds it.
 */
export const ArticleMetaSchema = z.object({
  id: z.string(),
  title: z.string(),
  published: z.string().optional(),
  source: z.string().optional(),
  tags: z.array(z.string()),
  tickers: z.array(z.string()),
  documentType: z.string().optional(),
  company: z.string().optional(),
  firstLabel: z.number().int().nonnegative(),
  passages: z.number().int().nonnegative(),
});
export type ArticleMeta = z.infer<typeof ArticleMetaSchema>;

export function articleMetaOf(article: StoredArticle, firstLabel: number, passages: number): ArticleMeta {
  return {
    id: article.id,
    title: article.title,
    ...(article.published ? { published: article.published } : {}),
    ...(article.source ? { source: article.source } : {}),
    tags: article.tags,
    tickers: article.tickers,
    ...(article.financial?.documentType ? { documentType: article.financial.documentType } : {}),
    ...(article.financial?.company ? { company: article.financial.company } : {}),
    firstLabel,
    passages,
  };
}

/** Newest first; undated articles after dated ones, then by title and id for a stable order. */
export function compareArticles(a: ArticleMeta, b: ArticleMeta): number {
  return (b.published ?? '').localeCompare(a.published ?? '') || a.title.localeCompare(b.title) || a.id.localeCompare(b.id);
}

/** The listing search: a case-insensitive substring of title, source, tags or tickers. */
export function matchesListQuery(article: ArticleMeta, needle: string): boolean {
  return [article.title, article.source ?? '', ...article.tags, ...article.tickers].some((field) => field.toLowerCase().includes(needle));
}
