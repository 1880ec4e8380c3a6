import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { CHROME_ROLES, HIDDEN_CLASSES, HIDDEN_STYLE } from '../parse/chrome-patterns.ts';
import { hasChromeWords } from '../parse/parse-html.ts';

/**
 * The main content of a fetched page with Mozilla's Readability (Firefox Reader View) over a
 * linkedom DOM. The project's hidden-text and chrome rules run first: Readability rewrites the
 * elements and their `class` attributes that those rules read (a stylesheet-hidden class, a
 * `cookie-banner` div), so text they would drop could otherwise survive into the index. The result
 * is HTML again, which the project's own HTML parser then cleans as any upload.
 */
export const MAIN_CONTENT_DEFAULTS = {
  /** Below this many characters Readability found no article; the whole page is parsed instead. */
  minChars: 200,
};

export interface MainContent {
  /** HTML of the article body, or the whole page when Readability found nothing. */
  html: string;
  title?: string;
  byline?: string;
  siteName?: string;
  /** As the page states it (ISO date-time usually). */
  published?: string;
  extracted: boolean;
}

interface DomElement {
  getAttribute(name: string): string | null;
  remove(): void;
  classList: Iterable<string>;
}

/** Classes and ids a page's own stylesheet hides (`.promo-text{display:none}`). */
function styleHiddenSelectors(css: string): string[] {
  const selectors: string[] = [];
  for (const rule of css.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    if (!HIDDEN_STYLE.test((rule[2] ?? '').replace(/\s+/g, ' ').trim())) continue;
    for (const selector of (rule[1] ?? '').split(',')) {
      const simple = /^\s*[a-z0-9]*([.#][\w-]+)\s*$/i.exec(selector);
      if (simple?.[1] !== undefined) selectors.push(simple[1]);
    }
  }
  return selectors;
}

function dropHidden(document: { querySelectorAll(selector: string): Iterable<DomElement> }): void {
  const stylesheetHidden = [...document.querySelectorAll('style')].flatMap((style) =>
    styleHiddenSelectors((style as unknown as { textContent: string }).textContent ?? ''),
  );
  const selectors = [
    '[hidden]',
    '[aria-hidden="true"]',
    'input[type="hidden"]',
    'template',
    'noscript',
    ...[...HIDDEN_CLASSES].map((name) => `.${name}`),
    ...stylesheetHidden,
  ];
  for (const element of [...document.querySelectorAll(selectors.join(','))]) element.remove();
  for (const element of [...document.querySelectorAll('[style]')]) {
    if (HIDDEN_STYLE.test((element.getAttribute('style') ?? '').replace(/\s+/g, ' ').trim())) element.remove();
  }
  // Page furniture by role, class or id, as the HTML parser judges it (never the page's own body).
  for (const element of [...document.querySelectorAll('body [class], body [id], body [role]')]) {
    const role = element.getAttribute('role')?.trim().toLowerCase();
    if (
      (role !== undefined && CHROME_ROLES.has(role)) ||
      hasChromeWords(element.getAttribute('class') ?? '') ||
      hasChromeWords(element.getAttribute('id') ?? '')
    ) {
      if (!['main', 'article'].includes((element as unknown as { tagName: string }).tagName.toLowerCase())) element.remove();
    }
  }
}

function clean(value: string | null | undefined): string | undefined {
  const text = value?.replace(/\s+/g, ' ').trim();
  return text === undefined || text === '' ? undefined : text;
}

export function extractMainContent(html: string, url: string): MainContent {
  const { document } = parseHTML(html);
  dropHidden(document as unknown as { querySelectorAll(selector: string): Iterable<DomElement> });
  const hasBase = document.querySelector('base') !== null;
  if (!hasBase && document.head !== null) {
    // Readability resolves relative links against the document URI, which linkedom leaves empty.
    const base = document.createElement('base');
    base.setAttribute('href', url);
    document.head.appendChild(base);
  }
  let article: ReturnType<Readability['parse']> = null;
  try {
    article = new Readability(document as unknown as Document, { charThreshold: MAIN_CONTENT_DEFAULTS.minChars, keepClasses: true }).parse();
  } catch {
    article = null;
  }
  const text = clean(article?.textContent);
  if (article === null || text === undefined || text.length < MAIN_CONTENT_DEFAULTS.minChars || !article.content) {
    return { html: document.toString(), extracted: false };
  }
  const content: MainContent = { html: `<html><body><article>${article.content}</article></body></html>`, extracted: true };
  const title = clean(article.title);
  const byline = clean(article.byline);
  const siteName = clean(article.siteName);
  const published = clean(article.publishedTime);
  if (title !== undefined) content.title = title;
  if (byline !== undefined) content.byline = byline;
  if (siteName !== undefined) content.siteName = siteName;
  if (published !== undefined) content.published = published;
  return content;
}
