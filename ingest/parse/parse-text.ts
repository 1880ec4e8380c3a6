/** Plain text (often a web page copied or saved as text) into line blocks and tables. */
import { findAlignedTables } from '../tables/aligned-text.ts';
import { collapseWhitespace, createTableBlock, type Block } from './blocks.ts';

const BULLET = /^[•●▪◦‣∙·*–-]\s+(\S.*)$/u;

/**
 * One `line` block per non-blank line, list markers removed and remembered; runs of lines whose
 * columns are aligned with spaces become one table block (read before spaces are collapsed).
 */
export function readTextBlocks(text: string): Block[] {
  const lines = text.split(/\r\n|\r|\n|\u2028|\u2029/u);
  const tables = new Map(findAlignedTables(lines).map((table) => [table.start, table]));
  const blocks: Block[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const table = tables.get(index);
    if (table !== undefined) {
      blocks.push(createTableBlock(table.table));
      index = table.end - 1;
      continue;
    }
    const line = collapseWhitespace(lines[index] ?? '');
    if (line.length === 0) continue;
    const bullet = BULLET.exec(line);
    if (bullet?.[1] !== undefined) blocks.push({ kind: 'line', text: bullet[1], bullet: true });
    else blocks.push({ kind: 'line', text: line });
  }
  return blocks;
}
