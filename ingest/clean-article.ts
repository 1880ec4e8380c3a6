import type { ParsedArticle } from '../kb/types.ts';
import { stripInvisibleText } from '../lib/invisible-text.ts';

/**
 * The last step of parsing any document, whatever its format (pure): metadata is plain text, the
 * URL is an http(s) URL or nothing, and invisible characters (Unicode tag characters, bidi
 * controls, zero-width spaces) are gone from text and metadata alike. A title such as
 * `<img src=x onerror=…>` would otherwise be shown in snippets, citations and references.
 */
export function toPlainText(value: string): string {
  return stripInvisibleText(value)
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<\/?[A-Za-z][^<>]*>/g, ' ')
    .replace(/!\[[^\]\n]*\]\([^()\n]*\)/g, ' ')
    .replace(/[<>]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The URL when it is http(s); anything else (`javascript:`, `data:`, `file:`, relative) is dropped. */
export function toHttpUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

export function cleanParsedArticle(article: ParsedArticle): ParsedArticle {
  const plain = (value: string | undefined) => (value === undefined ? undefined : toPlainText(value) || undefined);
  const cleaned: ParsedArticle = {
    ...article,
    title: toPlainText(article.title) || 'Untitled',
    text: stripInvisibleText(article.text),
    sections: article.sections.map((section) => {
      const heading = plain(section.heading);
      const { heading: _previous, ...rest } = section;
      return { ...rest, ...(heading ? { heading } : {}), paragraphs: section.paragraphs.map(stripInvisibleText) };
    }),
    tags: article.tags.map(toPlainText).filter(Boolean),
    tickers: article.tickers.map(toPlainText).filter(Boolean),
    references: article.references.map((reference) => ({ ...reference, text: toPlainText(reference.text) })),
  };
  for (const key of ['source', 'sentiment', 'author'] as const) {
    const value = plain(article[key]);
    if (value === undefined) delete cleaned[key];
    else cleaned[key] = value;
  }
  const url = toHttpUrl(article.url);
  if (url === undefined) delete cleaned.url;
  else cleaned.url = url;
  return cleaned;
}
