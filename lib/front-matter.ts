import matter from 'gray-matter';

/**
 * Front matter (`---` YAML `---` at the top of a Markdown file) through gray-matter, shared by the
 * prompt loader and the Markdown parser. Two quirks handled here, once:
 * - gray-matter caches every parsed text forever when called without options (a leak for uploads),
 *   so an options object is always passed;
 * - YAML reads `date: 2026-01-22` as a Date; values are handed on as the ISO date the file wrote.
 */
export interface FrontMatter {
  /** Undefined when the text has no front matter block. */
  data?: Record<string, unknown>;
  body: string;
  /** Set when a block was there but is not valid YAML (the body then excludes it anyway). */
  error?: string;
}

const DELIMITER = /^---[ \t]*\r?\n/;

export function readFrontMatter(text: string): FrontMatter {
  if (!DELIMITER.test(text)) return { body: text };
  try {
    const parsed = matter(text, { excerpt: false });
    if (parsed.matter.trim().length === 0 && parsed.content === text) return { body: text };
    return { data: normalize(parsed.data) as Record<string, unknown>, body: parsed.content };
  } catch (error) {
    const end = text.search(/\r?\n---[ \t]*(?:\r?\n|$)/);
    const body = end < 0 ? text : text.slice(end).replace(/^\r?\n---[ \t]*(?:\r?\n|$)/, '');
    return { body, error: error instanceof Error ? error.message.split('\n')[0]! : 'invalid YAML' };
  }
}

function normalize(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString().slice(0, 10);
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key.toLowerCase(), normalize(entry)]));
  return value;
}
