import { findLineItems } from '../../lib/line-items.ts';
import { QUESTION_FILLER } from '../../lib/financial-questions.ts';
import { withoutDates } from './periods.ts';
import type { Cell, CellPeriod } from './types.ts';

/**
 * Cell lookup (pure): which table rows a question's line item names, and which of their cells
 * fall in the periods it asks about. A row matches by the words it shares with the item (weighted
 * by how rare each word is in the knowledge base, light stemming), by naming the same statement
 * line item under another caption ("cost of sales" for "COGS", lib/line-items.ts), and loses a
 * little for words the item does not ask for.
 */
export const LOOKUP_DEFAULTS = {
  /** Share of a row's score from covering the item's words (the rest: the row not saying more). */
  coverageWeight: 0.75,
  /** How much a word of a row's parent sections (or a sentence's context) counts toward covering the item. */
  contextShare: 0.8,
  /** Share of the precision term from the row's own label (the rest: label and parents together). */
  labelPrecision: 0.8,
  /** A column's words must raise a row's score by more than this to pick that column. */
  qualifierGain: 0.02,
  /** Score of a row that names the same standard line item as the question. */
  synonymScore: 0.85,
  /** How much a word of the item that only the table's subject (caption, heading, text around it) names counts. */
  subjectShare: 0.5,
  /** How much an unprinted "total" of the item still counts as covered. */
  totalShare: 0.5,
  /** A row of percentages answers a question that names no percentage at this share of its score. */
  percentRowShare: 0.8,
  /** Rows scoring below this share of the best row are not candidates. */
  floorShare: 0.75,
  minScore: 0.3,
};

export type TermWeight = (term: string) => number;

/** What the question says about the figures it wants, beyond the line item's words. */
export interface RowPreference {
  /**
   * The question names no percentage, rate or margin: a row of percentages ("Percentage of total
   * net revenues", the "%" rows beside the counts they divide) is not the figure it means, though
   * its words may match as well once "percentage" is read as grammar.
   */
  amounts?: boolean;
  /** The question asks for a printed percentage ("the product percentage of revenue"): a row of amounts is not it. */
  percentages?: boolean;
  /**
   * Words that name what a passage's table is about though no row or column prints them: its
   * caption, its section heading, the text of its document around it ("Gross profit" over a table
   * whose rows are "Cloud" and "Maintenance").
   */
  subject?: (passageId: string) => ReadonlySet<string>;
}

export interface RowMatch {
  /** Cells of one row of one passage's table. */
  cells: Cell[];
  score: number;
}

/**
 * Footnote marks printed after a label or a column title: "Revenue (2)", "Total(1)", "(1,2)", "(a)",
 * superscripts, and a mark glued to the last word by PDF extraction ("costs2"). They refer to notes
 * below the table and name nothing, so a row never loses a match for carrying one.
 */
