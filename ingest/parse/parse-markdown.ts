/**
 * Markdown into blocks, with a careful line parser: optional front matter (gray-matter),
 * ATX and setext headings, paragraphs, list items, block quotes, tables, fenced code kept as text.
 * Inline markup is removed: links keep their text, images disappear, emphasis markers go.
 */
import { z } from 'zod';
import { collapseWhitespace, createTableBlock, type Block, type MetadataHints } from './blocks.ts';
import { findAlignedTables } from '../tables/aligned-text.ts';
import { measurePipeTable, readPipeTable, startsPipeTable } from '../tables/markdown-table.ts';
import { splitKeywords } from './tags.ts';
import { readSentimentLabel } from './strip-chrome.ts';
import { isDeclaredTickerSymbol } from './tickers.ts';
import { readFrontMatter } from '../../lib/front-matter.ts';

export interface MarkdownDocument {
  blocks: Block[];
  hints: MetadataHints;
  warnings: string[];
}

const StringListSchema = z.union([z.array(z.string()), z.string()]);

const FrontMatterSchema = z.object({
  title: z.string().optional(),
  published: z.string().optional(),
  date: z.string().optional(),
  source: z.string().optional(),
  url: z.string().optional(),
  tags: StringListSchema.optional(),
  tickers: StringListSchema.optional(),
  // Keys are lower-cased by readFrontMatter; both spellings publishers' exports use are read.
  related_tickers: StringListSchema.optional(),
  'related-tickers': StringListSchema.optional(),
  sentiment: z.string().optional(),
});

function toList(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value : splitKeywords(value);
}

function readHints(front: Record<string, unknown>, warnings: string[]): MetadataHints {
  const parsed = FrontMatterSchema.safeParse(front);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    warnings.push(`front matter ignored: ${problems}`);
    return {};
  }
  const data = parsed.data;
  const hints: MetadataHints = {};
  if (data.title !== undefined && data.title.trim().length > 0) hints.title = data.title.trim();
  const published = data.published ?? data.date;
  if (published !== undefined) hints.published = published;
  if (data.source !== undefined) hints.source = data.source;
  if (data.url !== undefined) hints.url = data.url;
  const tags = toList(data.tags);
  if (tags !== undefined) hints.tags = tags;
  const tickers = [data.tickers, data.related_tickers, data['related-tickers']]
    .flatMap((list) => toList(list) ?? [])
    .map((ticker) => ticker.trim().replace(/^\$/, '').toUpperCase());
  // Front matter is the uploader's text: only what reads as a symbol becomes a ticker.
  const symbols = tickers.filter(isDeclaredTickerSymbol);
  const ignored = tickers.length - symbols.length;
  if (ignored > 0) warnings.push(`front matter: ${ignored} ticker value(s) ignored (not ticker symbols such as AAPL, BRK.B, ^GSPC or 0700.HK)`);
  if (symbols.length > 0) hints.tickers = symbols;
  if (data.sentiment !== undefined) {
    const label = readSentimentLabel(data.sentiment);
    if (label !== undefined) hints.sentiment = label;
    else
      warnings.push(
        `front matter sentiment ignored: "${data.sentiment.slice(0, 40)}" is not a known label (positive, negative, bullish, bearish, neutral, mixed)`,
      );
  }
  return hints;
}

const ESCAPE_BASE = 0xe000;

/**
 * Remove inline markup, keeping the words a reader sees. Citation markers like `[2]` stay.
 * Every pattern stops at the next delimiter of its own kind (`[^*]`, not `.+?`), so an opener
 * without a closer costs the distance to the next delimiter, not the rest of the paragraph:
 * linear on hostile input such as 100,000 unclosed `*a` or `[a](`.
 */
