import { cellFor, periodCells, periodMatches, stem, stemWords, type RowMatch } from '../../cells/find-cells.ts';
import { rowName, type Cell, type CellPeriod } from '../../cells/types.ts';

/**
 * Which column of a row a question means when no period (or more than one column of a period)
 * does (pure): the column its words name ("balance at end of period", "as reported", "the current
 * and the total"), never one its line items' own words name, and never a column of dates.
 */
/** Grammar words that name no column. */
const COLUMN_GRAMMAR = new Set(['of', 'the', 'a', 'an', 'at', 'in', 'on', 'for', 'to', 'and', 'or', 'as', 'by', 'from', 'with']);

/** The question's words that the rows' own names do not use up: they may name the column. */
export function columnWordsBeside(words: string[], rows: Cell[][]): string[] {
  const used = new Set(rows.flatMap((row) => stemWords(rowName(row[0]!))));
  return words.filter((word) => !used.has(stem(word)));
}

/** A row that already adds up the rows above it. */
export const TOTAL_ROW = /(?:^|›\s*)(?:sub-?)?totals?\b/i;

/** A figure, not a date: cells of a column headed as years or dates ("Last Fiscal Year of Expiration") are left out. */
export function isAmount(cell: Cell): boolean {
  return !/\b(?:years?|dates?|expir\w*)\b/i.test(cell.column);
}

/**
 * A row's cell for a two-item computation: in the period asked (or the one both rows share), in
 * the column the question's words name when several columns hold that period; a row without
 * periods gives the column named, or its first figure.
 */
export function cellIn(row: Cell[], period: CellPeriod | undefined, words: string[]): Cell | undefined {
  const candidates = period ? row.filter((cell) => cell.value !== undefined && periodMatches(cell.period, period)) : row;
  const named = namedColumn(candidates, words, true);
  if (named) return named;
  if (period) return cellFor(row, period);
  return periodCells(row)[0] ?? row.find((cell) => cell.value !== undefined);
}

/** A column's header in words, without the currency and scale marks tables print in it ("Current $'000" → "Current"). */
export function columnLabel(cell: Cell): string {
  const words = cell.column.split(/\s+/).filter((token) => /[A-Za-z]{2,}/.test(token) && !/^[$€£¥(]/.test(token));
  return words.join(' ') || cell.column;
}

/** The cells of two columns of one row that two phrases name ("the current and the total"), in the period asked. */
export function columnPair(
  row: RowMatch | undefined,
  phrases: [string, string],
  period: CellPeriod | undefined,
  minimumScore: number,
): [Cell, Cell] | undefined {
  if (!row || row.score < minimumScore) return undefined;
  const candidates = row.cells.filter((cell) => cell.value !== undefined && (!period || periodMatches(cell.period, period)));
  const [a, b] = phrases.map((phrase) => namedColumn(candidates, stemWords(phrase), true, true));
  return a && b && a !== b ? [a, b] : undefined;
}

/**
 * The cell whose column the words name best: most words shared, then fewest other words
 * ("USD denominated" over "Non-USD denominated" for "USD"). `whole` asks every word to be there.
 */
export function namedColumn(row: Cell[], words: string[], precise = false, whole = false): Cell | undefined {
  if (!precise) return namedColumnByOverlap(row, words);
  // Every word of a column's header counts ("Balance at End of Period"), the question's filler words included.
  const headerWords = (cell: Cell) =>
    new Set(
      (cell.column.toLowerCase().match(/[a-z][a-z&'-]*/g) ?? []).filter((word) => !COLUMN_GRAMMAR.has(word)).map((word) => stem(word.replace(/'s$/, ''))),
    );
  const headers = [...new Map(row.filter((cell) => cell.value !== undefined).map((cell) => [cell.column, headerWords(cell)])).values()];
  // A word most of the columns share ("financial assets" over "Fixed rate financial assets" and
  // "Floating rate financial assets") names none of them.
  const shared = (word: string) => {
    const holding = headers.filter((header) => header.has(word)).length;
    return holding > 1 && holding > headers.length / 2;
  };
  const asked = new Set(words.map(stem).filter((word) => !/^\d+$/.test(word) && (whole || !shared(word))));
  if (asked.size === 0) return undefined;
  let best: { cell: Cell; overlap: number; extra: number } | undefined;
  for (const cell of row) {
    if (cell.value === undefined) continue;
    const columnWords = headerWords(cell);
    const overlap = [...asked].filter((word) => columnWords.has(word)).length;
    if (overlap === 0 || (whole && overlap < asked.size)) continue;
    const extra = columnWords.size - overlap;
    if (!best || overlap > best.overlap || (overlap === best.overlap && extra < best.extra)) best = { cell, overlap, extra };
  }
  return best?.cell;
}

function namedColumnByOverlap(row: Cell[], words: string[]): Cell | undefined {
  const asked = new Set(words.map(stem));
  let best: { cell: Cell; overlap: number } | undefined;
  for (const cell of row) {
    if (cell.value === undefined) continue;
    const overlap = stemWords(cell.column).filter((word) => asked.has(word) && !/^\d+$/.test(word)).length;
    if (overlap > 0 && (!best || overlap > best.overlap)) best = { cell, overlap };
  }
  return best?.cell;
}
