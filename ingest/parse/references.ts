/** An article's own numbered source list: a "References" heading followed by `[0] Source - Title` lines. */
import type { ArticleReference } from '../../kb/types.ts';
import { REFERENCE_HEADINGS } from './chrome-patterns.ts';

export function isReferencesHeading(heading: string): boolean {
  return REFERENCE_HEADINGS.test(heading.trim());
}

/** `[3] 247 Wall St. - Friday Analyst Research Calls`, `3. Source`, `(3) Source` → entry; else undefined. */
export function readReferenceLine(line: string): ArticleReference | undefined {
  const match = /^\s*(?:\[(\d{1,3})\]|\((\d{1,3})\)|(\d{1,3})[.)])\s*(\S.*)$/u.exec(line);
  if (!match) return undefined;
  const n = Number(match[1] ?? match[2] ?? match[3]);
  const text = (match[4] ?? '').trim();
  return text.length > 0 ? { n, text } : undefined;
}

/**
 * Read a references section's paragraphs. Returns the entries and the paragraphs that were not
 * reference lines (kept as body text so nothing is silently lost).
 */
export function readReferenceSection(paragraphs: readonly string[]): {
  references: ArticleReference[];
  leftover: string[];
} {
  const references: ArticleReference[] = [];
  const leftover: string[] = [];
  for (const paragraph of paragraphs) {
    const entry = readReferenceLine(paragraph);
    if (entry) references.push(entry);
    else leftover.push(paragraph);
  }
  return { references, leftover };
}
