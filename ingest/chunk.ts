import type { ParsedArticle, TableData } from '../kb/types.ts';
import { splitSentencesRaw } from './sentences.ts';
import { splitTableIntoPassages } from './tables/table-passages.ts';

export { splitSentences } from './sentences.ts';

/**
 * Cuts an article into passages, the unit of retrieval. Pure.
 *
 * - A passage never spans two sections and carries its section heading (provenance, and a heading
 *   often names what the passage is about).
 * - Whole sentences are packed up to `targetTokens`; a passage may grow past the target (never past
 *   `maxTokens`) only while it is still shorter than `minTokens`.
 * - Consecutive passages of a section share their boundary sentence(s) (`overlapSentences`) so a
 *   fact stated across the boundary is retrievable from either side; the overlap is dropped when it
 *   would be long (more than `OVERLAP_SHARE` of the target) or push a passage past the maximum.
 * - A short tail (< `minTokens` of new text) joins the previous passage of its section.
 * - A sentence longer than `maxTokens` (or unpunctuated CJK text) is split at clause punctuation,
 *   then cut hard at word or character boundaries.
 * - Each table of a section becomes table passages after the section's text (see
 *   tables/table-passages.ts): caption and header rows on every passage, body rows by row group up
 *   to `tableTargetTokens` (larger than a text passage: a table's rows answer together).
 * - A paged section's page travels to every passage cut from it.
 */
export const CHUNK_DEFAULTS = { targetTokens: 220, maxTokens: 320, overlapSentences: 1, minTokens: 40, tableTargetTokens: 360 };

export type ChunkOptions = typeof CHUNK_DEFAULTS;

export interface ChunkDraft {
  /** Position in the article, from 0. */
  ordinal: number;
  section?: string;
  /** The passage alone, verbatim. */
  text: string;
  /** A short context header (title, date, section), a newline, then the passage: what gets embedded and indexed. */
  embedText: string;
  /** 1-based page of a paged document. */
  page?: number;
  /** A table passage's rows (its header rows included). */
  table?: TableData;
}

const OVERLAP_SHARE = 0.35;

const CJK_CHARS = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]/gu;
// A number with its separators counts as one word; otherwise runs of letters/digits.
const LATIN_WORDS = /\d+(?:[.,]\d+)*|[\p{L}\p{N}]+/gu;

/** Rough LLM token count: about 1.3 tokens per Latin word, 1 per CJK character. */
export function estimateTokens(text: string): number {
  return Math.ceil(measureTenths(text) / 10);
}

// Counted in tenths of a token so that sums of pieces are exact integers (1.3 × 10 in floating
// point is 13.000000000000002, which would round a 13-token passage up to 14).
function measureTenths(text: string): number {
  let cjk = 0;
  const latin = text.replace(CJK_CHARS, () => {
    cjk += 1;
    return ' ';
  });
  const words = latin.match(LATIN_WORDS)?.length ?? 0;
  return cjk * 10 + words * 13;
}

/** A sentence (or a piece of an over-long one) with where it came from. */
interface Unit {
  /** Verbatim, with its original trailing whitespace. */
  raw: string;
  /** Tenths of a token (see measureTenths). */
  tenths: number;
  paragraph: number;
}

interface Packed {
  units: Unit[];
  /** How many leading units repeat the end of the previous passage. */
  overlap: number;
}

export function chunkArticle(article: ParsedArticle, options: Partial<ChunkOptions> = {}): ChunkDraft[] {
  const settings = resolveOptions(options);
  const drafts: ChunkDraft[] = [];
  for (const section of article.sections) {
    const heading = section.heading?.trim() || undefined;
    const add = (text: string, table?: TableData): void => {
      const draft: ChunkDraft = { ordinal: drafts.length, text, embedText: buildEmbedText(article, heading, text) };
      if (heading !== undefined) draft.section = heading;
      if (section.page !== undefined) draft.page = section.page;
      if (table !== undefined) draft.table = table;
      drafts.push(draft);
    };
    const units = splitSectionIntoUnits(section.paragraphs, settings);
    for (const packed of packUnits(units, settings)) {
      const text = renderUnits(packed.units);
      if (text !== '') add(text);
    }
    for (const table of section.tables ?? []) {
      for (const passage of splitTableIntoPassages(table, { targetTokens: settings.tableTargetTokens, measure: estimateTokens })) {
        if (passage.text !== '') add(passage.text, passage.table);
      }
    }
  }
  return drafts;
}

function resolveOptions(options: Partial<ChunkOptions>): ChunkOptions {
  const settings = { ...CHUNK_DEFAULTS, ...options };
  settings.maxTokens = Math.max(settings.maxTokens, settings.targetTokens);
  settings.minTokens = Math.min(settings.minTokens, settings.targetTokens);
  settings.overlapSentences = Math.max(0, Math.floor(settings.overlapSentences));
  return settings;
}

