/**
 * JSON articles: one object `{title, text|html|paragraphs, tables, url, published, source, tags}` or
 * an array of them; a document that is itself a table (rows, records, `{columns, rows}`) is one
 * article holding that table. Each element is validated on its own so one bad element in a batch
 * costs a warning, not the batch.
 */
import { z } from 'zod';
import type { TableData } from '../../kb/types.ts';
import { isJsonTableDocument, markNumericKeys, readJsonTable } from '../tables/json-table.ts';

const ParagraphSchema = z.union([z.string(), z.object({ text: z.string() })]);

export const JsonArticleSchema = z
  .object({
    title: z.string().optional(),
    text: z.string().optional(),
    html: z.string().optional(),
    /** Paragraphs as strings or `{text}` objects, an alternative to `text`. */
    paragraphs: z.array(ParagraphSchema).optional(),
    /** Tables in any shape json-table.ts reads; one that reads as no table is skipped with a warning. */
    tables: z.array(z.unknown()).optional(),
    table: z.unknown().optional(),
    url: z.string().optional(),
    published: z.string().optional(),
    source: z.string().optional(),
    tags: z.array(z.string()).optional(),
    tickers: z.array(z.string()).optional(),
  })
  .refine(
    (value) =>
      value.text !== undefined || value.html !== undefined || value.paragraphs !== undefined || value.tables !== undefined || value.table !== undefined,
    {
      message: 'needs a "text" or "html" string, "paragraphs" or "tables"',
    },
  );
export type JsonArticle = z.infer<typeof JsonArticleSchema>;

export type JsonItems = { ok: true; items: { index: number; article?: JsonArticle; problem?: string }[]; isArray: boolean } | { ok: false; reason: string };

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}

/** Parse and validate; the caller turns each valid element into an article. */
export function readJsonArticles(text: string): JsonItems {
  let parsed: unknown;
  try {
    parsed = JSON.parse(markNumericKeys(text));
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (isJsonTableDocument(parsed)) return { ok: true, items: [{ index: 0, article: { table: parsed } }], isArray: false };
  const isArray = Array.isArray(parsed);
  const elements: unknown[] = Array.isArray(parsed) ? parsed : [parsed];
  if (elements.length === 0) return { ok: true, items: [], isArray };
  const items = elements.map((element, index) => {
    const result = JsonArticleSchema.safeParse(element);
    return result.success ? { index, article: result.data } : { index, problem: describeIssues(result.error) };
  });
  return { ok: true, items, isArray };
}

/** The article's body text: `text`, else its paragraphs one per line with blank lines between. */
export function jsonArticleText(article: JsonArticle): string {
  if (article.text !== undefined) return article.text;
  return (article.paragraphs ?? []).map((paragraph) => (typeof paragraph === 'string' ? paragraph : paragraph.text)).join('\n\n');
}

/** The article's tables, and how many of its table values were not tables. */
export function jsonArticleTables(article: JsonArticle): { tables: TableData[]; unreadable: number } {
  const values = [...(article.table === undefined ? [] : [article.table]), ...(article.tables ?? [])];
  const tables = values.map((value) => readJsonTable(value)).filter((table): table is TableData => table !== undefined);
  return { tables, unreadable: values.length - tables.length };
}
