import { ParsedArticleSchema, type ParsedArticle, type Section, type TableData } from '../../kb/types.ts';
import { joinSections } from '../parse/build-article.ts';
import type { MetadataDefaults } from '../parse/blocks.ts';
import { findLatestDate, parseDateValue } from '../parse/dates.ts';
import { extractFinancialMetadata } from '../parse/financial-metadata.ts';
import { detectLanguage } from '../parse/language.ts';
import { mergeTags } from '../parse/tags.ts';
import { extractTickers, mergeTickers } from '../parse/tickers.ts';
import { collectCompounds, joinLines } from './hyphenation.ts';
import { buildLines, lineText, type Line } from './layout-lines.ts';
import type { PdfInfo, PdfPageText } from './pdf-text.ts';
import { findTables, isFigureRow, renderAlignedLine } from './pdf-tables.ts';
import { orderLines, type OrderedLine } from './reading-order.ts';
import { joinWrappedRows } from './wrapped-rows.ts';
import { removeRunningChrome, type PageLines } from './running-chrome.ts';

/**
 * Positioned text of a PDF's pages into a ParsedArticle: running chrome removed, lines in reading
 * order, tables rebuilt, paragraphs and headings found from spacing and font size, and one section
 * per heading per page (a section never spans two pages; a heading carries over a page break).
 */
export const PDF_ARTICLE_DEFAULTS = {
  /** A line at least this much larger than the body text is a heading. */
  headingScale: 1.15,
  maxHeadingChars: 150,
  /** A gap this much wider than the usual line spacing starts a new paragraph. */
  paragraphGapScale: 1.3,
  snippetTitleChars: 80,
};

type Element = { kind: 'line'; line: OrderedLine; text: string } | { kind: 'table'; table: TableData };

interface PageContent {
  number: number;
  elements: Element[];
}

function weightedModeSize(lines: readonly Line[]): number {
  const weights = new Map<number, number>();
  for (const line of lines) weights.set(line.size, (weights.get(line.size) ?? 0) + lineText(line).length);
  return [...weights.entries()].sort((left, right) => right[1] - left[1])[0]?.[0] ?? 10;
}

/** The usual baseline distance as a multiple of the font size, from consecutive lines of one column. */
function usualSpacing(pages: readonly PageContent[]): number {
  const ratios: number[] = [];
  for (const page of pages) {
    for (let index = 1; index < page.elements.length; index += 1) {
      const previous = page.elements[index - 1]!;
      const current = page.elements[index]!;
      if (previous.kind !== 'line' || current.kind !== 'line') continue;
      const [upper, lower] = [previous.line, current.line];
      if (upper.band !== lower.band || upper.column !== lower.column || upper.size !== lower.size) continue;
      const ratio = (lower.y - upper.y) / lower.size;
      if (ratio > 0.5 && ratio < 3) ratios.push(ratio);
    }
  }
  if (ratios.length === 0) return 1.2;
  ratios.sort((left, right) => left - right);
  return ratios[Math.floor(ratios.length / 2)]!;
}

function pageElements(lines: readonly OrderedLine[]): Element[] {
  const elements: Element[] = [];
  let start = 0;
  while (start < lines.length) {
    let end = start + 1;
    while (end < lines.length && lines[end]!.band === lines[start]!.band && lines[end]!.column === lines[start]!.column) end += 1;
    const group = joinWrappedRows(lines.slice(start, end));
    const tables = findTables(group);
    let index = 0;
    for (const found of tables) {
      for (; index < found.start; index += 1) elements.push(lineElement(group[index]!));
      elements.push({ kind: 'table', table: found.table });
      index = found.end;
    }
    for (; index < group.length; index += 1) elements.push(lineElement(group[index]!));
    start = end;
  }
  return elements;
}

function lineElement(line: OrderedLine): Element {
  return { kind: 'line', line, text: isFigureRow(line) ? renderAlignedLine(line) : lineText(line) };
}

