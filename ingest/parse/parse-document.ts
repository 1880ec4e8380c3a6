/**
 * One input document (bytes from a file or a string from the HTTP API) into clean articles.
 * Pure and total: every input, however broken, ends as `ok`, `empty` or `failed` with a reason.
 */
import type { ParsedArticle } from '../../kb/types.ts';
import type { ErrorCode } from '../../lib/errors.ts';
import { createTableBlock, type Block, type MetadataDefaults, type MetadataHints } from './blocks.ts';
import { buildArticle, type BuildResult } from './build-article.ts';
import { DEFAULT_MAX_BYTES, decodeContent } from './decode.ts';
import { readHtmlDocument } from './parse-html.ts';
import { jsonArticleTables, jsonArticleText, readJsonArticles, type JsonArticle } from './parse-json.ts';
import { readMarkdownDocument } from './parse-markdown.ts';
import { readTextBlocks } from './parse-text.ts';

export type DocumentFormat = 'html' | 'markdown' | 'text' | 'json';

export interface ParseInput {
  /** Raw bytes from a file, or a string from the HTTP API. */
  content: Uint8Array | string;
  /** Picks the format by extension (.html .htm .md .markdown .txt .json). */
  filename?: string;
  /** Wins over the extension; without either the format is sniffed from the content. */
  format?: DocumentFormat;
  /** Caller-provided metadata; wins over extracted metadata where given. */
  defaults?: MetadataDefaults;
  /** Default 8 MiB; larger input fails with a reason naming size and limit. */
  maxBytes?: number;
}

export type ParseOutcome =
  | { status: 'ok'; articles: ParsedArticle[]; warnings: string[] }
  | { status: 'empty'; reason: string }
  /** `code` when the failure has a more precise HTTP meaning than a bad request (413, 422). */
  | { status: 'failed'; reason: string; code?: ErrorCode };

const EXTENSION_FORMATS: Readonly<Record<string, DocumentFormat>> = {
  html: 'html',
  htm: 'html',
  xhtml: 'html',
  md: 'markdown',
  markdown: 'markdown',
  txt: 'text',
  text: 'text',
  json: 'json',
};

export function formatFromFilename(filename: string | undefined): DocumentFormat | undefined {
  const extension = /\.([A-Za-z0-9]+)$/.exec(filename ?? '')?.[1]?.toLowerCase();
  return extension === undefined ? undefined : EXTENSION_FORMATS[extension];
}

