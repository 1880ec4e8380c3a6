import type { TableData } from '../../kb/types.ts';
import { isBlankCell, isPeriodCell, isFigureCell as isPrintedFigure } from '../tables/cell-kinds.ts';
import { buildTable } from '../tables/grid.ts';
import type { Line, Run } from './layout-lines.ts';

/**
 * Tables rebuilt from text positions: consecutive lines whose runs after the first hold figures
 * are body rows; their runs' x extents, merged, give the columns; up to a few lines right above
 * them that sit over the value columns are the (possibly multi-row) header, a header run spanning
 * several columns repeated into each; a short line above that is the caption.
 */
export const TABLE_DEFAULTS = {
  minBodyRows: 2,
  maxHeaderRows: 3,
  /** Rows further apart than this many line heights end the table. */
  maxRowGapEms: 2.6,
  maxCaptionChars: 120,
};

/** A value cell: a printed figure, or a dash or "n/a" standing for none (the tables module's vocabulary). */
function isFigureCell(text: string): boolean {
  return isPrintedFigure(text) || (text.trim() !== '' && isBlankCell(text));
}

/** A row with a label and figures, or figures only. */
export function isFigureRow(line: Line): boolean {
  return line.runs.length >= 2 && line.runs.slice(1).some((run) => isFigureCell(run.text));
}

export interface FoundTable {
  /** Index of the first line the table took (caption or header included). */
  start: number;
  /** Index after the last line it took. */
  end: number;
  table: TableData;
}

interface Column {
  x0: number;
  x1: number;
}

function mergeColumns(rows: readonly Line[]): Column[] {
  const spans = rows.flatMap((row) => row.runs.map((run) => ({ x0: run.x0, x1: run.x1 }))).sort((left, right) => left.x0 - right.x0);
  const columns: Column[] = [];
  for (const span of spans) {
    const last = columns.at(-1);
    if (last !== undefined && span.x0 <= last.x1 + 1) last.x1 = Math.max(last.x1, span.x1);
    else columns.push({ ...span });
  }
  return columns;
}

function overlap(run: Run, column: Column): number {
  return Math.min(run.x1, column.x1) - Math.max(run.x0, column.x0);
}

function nearestColumn(run: Run, columns: readonly Column[]): number {
  const centre = (run.x0 + run.x1) / 2;
  let best = 0;
  let bestDistance = Number.POSITIVE_INFINITY;
  columns.forEach((column, index) => {
    const distance = centre < column.x0 ? column.x0 - centre : centre > column.x1 ? centre - column.x1 : 0;
    if (distance < bestDistance) {
      best = index;
      bestDistance = distance;
    }
  });
  return best;
}

function bodyCells(row: Line, columns: readonly Column[]): string[] {
  const cells = columns.map(() => '');
  for (const run of row.runs) {
    const index = nearestColumn(run, columns);
    cells[index] = cells[index] === '' ? run.text : `${cells[index]} ${run.text}`;
  }
  return cells;
}

/** A header run covers every column it overlaps (a span is repeated into each covered cell). */
function headerCells(row: Line, columns: readonly Column[]): string[] {
  const cells = columns.map(() => '');
  for (const run of row.runs) {
    const covered = columns.flatMap((column, index) => (overlap(run, column) > 0 ? [index] : []));
    for (const index of covered.length > 0 ? covered : [nearestColumn(run, columns)]) {
      cells[index] = cells[index] === '' ? run.text : `${cells[index]} ${run.text}`;
    }
  }
  return cells;
}

function closeEnough(upper: Line, lower: Line): boolean {
  return lower.y - (upper.lastY ?? upper.y) <= TABLE_DEFAULTS.maxRowGapEms * Math.max(upper.size, lower.size);
}

function looksLikeProse(line: Line): boolean {
  return line.runs.some((run) => run.text.length > 60 || /[.!?]$/.test(run.text));
}

