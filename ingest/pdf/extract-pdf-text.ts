import type { PdfExtraction, PdfInfo, PdfPageText, PdfTextItem } from './pdf-text.ts';

/**
 * Reads positioned text from every page with pdf.js. The server runs it inside the ingest worker
 * (ingest/worker, job `prepare-pdf`), never on the event loop that answers requests.
 */
type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

let loading: Promise<Pdfjs> | undefined;

/**
 * pdf.js is loaded on the first PDF, not when the worker starts (it takes about a second). Its
 * legacy build (the one Node 20 can run) installs core-js polyfills globally, and one of them
 * replaces `Array.prototype.push` with a much slower spec-edge-case version; every push in the
 * thread (pdf.js's parser and our layout) pays for it, about a fifth of the reading time measured
 * on the benchmark report. So both halves of pdf.js are loaded here, the "worker" half too (it
 * registers itself as `globalThis.pdfjsWorker`, which pdf.js then runs in this thread instead of
 * importing it on the first document), and the native `push` is put back: nothing here pushes
 * past 2^32 elements, the edge case the polyfill exists for.
 */
function loadPdfjs(): Promise<Pdfjs> {
  loading ??= (async () => {
    const nativePush = Object.getOwnPropertyDescriptor(Array.prototype, 'push');
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
    if (nativePush !== undefined) Object.defineProperty(Array.prototype, 'push', nativePush);
    return pdfjs;
  })();
  return loading;
}

class EncryptedPdfError extends Error {}

function infoString(info: Record<string, unknown>, key: string): string | undefined {
  const value = info[key];
  if (typeof value !== 'string') return undefined;
  // Info strings are often padded, or hold only whitespace and NULs left by the producing tool.
  const cleaned = Array.from(value, (character) => (character.charCodeAt(0) < 0x20 ? ' ' : character))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned === '' ? undefined : cleaned;
}

function creationDate(pdfjs: Pdfjs, info: Record<string, unknown>): string | undefined {
  const raw = info.CreationDate;
  if (typeof raw !== 'string') return undefined;
  const date = pdfjs.PDFDateString.toDateObject(raw);
  return date === null || Number.isNaN(date.getTime()) ? undefined : date.toISOString().slice(0, 10);
}

function readInfo(pdfjs: Pdfjs, rawInfo: Record<string, unknown>, pageCount: number): PdfInfo {
  const info: PdfInfo = { pageCount };
  const title = infoString(rawInfo, 'Title');
  const author = infoString(rawInfo, 'Author');
  const created = creationDate(pdfjs, rawInfo);
  if (title !== undefined) info.title = title;
  if (author !== undefined) info.author = author;
  if (created !== undefined) info.created = created;
  return info;
}

export async function extractPdfText(bytes: Uint8Array, limits: { maxPages: number }): Promise<PdfExtraction> {
  const pdfjs = await loadPdfjs();
  const task = pdfjs.getDocument({
    // pdf.js transfers (detaches) the buffer it is given; a copy keeps the caller's usable.
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
  let document: Awaited<typeof task.promise>;
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
      return { ok: false, kind: 'too_many_pages', message: `the PDF has ${document.numPages} pages; the limit is ${limits.maxPages} (COPILOT_PDF_MAX_PAGES)` };
    }
    const metadata = await document.getMetadata().catch(() => undefined);
    const info = readInfo(pdfjs, (metadata?.info ?? {}) as Record<string, unknown>, document.numPages);
    const pages: PdfPageText[] = [];
    for (let number = 1; number <= document.numPages; number += 1) {
      const page = await document.getPage(number);
      const viewport = page.getViewport({ scale: 1 });
      const [left = 0, , , top = viewport.height] = viewport.viewBox as number[];
      const content = await page.getTextContent();
      const items: PdfTextItem[] = [];
      for (const item of content.items) {
        if (!('str' in item) || item.str.trim() === '') continue;
        const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = item.transform as number[];
        // Rotated or vertical text has no place in line-by-line reading order; it is mostly
        // watermarks and margin labels.
        if (Math.abs(b) > 0.01 || Math.abs(c) > 0.01 || a <= 0) continue;
        items.push({ text: item.str, x: e - left, y: top - f, width: item.width, size: Math.abs(d) || item.height });
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
