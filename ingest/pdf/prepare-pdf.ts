import { chunkArticle } from '../chunk.ts';
import type { PreparedInput } from '../parse-input.ts';
import type { MetadataDefaults } from '../parse/blocks.ts';
import { extractPdfText } from './extract-pdf-text.ts';
import { parsePdf, type PdfLimits, type PdfTextExtractor } from './parse-pdf.ts';

/**
 * The whole CPU-bound half of ingesting a PDF (read, lay out, cut into passages), as one job of the
 * ingest worker (ingest/worker/jobs.ts): the layout of a thousand-page report must not run on the
 * event loop either. Input and output are structured-clonable.
 */
export interface PdfJobInput {
  bytes: Uint8Array;
  limits: PdfLimits;
  defaults?: MetadataDefaults;
}

export async function preparePdf(input: PdfJobInput, extract: PdfTextExtractor = extractPdfText): Promise<PreparedInput> {
  const outcome = await parsePdf(input.bytes, { limits: input.limits, extract, ...(input.defaults ? { defaults: input.defaults } : {}) });
  if (outcome.status !== 'ok') return outcome;
  return { status: 'ok', articles: outcome.articles.map((article) => ({ article, drafts: chunkArticle(article) })), warnings: outcome.warnings };
}