export function stripInlineMarkdown(text: string): string {
  // Escaped characters are parked in the private-use area so emphasis rules cannot touch them.
  const parked = text.replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, (_match, char: string) => String.fromCharCode(ESCAPE_BASE + char.charCodeAt(0)));
  return collapseWhitespace(
    parked
      .replace(/!\[[^\]]*\]\([^()]*\)/g, '')
      .replace(/!\[[^\]]*\]\[[^\]]*\]/g, '')
      .replace(/`([^`]+)`/g, '$1')
      .replace(/\[([^\]]+)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+"[^"]*")?\)/g, '$1')
      .replace(/\[(?!\d+\])([^\]]+)\]\[[^\]]*\]/g, '$1')
      .replace(/\[\]\([^()]*\)/g, '')
      .replace(/<(https?:\/\/[^<>\s]+)>/g, '$1')
      .replace(/<\/?[A-Za-z][^<>]*>/g, '')
      .replace(/\*\*(?=\S)((?:[^*]|\*(?!\*))+?)(?<=\S)\*\*/g, '$1')
      .replace(/__(?=\S)((?:[^_]|_(?!_))+?)(?<=\S)__/g, '$1')
      .replace(/(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])/g, '$1')
      .replace(/(?<![\p{L}\p{N}_])_(?=\S)([^_]+?)(?<=\S)_(?![\p{L}\p{N}_])/gu, '$1')
      .replace(/~~((?:[^~]|~(?!~))+?)~~/g, '$1')
      .replace(/[\ue000-\ue07f]/g, (char) => String.fromCharCode(char.charCodeAt(0) - ESCAPE_BASE)),
  );
}

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
const ATX_HEADING = /^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+\s*)?$/;
const SETEXT_UNDERLINE = /^\s{0,3}(=+|-+)\s*$/;
const THEMATIC_BREAK = /^\s{0,3}(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$/;
const LIST_ITEM = /^\s{0,6}(?:[-*+]|\d{1,3}[.)])\s+(.*)$/;
const REFERENCE_DEFINITION = /^\s{0,3}\[[^\]]+\]:\s*\S+/;

function pushCodeText(blocks: Block[], lines: readonly string[]): void {
  const text = lines.join('\n').replace(/^\n+|\n+$/g, '');
  if (text.length > 0) blocks.push({ kind: 'paragraph', text });
}

/** Fenced code kept as text, except the tables aligned with spaces inside it (a pasted report). */
function readCodeBlock(code: readonly string[]): Block[] {
  const blocks: Block[] = [];
  let from = 0;
  for (const table of findAlignedTables(code)) {
    pushCodeText(blocks, code.slice(from, table.start));
    blocks.push(createTableBlock(table.table));
    from = table.end;
  }
  pushCodeText(blocks, code.slice(from));
  return blocks;
}

export function readMarkdownDocument(text: string): MarkdownDocument {
  const warnings: string[] = [];
  const { data: front, body, error } = readFrontMatter(text);
  if (error) warnings.push(`front matter ignored: ${error}`);
  const hints = front === undefined ? {} : readHints(front, warnings);
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let paragraphIsBullet = false;

  const flush = (): void => {
    const joined = stripInlineMarkdown(paragraph.join(' '));
    if (joined.length > 0) blocks.push(paragraphIsBullet ? { kind: 'paragraph', text: joined, bullet: true } : { kind: 'paragraph', text: joined });
    paragraph = [];
    paragraphIsBullet = false;
  };

  const lines = body.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const fence = FENCE.exec(line);
    if (fence?.[1] !== undefined) {
      flush();
      const marker = fence[1];
      const code: string[] = [];
      for (i += 1; i < lines.length; i += 1) {
        const codeLine = lines[i] ?? '';
        if (codeLine.trim().startsWith(marker)) break;
        code.push(codeLine.trimEnd());
      }
      blocks.push(...readCodeBlock(code));
      continue;
    }
    if (line.trim().length === 0) {
      flush();
      continue;
    }
    if (/^\s*<!--.*-->\s*$/.test(line) || REFERENCE_DEFINITION.test(line)) continue;
    const heading = ATX_HEADING.exec(line);
    if (heading?.[1] !== undefined) {
      flush();
      const headingText = stripInlineMarkdown(heading[2] ?? '');
      if (headingText.length > 0) blocks.push({ kind: 'heading', text: headingText, level: heading[1].length });
      continue;
    }
    const underline = SETEXT_UNDERLINE.exec(line);
    if (underline?.[1] !== undefined && paragraph.length > 0 && !paragraphIsBullet) {
      const headingText = stripInlineMarkdown(paragraph.join(' '));
      paragraph = [];
      if (headingText.length > 0) blocks.push({ kind: 'heading', text: headingText, level: underline[1].startsWith('=') ? 1 : 2 });
      continue;
    }
    if (THEMATIC_BREAK.test(line)) {
      flush();
      continue;
    }
    if (startsPipeTable(line, lines[i + 1])) {
      flush();
      const length = measurePipeTable(lines, i);
      const table = readPipeTable(lines.slice(i, i + length), stripInlineMarkdown);
      if (table !== undefined) blocks.push(createTableBlock(table));
      i += length - 1;
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item?.[1] !== undefined) {
      flush();
      paragraph.push(item[1]);
      paragraphIsBullet = true;
      continue;
    }
    paragraph.push(line.replace(/^\s{0,3}(?:>\s?)+/, ''));
  }
  flush();

  if (hints.title === undefined) {
    const firstHeading = blocks.find((block) => block.kind === 'heading' && block.level === 1);
    if (firstHeading !== undefined) hints.title = firstHeading.text;
  }
  return { blocks, hints, warnings };
}