const FOOTNOTE_MARKS = /\((?:\d{1,2}|[a-z])(?:\s*[,;]\s*(?:\d{1,2}|[a-z]))*\)|[¹²³⁴⁵⁶⁷⁸⁹⁰*†‡]+/gi;
const GLUED_MARK = /\b([a-z]{4,})\d\b(?![.,]?\d)/gi;
/** Any character a mark may hold: most texts hold none, and skip both replacements. */
const MAY_HOLD_MARK = /[(\d¹²³⁴⁵⁶⁷⁸⁹⁰*†‡]/;

export function withoutFootnoteMarks(text: string): string {
  if (!MAY_HOLD_MARK.test(text)) return text;
  return text.replace(FOOTNOTE_MARKS, ' ').replace(GLUED_MARK, '$1 ');
}

/** Lower-case words with a light English suffix stripper: "receivables" ~ "receivable", "expenses" ~ "expense"; a "non-" word is one word; footnote marks are dropped. */
export function stemWords(text: string): string[] {
  return (
    (
      withoutFootnoteMarks(text)
        .toLowerCase()
        .replace(/[’‘]/g, "'")
        // "non-current", "non current" and "noncurrent" are one word, and not "current".
        .replace(/\bnon[-\s]+(?=[a-z])/g, 'non')
        .match(/[a-z0-9&]+(?:'[a-z]+)?/g) ?? []
    )
      .map((word) => word.replace(/'s$/, ''))
      .filter((word) => !QUESTION_FILLER.has(word) || word === 'total' || word === 'net')
      .map(stem)
  );
}

export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (/(?:ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('ss')) return word;
  if (word.endsWith('s')) return word.slice(0, -1);
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  return word;
}

/**
 * How well a row label names the item, in [0, 1]. `context` holds words that name the row less
 * directly (its parent section rows, a sentence's other words): they cover the item's words at a
 * discount, so "State" under "Current provision for income taxes" answers "the current provision
 * at the state level", while "Total current" under it does not answer "the total provision".
 * Words the label says that the item does not ask for cost more than unasked words of the context.
 */
export function scoreRowName(
  item: string,
  name: string,
  weight: TermWeight,
  defaults = LOOKUP_DEFAULTS,
  context = '',
  subject: ReadonlySet<string> = new Set(),
): number {
  const itemWords = [...new Set(stemWords(item))];
  // Dates a label prints ("Balance at December 31, 2019", a section "As at 31 December 2018") are
  // matched as periods, not as words the question leaves unasked.
  const nameWords = new Set(stemWords(withoutDates(name)));
  const contextWords = new Set(stemWords(withoutDates(context)));
  if (itemWords.length === 0 || (nameWords.size === 0 && contextWords.size === 0)) return 0;
  const total = itemWords.reduce((sum, word) => sum + weight(word), 0) || 1;
  // "The total X" names X's total, which a table prints as "Total X" or, when it does not split X, as "X".
  const share = (word: string) =>
    nameWords.has(word)
      ? 1
      : contextWords.has(word)
        ? defaults.contextShare
        : subject.has(word)
          ? defaults.subjectShare
          : word === 'total'
            ? defaults.totalShare
            : 0;
  const covered = itemWords.reduce((sum, word) => sum + weight(word) * share(word), 0) / total;
  const asked = (words: Set<string>) => (words.size === 0 ? 1 : [...words].filter((word) => itemWords.includes(word)).length / words.size);
  const allWords = new Set([...nameWords, ...contextWords]);
  const precise = defaults.labelPrecision * asked(nameWords.size > 0 ? nameWords : contextWords) + (1 - defaults.labelPrecision) * asked(allWords);
  let score = defaults.coverageWeight * covered + (1 - defaults.coverageWeight) * precise;
  // A standard line item printed under another caption ("Cost of sales" for "COGS") covers the words
  // the question names it with, and the rest of the question's words still have to be found.
  const askedItems = findLineItems(item);
  const printed = findLineItems(name).find(
    (entry) => askedItems.some((askedItem) => askedItem.id === entry.id) && stemWords(entry.name).length === nameWords.size,
  );
  if (printed) {
    const synonymWords = new Set(askedItems.filter((entry) => entry.id === printed.id).flatMap((entry) => stemWords(entry.name)));
    const synonymCovered = itemWords.reduce((sum, word) => sum + weight(word) * (synonymWords.has(word) ? 1 : share(word)), 0) / total;
    score = Math.max(score, defaults.synonymScore * synonymCovered);
  }
  return score;
}

/**
 * Rows of the given cells that name the item, best first. `passageWeight` lets the caller prefer
 * passages retrieval ranked higher (a value in [0, 1] added with a small weight).
 */
export function matchRows(
  cells: Cell[],
  item: string,
  weight: TermWeight,
  passageWeight: (passageId: string) => number = () => 0,
  defaults = LOOKUP_DEFAULTS,
  preference: RowPreference = {},
): RowMatch[] {
  const rows = new Map<string, Cell[]>();
  for (const cell of cells) {
    const key = `${cell.passageId}#${cell.rowIndex}`;
    const list = rows.get(key);
    if (list) list.push(cell);
    else rows.set(key, [cell]);
  }
  const scored: RowMatch[] = [];
  const itemNamesMore = stemWords(item).some((word) => word !== 'total') ? item.replace(/\btotals?\b/gi, ' ') : undefined;
  for (const rowCells of rows.values()) {
    const first = rowCells[0]!;
    // A row with no figure (dashes only, or words) answers nothing.
    if (!rowCells.some((cell) => cell.value !== undefined)) continue;
    const context = [...first.path, first.context ?? ''].join(' ');
    const subject = preference.subject?.(first.passageId);
    const named = scoreRowName(item, first.label, weight, defaults, context, subject);
    // A row must name something of the item itself: "Total" and a column's words ("USD denominated")
    // cover the item for every row under that column alike, so they never make a row the one meant.
    if (itemNamesMore && scoreRowName(itemNamesMore, first.label, weight, defaults, context) === 0) continue;
    const qualified = qualifyingColumn(rowCells, item, first.label, context, named, weight, defaults, subject);
    const kind = (preference.amounts && isPercentRow(rowCells)) || (preference.percentages && !isPercentRow(rowCells)) ? defaults.percentRowShare : 1;
    const score = (qualified?.score ?? named) * kind + 0.1 * passageWeight(first.passageId);
    if (score >= defaults.minScore) scored.push({ cells: qualified?.cells ?? rowCells, score });
  }
  scored.sort((a, b) => b.score - a.score);
  const best = scored[0]?.score ?? 0;
  return scored.filter((row) => row.score >= best * defaults.floorShare);
}

/** Every figure of the row is a percentage. */
function isPercentRow(row: Cell[]): boolean {
  const figures = row.filter((cell) => cell.value !== undefined);
  return figures.length > 0 && figures.every((cell) => cell.unit === '%');
}

/** Words by which a question asks for a percentage, a rate or a ratio rather than an amount. */
const PERCENT_WORDS = /%|\b(?:percent(?:age)?s?|proportions?|rates?|margins?|ratios?|shares? of|yields?|returns?|growth|penetration|mix|points?|bps|basis)\b/i;

/**
 * The preference a question states: amounts, unless its words name a percentage, rate or ratio;
 * a printed percentage when it asks one item's share or percentage without computing it.
 */
export function rowPreference(questionWords: string, readsPrinted = false): RowPreference {
  if (readsPrinted && /%|\bpercent(?:age)?s?\b|\bproportions?\b|\bshares? of\b/i.test(questionWords)) return { percentages: true };
  return PERCENT_WORDS.test(questionWords) ? {} : { amounts: true };
}

/**
 * A column that names what the row label leaves out ("current" and "non-current", "UK" and "Euro",
 * "USD denominated", "low price"): when the item's words are covered better by the row together
 * with one column's words (its period words aside), the row answers only in that column and the
 * columns that share its words, one per period.
 */
function qualifyingColumn(
  row: Cell[],
  item: string,
  label: string,
  context: string,
  named: number,
  weight: TermWeight,
  defaults: typeof LOOKUP_DEFAULTS,
  subject?: ReadonlySet<string>,
): { cells: Cell[]; score: number } | undefined {
  const qualifiers = new Map<string, Cell[]>();
  for (const cell of row) {
    // Only dated columns: a column of changes ("2019 vs. 2018 variance") is not the figure of a period.
    // Every dated column counts, printed or dashed: the table's columns qualify each of its rows alike.
    if (!cell.period) continue;
    // Columns titled by their period alone form a group too: the plain figure beside qualified ones
    // ("August 31, 2019" beside "Net additions (losses) August 31, 2019").
    // A maturity band's words ("Less than 1 Year") are its period, not a qualifier.
    const key = cell.period.due ? '' : qualifierWords(cell.column).join(' ');
    const list = qualifiers.get(key);
    if (list) list.push(cell);
    else qualifiers.set(key, [cell]);
  }
  // One qualifier for every column says nothing about which column is meant.
  if (qualifiers.size < 2) return undefined;
  // Nor does a word most qualifiers share ("financial assets" in "Fixed rate financial assets" and
  // "Floating rate financial assets"): only the words that set a column apart can pick it.
  const holding = new Map<string, number>();
  for (const key of qualifiers.keys()) for (const word of new Set(key.split(' ').filter(Boolean))) holding.set(word, (holding.get(word) ?? 0) + 1);
  const distinct = (key: string) => key.split(' ').filter((word) => word && !((holding.get(word) ?? 0) > 1 && (holding.get(word) ?? 0) * 2 > qualifiers.size));
  let best: { cells: Cell[]; score: number } | undefined;
  for (const [key, cells] of qualifiers) {
    const words = distinct(key).join(' ');
    if (!words || !cells.some((cell) => cell.value !== undefined)) continue;
    const score = scoreRowName(item, label, weight, defaults, `${context} ${words}`, subject);
    if (score > named + defaults.qualifierGain && (!best || score > best.score)) best = { cells, score };
  }
  return best;
}

/** A column label's words without the period it names ("USD denominated 2019" → usd, denominated). */
function qualifierWords(column: string): string[] {
  return stemWords(withoutDates(column, { daysOfYear: true })).filter((word) => !/^\d+$/.test(word) && !COLUMN_FILLER.has(word));
}

/** Words of column titles that say how a figure is measured or dated, not what it is. */
const COLUMN_FILLER = new Set(['year', 'ended', 'end', 'month', 'week', 'quarter', 'amount', 'restated', 'note', 'see', 'as', 'at', 'unaudited', 'audited']);

/** Does a cell's period answer the asked one? A year matches fiscal-year and dated columns of that year. */
export function periodMatches(cell: CellPeriod | undefined, asked: CellPeriod): boolean {
  // A roll-forward's movements happen between its balance dates: a date asked names the span it opens or closes.
  if (cell?.start && asked.end && asked.quarter === undefined && asked.half === undefined) return asked.end === cell.start || asked.end === cell.end;
  // A maturity band answers only the same band.
  if (asked.due || cell?.due) return asked.due?.from === cell?.due?.from && asked.due?.to === cell?.due?.to;
  if (!cell || cell.year === undefined || cell.year !== asked.year) return false;
  // A span of years ("2021-2022") answers only that span, and a year only a column of that year.
  if (cell.through !== asked.through) return false;
  if (asked.quarter !== undefined && cell.quarter !== asked.quarter) return false;
  if (asked.half !== undefined && cell.half !== asked.half) return false;
  if (asked.quarter === undefined && cell.quarter !== undefined) return false;
  if (asked.end && cell.end && asked.end !== cell.end) return false;
  // A month asked ("Jun-2018") picks that month's column (or its day's) among the year's.
  const month = monthOf(cell);
  if (asked.month !== undefined && month !== undefined && month !== asked.month) return false;
  if (asked.month === undefined && asked.end && month !== undefined && month !== monthOf(asked)) return false;
  return true;
}

function monthOf(period: CellPeriod): number | undefined {
  return period.month ?? (period.end ? Number(period.end.slice(5, 7)) : undefined);
}

/**
 * The cell of a row for one period: the first numeric cell whose column names it, preferring
 * amounts over percentage columns unless a percentage is wanted.
 */
export function cellFor(row: Cell[], period: CellPeriod, wantPercent = false): Cell | undefined {
  const candidates = cellsInPeriod(row, period);
  const kind = candidates.filter((cell) => (cell.unit === '%') === wantPercent);
  // Columns that split the period ("Level 1 | Level 2 | Total", "Americas | EMEA | Total"): their total, unless a column is named.
  const total = kind.length > 1 ? kind.find((cell) => TOTAL_COLUMN.test(cell.column)) : undefined;
  // A count beside its amount ("NUMBER M" and "$M" of one year): the amount, unless a column is named.
  return total ?? kind.find((cell) => cell.unit !== undefined && cell.unit !== '%') ?? kind[0] ?? candidates[0];
}

const TOTAL_COLUMN = /\btotal\b/i;

/**
 * Cells of one row for several periods (`picked`, one per period, as `cellFor` chose them), with
 * one change: where a period's figure is printed in several columns and another period's in only
 * one, the column nearest that one is taken. The periods a question compares are printed side by
 * side in one group of columns ("Customers 2019 | Net additions 2019 | Net additions 2018"):
 * taking the first 2019 column compared a balance with a movement.
 */
export function alignedColumns(row: Cell[], periods: CellPeriod[], picked: (Cell | undefined)[], wantPercent = false): (Cell | undefined)[] {
  const candidates = periods.map((period) => cellsInPeriod(row, period).filter((cell) => (cell.unit === '%') === wantPercent));
  const anchors = picked.flatMap((cell, index) => (cell && candidates[index]!.length === 1 && candidates[index]![0] === cell ? [cell.columnIndex] : []));
  if (anchors.length === 0) return picked;
  return picked.map((cell, index) => {
    const own = candidates[index]!;
    if (!cell || own.length < 2 || !own.includes(cell)) return cell;
    const distance = (candidate: Cell) => Math.min(...anchors.map((column) => Math.abs(candidate.columnIndex - column)));
    const nearest = own.reduce((best, candidate) => (distance(candidate) < distance(best) ? candidate : best), cell);
    return nearest;
  });
}

/** A row's figures in one period (several when columns split it: "Number of shares" and "Price" of 2019). */
export function cellsInPeriod(row: Cell[], period: CellPeriod): Cell[] {
  const inPeriod = row.filter((cell) => cell.value !== undefined && periodMatches(cell.period, period));
  // A date that opens one span of movements and closes the one before names the span it opens ("granted on January 1, 2017").
  const opened = inPeriod.filter((cell) => cell.period?.start === period.end);
  return opened.length > 0 ? opened : inPeriod;
}

/**
 * A row's numeric cells with a period, one per period, latest first. Maturity bands are not
 * periods of the row's history: a question that names none means the row's total, not its
 * longest band.
 */
export function periodCells(row: Cell[], wantPercent = false): Cell[] {
  const byPeriod = new Map<string, Cell>();
  for (const cell of row) {
    // Every dated column counts, printed or dashed: the table's columns qualify each of its rows alike.
    if (!cell.period || cell.period.due) continue;
    const key = `${cell.period.year}-${cell.period.through ?? ''}-${cell.period.quarter ?? ''}-${cell.period.half ?? ''}-${cell.period.month ?? ''}-${cell.period.end ?? ''}`;
    const known = byPeriod.get(key);
    if (!known || ((known.unit === '%') !== wantPercent && (cell.unit === '%') === wantPercent)) byPeriod.set(key, cell);
  }
  return [...byPeriod.values()].sort((a, b) => comparePeriods(b.period!, a.period!));
}

export function comparePeriods(a: CellPeriod, b: CellPeriod): number {
  return (
    (a.year ?? 0) - (b.year ?? 0) ||
    (a.through ?? a.year ?? 0) - (b.through ?? b.year ?? 0) ||
    (a.due?.from ?? 0) - (b.due?.from ?? 0) ||
    (a.half ?? a.quarter ?? 0) - (b.half ?? b.quarter ?? 0) ||
    (monthOf(a) ?? 0) - (monthOf(b) ?? 0) ||
    (a.end ?? '').localeCompare(b.end ?? '')
  );
}
