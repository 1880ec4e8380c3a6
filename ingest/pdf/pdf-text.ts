import { z } from 'zod';

/**
 * What the PDF reader hands to layout analysis: positioned text runs per page, and the document
 * information dictionary. Crosses a worker-thread boundary, so it has a schema.
 */
const PdfTextItemSchema = z.object({
  text: z.string(),
  /** Left edge, in points from the page's left. */
  x: z.number(),
  /** Baseline, in points from the page's top (reading order runs down the page). */
  y: z.number(),
  width: z.number(),
  /** Font size in points (the glyph box height pdf.js reports). */
  size: z.number(),
});
export type PdfTextItem = z.infer<typeof PdfTextItemSchema>;

const PdfPageTextSchema = z.object({
  /** 1-based, as PDF viewers count (the physical page, not the printed page label). */
  number: z.number().int().positive(),
  width: z.number(),
  height: z.number(),
  items: z.array(PdfTextItemSchema),
});
export type PdfPageText = z.infer<typeof PdfPageTextSchema>;

const PdfInfoSchema = z.object({
  title: z.string().optional(),
  author: z.string().optional(),
  /** YYYY-MM-DD from the CreationDate entry. */
  created: z.string().optional(),
  pageCount: z.number().int().nonnegative(),
});
export type PdfInfo = z.infer<typeof PdfInfoSchema>;

const PdfFailureKindSchema = z.enum(['not_pdf', 'encrypted', 'corrupt', 'too_many_pages', 'too_large', 'timeout', 'no_text']);
export type PdfFailureKind = z.infer<typeof PdfFailureKindSchema>;

export const PdfExtractionSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), info: PdfInfoSchema, pages: z.array(PdfPageTextSchema) }),
  z.object({ ok: z.literal(false), kind: PdfFailureKindSchema, message: z.string() }),
]);
export type PdfExtraction = z.infer<typeof PdfExtractionSchema>;
