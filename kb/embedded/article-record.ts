import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { z } from 'zod';
import { StoredSectionsSchema, compactSections, expandSections } from '../text-spans.ts';
import { passageId } from '../content-hash.ts';
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

/** What a decoded article keeps to decode its text and body when first read. */
interface Encoded {
  passages: number;
  text: Buffer;
  body: Buffer;
  decodedText?: string;
  decoded?: { sections: StoredArticle['sections']; references: StoredArticle['references'] };
}

const ENCODED = Symbol('encoded article');
type DecodedArticle = StoredArticle & { [ENCODED]: Encoded };

function textOf(article: DecodedArticle): string {
  const encoded = article[ENCODED];
  encoded.decodedText ??= decodeText(encoded.text);
  return encoded.decodedText;
}

function bodyOf(article: DecodedArticle): NonNullable<Encoded['decoded']> {
  const encoded = article[ENCODED];
  if (!encoded.decoded) {
    const stored = BodySchema.parse(JSON.parse(inflateRawSync(encoded.body).toString('utf8')));
    encoded.decoded = { sections: SectionsSchema.parse(expandSections(textOf(article), stored.sections)), references: stored.references };
  }
  return encoded.decoded;
}

/**
 * Accessors every decoded article shares: per-article closures gave each cached article a hidden
 * class and accessor pairs of its own (3.2 KB of heap each; with these, see `decodeArticle`), and
 * at 1M passages most of a fresh question's articles are new to the cache.
 */
const LAZY_FIELDS: PropertyDescriptorMap = {
  text: {
    get(this: DecodedArticle) {
      return textOf(this);
    },
    enumerable: true,
    configurable: true,
  },
  sections: {
    get(this: DecodedArticle) {
      return bodyOf(this).sections;
    },
    enumerable: true,
    configurable: true,
  },
  references: {
    get(this: DecodedArticle) {
      return bodyOf(this).references;
    },
    enumerable: true,
    configurable: true,
  },
  chunkIds: {
    get(this: DecodedArticle) {
      return Array.from({ length: this[ENCODED].passages }, (_, ordinal) => passageId(this.id, ordinal));
    },
    enumerable: true,
    configurable: true,
  },
};

/**
 * The stored article: the head parsed now; the text, body and passage ids when (and each time:
 * text and body are kept once decoded) a caller reads them.
 */
export function decodeArticle(row: { id: string; head: string; text: Buffer; body: Buffer; passages: number }): StoredArticle {
  // The parsed head itself, given its id: an object spread (`{ ...head, id }`) gave every article a
  // hidden class of its own in V8 (Node 20): 26,000 of them at 100k passages, and the code reading
  // articles' fields saw a new shape at every hit.
  const article = decodeHead(row.head) as DecodedArticle;
  article.id = row.id;
  Object.defineProperty(article, ENCODED, { value: { passages: row.passages, text: row.text, body: row.body } satisfies Encoded });
  Object.defineProperties(article, LAZY_FIELDS);
  return article;
}
