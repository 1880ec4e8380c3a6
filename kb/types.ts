import { z } from 'zod';

/** ISO calendar date, YYYY-MM-DD. */
export const IsoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

/** An entry of an article's own numbered reference list, e.g. `[0] Ginlix Analytical Database - …`. */
export const ArticleReferenceSchema = z.object({
  n: z.number().int().nonnegative(),
  text: z.string(),
});
export type ArticleReference = z.infer<typeof ArticleReferenceSchema>;

/**
 * A table as the document printed it: a grid of cell texts (row-major, every row padded to the same
 * width, spans repeated into each covered cell), how many leading rows are column headers, and the
 * caption or title line printed above it (which often states the unit: "in millions"). Parsers of
 * every format (HTML, Markdown, JSON, aligned text, PDF) produce this; interpreting it (periods,
 * row hierarchy, scale, negatives) is `ingest/tables`' job, so the stored form stays lossless.
 */
export const TableDataSchema = z.object({
  caption: z.string().optional(),
  headerRows: z.number().int().nonnegative(),
  rows: z.array(z.array(z.string())),
});
export type TableData = z.infer<typeof TableDataSchema>;

/**
 * A section of an article: an optional heading, its paragraphs in reading order, the tables it
 * holds, and, for paged documents (PDF), the 1-based page it sits on (a paged section never spans
 * two pages; the parser starts a new section, with the same heading, at a page break).
 */
export const SectionSchema = z.object({
  heading: z.string().optional(),
  paragraphs: z.array(z.string()),
  tables: z.array(TableDataSchema).optional(),
  page: z.number().int().positive().optional(),
});

/** What a financial document says about itself, when it says it. */
export const DocumentTypeSchema = z.enum([
  '10-K',
  '10-Q',
  '8-K',
  '20-F',
  'annual-report',
  'quarterly-report',
  'earnings-release',
  'research-note',
  'news',
  'other',
]);
export type DocumentType = z.infer<typeof DocumentTypeSchema>;

export const FinancialMetadataSchema = z.object({
  company: z.string().optional(),
  ticker: z.string().optional(),
  /** The fiscal year the document reports on, e.g. 2023. */
  fiscalYear: z.number().int().optional(),
  /** The period it covers: "FY2023", "Q2 2024", "H1 2026". */
  period: z.string().optional(),
  /** Fiscal year end as YYYY-MM-DD when stated. */
  fiscalYearEnd: z.string().optional(),
  documentType: DocumentTypeSchema.optional(),
});
export type FinancialMetadata = z.infer<typeof FinancialMetadataSchema>;
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
  financial: FinancialMetadataSchema.optional(),
  /** PDF document info (author, page count), kept as plain strings. */
  author: z.string().optional(),
  pages: z.number().int().positive().optional(),
});
export type ParsedArticle = z.infer<typeof ParsedArticleSchema>;

/** A passage cut from an article, the unit of retrieval. */
export const ChunkSchema = z.object({
  id: z.string(),
  articleId: z.string(),
  ordinal: z.number().int().nonnegative(),
  section: z.string().optional(),
  text: z.string(),
  /** 1-based page of a paged document (PDF) the passage comes from. */
  page: z.number().int().positive().optional(),
  /** For a table passage: the rows it holds (header rows repeated when a long table is split). */
  table: TableDataSchema.optional(),
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