const SENTENCE_END = /[.!?:;。！？"”’)\]]$/u;

function isHeading(line: OrderedLine, text: string, bodySize: number): boolean {
  return (
    line.size >= bodySize * PDF_ARTICLE_DEFAULTS.headingScale &&
    text.length <= PDF_ARTICLE_DEFAULTS.maxHeadingChars &&
    /\p{L}/u.test(text) &&
    !isFigureRow(line)
  );
}

interface PageSections {
  sections: Section[];
  heading: string | undefined;
}

function buildPageSections(
  page: PageContent,
  carried: string | undefined,
  context: { bodySize: number; spacing: number; compounds: ReadonlySet<string> },
): PageSections {
  const sections: Section[] = [];
  let section: Section = { ...(carried === undefined ? {} : { heading: carried }), paragraphs: [], page: page.number };
  let heading = carried;
  let pending: string[] = [];
  let pendingLine: OrderedLine | undefined;
  let pendingHeading: { text: string; line: OrderedLine } | undefined;

  const flushParagraph = () => {
    if (pending.length > 0) section.paragraphs.push(joinLines(pending, context.compounds));
    pending = [];
    pendingLine = undefined;
  };
  const flushHeading = () => {
    if (pendingHeading === undefined) return;
    flushParagraph();
    if (section.paragraphs.length > 0 || (section.tables?.length ?? 0) > 0) sections.push(section);
    heading = pendingHeading.text;
    section = { heading, paragraphs: [], page: page.number };
    pendingHeading = undefined;
  };

  for (const element of page.elements) {
    if (element.kind === 'table') {
      flushHeading();
      flushParagraph();
      section.tables = [...(section.tables ?? []), element.table];
      continue;
    }
    const { line, text } = element;
    if (isHeading(line, text, context.bodySize)) {
      flushParagraph();
      // Consecutive heading lines of one size are one heading broken over lines.
      if (pendingHeading !== undefined && pendingHeading.line.size === line.size && line.y - pendingHeading.line.y <= 2 * line.size) {
        pendingHeading = { text: `${pendingHeading.text} ${text}`, line };
      } else {
        flushHeading();
        pendingHeading = { text, line };
      }
      continue;
    }
    flushHeading();
    if (isFigureRow(line)) {
      // Figures that did not form a table stay one aligned line each, never a run-on paragraph.
      flushParagraph();
      section.paragraphs.push(text);
      continue;
    }
    if (pendingLine !== undefined && startsNewParagraph(pendingLine, line, pending, text, context.spacing)) flushParagraph();
    pending.push(text);
    pendingLine = line;
  }
  flushHeading();
  flushParagraph();
  if (section.paragraphs.length > 0 || (section.tables?.length ?? 0) > 0) sections.push(section);
  return { sections, heading };
}

function startsNewParagraph(previous: OrderedLine, line: OrderedLine, pending: readonly string[], text: string, spacing: number): boolean {
  if (previous.band !== line.band || previous.column !== line.column) {
    // A paragraph running on into the next column continues mid-sentence.
    return SENTENCE_END.test(pending.at(-1) ?? '') || !/^\p{Ll}/u.test(text);
  }
  if (Math.abs(previous.size - line.size) > 0.5) return true;
  return line.y - previous.y > spacing * line.size * PDF_ARTICLE_DEFAULTS.paragraphGapScale;
}

const JUNK_TITLE = /^(?:untitled|document\d*|microsoft word - .*|.*\.(?:docx?|pdf|indd|xlsx?|pptx?))$/i;

function settleTitle(defaults: MetadataDefaults, info: PdfInfo, sections: readonly Section[], warnings: string[]): string {
  if (defaults.title !== undefined) return defaults.title;
  if (info.title !== undefined && !JUNK_TITLE.test(info.title)) return info.title;
  const firstHeading = sections.find((section) => section.heading !== undefined && section.page === 1)?.heading;
  if (firstHeading !== undefined) return firstHeading;
  const opening = sections.flatMap((section) => section.paragraphs)[0] ?? 'Untitled PDF';
  warnings.push('no title found; used the opening words of the text');
  if (opening.length <= PDF_ARTICLE_DEFAULTS.snippetTitleChars) return opening;
  const cut = opening.slice(0, PDF_ARTICLE_DEFAULTS.snippetTitleChars);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 20)).trim()}…`;
}

export type PdfArticleResult = { status: 'ok'; article: ParsedArticle; warnings: string[] } | { status: 'no_text' };

export function buildPdfArticle(info: PdfInfo, pages: readonly PdfPageText[], defaults: MetadataDefaults): PdfArticleResult {
  const warnings: string[] = [];
  const lined: PageLines[] = pages.map((page) => ({ number: page.number, height: page.height, lines: buildLines(page.items) }));
  if (lined.every((page) => page.lines.length === 0)) return { status: 'no_text' };
  const blank = lined.filter((page) => page.lines.length === 0).map((page) => page.number);
  if (blank.length > 0) warnings.push(`no text on page${blank.length > 1 ? 's' : ''} ${blank.join(', ')} (scanned or image-only; not read)`);

  const { pages: cleaned } = removeRunningChrome(lined);
  const allLines = cleaned.flatMap((page) => page.lines);
  const bodySize = weightedModeSize(allLines);
  const compounds = collectCompounds(allLines.map(lineText));
  const contents: PageContent[] = cleaned.map((page) => ({ number: page.number, elements: pageElements(orderLines(page.lines)) }));
  const spacing = usualSpacing(contents);

  const sections: Section[] = [];
  let heading: string | undefined;
  for (const page of contents) {
    const built = buildPageSections(page, heading, { bodySize, spacing, compounds });
    sections.push(...built.sections);
    heading = built.heading;
  }
  if (sections.length === 0) return { status: 'no_text' };

  const text = joinSections(sections);
  const firstPageText = joinSections(sections.filter((section) => section.page === 1));
  const published = (defaults.published === undefined ? undefined : parseDateValue(defaults.published)) ?? info.created ?? findLatestDate(firstPageText);
  const article: ParsedArticle = {
    title: settleTitle(defaults, info, sections, warnings),
    text,
    sections,
    tags: mergeTags(defaults.tags ?? []),
    tickers: mergeTickers(extractTickers(text)),
    references: [],
    pages: pages.length,
  };
  if (published !== undefined) article.published = published;
  if (defaults.source !== undefined) article.source = defaults.source;
  if (defaults.url !== undefined) article.url = defaults.url;
  if (info.author !== undefined) article.author = info.author;
  const language = detectLanguage(text);
  if (language !== undefined) article.language = language;
  const financial = extractFinancialMetadata({ title: article.title, text });
  if (financial !== undefined) {
    article.financial = financial;
    if (financial.ticker !== undefined) article.tickers = mergeTickers(article.tickers, [financial.ticker]);
  }
  return { status: 'ok', article: ParsedArticleSchema.parse(article), warnings };
}
