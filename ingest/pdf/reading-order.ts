import type { Line, Run } from './layout-lines.ts';

/**
 * Reading order on a page: columns are found from gutters, vertical strips that no prose run
 * crosses while prose sits on both sides; lines that cross a gutter (titles, full-width tables)
 * cut the page into bands, and within a band each column is read top to bottom before the next.
 */
export const ORDER_DEFAULTS = {
  /** A run is prose (evidence for columns) with at least this many words. */
  proseWords: 4,
  /** A gutter may be crossed by at most this share of the prose runs (a title, a pull quote). */
  gutterCrossShare: 0.05,
  /** Narrowest gutter, in points. */
  minGutter: 6,
  /** Prose runs needed on each side of a gutter. */
  minRunsPerSide: 3,
  binWidth: 2,
};

/** A line as read: part of one column of a band (`column` from 0), or spanning the page (`column` -1). */
export interface OrderedLine extends Line {
  column: number;
  band: number;
}

function isProse(run: Run): boolean {
  return run.text.split(/\s+/).filter((word) => /\p{L}/u.test(word)).length >= ORDER_DEFAULTS.proseWords;
}

/** x positions (gutter centres) separating text columns; empty for a single-column page. */
function findGutters(lines: readonly Line[]): number[] {
  const prose = lines.flatMap((line) => line.runs.filter(isProse));
  if (prose.length < 2 * ORDER_DEFAULTS.minRunsPerSide) return [];
  const left = Math.min(...prose.map((run) => run.x0));
  const right = Math.max(...prose.map((run) => run.x1));
  const bins = new Array<number>(Math.ceil((right - left) / ORDER_DEFAULTS.binWidth) + 1).fill(0);
  for (const run of prose) {
    const first = Math.floor((run.x0 - left) / ORDER_DEFAULTS.binWidth);
    const last = Math.floor((run.x1 - left) / ORDER_DEFAULTS.binWidth);
    for (let bin = first; bin <= last && bin < bins.length; bin += 1) bins[bin]! += 1;
  }
  const allowed = Math.floor(prose.length * ORDER_DEFAULTS.gutterCrossShare);
  const gutters: number[] = [];
  let start = -1;
  for (let bin = 0; bin <= bins.length; bin += 1) {
    const open = bin < bins.length && bins[bin]! <= allowed;
    if (open && start < 0) start = bin;
    if (!open && start >= 0) {
      const x0 = left + start * ORDER_DEFAULTS.binWidth;
      const x1 = left + bin * ORDER_DEFAULTS.binWidth;
      const onLeft = prose.filter((run) => run.x1 <= x0 + ORDER_DEFAULTS.binWidth).length;
      const onRight = prose.filter((run) => run.x0 >= x1 - ORDER_DEFAULTS.binWidth).length;
      if (start > 0 && x1 - x0 >= ORDER_DEFAULTS.minGutter && onLeft >= ORDER_DEFAULTS.minRunsPerSide && onRight >= ORDER_DEFAULTS.minRunsPerSide) {
        gutters.push((x0 + x1) / 2);
      }
      start = -1;
    }
  }
  return gutters;
}

function columnOf(run: Run, gutters: readonly number[]): number {
  const centre = (run.x0 + run.x1) / 2;
  return gutters.filter((gutter) => gutter < centre).length;
}

function crossesGutter(run: Run, gutters: readonly number[]): boolean {
  return gutters.some((gutter) => run.x0 < gutter - 1 && run.x1 > gutter + 1);
}

function orderedLine(runs: Run[], y: number, size: number, column: number, band: number): OrderedLine {
  let x1 = runs[0]!.x1;
  for (const run of runs) x1 = Math.max(x1, run.x1);
  return { y, size, runs, x0: runs[0]!.x0, x1, column, band };
}

/** Lines of one page (top to bottom) in reading order. */
export function orderLines(lines: readonly Line[]): OrderedLine[] {
  const gutters = findGutters(lines);
  if (gutters.length === 0) return lines.map((line) => orderedLine(line.runs, line.y, line.size, 0, 0));
  const ordered: OrderedLine[] = [];
  let band = 0;
  // Per column of the current band, its pieces of lines, top to bottom.
  let columns: Line[][] = gutters.map(() => []).concat([[]]);
  const flush = () => {
    columns.forEach((column, index) => {
      for (const line of column) ordered.push(orderedLine(line.runs, line.y, line.size, index, band));
    });
    if (columns.some((column) => column.length > 0)) band += 1;
    columns = columns.map(() => []);
  };
  for (const line of lines) {
    if (line.runs.some((run) => crossesGutter(run, gutters))) {
      flush();
      ordered.push(orderedLine(line.runs, line.y, line.size, -1, band));
      band += 1;
      continue;
    }
    const byColumn = new Map<number, Run[]>();
    for (const run of line.runs) {
      const column = columnOf(run, gutters);
      const runs = byColumn.get(column);
      if (runs === undefined) byColumn.set(column, [run]);
      else runs.push(run);
    }
    for (const [column, runs] of byColumn) columns[column]!.push({ runs, y: line.y, size: line.size, x0: runs[0]!.x0, x1: runs.at(-1)!.x1 });
  }
  flush();
  return ordered;
}
