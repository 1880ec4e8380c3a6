import type { ErrorCode } from '../lib/errors.ts';
import { chunkArticle } from './chunk.ts';
import { parsePdf, type PdfLimits, type PdfTextExtractor } from './pdf/parse-pdf.ts';
import { looksLikePdf } from './pdf/pdf-magic.ts';
import type { MetadataDefaults } from './parse/blocks.ts';
import type { DocumentFormat } from './parse/parse-document.ts';
import type { PreparedDocument } from './worker/prepare-document.ts';

/**
 * Every route into ingest (CLI files, API text, uploads, fetched URLs) goes through
 * ingestDocument, which sends a PDF here (recognised by its declared type, its extension or its
 * magic bytes) and every other type to parseDocument's extension and content sniffing, so a
 * document is read by its type whatever way it came.
 */
export type InputFormat = DocumentFormat | 'pdf';

export interface PdfOptions {
  limits?: Partial<PdfLimits>;
  extract?: PdfTextExtractor;
}

export interface InputToParse {
  content: Uint8Array | string;
  filename?: string;
  format?: InputFormat;
  defaults?: MetadataDefaults;
}

export function isPdfFilename(filename: string | undefined): boolean {
  return /\.pdf$/i.test(filename ?? '');
}

export function isPdfInput(input: Pick<InputToParse, 'content' | 'filename' | 'format'>): boolean {
  if (input.format !== undefined) return input.format === 'pdf';
  if (isPdfFilename(input.filename)) return true;
  return typeof input.content !== 'string' && looksLikePdf(input.content);
}

/** A prepared document, or a failure that carries its HTTP meaning (413, 422). */
export type PreparedInput = Exclude<PreparedDocument, { status: 'failed' }> | { status: 'failed'; reason: string; code?: ErrorCode };

/** A PDF parsed (in pdf.js's worker) and cut into passages, or a failure with its HTTP meaning. */
export async function preparePdfDocument(input: InputToParse, options: PdfOptions = {}): Promise<PreparedInput> {
  const bytes = typeof input.content === 'string' ? Buffer.from(input.content, 'latin1') : input.content;
  const outcome = await parsePdf(bytes, {
    ...(input.defaults ? { defaults: input.defaults } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.extract ? { extract: options.extract } : {}),
  });
  if (outcome.status !== 'ok') return outcome;
  return { status: 'ok', articles: outcome.articles.map((article) => ({ article, drafts: chunkArticle(article) })), warnings: outcome.warnings };
}
