import type { ErrorCode } from '../lib/errors.ts';
import { looksLikePdf } from './pdf/pdf-magic.ts';
import { parsePdf, type PdfLimits, type PdfTextExtractor } from './pdf/parse-pdf.ts';
import type { MetadataDefaults } from './parse/blocks.ts';
import { parseDocument, type DocumentFormat, type ParseOutcome } from './parse/parse-document.ts';

/**
 * Every route into ingest (CLI files, API text, uploads, fetched URLs) parses through here, so a
 * document is read by its type whatever way it came: PDF by its magic bytes, extension or declared
 * type; the text formats by parseDocument's extension and content sniffing.
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

export async function parseInput(input: InputToParse, options: { maxBytes: number; pdf?: PdfOptions }): Promise<ParseOutcome & { code?: ErrorCode }> {
  if (isPdfInput(input)) {
    const bytes = typeof input.content === 'string' ? Buffer.from(input.content, 'latin1') : input.content;
    return parsePdf(bytes, {
      ...(input.defaults ? { defaults: input.defaults } : {}),
      ...(options.pdf?.limits ? { limits: options.pdf.limits } : {}),
      ...(options.pdf?.extract ? { extract: options.pdf.extract } : {}),
    });
  }
  return parseDocument({
    content: input.content,
    ...(input.filename ? { filename: input.filename } : {}),
    ...(input.format ? { format: input.format as DocumentFormat } : {}),
    ...(input.defaults ? { defaults: input.defaults } : {}),
    maxBytes: options.maxBytes,
  });
}