/** The context header keeps a passage findable by what its article and section are about. */
export function buildEmbedText(article: Pick<ParsedArticle, 'title' | 'published'>, section: string | undefined, text: string): string {
  const header = [article.title.trim(), article.published, section].filter((part) => part !== undefined && part !== '');
  return `${header.join(' | ')}\n${text}`;
}

function splitSectionIntoUnits(paragraphs: string[], settings: ChunkOptions): Unit[] {
  const units: Unit[] = [];
  paragraphs.forEach((paragraph, index) => {
    const trimmed = paragraph.trim();
    if (trimmed === '') return;
    for (const sentence of splitSentencesRaw(trimmed)) {
      const tenths = measureTenths(sentence);
      const pieces = tenths > settings.maxTokens * 10 ? splitLongSentence(sentence, settings.targetTokens) : [sentence];
      for (const raw of pieces) units.push({ raw, tenths: measureTenths(raw), paragraph: index });
    }
  });
  return units;
}

// Clause boundaries: CJK clause marks always; Latin ones only before whitespace ("2,698.17" stays whole).
const CLAUSE_END = /(?<=[，；、：])|(?<=[,;:])(?=\s)/u;

/** Splits an over-long sentence into pieces of at most `limit` tokens, preferring clause boundaries. */
export function splitLongSentence(sentence: string, limit: number): string[] {
  const clauses = sentence.split(CLAUSE_END).flatMap((clause) => (measureTenths(clause) > limit * 10 ? cutHard(clause, limit) : [clause]));
  return packStrings(clauses, limit);
}

// One CJK character, or one Latin word with the whitespace after it.
const HARD_CUT_ATOMS =
  /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]\s*|[^\s\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]+\s*|\s+/gu;

/** Cuts at word boundaries (Latin) or between characters (CJK), whichever the text offers. */
function cutHard(text: string, limit: number): string[] {
  return packStrings(text.match(HARD_CUT_ATOMS) ?? [], limit);
}

function packStrings(parts: string[], limit: number): string[] {
  const pieces: string[] = [];
  let current = '';
  let currentTenths = 0;
  for (const part of parts) {
    const tenths = measureTenths(part);
    if (current !== '' && currentTenths + tenths > limit * 10) {
      pieces.push(current);
      current = '';
      currentTenths = 0;
    }
    current += part;
    currentTenths += tenths;
  }
  if (current !== '') pieces.push(current);
  return pieces;
}

function sumTenths(units: Unit[]): number {
  return units.reduce((total, unit) => total + unit.tenths, 0);
}

function packUnits(units: Unit[], settings: ChunkOptions): Packed[] {
  const target = settings.targetTokens * 10;
  const max = settings.maxTokens * 10;
  const min = settings.minTokens * 10;
  const packed: Packed[] = [];
  let current: Packed = { units: [], overlap: 0 };
  let tenths = 0;
  for (const unit of units) {
    const hasNewText = current.units.length > current.overlap;
    if (hasNewText && tenths + unit.tenths > target) {
      const canStretch = sumTenths(current.units.slice(current.overlap)) < min && tenths + unit.tenths <= max;
      if (!canStretch) {
        packed.push(current);
        const overlap = pickOverlap(current.units, unit, settings);
        current = { units: overlap, overlap: overlap.length };
        tenths = sumTenths(overlap);
      }
    }
    current.units.push(unit);
    tenths += unit.tenths;
  }
  if (current.units.length > current.overlap) packed.push(current);
  return mergeShortTail(packed, settings);
}

function pickOverlap(previous: Unit[], next: Unit, settings: ChunkOptions): Unit[] {
  const budget = Math.min(settings.targetTokens * 10 * OVERLAP_SHARE, settings.maxTokens * 10 - next.tenths);
  const overlap: Unit[] = [];
  let tenths = 0;
  for (let index = previous.length - 1; index >= 0 && overlap.length < settings.overlapSentences; index -= 1) {
    const unit = previous[index]!;
    if (tenths + unit.tenths > budget) break;
    overlap.unshift(unit);
    tenths += unit.tenths;
  }
  return overlap;
}

function mergeShortTail(packed: Packed[], settings: ChunkOptions): Packed[] {
  if (packed.length < 2) return packed;
  const last = packed.at(-1)!;
  const previous = packed.at(-2)!;
  const tail = last.units.slice(last.overlap);
  if (sumTenths(tail) >= settings.minTokens * 10) return packed;
  const mergedUnits = [...previous.units, ...tail];
  if (sumTenths(mergedUnits) > settings.maxTokens * 10) return packed;
  return [...packed.slice(0, -2), { units: mergedUnits, overlap: previous.overlap }];
}

/** Sentences of one paragraph are joined verbatim; paragraphs are separated by a blank line. */
function renderUnits(units: Unit[]): string {
  const paragraphs: string[] = [];
  let lastParagraph = -1;
  for (const unit of units) {
    if (unit.paragraph !== lastParagraph) paragraphs.push('');
    paragraphs[paragraphs.length - 1] += unit.raw;
    lastParagraph = unit.paragraph;
  }
  return paragraphs
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '')
    .join('\n\n');
}
