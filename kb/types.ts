import { z } from 'zod';

/** ISO calendar date, YYYY-MM-DD. */
export const IsoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

/** An entry of an article's own numbered reference list, e.g. `[0] Ginlix Analytical Database - …`. */
export const ArticleReferenceSchema = z.object({
  n: z.number().int().nonnegative(),
  text: z.string(),
});
export type ArticleReference = z.infer<typeof ArticleReferenceSchema>;

/** A section of an article: an optional heading and its paragraphs, in reading order. */
export const SectionSchema = z.object({
  heading: z.string().optional(),
  paragraphs: z.array(z.string()),
});
export type Section = z.infer<typeof SectionSchema>;

/**
 * What the parsers produce: clean article text without page chrome, with metadata.
 * `text` is the sections joined for display (headings on their own lines, blank line between
 * paragraphs); `sections` is the structure the chunker follows.
 */
export const ParsedArticleSchema = z.object({
  title: z.string().min(1),
  text: z.string(),
  sections: z.array(SectionSchema),
  published: IsoDateSchema.optional(),
  source: z.string().optional(),
  url: z.string().optional(),
  tags: z.array(z.string()),
  tickers: z.array(z.string()),
  sentiment: z.string().optional(),
  /** BCP-47-ish primary language guess: 'en', 'zh', 'es', … */
  language: z.string().optional(),
  references: z.array(ArticleReferenceSchema),
});
export type ParsedArticle = z.infer<typeof ParsedArticleSchema>;

/** A passage cut from an article, the unit of retrieval. */
export const ChunkSchema = z.object({
  id: z.string(),
  articleId: z.string(),
  ordinal: z.number().int().nonnegative(),
  section: z.string().optional(),
  text: z.string(),
});
export type Chunk = z.infer<typeof ChunkSchema>;

/** An article as stored in the docstore. */
export const StoredArticleSchema = ParsedArticleSchema.extend({
  id: z.string(),
  contentHash: z.string(),
  /** Where the article came from: file paths or URLs; the same content from two origins is stored once. */
  origins: z.array(z.string()),
  ingestedAt: z.string(),
  chunkIds: z.array(z.string()),
});
export type StoredArticle = z.infer<typeof StoredArticleSchema>;

export const EmbedderInfoSchema = z.object({ id: z.string(), dim: z.number().int().positive() });
export type EmbedderInfo = z.infer<typeof EmbedderInfoSchema>;
