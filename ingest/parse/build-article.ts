/**
 * The shared back half of every format: strip chrome from the blocks, repair broken lines (plain
 * text), group sections, split off the reference list, and settle metadata with a fixed priority:
 * caller defaults > markup hints (meta tags, front matter, JSON fields) > what the text says.
 */
import { ParsedArticleSchema, type ArticleReference, type ParsedArticle, type Section, type TableData } from '../../kb/types.ts';
import { createTableBlock, type Block, type MetadataDefaults, type MetadataHints } from './blocks.ts';
import { isCaptionLine } from '../tables/caption.ts';
import { renderHeaderLine, renderTableMarkdown } from '../tables/render.ts';
import { findLatestDate, parseDateValue } from './dates.ts';
import { extractFinancialMetadata } from './financial-metadata.ts';
import { detectLanguage } from './language.ts';
import { isReferencesHeading, readReferenceSection } from './references.ts';
import { assignLineRoles, joinBrokenLines } from './repair-lines.ts';
import { findSourceName, findTitleLine, stripChrome, type ChromeContext } from './strip-chrome.ts';
import { mergeTags } from './tags.ts';
import { extractTickers, mergeTickers } from './tickers.ts';

export interface BuildInput {
  blocks: readonly Block[];
  hints: MetadataHints;
  defaults: MetadataDefaults;
  /** Plain text: join broken lines and decide which lines are headings. */
  repairLines: boolean;
}

export type BuildResult = { status: 'ok'; article: ParsedArticle; warnings: string[] } | { status: 'empty'; reason: string };

const SNIPPET_TITLE_CHARS = 80;

function definedStrings(...values: (string | undefined)[]): string[] {
  return values.filter((value): value is string => value !== undefined && value.trim().length > 0);
}

function groupSections(blocks: readonly Block[]): { sections: Section[]; references: ArticleReference[] } {
  const sections: Section[] = [];
  const references: ArticleReference[] = [];
  for (const block of blocks) {
    if (block.kind === 'heading') {
      sections.push({ heading: block.text, paragraphs: [] });
      continue;
    }
    let current = sections.at(-1);
    if (current === undefined) {
      current = { paragraphs: [] };
      sections.push(current);
    }
    if (block.table !== undefined) (current.tables ??= []).push(block.table);
    else current.paragraphs.push(block.text);
  }

  const body: Section[] = [];
  for (const section of sections) {
    if (section.heading !== undefined && isReferencesHeading(section.heading)) {
      const { references: entries, leftover } = readReferenceSection(section.paragraphs);
      references.push(...entries);
      if (leftover.length > 0 || section.tables !== undefined) body.push({ ...section, paragraphs: leftover });
      continue;
    }
    body.push(section);
  }
  // A heading with nothing after it (the page ended, or only chrome followed) heads nothing.
  while (body.length > 0 && isEmptySection(body.at(-1)!)) body.pop();
  return { sections: body, references };
}

function isEmptySection(section: Section): boolean {
  return section.paragraphs.length === 0 && (section.tables?.length ?? 0) === 0;
}

/** A table without a caption takes the short paragraph or heading printed right above it. */
function attachCaptions(blocks: readonly Block[]): Block[] {
  return blocks.map((block, index) => {
    const previous = blocks[index - 1];
    if (block.table === undefined || block.table.caption !== undefined || previous === undefined) return block;
    if (previous.kind === 'table' || previous.bullet || !isCaptionLine(previous.text)) return block;
    return createTableBlock({ ...block.table, caption: previous.text.trim() });
  });
}

/** A caption taken from the paragraph above the table is shown once, as that paragraph. */
function withoutPrintedCaption(table: TableData, section: Section): TableData {
  if (table.caption === undefined || !section.paragraphs.includes(table.caption)) return table;
  const { caption: _caption, ...rest } = table;
  return rest;
}

/** Headings, paragraphs, then the section's tables as Markdown; what a reader of the article sees. */
export function joinSections(sections: readonly Section[]): string {
  return sections
    .map((section) =>
      [section.heading, ...section.paragraphs, ...(section.tables ?? []).map((table) => renderTableMarkdown(withoutPrintedCaption(table, section)))]
        .filter((part) => part !== undefined)
        .join('\n\n'),
    )
    .join('\n\n');
}