/** Guess the format from the text itself; plain text when nothing marks it. */
export function sniffFormat(text: string): DocumentFormat {
  const head = text.slice(0, 4096).trimStart();
  if (/^[[{]/.test(head)) {
    try {
      JSON.parse(text);
      return 'json';
    } catch {
      // Not JSON after all; fall through.
    }
  }
  if (/^<(?:!doctype\s+html|html|head|body|article|main|div|section|p|meta|title|h[1-6])[\s>]/i.test(head)) return 'html';
  if (/^</.test(head) && /<\/(?:p|div|html|body|article|h[1-6])>/i.test(head)) return 'html';
  if (/^---\r?\n/.test(head) || /^#{1,6}\s+\S/m.test(head) || /^\s{0,3}(?:```|~~~)/m.test(head) || /\]\((?:https?:|\/|#)/.test(head)) {
    return 'markdown';
  }
  return 'text';
}

function cleanDefaults(defaults: MetadataDefaults | undefined): MetadataDefaults {
  const cleaned: MetadataDefaults = {};
  if (defaults === undefined) return cleaned;
  for (const key of ['title', 'url', 'source', 'published'] as const) {
    const value = defaults[key]?.trim();
    if (value !== undefined && value.length > 0) cleaned[key] = value;
  }
  if (defaults.tags !== undefined) cleaned.tags = defaults.tags;
  return cleaned;
}

function buildFromFormat(
  format: Exclude<DocumentFormat, 'json'>,
  text: string,
  defaults: MetadataDefaults,
  extraHints: MetadataHints = {},
  extraBlocks: readonly Block[] = [],
): BuildResult {
  let blocks: Block[];
  let hints: MetadataHints = {};
  const formatWarnings: string[] = [];
  if (format === 'html') {
    const document = readHtmlDocument(text);
    blocks = document.blocks;
    hints = document.hints;
  } else if (format === 'markdown') {
    const document = readMarkdownDocument(text);
    blocks = document.blocks;
    hints = document.hints;
    formatWarnings.push(...document.warnings);
  } else {
    blocks = readTextBlocks(text);
  }
  const result = buildArticle({ blocks: [...blocks, ...extraBlocks], hints: { ...hints, ...extraHints }, defaults, repairLines: format === 'text' });
  return result.status === 'ok' ? { ...result, warnings: [...formatWarnings, ...result.warnings] } : result;
}

function jsonElementDefaults(article: JsonArticle, caller: MetadataDefaults): MetadataDefaults {
  // The element's own fields outrank what its text says; the caller's outrank both.
  return { ...cleanDefaults(article), ...caller };
}

function parseJson(text: string, defaults: MetadataDefaults): ParseOutcome {
  const read = readJsonArticles(text);
  if (!read.ok) return { status: 'failed', reason: read.reason };
  if (read.items.length === 0) return { status: 'empty', reason: 'the JSON array holds no articles' };

  const articles: ParsedArticle[] = [];
  const warnings: string[] = [];
  const problems: string[] = [];
  const empties: string[] = [];
  for (const item of read.items) {
    const label = read.isArray ? `item ${item.index}: ` : '';
    if (item.article === undefined) {
      problems.push(`${label}${item.problem ?? 'invalid article'}`);
      continue;
    }
    const { html, tickers } = item.article;
    const hints: MetadataHints = tickers === undefined ? {} : { tickers };
    const { tables, unreadable } = jsonArticleTables(item.article);
    if (unreadable > 0) warnings.push(`${label}skipped ${unreadable} table value(s) in no shape of rows, records or {columns, rows}`);
    const tableBlocks = tables.map(createTableBlock);
    const result =
      html !== undefined
        ? buildFromFormat('html', html, jsonElementDefaults(item.article, defaults), hints, tableBlocks)
        : buildFromFormat('text', jsonArticleText(item.article), jsonElementDefaults(item.article, defaults), hints, tableBlocks);
    if (result.status === 'ok') {
      articles.push(result.article);
      warnings.push(...result.warnings.map((warning) => `${label}${warning}`));
    } else {
      empties.push(`${label}${result.reason}`);
    }
  }

  if (articles.length === 0) {
    if (problems.length > 0) {
      const prefix = read.isArray ? 'no valid article in the JSON array: ' : 'invalid JSON article: ';
      return { status: 'failed', reason: prefix + [...problems, ...empties].join('; ') };
    }
    return { status: 'empty', reason: empties.join('; ') };
  }
  warnings.push(...problems.map((problem) => `skipped ${problem}`), ...empties.map((empty) => `skipped ${empty}`));
  return { status: 'ok', articles, warnings };
}

function parseOrThrow(input: ParseInput): ParseOutcome {
  const maxBytes = input.maxBytes !== undefined && input.maxBytes > 0 ? input.maxBytes : DEFAULT_MAX_BYTES;
  const decoded = decodeContent(input.content, maxBytes);
  if (!decoded.ok) return { status: decoded.status, reason: decoded.reason };

  const format = input.format ?? formatFromFilename(input.filename) ?? sniffFormat(decoded.text);
  const defaults = cleanDefaults(input.defaults);
  if (format === 'json') {
    const outcome = parseJson(decoded.text, defaults);
    return outcome.status === 'ok' ? { ...outcome, warnings: [...decoded.warnings, ...outcome.warnings] } : outcome;
  }
  const result = buildFromFormat(format, decoded.text, defaults);
  if (result.status === 'empty') return result;
  return { status: 'ok', articles: [result.article], warnings: [...decoded.warnings, ...result.warnings] };
}

export function parseDocument(input: ParseInput): ParseOutcome {
  try {
    return parseOrThrow(input);
  } catch (error) {
    // The parsers are written not to throw; this keeps a bug in them from taking down a batch.
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { status: 'failed', reason: `parser error: ${message}` };
  }
}
