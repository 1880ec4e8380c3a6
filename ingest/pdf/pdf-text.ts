/**
 * What the PDF reader hands to layout analysis: positioned text runs per page, and the document
 * information dictionary. Both stay in one thread (the reader and the layout run in the same
 * worker job), so plain types suffice.
 */
export interface PdfTextItem {
  text: string;
  /** Left edge, in points from the page's left. */
  x: number;
  /** Baseline, in points from the page's top (reading order runs down the page). */
  y: number;
  width: number;
  /** Font size in points (the glyph box height pdf.js reports). */
  size: number;
}

export interface PdfPageText {
  /** 1-based, as PDF viewers count (the physical page, not the printed page label). */
  number: number;
  width: number;
  height: number;
  items: PdfTextItem[];
}

export interface PdfInfo {
  title?: string;
  author?: string;
  /** YYYY-MM-DD from the CreationDate entry. */
  created?: string;
  pageCount: number;
}

export type PdfFailureKind = 'not_pdf' | 'encrypted' | 'corrupt' | 'too_many_pages' | 'too_large' | 'timeout' | 'no_text';

export type PdfExtraction = { ok: true; info: PdfInfo; pages: PdfPageText[] } | { ok: false; kind: PdfFailureKind; message: string };
