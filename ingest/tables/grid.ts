/**
 * The grid logic every table reader shares (HTML, Markdown, JSON, aligned text, PDF): spans expanded
 * into the cells they cover, cell text tidied, rows padded to one width, and the columns a
 * typesetter adds (empty spacers, a "$" or "%" set in a cell of its own) folded away. Pure.
 */
import type { TableData } from '../../kb/types.ts';
import { detectHeaderRows } from './header-rows.ts';
import { isDetachedSymbol, symbolAttachesRight } from './cell-kinds.ts';

export const GRID_DEFAULTS = {
  /** A span larger than this is clamped: a hostile `colspan="100000"` must not allocate a huge grid. */
  maxSpan: 100,
  maxColumns: 200,
  maxRows: 5_000,
};

/** A cell as markup declares it, before spans are expanded. */
export interface SpanCell {
  text: string;
  rowSpan?: number;
  colSpan?: number;
}

/** Whitespace collapsed, zero-width characters removed, trimmed. */
export function tidyCell(text: string): string {
  return text
    .replace(/[\u200b-\u200d\u2060\ufeff]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

function clampSpan(span: number | undefined): number {
  if (span === undefined || !Number.isFinite(span) || span < 1) return 1;
  return Math.min(Math.floor(span), GRID_DEFAULTS.maxSpan);
}

/**
 * Lays out rows of spanning cells on a grid (the HTML table model): a cell fills the first free
 * slot of its row and repeats its text into every slot it covers, down and across.
 */
export function expandSpans(rows: readonly (readonly SpanCell[])[]): string[][] {
  const grid: (string | undefined)[][] = [];
  const rowCount = Math.min(rows.length, GRID_DEFAULTS.maxRows);
  for (let r = 0; r < rowCount; r += 1) {
    grid[r] ??= [];
    let column = 0;
    for (const cell of rows[r] ?? []) {
      const line = grid[r]!;
      while (line[column] !== undefined) column += 1;
      if (column >= GRID_DEFAULTS.maxColumns) break;
      const rowSpan = Math.min(clampSpan(cell.rowSpan), rowCount - r);
      const colSpan = Math.min(clampSpan(cell.colSpan), GRID_DEFAULTS.maxColumns - column);
      const text = tidyCell(cell.text);
      for (let dr = 0; dr < rowSpan; dr += 1) {
        const target = (grid[r + dr] ??= []);
        for (let dc = 0; dc < colSpan; dc += 1) target[column + dc] ??= text;
      }
      column += colSpan;
    }
  }
  return grid.map((row) => Array.from(row, (cell) => cell ?? ''));
}

/** Every row the same width (the widest), missing cells empty. */
export function padRows(rows: readonly (readonly string[])[]): string[][] {
  const width = rows.reduce((max, row) => Math.max(max, row.length), 0);
  return rows.map((row) => Array.from({ length: width }, (_, index) => row[index] ?? ''));
}

function columnCells(rows: readonly (readonly string[])[], column: number): string[] {
  return rows.map((row) => row[column] ?? '');
}

/**
 * Folds a column that only holds detached symbols ("$" before the figure, "%" or ")" after it)
 * into the column it belongs to, cell by cell; filings typeset them this way, under a header cell
 * spanning the symbol and the figure (so the symbol column's header repeats its neighbour's).
 */
function foldSymbolColumns(rows: string[][]): string[][] {
  let current = rows;
  for (let column = 0; column < (current[0]?.length ?? 0); column += 1) {
    const cells = columnCells(current, column);
    const symbols = cells.filter((cell) => cell !== '' && isDetachedSymbol(cell));
    if (symbols.length === 0) continue;
    const right = symbols.every(symbolAttachesRight);
    const target = right ? column + 1 : column - 1;
    if (target < 0 || target >= (current[0]?.length ?? 0)) continue;
    const foldable = current.every((row) => {
      const cell = row[column] ?? '';
      return cell === '' || isDetachedSymbol(cell) || cell === row[target];
    });
    if (!foldable) continue;
    current = current.map((row) => {
      const symbol = row[column] ?? '';
      const next = [...row];
      if (symbol !== '' && symbol !== next[target] && next[target] !== '') next[target] = right ? `${symbol}${next[target]}` : `${next[target]}${symbol}`;
      next.splice(column, 1);
      return next;
    });
    column -= 1;
  }
  return current;
}

/**
 * Drops a spacer column that holds nothing but a spanning header's repeated text: every filled
 * cell equals its neighbour's, and it is empty where the neighbour holds data.
 */
function dropSpanOnlyColumns(rows: string[][]): string[][] {
  let current = rows;
  for (let column = 0; column < (current[0]?.length ?? 0); column += 1) {
    const spanOnly = [column - 1, column + 1].some((neighbour) => {
      if (neighbour < 0 || neighbour >= (current[0]?.length ?? 0)) return false;
      const repeats = current.every((row) => row[column] === '' || row[column] === row[neighbour]);
      const emptyBesideData = current.some((row) => row[column] === '' && row[neighbour] !== '');
      return repeats && emptyBesideData;
    });
    if (!spanOnly) continue;
    current = current.map((row) => row.filter((_, index) => index !== column));
    column -= 1;
  }
  return current;
}

/** Drops rows and columns with no text at all (spacers), keeping everything else as printed. */
function dropEmpty(rows: string[][]): string[][] {
  const kept = rows.filter((row) => row.some((cell) => cell !== ''));
  const width = kept[0]?.length ?? 0;
  const used = Array.from({ length: width }, (_, column) => kept.some((row) => row[column] !== ''));
  return kept.map((row) => row.filter((_, column) => used[column]));
}

/** Tidied, padded, spacer-free rows; the canonical grid every reader returns. */
export function normalizeGrid(rows: readonly (readonly string[])[]): string[][] {
  const tidied = padRows(rows.slice(0, GRID_DEFAULTS.maxRows).map((row) => row.slice(0, GRID_DEFAULTS.maxColumns).map(tidyCell)));
  return dropSpanOnlyColumns(dropEmpty(foldSymbolColumns(dropEmpty(tidied))));
}

export interface TableInput {
  rows: readonly (readonly string[])[];
  caption?: string;
  /** Header rows the markup declares (`<thead>`, rows above a Markdown separator); detection may add more. */
  declaredHeaderRows?: number;
}

/**
 * The TableData of a grid, or undefined when nothing tabular is left (one cell, or no cells). The
 * declared header rows are kept; leading rows that look like headers are added to them.
 */
export function buildTable(input: TableInput): TableData | undefined {
  const rows = normalizeGrid(input.rows);
  const cells = rows.length * (rows[0]?.length ?? 0);
  if (cells < 2) return undefined;
  // Spacer rows among the declared header rows are dropped like any other; count the ones kept.
  const declared = input.rows.slice(0, input.declaredHeaderRows ?? 0).filter((row) => row.some((cell) => tidyCell(cell) !== '')).length;
  const headerRows = detectHeaderRows(rows, declared);
  const caption = input.caption === undefined ? '' : tidyCell(input.caption);
  return caption.length > 0 ? { caption, headerRows, rows } : { headerRows, rows };
}
