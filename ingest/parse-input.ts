import { AppError, type ErrorCode } from '../lib/errors.ts';
import { checkPdfBytes, PDF_DEFAULTS, pdfFailure, type PdfLimits, type PdfTextExtractor } from './pdf/parse-pdf.ts';
import { looksLikePdf } from './pdf/pdf-magic.ts';
import { preparePdf, type PdfJobInput } from './pdf/prepare-pdf.ts';
import type { MetadataDefaults } from './parse/blocks.ts';
import type { DocumentFormat } from './parse/parse-document.ts';
import type { JobRunner } from './worker/job-runner.ts';
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
  /** The ingest worker: the server and the CLI read PDFs there, within COPILOT_PDF_TIMEOUT_MS. */
  jobs?: JobRunner;
  /** Without `jobs`, the reader run in this thread (pdf.js by default; tests may pass their own). */
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

/** A PDF parsed and cut into passages (in the ingest worker when given one), or a failure with its HTTP meaning. */
export async function preparePdfDocument(input: InputToParse, options: PdfOptions = {}): Promise<PreparedInput> {
  const bytes = typeof input.content === 'string' ? Buffer.from(input.content, 'latin1') : input.content;
  const job: PdfJobInput = { bytes, limits: { ...PDF_DEFAULTS, ...options.limits }, ...(input.defaults ? { defaults: input.defaults } : {}) };
  if (options.jobs === undefined) return preparePdf(job, options.extract);
  // Refused before the bytes are copied to the worker.
  const refused = checkPdfBytes(bytes, job.limits);
  if (refused !== undefined) return refused;
  return preparePdfInWorker(options.jobs, job);
}

async function preparePdfInWorker(jobs: JobRunner, job: PdfJobInput): Promise<PreparedInput> {
  const seconds = job.limits.timeoutMs / 1000;
  const overBudget = new AppError('unprocessable', `reading the PDF took longer than ${seconds} s (COPILOT_PDF_TIMEOUT_MS)`);
  try {
    return await jobs.run('prepare-pdf', job, { timeBudgetMs: job.limits.timeoutMs, overBudget });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error === overBudget) return pdfFailure('timeout', overBudget.message);
    // Out of memory (413) keeps its meaning; a reader that crashed on the file makes it unreadable.
    if (error.code === 'payload_too_large') return { status: 'failed', reason: error.message, code: error.code };
    if (error.code === 'internal') return pdfFailure('corrupt', 'the PDF could not be read (the reader stopped on it)');
    throw error;
  }
}
