import type { ErrorCode } from '../../lib/errors.ts';
import type { MetadataDefaults } from '../parse/blocks.ts';
import type { ParseOutcome } from '../parse/parse-document.ts';
import { buildPdfArticle } from './build-pdf-article.ts';
import { looksLikePdf } from './pdf-magic.ts';
import { extractPdfText } from './extract-pdf-text.ts';
import type { PdfExtraction, PdfFailureKind } from './pdf-text.ts';

/** Limits of one PDF; the server and the CLI take them from lib/config.ts (COPILOT_PDF_*). */
export const PDF_DEFAULTS = {
  maxBytes: 32 * 1024 * 1024,
  maxPages: 1_000,
  timeoutMs: 60_000,
};

export type PdfLimits = typeof PDF_DEFAULTS;

/** Reads positioned text from PDF bytes (pdf.js in this thread by default; the server runs the whole parse in the ingest worker). */
export type PdfTextExtractor = (bytes: Uint8Array, limits: PdfLimits) => Promise<PdfExtraction>;

const FAILURE_CODES: Readonly<Record<PdfFailureKind, ErrorCode>> = {
  not_pdf: 'unprocessable',
  encrypted: 'unprocessable',
  corrupt: 'unprocessable',
  no_text: 'unprocessable',
  too_many_pages: 'unprocessable',
  timeout: 'unprocessable',
  too_large: 'payload_too_large',
};

export interface ParsePdfOptions {
  defaults?: MetadataDefaults;
  limits?: Partial<PdfLimits>;
  extract?: PdfTextExtractor;
}

export type PdfFailure = { status: 'failed'; reason: string; code: ErrorCode };

export function pdfFailure(kind: PdfFailureKind, reason: string): PdfFailure {
  return { status: 'failed', reason, code: FAILURE_CODES[kind] };
}

/** The checks made before any reading (size, magic bytes): cheap, so done before a worker gets the bytes. */
export function checkPdfBytes(bytes: Uint8Array, limits: PdfLimits): PdfFailure | undefined {
  if (bytes.byteLength > limits.maxBytes) {
    return pdfFailure('too_large', `the PDF is ${formatBytes(bytes.byteLength)}; the limit is ${formatBytes(limits.maxBytes)} (COPILOT_PDF_MAX_BYTES)`);
  }
  if (!looksLikePdf(bytes)) return pdfFailure('not_pdf', 'not a PDF: the file does not start with "%PDF-"');
  return undefined;
}

/** PDF bytes into one article with paged sections; every failure names its cause (and limit). */
export async function parsePdf(bytes: Uint8Array, options: ParsePdfOptions = {}): Promise<ParseOutcome> {
  const limits: PdfLimits = { ...PDF_DEFAULTS, ...options.limits };
  const refused = checkPdfBytes(bytes, limits);
  if (refused !== undefined) return refused;
  const extraction = await (options.extract ?? extractPdfText)(bytes, limits);
  if (!extraction.ok) return pdfFailure(extraction.kind, extraction.message);
  const built = buildPdfArticle(extraction.info, extraction.pages, options.defaults ?? {});
  if (built.status === 'no_text') return pdfFailure('no_text', 'no text layer: this PDF needs OCR (its pages are images)');
  return { status: 'ok', articles: [built.article], warnings: built.warnings };
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
