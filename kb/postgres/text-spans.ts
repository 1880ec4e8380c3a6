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
