import type { Chunk, TableData } from '../../kb/types.ts';
import { readTableCells } from './read-table.ts';
import type { Cell } from './types.ts';

/**
 * The table a passage holds: its `table` grid when ingest kept one, else a table written as text
 * lines separated by pipes ("Revenue | 1,234 | 1,100", as Markdown and plain-text documents and
 * older indexes hold them). Undefined for prose.
 */
export function passageTable(chunk: Pick<Chunk, 'text' | 'table' | 'section'>): TableData | undefined {
  if (chunk.table && chunk.table.rows.length > 0) return chunk.table;
  return tableFromText(chunk.text, chunk.section);
}

/** The cells of a passage's table (empty for prose). */
export function passageCells(chunk: Pick<Chunk, 'id' | 'text' | 'table' | 'section'>): Cell[] {
  const table = passageTable(chunk);
  return table ? readTableCells(table, chunk.id) : [];
}

/**
 * Pipe-separated lines as a grid. The block runs from the first to the last pipe line; a label line
 * without pipes inside it is a section row. Rows with fewer cells than the widest row keep their
 * label on the left and their values on the right (a text table drops leading empty cells), and a
 * header line of period labels sits over the value columns.
 */
export function tableFromText(text: string, caption?: string): TableData | undefined {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const isRow = (line: string) =>
    line.split('|').length >= 3 || /^\|.*\|$/.test(line) || (line.includes('|') && line.split('|').length >= 2 && /\d/.test(line));
  const first = lines.findIndex(isRow);
  if (first < 0) return undefined;
  let last = lines.length - 1;
  while (last > first && !isRow(lines[last]!)) last--;
  const block = lines.slice(first, last + 1).filter((line) => !/^\|?\s*:?-{3,}/.test(line));
  // A prose sentence inside the block ends it: tables hold labels and figures, not paragraphs.
  const rows: string[][] = [];
  for (const line of block) {
    if (!line.includes('|') && (line.split(/\s+/).length > 12 || /[.!?]$/.test(line))) break;
    rows.push(
      line
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((cell) => cell.trim()),
    );
  }
  if (rows.filter((row) => row.length >= 2).length < 2) return undefined;
  const width = Math.max(...rows.map((row) => row.length));
  const aligned = rows.map((row) => {
    if (row.length === width) return row;
    if (row.length === 1) return [row[0]!, ...Array<string>(width - 1).fill('')];
    const labelled = /[A-Za-z]{2,}/.test(row[0]!) && !/^(?:19|20)\d{2}\b/.test(row[0]!);
    return labelled ? [row[0]!, ...Array<string>(width - row.length).fill(''), ...row.slice(1)] : [...Array<string>(width - row.length).fill(''), ...row];
  });
  const titled = caption && caption.length <= 200 ? { caption } : {};
  return { ...titled, headerRows: 0, rows: aligned };
}
