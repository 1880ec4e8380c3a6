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
 * `text`, `sections` and `references` are read and decoded only when a caller asks for them: search
 * hits show titles, dates and sources, never whole articles, and decoding every hit's article cost a
 * chat a millisecond each.
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

/** The text's UTF-8 bytes (a caller may decode only the spans it needs: see decodeUtf8Span). */
export function inflateText(blob: Buffer): Buffer {
  return inflateRawSync(blob);
}

/**
 * Where a decoded article's text and body come from when a caller reads them: the store's database
 * (each read the article's current version; see EmbeddedStore). A decoded article keeps neither:
 * it held both deflated blobs before, read with every hit's head, and the store's article cache
 * (4,096 articles) kept them alive: 300 articles of 176 KB held 18 MB of blobs, so a few thousand
 * annual reports would have held hundreds of megabytes for titles and dates; and reading one such
 * article took 217 µs against 35 for its head alone.
 */
export interface ArticleContentSource {
  text(id: string): string;
  body(id: string): ArticleBody;
}

export type ArticleBody = { sections: StoredArticle['sections']; references: StoredArticle['references'] };

/** An article's sections and references from its text and deflated body. */
export function decodeBody(text: string, blob: Buffer): ArticleBody {
  const stored = BodySchema.parse(JSON.parse(inflateRawSync(blob).toString('utf8')));
  return { sections: SectionsSchema.parse(expandSections(text, stored.sections)), references: stored.references };
}

/** What a decoded article keeps to read its text and body when asked. */
interface Encoded {
  passages: number;
  source: ArticleContentSource;
}

const ENCODED = Symbol('encoded article');
type DecodedArticle = StoredArticle & { [ENCODED]: Encoded };

function textOf(article: DecodedArticle): string {
  return article[ENCODED].source.text(article.id);
}

function bodyOf(article: DecodedArticle): ArticleBody {
  return article[ENCODED].source.body(article.id);
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
 * The stored article: the head parsed now; the text, body and passage ids each time a caller reads
 * them (from `source`: nothing of them is kept on the article).
 */
export function decodeArticle(row: { id: string; head: string; passages: number }, source: ArticleContentSource): StoredArticle {
  // The parsed head itself, given its id: an object spread (`{ ...head, id }`) gave every article a
  // hidden class of its own in V8 (Node 20): 26,000 of them at 100k passages, and the code reading
  // articles' fields saw a new shape at every hit.
  const article = decodeHead(row.head) as DecodedArticle;
  article.id = row.id;
  Object.defineProperty(article, ENCODED, { value: { passages: row.passages, source } satisfies Encoded });
  Object.defineProperties(article, LAZY_FIELDS);
  return article;
}
