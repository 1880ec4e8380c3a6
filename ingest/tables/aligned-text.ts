/**
 * Tables printed in plain text, their columns aligned with spaces (reports saved as text, PDF text
 * layers, terminal output):
 *
 *                                   Fiscal
 *                           2019      2018      2017
 *   Automotive           $ 5,686   $ 6,092   $ 5,228
 *   Sensors                  914       918       814
 *
 * Cells are the runs of text between gaps of two or more spaces (or tabs). Value columns come from
 * the rows that carry figures: their cells' character spans, merged where they overlap, are the
 * columns; everything left of the first value column is the row label. A header cell spanning
 * several columns ("Fiscal" above three years) is repeated into each, as a span is in HTML. A run
 * of lines is a table only when at least two of them split into cells and one carries a figure,
 * so prose with a double space after a full stop stays prose. Pure.
 */
import type { TableData } from '../../kb/types.ts';
import { isDetachedSymbol, isFigureCell } from './cell-kinds.ts';
import { buildTable } from './grid.ts';

export const ALIGNED_TEXT_DEFAULTS = {
  tabWidth: 8,
  /** A cell of a value column longer than this is prose, not a table cell. */
  maxValueChars: 40,
  maxLabelChars: 100,
  /** A label-only line (a section row, a centred header) this long or shorter may sit inside a table. */
  maxLoneLineChars: 80,
};

interface Segment {
  start: number;
  end: number;
  text: string;
}

interface Line {
  segments: Segment[];
  /** Carries a figure outside its first cell. */
  data: boolean;
}

export interface AlignedTable {
  /** Index of the table's first line. */
  start: number;
  /** Index after its last line. */
  end: number;
  table: TableData;
}

function expandTabs(line: string): string {
  let out = '';
  for (const char of line) {
    if (char === '\t') {
      // A tab is always a column gap, even where it would expand to a single space.
      const width = ALIGNED_TEXT_DEFAULTS.tabWidth - (out.length % ALIGNED_TEXT_DEFAULTS.tabWidth);
      out += ' '.repeat(Math.max(width, 2));
    } else out += char;
  }
  return out;
}

/** Cells of a line: text runs between gaps of two or more spaces; a lone "$" joins the figure after it. */
export function segmentLine(raw: string): Segment[] {
  const line = expandTabs(raw).replace(/\s+$/u, '');
  const segments: Segment[] = [];
  for (const match of line.matchAll(/\S+(?: \S+)*/gu)) {
    segments.push({ start: match.index, end: match.index + match[0].length, text: match[0] });
  }
  const merged: Segment[] = [];
  for (const segment of segments) {
    const previous = merged.at(-1);
    if (previous !== undefined && isDetachedSymbol(previous.text) && /^[$€£¥₹₩]|^[A-Z]{3}$/u.test(previous.text) && /\d/u.test(segment.text)) {
      merged[merged.length - 1] = { start: previous.start, end: segment.end, text: `${previous.text} ${segment.text}` };
    } else merged.push(segment);
  }
  return merged;
}

function readLine(raw: string): Line | undefined {
  if (raw.includes('|') || raw.trim() === '') return undefined;
  const segments = segmentLine(raw);
  if (segments.length === 0) return undefined;
  const [first, ...values] = segments;
  if (values.length === 0) {
    return first !== undefined && first.text.length <= ALIGNED_TEXT_DEFAULTS.maxLoneLineChars && !/[.!?]$/u.test(first.text)
      ? { segments, data: false }
      : undefined;
  }
  if ((first?.text.length ?? 0) > ALIGNED_TEXT_DEFAULTS.maxLabelChars) return undefined;
  if (
    values.some(
      (segment) => segment.text.length > ALIGNED_TEXT_DEFAULTS.maxValueChars || (/\w[.!?]$/u.test(segment.text) && segment.text.split(' ').length > 3),
    )
  )
    return undefined;
  return { segments, data: values.some((segment) => isFigureCell(segment.text)) || (first !== undefined && isFigureCell(first.text) && first.start > 0) };
}

interface Column {
  start: number;
  end: number;
}

