/**
 * JSON articles: one object `{title, text|html, url, published, source, tags}` or an array of them.
 * Each element is validated on its own so one bad element in a batch costs a warning, not the batch.
 */
import { z } from 'zod';

export const JsonArticleSchema = z
  .object({
    title: z.string().optional(),
    text: z.string().optional(),
    html: z.string().optional(),
    url: z.string().optional(),
    published: z.string().optional(),
    source: z.string().optional(),
    tags: z.array(z.string()).optional(),
    tickers: z.array(z.string()).optional(),
  })
  .refine((value) => value.text !== undefined || value.html !== undefined, {
    message: 'needs a "text" or "html" string',
  });
export type JsonArticle = z.infer<typeof JsonArticleSchema>;

export type JsonItems =
  | { ok: true; items: { index: number; article?: JsonArticle; problem?: string }[]; isArray: boolean }
  | { ok: false; reason: string };

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

/** Parse and validate; the caller turns each valid element into an article. */
export function readJsonArticles(text: string): JsonItems {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const isArray = Array.isArray(parsed);
  const elements: unknown[] = Array.isArray(parsed) ? parsed : [parsed];
  if (elements.length === 0) return { ok: true, items: [], isArray };
  const items = elements.map((element, index) => {
    const result = JsonArticleSchema.safeParse(element);
    return result.success ? { index, article: result.data } : { index, problem: describeIssues(result.error) };
  });
  return { ok: true, items, isArray };
}
