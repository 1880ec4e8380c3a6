import { isAscii, isUtf8 } from 'node:buffer';
import { z } from 'zod';
import type { Section } from './types.ts';

/**
 * "Text stored once": a passage or a section paragraph that is a verbatim span of its article's
 * text is stored as an offset and a length into that text instead of a second copy. Pure.
 */

/** Where a piece sits in the whole text; `undefined` when it is not a verbatim span of it. */
export interface TextSpan {
  start: number;
  length: number;
}

/**
 * Spans of `pieces` in `whole`, counted in Unicode code points, because Postgres' `substr` on UTF-8
 * text counts characters while JavaScript counts UTF-16 units (they differ on emoji and rare CJK).
 * Pieces usually come in reading order, so each search starts where the previous piece started
 * (passages overlap by a sentence), falling back to the start of the text.
 */
export function locateCodePointSpans(whole: string, pieces: string[]): (TextSpan | undefined)[] {
  let cursorUnits = 0;
  let cursorPoints = 0;
  return pieces.map((piece) => {
    if (piece.length === 0) return undefined;
    let index = whole.indexOf(piece, cursorUnits);
    if (index < 0) {
      index = whole.indexOf(piece);
      if (index < 0) return undefined;
      cursorUnits = 0;
      cursorPoints = 0;
    }
    cursorPoints += countCodePoints(whole, cursorUnits, index);
    cursorUnits = index;
    return { start: cursorPoints, length: countCodePoints(piece, 0, piece.length) };
  });
}

/** Spans of `pieces` in `whole` in UTF-16 units (for text rebuilt in JavaScript). */
export function locateSpans(whole: string, pieces: string[]): (TextSpan | undefined)[] {
  let cursor = 0;
  return pieces.map((piece) => {
    if (piece.length === 0) return undefined;
    let index = whole.indexOf(piece, cursor);
    if (index < 0) index = whole.indexOf(piece);
    if (index < 0) return undefined;
    cursor = index;
    return { start: index, length: piece.length };
  });
}

function countCodePoints(text: string, from: number, to: number): number {
  let count = 0;
  for (let index = from; index < to; index += 1) {
    const unit = text.charCodeAt(index);
    // A high surrogate followed by a low one is one code point: count the pair once.
    if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < to) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index += 1;
    }
    count += 1;
  }
  return count;
}

/**
 * The span `[start, start + length)` in UTF-16 units of the text whose UTF-8 encoding is `bytes`,
 * decoded from those bytes alone; `undefined` when the bytes are not valid UTF-8 or a span end
 * falls inside a character (inside a surrogate pair), and the caller decodes the whole text instead.
 * Why: a passage is a span of its article's text, and decoding the whole text to cut one passage
 * out was a fifth of a fresh search's allocation at 100k passages (a ~10 KB string per article
 * read) and its decoding a share of its time. A fresh string: it keeps nothing else alive.
 */
export function decodeUtf8Span(bytes: Buffer, start: number, length: number): string | undefined {
  if (start < 0 || length < 0) return undefined;
  const end = start + length;
  if (isAscii(bytes)) return end <= bytes.length ? bytes.toString('latin1', start, end) : undefined;
  if (!isUtf8(bytes)) return undefined;
  const from = utf8OffsetOf(bytes, start, 0, 0);
  if (from < 0) return undefined;
  const to = utf8OffsetOf(bytes, end, from, start);
  return to < 0 ? undefined : bytes.toString('utf8', from, to);
}

/**
 * The byte offset in valid UTF-8 `bytes` where UTF-16 unit `units` starts, walking from byte
 * `byte` at unit `unit`; -1 past the end or inside a character. A character's lead byte gives its
 * length; four-byte characters are two UTF-16 units (a surrogate pair).
 */
function utf8OffsetOf(bytes: Buffer, units: number, byte: number, unit: number): number {
  let offset = byte;
  let count = unit;
  while (count < units) {
    if (offset >= bytes.length) return -1;
    const lead = bytes[offset]!;
    if (lead < 0x80) {
      offset += 1;
      count += 1;
    } else if (lead < 0xe0) {
      offset += 2;
      count += 1;
    } else if (lead < 0xf0) {
      offset += 3;
      count += 1;
    } else {
      offset += 4;
      count += 2;
    }
  }
  return count === units ? offset : -1;
}

/** How a section is kept: its paragraphs as spans of the article text where they are one. */
const StoredSectionSchema = z.object({
  heading: z.string().optional(),
  page: z.number().int().positive().optional(),
  tables: z.array(z.unknown()).optional(),
  paragraphs: z.array(z.union([z.string(), z.object({ start: z.number().int().nonnegative(), length: z.number().int().nonnegative() })])),
});
export const StoredSectionsSchema = z.array(StoredSectionSchema);
export type StoredSections = z.infer<typeof StoredSectionsSchema>;

/** Sections with each paragraph that is a verbatim span of `text` replaced by that span (UTF-16 units). */
export function compactSections(text: string, sections: Section[]): StoredSections {
  return sections.map((section) => {
    const spans = locateSpans(text, section.paragraphs);
    return {
      ...(section.heading === undefined ? {} : { heading: section.heading }),
      ...(section.page === undefined ? {} : { page: section.page }),
      ...(section.tables === undefined ? {} : { tables: section.tables }),
      paragraphs: section.paragraphs.map((paragraph, index) => spans[index] ?? paragraph),
    };
  });
}

/** The inverse of `compactSections` (tables are left for the caller's schema to check). */
export function expandSections(text: string, sections: StoredSections): unknown[] {
  return sections.map((section) => ({
    ...section,
    paragraphs: section.paragraphs.map((paragraph) =>
      typeof paragraph === 'string' ? paragraph : text.slice(paragraph.start, paragraph.start + paragraph.length),
    ),
  }));
}