/** Value columns: spans of the data rows' value cells, merged where they overlap. */
function findColumns(lines: readonly Line[]): Column[] {
  const spans = lines
    .filter((line) => line.data)
    .flatMap((line) => line.segments.filter((segment, index) => index > 0 || isFigureCell(segment.text)))
    .map((segment) => ({ start: segment.start, end: segment.end }))
    .sort((a, b) => a.start - b.start);
  const columns: Column[] = [];
  for (const span of spans) {
    const last = columns.at(-1);
    if (last !== undefined && span.start < last.end) last.end = Math.max(last.end, span.end);
    else columns.push({ ...span });
  }
  return columns;
}

function overlap(segment: Segment, column: Column): number {
  return Math.min(segment.end, column.end) - Math.max(segment.start, column.start);
}

/** Lays one line's cells on the columns: [label, ...values]. Header cells spanning columns repeat. */
function placeLine(line: Line, columns: readonly Column[], isHeader: boolean, labelMargin: number): string[] {
  const row = Array.from({ length: columns.length + 1 }, () => '');
  const put = (index: number, text: string): void => {
    row[index] = row[index] === '' ? text : `${row[index]} ${text}`;
  };
  const firstColumnStart = columns[0]?.start ?? Number.POSITIVE_INFINITY;
  line.segments.forEach((segment, position) => {
    // A row label starts left of the first value column, even when a long one runs into it; a
    // header's first cell is a label only at the labels' margin (a wide column title overhangs).
    const labelStart = isHeader ? segment.start <= labelMargin + 4 : segment.start < firstColumnStart;
    const isLabel = segment.end <= firstColumnStart || (position === 0 && labelStart && !isFigureCell(segment.text));
    if (isLabel) {
      put(0, segment.text);
      return;
    }
    const overlaps = columns.map((column) => overlap(segment, column));
    const covered = overlaps.flatMap((value, index) => (value > 0 ? [index] : []));
    if (isHeader && covered.length > 1) {
      for (const index of covered) put(index + 1, segment.text);
      return;
    }
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    columns.forEach((column, index) => {
      // Overlap wins; without any, the nearest column by centre.
      const score = overlaps[index]! > 0 ? overlaps[index]! : -Math.abs((column.start + column.end) / 2 - (segment.start + segment.end) / 2) - 1_000;
      if (score > bestScore) {
        bestScore = score;
        best = index;
      }
    });
    put(best + 1, segment.text);
  });
  return row;
}

function buildAlignedTable(lines: readonly Line[]): TableData | undefined {
  const columns = findColumns(lines);
  if (columns.length === 0) return undefined;
  const firstData = lines.findIndex((line) => line.data);
  const firstColumnStart = columns[0]?.start ?? 0;
  const labelStarts = lines.flatMap((line) => (line.segments[0] !== undefined && line.segments[0].start < firstColumnStart ? [line.segments[0].start] : []));
  const labelMargin = labelStarts.length > 0 ? Math.min(...labelStarts) : 0;
  const rows = lines.map((line, index) => placeLine(line, columns, index < firstData, labelMargin));
  return buildTable({ rows });
}

/** Every aligned table in the lines, in order, as line ranges with their grids. */
export function findAlignedTables(rawLines: readonly string[]): AlignedTable[] {
  const tables: AlignedTable[] = [];
  let index = 0;
  while (index < rawLines.length) {
    const lines: Line[] = [];
    let end = index;
    while (end < rawLines.length) {
      const line = readLine(rawLines[end] ?? '');
      if (line === undefined) break;
      lines.push(line);
      end += 1;
    }
    if (lines.length === 0) {
      index += 1;
      continue;
    }
    // Trim lone lines at the edges that start at the left margin: a title or a sentence fragment
    // above, a note below. Indented lone lines above (a centred "Fiscal") are header rows.
    let first = 0;
    while (first < lines.length && lines[first]!.segments.length === 1 && lines[first]!.segments[0]!.start === 0) first += 1;
    let last = lines.length;
    while (last > first && lines[last - 1]!.segments.length === 1 && !lines[last - 1]!.data) last -= 1;
    const body = lines.slice(first, last);
    const split = body.filter((line) => line.segments.length > 1).length;
    if (split >= 2 && body.some((line) => line.data)) {
      const table = buildAlignedTable(body);
      if (table !== undefined && (table.rows[0]?.length ?? 0) >= 2) {
        tables.push({ start: index + first, end: index + last, table });
        index = end;
        continue;
      }
    }
    index = Math.max(end, index + 1);
  }
  return tables;
}
