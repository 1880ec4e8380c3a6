import type { ErrorCode } from '../../lib/errors.ts';
import type { MetadataDefaults } from '../parse/blocks.ts';
import type { ParseOutcome } from '../parse/parse-document.ts';
import { buildPdfArticle } from './build-pdf-article.ts';
import { looksLikePdf } from './pdf-magic.ts';
import { PdfExtractionSchema, type PdfExtraction, type PdfFailureKind } from './pdf-text.ts';
import { WorkerHost } from './run-worker.ts';

/** Limits of one PDF; the server and the CLI take them from lib/config.ts (COPILOT_PDF_*). */
export const PDF_DEFAULTS = {
  maxBytes: 32 * 1024 * 1024,
  maxPages: 1_000,
  timeoutMs: 60_000,
};

export type PdfLimits = typeof PDF_DEFAULTS;

/** Reads positioned text from PDF bytes; the default runs pdf.js in a worker thread. */
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

let sharedHost: WorkerHost | undefined;

/** The production extractor: pdf.js in a worker thread kept between documents. */
const extractInWorker: PdfTextExtractor = (bytes, limits) => {
  sharedHost ??= new WorkerHost(new URL('./pdf-worker.mjs', import.meta.url));
  return extractWith(sharedHost, bytes, limits);
};

export async function extractWith(host: WorkerHost, bytes: Uint8Array, limits: PdfLimits): Promise<PdfExtraction> {
  const outcome = await host.run({ bytes, maxPages: limits.maxPages }, limits.timeoutMs);
  if (!outcome.ok) {
    return outcome.reason === 'timeout'
      ? { ok: false, kind: 'timeout', message: `reading the PDF took longer than ${limits.timeoutMs / 1000} s (COPILOT_PDF_TIMEOUT_MS)` }
      : { ok: false, kind: 'corrupt', message: 'the PDF could not be read (the reader stopped on it)' };
  }
  return PdfExtractionSchema.parse(outcome.value);
}

export interface ParsePdfOptions {
  defaults?: MetadataDefaults;
  limits?: Partial<PdfLimits>;
  extract?: PdfTextExtractor;
}

function failed(kind: PdfFailureKind, reason: string): ParseOutcome {
  return { status: 'failed', reason, code: FAILURE_CODES[kind] };
}

/** PDF bytes into one article with paged sections; every failure names its cause (and limit). */
export async function parsePdf(bytes: Uint8Array, options: ParsePdfOptions = {}): Promise<ParseOutcome> {
  const limits: PdfLimits = { ...PDF_DEFAULTS, ...options.limits };
  if (bytes.byteLength > limits.maxBytes) {
    return failed('too_large', `the PDF is ${formatBytes(bytes.byteLength)}; the limit is ${formatBytes(limits.maxBytes)} (COPILOT_PDF_MAX_BYTES)`);
  }
  if (!looksLikePdf(bytes)) return failed('not_pdf', 'not a PDF: the file does not start with "%PDF-"');
  const extraction = await (options.extract ?? extractInWorker)(bytes, limits);
  if (!extraction.ok) return failed(extraction.kind, extraction.message);
  const built = buildPdfArticle(extraction.info, extraction.pages, options.defaults ?? {});
  if (built.status === 'no_text') return failed('no_text', 'no text layer: this PDF needs OCR (its pages are images)');
  return { status: 'ok', articles: [built.article], warnings: built.warnings };
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
