/**
 * A table into passages: each passage holds the caption, every header row and a run of body rows,
 * so no passage is ever cut away from its header. Body rows are packed by row group (a section row
 * such as "Industrial Solutions:" with the rows under it) while they fit the budget; a group too
 * long for one passage is split by rows, its section row repeated on top of each part. Pure.
 */
import type { TableData } from '../../kb/types.ts';
import { isSectionRow } from './header-rows.ts';
import { columnLabels, renderBodyLine, renderHeaderLine, renderTableText } from './render.ts';

export interface TablePassage {
  text: string;
  /** The rows this passage holds: the header rows, then its body rows. */
  table: TableData;
}

export interface TablePassageOptions {
  /** Budget of one passage, header and caption included (they are always kept, whatever they cost). */
  targetTokens: number;
  /** Token count of a piece of text, the same measure the paragraph chunker uses. */
  measure: (text: string) => number;
}

type Row = readonly string[];

/** Body rows grouped under their section rows; rows above the first section row form a group of their own. */
function groupRows(body: readonly Row[]): Row[][] {
  const groups: Row[][] = [];
  for (const row of body) {
    if (isSectionRow(row) || groups.length === 0) groups.push([row]);
    else groups.at(-1)!.push(row);
  }
  return groups;
}

export function splitTableIntoPassages(table: TableData, options: TablePassageOptions): TablePassage[] {
  const header = table.rows.slice(0, table.headerRows);
  const body = table.rows.slice(table.headerRows);
  const labels = columnLabels(table);
  const fixedText = [table.caption ?? '', ...header.map(renderHeaderLine)].join('\n');
  // The header always travels; the body gets what is left of the budget, but never less than a
  // third of it, so a table with a huge header still moves forward a few rows at a time.
  const budget = Math.max(options.targetTokens - options.measure(fixedText), Math.ceil(options.targetTokens / 3));
  const cost = (row: Row): number => options.measure(renderBodyLine(row, labels));

  const parts: Row[][] = [];
  let current: Row[] = [];
  let used = 0;
  const close = (): void => {
    if (current.length > 0) parts.push(current);
    current = [];
    used = 0;
  };
  for (const group of groupRows(body)) {
    const groupCost = group.reduce((sum, row) => sum + cost(row), 0);
    if (used + groupCost <= budget) {
      current.push(...group);
      used += groupCost;
      continue;
    }
    close();
    if (groupCost <= budget) {
      current.push(...group);
      used = groupCost;
      continue;
    }
    // A group longer than a passage: split it by rows, repeating its section row on each part.
    const [first, ...rest] = group;
    const lead = first !== undefined && isSectionRow(first) ? first : undefined;
    const rows = lead === undefined ? group : rest;
    for (const row of rows) {
      if (current.length > 0 && used + cost(row) > budget) close();
      if (current.length === 0 && lead !== undefined) {
        current.push(lead);
        used = cost(lead);
      }
      current.push(row);
      used += cost(row);
    }
    close();
  }
  close();
  if (parts.length === 0) parts.push([]);

  return parts.map((rows) => {
    const part: TableData = {
      ...(table.caption === undefined ? {} : { caption: table.caption }),
      headerRows: table.headerRows,
      rows: [...header, ...rows].map((row) => [...row]),
    };
    return { text: renderTableText(part), table: part };
  });
}
