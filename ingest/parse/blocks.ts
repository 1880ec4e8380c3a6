/**
 * The shape every format reader produces before the shared clean-up: a flat list of blocks in
 * reading order. HTML and Markdown know their headings; plain text yields `line` blocks whose role
 * (heading, paragraph, fragment of a broken sentence) is decided later.
 */
export interface Block {
  kind: 'heading' | 'paragraph' | 'line';
  text: string;
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
  return text.replace(/[\u200b-\u200d\u2060\ufeff]/gu, '').replace(/\s+/gu, ' ').trim();
}
