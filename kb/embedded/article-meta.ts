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

/**
 * Gives every article's metadata one shape and shares the values many articles repeat (dates,
 * sources, document types, companies, tag and ticker lists, frozen) among them. The store keeps a
 * meta per article in memory: at 1M passages (100k articles), parsed as they come they were ~8
 * heap objects each (the object, an out-of-object property store, two lists and their backing
 * stores, strings), 850k of the heap's 2M objects, all traced by every full collection.
 */
export class ArticleMetaInterner {
  private readonly values = new Map<string, string>();
  private readonly lists = new Map<string, string[]>();

  compact(meta: ArticleMeta): ArticleMeta {
    return {
      id: meta.id,
      title: meta.title,
      published: this.value(meta.published),
      source: this.value(meta.source),
      tags: this.list(meta.tags),
      tickers: this.list(meta.tickers),
      documentType: this.value(meta.documentType),
      company: this.value(meta.company),
      firstLabel: meta.firstLabel,
      passages: meta.passages,
    };
  }

  private value(value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    const held = this.values.get(value);
    if (held !== undefined) return held;
    this.values.set(value, value);
    return value;
  }

  private list(list: string[]): string[] {
    const key = JSON.stringify(list);
    const held = this.lists.get(key);
    if (held) return held;
    const shared = Object.freeze(list.map((item) => this.value(item)!)) as string[];
    this.lists.set(key, shared);
    return shared;
  }
}

/** Newest first; undated articles after dated ones, then by title and id for a stable order. */
export function compareArticles(a: ArticleMeta, b: ArticleMeta): number {
  return (b.published ?? '').localeCompare(a.published ?? '') || a.title.localeCompare(b.title) || a.id.localeCompare(b.id);
}

/** The listing search: a case-insensitive substring of title, source, tags or tickers. */
export function matchesListQuery(article: ArticleMeta, needle: string): boolean {
  return [article.title, article.source ?? '', ...article.tags, ...article.tickers].some((field) => field.toLowerCase().includes(needle));
}
