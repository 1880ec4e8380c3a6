/**
 * Remove page chrome from a block list and keep what the chrome says about the article: the tag
 * line, the sentiment badge, the dateline, the tickers of a "Related Stocks" widget.
 * Works on any format's blocks; line-level only (HTML containers are dropped earlier).
 */
import type { Block } from './blocks.ts';
import {
  CHROME_LINE_PATTERNS,
  MARKET_LABEL_LINE,
  PLACEHOLDER_LINE,
  SENTIMENT_LABELS,
  SOURCE_CHROME_LINES,
  SOURCE_LINE_PATTERNS,
  TICKER_WIDGET_HEADINGS,
} from './chrome-patterns.ts';
import { readDateline } from './dates.ts';
import { isKeyValueLine } from './repair-lines.ts';
import { readTagLine } from './tags.ts';
import { readTickerLine } from './tickers.ts';

export interface ChromeContext {
  /** Titles the page may repeat as lines (the extracted title, the caller's title). */
  titles: readonly string[];
  /** Site names that appear as bare lines ("Ginlix AI"). */
  siteNames: readonly string[];
}

export interface StrippedBlocks {
  blocks: Block[];
  tags: string[];
  tickers: string[];
  sentiment?: string;
  /** The first dateline above the body, as YYYY-MM-DD. */
  dateline?: string;
}

/** A dateline above the body may carry a short label ("January 23, 2026 | Market Analysis Report"). */
const MAX_DATELINE_LABEL_WORDS = 4;

function isHeaderDateline(text: string): boolean {
  const dateline = readDateline(text);
  return dateline !== undefined && dateline.framed && dateline.labelWords <= MAX_DATELINE_LABEL_WORDS;
}

/** Compare lines ignoring case, spacing and trailing punctuation. */
export function normalizeForComparison(text: string): string {
  return text
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[\s.:;,!?。:]+$/u, '')
    .trim();
}

/** True once the reader has reached running prose: a long line or a full sentence. */
export function isBodyLike(text: string): boolean {
  if (text.length >= 100) return true;
  const cjk = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  if (cjk >= 40) return true;
  const words = text.split(/\s+/).length;
  return words >= 8 && /[.!?。！？]["”’)]?$/u.test(text);
}

export function readSentimentLabel(text: string): string | undefined {
  return SENTIMENT_LABELS[text.trim().toLowerCase()];
}

/** The site name announced by an "About us" blurb or a branded widget line, if any block has one. */
export function findSourceName(blocks: readonly Block[]): string | undefined {
  for (const block of blocks) {
    if (block.kind === 'table') continue;
    const text = block.text.trim();
    for (const pattern of SOURCE_LINE_PATTERNS) {
      const name = pattern.exec(text)?.[1]?.trim();
      if (name && !/^(?:the|our|by|el|la|nuestro)$/i.test(name)) return name;
    }
  }
  return undefined;
}

/** Chrome that needs no context: UI phrases, badges, placeholders, tag lines. */
export function isContextFreeChrome(text: string): boolean {
  const trimmed = text.trim();
  return (
    trimmed.length === 0 ||
    PLACEHOLDER_LINE.test(trimmed) ||
    MARKET_LABEL_LINE.test(trimmed) ||
    readSentimentLabel(trimmed) !== undefined ||
    readTagLine(trimmed) !== undefined ||
    CHROME_LINE_PATTERNS.some((pattern) => pattern.test(trimmed)) ||
    SOURCE_CHROME_LINES.some((pattern) => pattern.test(trimmed)) ||
    TICKER_WIDGET_HEADINGS.some((pattern) => pattern.test(trimmed))
  );
}

function isSiteName(text: string, context: ChromeContext): boolean {
  const line = normalizeForComparison(text);
  return context.siteNames.some((name) => normalizeForComparison(name) === line);
}

/**
 * The article title printed as a line above the body: the first line that is not chrome,
 * not a dateline and not already prose. Undefined when the text starts with prose.
 */
export function findTitleLine(blocks: readonly Block[], context: ChromeContext): string | undefined {
  for (const block of blocks) {
    if (block.kind === 'table') return undefined;
    const text = block.text.trim();
    if (isContextFreeChrome(text) || isSiteName(text, context) || readTickerLine(text) !== undefined) continue;
    if (isHeaderDateline(text)) continue;
    // "Company: …" or "Fiscal year: …" above the title are fields of the document, not its title.
    if (isKeyValueLine(text)) continue;
    // Titles run long (120 characters is common) but do not end like a sentence.
    if (block.bullet || text.length > 200 || /[.;,:。；，：!！]$/u.test(text)) return undefined;
    return text;
  }
  return undefined;
}

export function stripChrome(blocks: readonly Block[], context: ChromeContext): StrippedBlocks {
  const kept: Block[] = [];
  const tags: string[] = [];
  const tickers: string[] = [];
  let sentiment: string | undefined;
  let dateline: string | undefined;
  let inBody = false;
  const titles = new Set(context.titles.map(normalizeForComparison));

  for (let i = 0; i < blocks.length; i += 1) {
    const block = blocks[i];
    if (block === undefined) continue;
    if (block.kind === 'table') {
      // A table is content by construction; its cells are not lines to judge as chrome.
      kept.push(block);
      continue;
    }
    const text = block.text.trim();
    if (text.length === 0) continue;

    const tagLine = readTagLine(text);
    if (tagLine !== undefined) {
      tags.push(...tagLine);
      continue;
    }
    const label = readSentimentLabel(text);
    if (label !== undefined) {
      sentiment ??= label;
      continue;
    }
    if (TICKER_WIDGET_HEADINGS.some((pattern) => pattern.test(text))) {
      // Consume the widget body: symbols alternating with "--" price placeholders.
      while (i + 1 < blocks.length) {
        const next = blocks[i + 1]?.text.trim() ?? '';
        const symbol = readTickerLine(next);
        if (symbol !== undefined) tickers.push(symbol);
        else if (next.length > 0 && !PLACEHOLDER_LINE.test(next)) break;
        i += 1;
      }
      continue;
    }
    const symbol = readTickerLine(text);
    const following = blocks[i + 1]?.text.trim() ?? '';
    if (symbol !== undefined && PLACEHOLDER_LINE.test(following)) {
      // A widget row without its heading: "AMAT" then "--".
      tickers.push(symbol);
      i += 1;
      continue;
    }
    if (isContextFreeChrome(text) || isSiteName(text, context)) continue;
    if (titles.has(normalizeForComparison(text))) continue;

    const date = readDateline(text);
    if (date !== undefined) {
      if (!inBody && isHeaderDateline(text)) {
        dateline ??= date.iso;
        continue;
      }
      if (date.labelWords === 0) continue;
    }

    if (!inBody && block.kind !== 'heading' && isBodyLike(text)) inBody = true;
    kept.push({ ...block, text });
  }

  return { blocks: kept, tags, tickers, sentiment, dateline };
}
