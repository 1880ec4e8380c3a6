// @ts-check
/**
 * Reads positioned text from every page with pdf.js. Plain JavaScript on purpose: it runs in a
 * worker thread (pdf-worker.mjs), and Node 20 cannot load TypeScript in a worker without a loader
 * that costs seconds per thread. Types: extract-pdf-text.d.mts; the result is checked against
 * PdfExtractionSchema (pdf-text.ts) where it comes back to the main thread.
 */
import { getDocument, PDFDateString } from 'pdfjs-dist/legacy/build/pdf.mjs';

class EncryptedPdfError extends Error {}

/** @param {Record<string, unknown>} info @param {string} key */
function infoString(info, key) {
  const value = info[key];
  if (typeof value !== 'string') return undefined;
  // Info strings are often padded, or hold only whitespace and NULs left by the producing tool.
  const cleaned = Array.from(value, (character) => (character.charCodeAt(0) < 0x20 ? ' ' : character))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned === '' ? undefined : cleaned;
}

/** @param {Record<string, unknown>} info */
function creationDate(info) {
  const raw = info.CreationDate;
  if (typeof raw !== 'string') return undefined;
  const date = PDFDateString.toDateObject(raw);
  return date === null || Number.isNaN(date.getTime()) ? undefined : date.toISOString().slice(0, 10);
}

/**
 * @param {Uint8Array} bytes
 * @param {{ maxPages: number }} limits
 * @returns {Promise<import('./pdf-text.ts').PdfExtraction>}
 */
export async function extractPdfText(bytes, limits) {
  const task = getDocument({
    // pdf.js transfers (detaches) the buffer it is given; a copy keeps the caller's usable.
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  // Without an onPassword callback pdf.js would wait for a password that never comes.
  /** @type {Promise<never>} */
  const passwordAsked = new Promise((_resolve, reject) => {
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
      return { ok: false, kind: 'too_many_pages', message: `the PDF has ${document.numPages} pages; the limit is ${limits.maxPages} (COPILOT_PDF_MAX_PAGES)` };
    }
    const metadata = await document.getMetadata().catch(() => undefined);
    const rawInfo = /** @type {Record<string, unknown>} */ (metadata?.info ?? {});
    /** @type {import('./pdf-text.ts').PdfInfo} */
    const info = { pageCount: document.numPages };
    const title = infoString(rawInfo, 'Title');
    const author = infoString(rawInfo, 'Author');
    const created = creationDate(rawInfo);
    if (title !== undefined) info.title = title;
    if (author !== undefined) info.author = author;
    if (created !== undefined) info.created = created;

    /** @type {import('./pdf-text.ts').PdfPageText[]} */
    const pages = [];
    for (let number = 1; number <= document.numPages; number += 1) {
      const page = await document.getPage(number);
      const viewport = page.getViewport({ scale: 1 });
      const [left = 0, , , top = viewport.height] = viewport.viewBox;
      const content = await page.getTextContent();
      /** @type {import('./pdf-text.ts').PdfTextItem[]} */
      const items = [];
      for (const item of content.items) {
        if (!('str' in item) || item.str.trim() === '') continue;
        const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = item.transform;
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
