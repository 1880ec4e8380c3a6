import type { PdfExtraction } from './pdf-text.ts';

export function extractPdfText(bytes: Uint8Array, limits: { maxPages: number }): Promise<PdfExtraction>;