function snippetTitle(text: string): string {
  const firstSentence = /^.*?[.!?。！？](?=\s|$)/u.exec(text)?.[0] ?? text;
  if (firstSentence.length <= SNIPPET_TITLE_CHARS) return firstSentence.replace(/[.。]$/u, '');
  const cut = firstSentence.slice(0, SNIPPET_TITLE_CHARS);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > 20 ? cut.slice(0, lastSpace) : cut).trim()}…`;
}

function settlePublished(
  defaults: MetadataDefaults,
  hints: MetadataHints,
  dateline: string | undefined,
  bodyText: string,
  warnings: string[],
): string | undefined {
  if (defaults.published !== undefined) {
    const given = parseDateValue(defaults.published);
    if (given !== undefined) return given;
    warnings.push(`ignored the given published date "${defaults.published}": not a recognisable date`);
  }
  const hinted = hints.published === undefined ? undefined : parseDateValue(hints.published);
  if (hinted !== undefined) return hinted;
  if (dateline !== undefined) return dateline;
  const inferred = findLatestDate(bodyText);
  if (inferred !== undefined) {
    warnings.push(`published date ${inferred} inferred from the latest date mentioned in the body (no dateline)`);
  }
  return inferred;
}

export function buildArticle(input: BuildInput): BuildResult {
  const { blocks, hints, defaults } = input;
  const warnings: string[] = [];
  const textSource = findSourceName(blocks);
  const siteNames = definedStrings(textSource, hints.source, defaults.source);
  // Markup formats name their title in markup (og:title, <title>, h1, front matter); only plain
  // text prints it as a first line.
  const titleLine = hints.title === undefined && input.repairLines ? findTitleLine(blocks, { titles: [], siteNames }) : undefined;
  const context: ChromeContext = { titles: definedStrings(defaults.title, hints.title, titleLine), siteNames };

  const stripped = stripChrome(blocks, context);
  const roled = input.repairLines
    ? assignLineRoles(joinBrokenLines(stripped.blocks))
    : stripped.blocks.map((block): Block => (block.kind === 'line' ? { ...block, kind: 'paragraph' } : block));
  const { sections, references } = groupSections(attachCaptions(roled));

  const paragraphCount = sections.reduce((sum, section) => sum + section.paragraphs.length + (section.tables?.length ?? 0), 0);
  if (paragraphCount === 0) {
    return {
      status: 'empty',
      reason: blocks.length > 0 ? 'the document holds only page chrome, no article text' : 'the document holds no text',
    };
  }

  const text = joinSections(sections);
  const firstTable = sections.find((section) => (section.tables?.length ?? 0) > 0)?.tables?.[0];
  // A document of tables only is named by its first table's caption, else its header line.
  const tableName = firstTable === undefined ? undefined : (firstTable.caption ?? renderHeaderLine(firstTable.rows[0] ?? []));
  const firstParagraph = sections.find((section) => section.paragraphs.length > 0)?.paragraphs[0] ?? tableName ?? text;
  let title = defaults.title ?? hints.title ?? titleLine;
  if (title === undefined || title.trim().length === 0) {
    title = snippetTitle(firstParagraph);
    warnings.push('no title found; used the opening words of the text');
  }

  const financial = extractFinancialMetadata({ title: title.trim(), text });
  const article: ParsedArticle = {
    title: title.trim(),
    text,
    sections,
    published: settlePublished(defaults, hints, stripped.dateline, text, warnings),
    source: defaults.source ?? hints.source ?? textSource,
    url: defaults.url ?? hints.url,
    tags: defaults.tags !== undefined ? mergeTags(defaults.tags) : mergeTags(hints.tags ?? [], stripped.tags),
    tickers: mergeTickers(hints.tickers ?? [], stripped.tickers, extractTickers(text), financial?.ticker === undefined ? [] : [financial.ticker]),
    // The author's own label (front matter) wins over a badge line found in the page.
    sentiment: hints.sentiment ?? stripped.sentiment,
    language: detectLanguage(text),
    references,
    ...(financial === undefined ? {} : { financial }),
  };
  for (const key of ['published', 'source', 'url', 'sentiment', 'language'] as const) {
    if (article[key] === undefined) delete article[key];
  }
  return { status: 'ok', article: ParsedArticleSchema.parse(article), warnings };
}
