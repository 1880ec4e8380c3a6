/**
 * GitHub-flavoured Markdown pipe tables into grids: the rows above the `---|---` separator are the
 * declared header, cells split on unescaped pipes, empty cells kept where they stand. Pure; the
 * caller passes how a cell's inline markup is read.
 */
import type { TableData } from '../../kb/types.ts';
import { buildTable } from './grid.ts';

const SEPARATOR = /^\s*\|?\s*:?-{1,}:?\s*(?:\|\s*:?-{1,}:?\s*)*\|?\s*$/;
const PIPE_ROW = /^\s*\|.*\|\s*$/;

/** A `| --- | :---: |` line. */
export function isPipeSeparator(line: string): boolean {
  return line.includes('-') && (line.includes('|') || /^\s*:?-{3,}:?\s*$/.test(line)) && SEPARATOR.test(line);
}

/** A line that starts a pipe table: a `| a | b |` row, or any line with a pipe when a separator follows. */
export function startsPipeTable(line: string, next: string | undefined): boolean {
  if (isPipeSeparator(line)) return false;
  return PIPE_ROW.test(line) || (line.includes('|') && next !== undefined && isPipeSeparator(next) && next.includes('|'));
}

/** Cells of one row; the outer pipes are optional, `\|` is a literal pipe. */
export function splitPipeRow(line: string): string[] {
  let inner = line.trim();
  if (inner.startsWith('|')) inner = inner.slice(1);
  if (inner.endsWith('|') && !inner.endsWith('\\|')) inner = inner.slice(0, -1);
  return inner.split(/(?<!\\)\|/);
}

/** How many lines from `start` belong to the table that starts there. */
export function measurePipeTable(lines: readonly string[], start: number): number {
  let end = start;
  while (end < lines.length) {
    const line = lines[end] ?? '';
    if (line.trim() === '' || !line.includes('|')) break;
    end += 1;
  }
  return end - start;
}

/** The table of consecutive pipe-table lines, or undefined when fewer than two cells hold text. */
export function readPipeTable(lines: readonly string[], readCell: (cell: string) => string = (cell) => cell): TableData | undefined {
  const rows: string[][] = [];
  let declaredHeaderRows = 0;
  for (const line of lines) {
    if (isPipeSeparator(line)) {
      if (declaredHeaderRows === 0) declaredHeaderRows = rows.length;
      continue;
    }
    rows.push(splitPipeRow(line).map(readCell));
  }
  return buildTable({ rows, declaredHeaderRows });
}