/** Finds the tables among a column's lines (top to bottom). */
export function findTables(lines: readonly Line[]): FoundTable[] {
  const found: FoundTable[] = [];
  let index = 0;
  let floor = 0;
  while (index < lines.length) {
    if (!isFigureRow(lines[index]!)) {
      index += 1;
      continue;
    }
    // Body: figure rows, and single-label rows (sections such as "Assets") between them.
    let end = index + 1;
    let figureRows = 1;
    while (end < lines.length && closeEnough(lines[end - 1]!, lines[end]!)) {
      const line = lines[end]!;
      if (isFigureRow(line)) figureRows += 1;
      else if (!(line.runs.length === 1 && !looksLikeProse(line) && end + 1 < lines.length && isFigureRow(lines[end + 1]!))) break;
      end += 1;
    }
    // Leading rows of period labels only ("2025  2024") are column headers, not data.
    let bodyStart = index;
    while (bodyStart < end - 1 && lines[bodyStart]!.runs.every((run) => isPeriodCell(run.text))) bodyStart += 1;
    const body = lines.slice(bodyStart, end);
    const columns = mergeColumns(lines.slice(index, end).filter(isFigureRow));
    if (figureRows - (bodyStart - index) < TABLE_DEFAULTS.minBodyRows || columns.length < 2) {
      index = end;
      continue;
    }
    const labelColumnEnd = columns[0]!.x1;
    let start = index;
    const header: Line[] = lines.slice(index, bodyStart);
    const overValues = (line: Line, below: Line) =>
      closeEnough(line, below) && !looksLikeProse(line) && (line.runs.length >= 2 || line.runs[0]!.x0 > labelColumnEnd);
    while (start > floor && header.length < TABLE_DEFAULTS.maxHeaderRows + (bodyStart - index)) {
      const above = lines[start - 1]!;
      if (overValues(above, lines[start]!)) {
        header.unshift(above);
        start -= 1;
        continue;
      }
      // A units line in the label column ("(in millions, except per share data)") between the
      // column headings and the first row belongs to the header, not the caption.
      const twoAbove = start - 2 >= floor ? lines[start - 2] : undefined;
      const unitsLine = above.runs.length === 1 && !looksLikeProse(above) && closeEnough(above, lines[start]!);
      if (!unitsLine || twoAbove === undefined || isFigureRow(twoAbove) || !overValues(twoAbove, above)) break;
      header.unshift(twoAbove, above);
      start -= 2;
    }
    let caption: string | undefined;
    const captionLine = start > floor ? lines[start - 1] : undefined;
    if (
      captionLine !== undefined &&
      captionLine.runs.length === 1 &&
      closeEnough(captionLine, lines[start]!) &&
      captionLine.runs[0]!.text.length <= TABLE_DEFAULTS.maxCaptionChars &&
      !/[.!?]$/.test(captionLine.runs[0]!.text)
    ) {
      caption = captionLine.runs[0]!.text;
      start -= 1;
    }
    const rows = [...header.map((line) => headerCells(line, columns)), ...body.map((line) => bodyCells(line, columns))];
    // The shared grid rules (ingest/tables): symbol columns folded, empty rows and columns dropped.
    const table = buildTable({ rows, ...(caption === undefined ? {} : { caption }), declaredHeaderRows: header.length });
    if (table === undefined) {
      index = end;
      continue;
    }
    found.push({ start, end, table });
    index = end;
    floor = end;
  }
  return found;
}

/** A line of figures that could not join a table keeps its layout: cells apart by their gaps. */
export function renderAlignedLine(line: Line): string {
  const ems = line.size > 0 ? line.size / 2 : 5;
  let text = '';
  let cursor = line.runs[0]?.x0 ?? 0;
  for (const [index, run] of line.runs.entries()) {
    const gap = index === 0 ? 0 : Math.max(2, Math.round((run.x0 - cursor) / ems));
    text += ' '.repeat(gap) + run.text;
    cursor = run.x1;
  }
  return text;
}
