/**
 * Tables as text. A passage renders each body row with its column labels beside its figures
 * ("Revenue | 2019: 1,234 | 2018: 1,100"), so lexical search and embeddings see a row's label, its
 * periods and its numbers together; the article text shows the grid as a Markdown table. Pure.
 */
import type { TableData } from '../../kb/types.ts';
import { isBlankCell } from './cell-kinds.ts';

/** Distinct non-blank texts in order, a span's repeated text kept once. */
function distinctInOrder(cells: readonly string[]): string[] {
  const kept: string[] = [];
  for (const cell of cells) {
    if (isBlankCell(cell) || kept.at(-1) === cell) continue;
    kept.push(cell);
  }
  return kept;
}

/**
 * A header row with text over only one of several value columns is a title or a unit line printed
 * once over all of them ("Fiscal", "(in millions)"); it is left out of the column labels (the
 * header lines of a passage still show it) rather than pinned to the one column it happens to sit on.
 */
function isSingleTitleRow(row: readonly string[]): boolean {
  const values = row.slice(1);
  return values.length > 1 && values.filter((cell) => !isBlankCell(cell)).length === 1;
}

/** Each column's label: its header cells top to bottom ("Years ended December 31, 2019"). */
export function columnLabels(table: TableData): string[] {
  const width = table.rows[0]?.length ?? 0;
  const headers = table.rows.slice(0, table.headerRows).filter((row) => !isSingleTitleRow(row));
  return Array.from({ length: width }, (_, column) => distinctInOrder(headers.map((row) => row[column] ?? '')).join(' '));
}

/** A header row as one line, a span's repeated text once: "Fiscal | 2019 | 2018". */
export function renderHeaderLine(row: readonly string[]): string {
  return distinctInOrder(row).join(' | ');
}

/** A body row with each figure beside its column label; blank and dash cells are left out. */
export function renderBodyLine(row: readonly string[], labels: readonly string[]): string {
  if (row.length <= 1) return row[0] ?? '';
  const parts: string[] = [];
  const label = row[0] ?? '';
  if (!isBlankCell(label)) parts.push(label);
  for (let column = 1; column < row.length; column += 1) {
    const value = row[column] ?? '';
    if (isBlankCell(value)) continue;
    const columnLabel = labels[column] ?? '';
    parts.push(columnLabel === '' || columnLabel === value ? value : `${columnLabel}: ${value}`);
  }
  return parts.join(' | ');
}

/** Caption, header lines, then one line per body row: the text of a table passage. */
export function renderTableText(table: TableData): string {
  const labels = columnLabels(table);
  const lines = [
    ...(table.caption === undefined ? [] : [table.caption]),
    ...table.rows.slice(0, table.headerRows).map(renderHeaderLine),
    ...table.rows.slice(table.headerRows).map((row) => renderBodyLine(row, labels)),
  ];
  return lines.filter((line) => line !== '').join('\n');
}

function escapeMarkdownCell(cell: string): string {
  return cell.replace(/\|/g, '\\|');
}

/**
 * The grid as a GitHub-flavoured Markdown table (the caption on the line above), for the article
 * text a reader sees. Markdown has one header row, so further header rows lead the body.
 */
export function renderTableMarkdown(table: TableData): string {
  const width = table.rows[0]?.length ?? 0;
  if (width === 0) return table.caption ?? '';
  const line = (row: readonly string[]): string => `| ${row.map(escapeMarkdownCell).join(' | ')} |`;
  const [head, ...rest] = table.headerRows > 0 ? table.rows : [Array.from({ length: width }, () => ''), ...table.rows];
  const lines = [line(head ?? []), `|${' --- |'.repeat(width)}`, ...rest.map(line)];
  return [...(table.caption === undefined ? [] : [table.caption]), ...lines].join('\n');
}
