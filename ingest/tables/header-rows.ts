/**
 * How many leading rows of a grid are column headers. Annual reports spread headers over several
 * rows ("Fiscal" / "2019 2018 2017" / "(in millions)") and put section rows ("Assets",
 * "Industrial Solutions:") right under them, so the rule is: headers are the rows before the first
 * row that carries a figure, up to the last of them with text beyond the label column (a label-only
 * row just above the data heads a row group, not the columns). Pure.
 */
import { isBlankCell, isFigureCell } from './cell-kinds.ts';

function valueCells(row: readonly string[]): readonly string[] {
  return row.length > 1 ? row.slice(1) : row;
}

/** A row that carries at least one figure outside its label column. */
export function isDataRow(row: readonly string[]): boolean {
  return valueCells(row).some(isFigureCell);
}

/** A row with a label and nothing else: it names the group of rows under it. */
export function isSectionRow(row: readonly string[]): boolean {
  return row.length > 1 && !isBlankCell(row[0] ?? '') && valueCells(row).every(isBlankCell);
}

/**
 * The number of header rows, at least `declared` (what markup says: `<thead>`, `<th>` rows, the rows
 * above a Markdown separator). A table without figures has one header row when it has two or more.
 */
export function detectHeaderRows(rows: readonly (readonly string[])[], declared = 0): number {
  const minimum = Math.max(0, Math.min(declared, rows.length));
  const firstData = rows.findIndex((row, index) => index >= minimum && isDataRow(row));
  if (firstData < 0) return Math.max(minimum, rows.length >= 2 ? 1 : 0);
  let headers = minimum;
  for (let index = minimum; index < firstData; index += 1) {
    if (!valueCells(rows[index] ?? []).every(isBlankCell)) headers = index + 1;
  }
  return headers;
}
