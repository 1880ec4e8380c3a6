import type { TableData } from '../../kb/types.ts';
import { renderTableMarkdown } from '../tables/render.ts';

/**
 * The shape every format reader produces before the shared clean-up: a flat list of blocks in
 * reading order. HTML and Markdown know their headings; plain text yields `line` blocks whose role
 * (heading, paragraph, fragment of a broken sentence) is decided later. A `table` block carries its
 * grid; its `text` is the grid as Markdown, and chrome stripping and line repair leave it alone.
 */
export interface Block {
  kind: 'heading' | 'paragraph' | 'line' | 'table';
  text: string;
  table?: TableData;
  /** Heading level from markup (1–6). */
  level?: number;
  /** A list item ("• …", "- …"); never joined to the line before it, never a heading. */
  bullet?: boolean;
}

/** Metadata a format reader found in markup (HTML meta tags, front matter, JSON fields). */
export interface MetadataHints {
  title?: string;
  published?: string;
  source?: string;
  url?: string;
  tags?: string[];
  tickers?: string[];
  /** One of the sentiment labels ingest knows (chrome-patterns.ts), already normalised. */
  sentiment?: string;
}

/** Caller-provided metadata; wins over anything extracted. */
export interface MetadataDefaults {
  title?: string;
  url?: string;
  source?: string;
  published?: string;
  tags?: string[];
}

/** Whitespace collapsed to single spaces, trimmed. */
export function collapseWhitespace(text: string): string {
  return text
    .replace(/[\u200b-\u200d\u2060\ufeff]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** A table block; its text (the grid as Markdown) is what the article text shows. */
export function createTableBlock(table: TableData): Block {
  return { kind: 'table', text: renderTableMarkdown(table), table };
}
