import { lineText, type Line } from './layout-lines.ts';

/**
 * Running headers and footers: lines in a page's top or bottom margin that repeat on most pages
 * (running titles, "Table of Contents" links, confidentiality notices; digits compared as one
 * symbol so "Page 3 of 40" matches "Page 4 of 40"), and bare page numbers in those margins.
 */
export const CHROME_DEFAULTS = {
  /** How many lines at each end of a page are candidates. */
  edgeLines: 3,
  /** Candidates must also lie in this outer share of the page height. */
  marginShare: 0.15,
  /** A candidate repeated on at least this share of the pages with text is chrome. */
  repeatShare: 0.5,
};

const PAGE_NUMBER = /^(?:page\s*)?[-–—(]?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*[-–—)]?(?:\s*(?:of|\/)\s*\d{1,4})?$/i;

export interface PageLines {
  number: number;
  height: number;
  lines: Line[];
}

function chromeKey(line: Line): string {
  return lineText(line).toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();
}

function edgeIndexes(page: PageLines): number[] {
  const { lines, height } = page;
  const indexes = new Set<number>();
  for (let index = 0; index < Math.min(CHROME_DEFAULTS.edgeLines, lines.length); index += 1) {
    if (lines[index]!.y <= height * CHROME_DEFAULTS.marginShare) indexes.add(index);
  }
  for (let index = lines.length - 1; index >= Math.max(0, lines.length - CHROME_DEFAULTS.edgeLines); index -= 1) {
    if (lines[index]!.y >= height * (1 - CHROME_DEFAULTS.marginShare)) indexes.add(index);
  }
  return [...indexes];
}

function isPageNumberLine(line: Line): boolean {
  return PAGE_NUMBER.test(lineText(line).trim());
}

/** Returns the pages without their running headers, footers and page numbers (input lines top to bottom). */
export function removeRunningChrome(pages: readonly PageLines[]): { pages: PageLines[]; removed: number } {
  const pagesWithText = pages.filter((page) => page.lines.length > 0).length;
  const pagesByKey = new Map<string, Set<number>>();
  for (const page of pages) {
    for (const index of edgeIndexes(page)) {
      const key = chromeKey(page.lines[index]!);
      if (key === '') continue;
      const seen = pagesByKey.get(key) ?? new Set<number>();
      seen.add(page.number);
      pagesByKey.set(key, seen);
    }
  }
  const threshold = Math.max(2, Math.ceil(pagesWithText * CHROME_DEFAULTS.repeatShare));
  let removed = 0;
  const cleaned = pages.map((page) => {
    const drop = new Set(
      edgeIndexes(page).filter((index) => {
        const line = page.lines[index]!;
        return isPageNumberLine(line) || (pagesByKey.get(chromeKey(line))?.size ?? 0) >= threshold;
      }),
    );
    removed += drop.size;
    return { ...page, lines: page.lines.filter((_line, index) => !drop.has(index)) };
  });
  return { pages: cleaned, removed };
}
