import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { z } from 'zod';
import { StoredSectionsSchema, compactSections, expandSections } from '../text-spans.ts';
import { ArticleReferenceSchema, ParsedArticleSchema, SectionSchema, type StoredArticle } from '../types.ts';

/**
 * How the embedded store keeps an article row, so that its text is stored once and a search hit
 * costs little:
 * - `head`: the small JSON every hit and listing reads (title, dates, source, tickers, origins…);
 * - `text`: the article text, deflated: the only copy of every passage that is a span of it
 *   (passage rows keep offsets);
 * - `body`: deflated JSON of the sections (paragraphs as spans of the text) and references.
 * `text`, `sections` and `references` are decoded when first read: search hits show titles, dates
 * and sources, never whole articles, and decoding every hit's article cost a chat a millisecond each.
 */
export const ArticleHeadSchema = ParsedArticleSchema.omit({ text: true, sections: true, references: true }).extend({
  contentHash: z.string(),
  origins: z.array(z.string()),
  ingestedAt: z.string(),
});
export type ArticleHead = z.infer<typeof ArticleHeadSchema>;

const BodySchema = z.object({ sections: StoredSectionsSchema, references: z.array(ArticleReferenceSchema) });
const SectionsSchema = z.array(SectionSchema);

export interface EncodedArticle {
  head: string;
  text: Buffer;
  body: Buffer;
}

export function encodeArticle(article: Omit<StoredArticle, 'id' | 'chunkIds'>): EncodedArticle {
  const { text, sections, references, ...head } = article;
  return {
    head: JSON.stringify(head),
    text: deflateRawSync(Buffer.from(text)),
    body: deflateRawSync(Buffer.from(JSON.stringify({ sections: compactSections(text, sections), references }))),
  };
}

export function decodeHead(head: string): ArticleHead {
  return ArticleHeadSchema.parse(JSON.parse(head));
}

export function decodeText(blob: Buffer): string {
  return inflateRawSync(blob).toString('utf8');
}

/** The stored article: the head parsed now, the text and body when (and each time) a caller reads them. */
export function decodeArticle(row: { id: string; head: string; text: Buffer; body: Buffer }, chunkIds: string[]): StoredArticle {
  const head = decodeHead(row.head);
  let text: string | undefined;
  let body: { sections: StoredArticle['sections']; references: StoredArticle['references'] } | undefined;
  const readText = () => {
    text ??= decodeText(row.text);
    return text;
  };
  const readBody = () => {
    if (!body) {
      const stored = BodySchema.parse(JSON.parse(inflateRawSync(row.body).toString('utf8')));
      body = { sections: SectionsSchema.parse(expandSections(readText(), stored.sections)), references: stored.references };
    }
    return body;
  };
  const article = { ...head, id: row.id, chunkIds } as StoredArticle;
  Object.defineProperties(article, {
    text: { get: readText, enumerable: true, configurable: true },
    sections: { get: () => readBody().sections, enumerable: true, configurable: true },
    references: { get: () => readBody().references, enumerable: true, configurable: true },
  });
  return article;
}
