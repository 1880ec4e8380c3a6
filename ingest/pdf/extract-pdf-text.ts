import { getDocument, PDFDateString } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PdfExtraction, PdfInfo, PdfPageText, PdfTextItem } from './pdf-text.ts';

export interface ExtractLimits {
  maxPages: number;
}

/** The magic bytes every PDF starts with (ISO 32000-1 §7.5.2), allowing a little leading junk as readers do. */
export function looksLikePdf(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  return head.includes('%PDF-');
}

class EncryptedPdfError extends Error {}

function infoString(info: Record<string, unknown>, key: string): string | undefined {
  const value = info[key];
  if (typeof value !== 'string') return undefined;
  // Info strings are often padded or hold only whitespace and NULs left by the producing tool.
  const cleaned = value.replace(/[\u0000-\u001f]/g, ' ').replace(/\s+/g, ' ').trim();
  return cleaned === '' ? undefined : cleaned;
}

function creationDate(info: Record<string, unknown>): string | undefined {
  const raw = info.CreationDate;
  if (typeof raw !== 'string') return undefined;
  const date = PDFDateString.toDateObject(raw);
  return date === null || Number.isNaN(date.getTime()) ? undefined : date.toISOString().slice(0, 10);
}

interface RawTextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
}

function isTextItem(item: unknown): item is RawTextItem {
  return typeof item === 'object' && item !== null && typeof (item as { str?: unknown }).str === 'string';
}

/**
 * Reads positioned text from every page with pdf.js. Runs inside a worker thread (see
 * pdf-worker.ts): pdf.js work on a hostile file is unbounded, and the worker can be terminated.
 */
export async function extractPdfText(bytes: Uint8Array, limits: ExtractLimits): Promise<PdfExtraction> {
  if (!looksLikePdf(bytes)) return { ok: false, kind: 'not_pdf', message: 'not a PDF: the file does not start with "%PDF-"' };
  const task = getDocument({
    // pdf.js transfers (detaches) the buffer it is given; give it a copy so the caller's stays usable.
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  // Without an onPassword callback pdf.js would wait for a password that never comes.
  const passwordAsked = new Promise<never>((_resolve, reject) => {
    task.onPassword = () => reject(new EncryptedPdfError());
  });
  let document;
  try {
    document = await Promise.race([task.promise, passwordAsked]);
  } catch (error) {
    void task.destroy();
    if (error instanceof EncryptedPdfError || (error instanceof Error && error.name === 'PasswordException')) {
      return { ok: false, kind: 'encrypted', message: 'the PDF is encrypted or password-protected; save an unprotected copy and upload that' };
    }
    return { ok: false, kind: 'corrupt', message: 'the PDF is damaged and could not be read' };
  }
  try {
    if (document.numPages > limits.maxPages) {
      return {
        ok: false,
        kind: 'too_many_pages',
        message: `the PDF has ${document.numPages} pages; the limit is ${limits.maxPages} (COPILOT_PDF_MAX_PAGES)`,
      };
    }
    const metadata = await document.getMetadata().catch(() => undefined);
    const rawInfo = (metadata?.info ?? {}) as Record<string, unknown>;
    const info: PdfInfo = { pageCount: document.numPages };
    const title = infoString(rawInfo, 'Title');
    const author = infoString(rawInfo, 'Author');
    const created = creationDate(rawInfo);
    if (title !== undefined) info.title = title;
    if (author !== undefined) info.author = author;
    if (created !== undefined) info.created = created;

    const pages: PdfPageText[] = [];
    for (let number = 1; number <= document.numPages; number += 1) {
      const page = await document.getPage(number);
      const viewport = page.getViewport({ scale: 1 });
      const content = await page.getTextContent();
      const items: PdfTextItem[] = [];
      for (const item of content.items) {
        if (!isTextItem(item) || item.str.trim() === '') continue;
        const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = item.transform;
        // Rotated or vertical text has no place in line-by-line reading order; it is mostly
        // watermarks and margin labels.
        if (Math.abs(b) > 0.01 || Math.abs(c) > 0.01 || a <= 0) continue;
        const size = Math.abs(d) || item.height;
        items.push({ text: item.str, x: e - viewport.viewBox[0]!, y: viewport.viewBox[3]! - f, width: item.width, size });
      }
      pages.push({ number, width: viewport.width, height: viewport.height, items });
      page.cleanup();
    }
    return { ok: true, info, pages };
  } catch {
    return { ok: false, kind: 'corrupt', message: 'the PDF is damaged: a page could not be read' };
  } finally {
    void document.destroy();
  }
}
