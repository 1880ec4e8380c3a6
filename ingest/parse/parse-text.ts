/** Plain text (often a web page copied or saved as text) into line blocks. */
import { collapseWhitespace, type Block } from './blocks.ts';

const BULLET = /^[•●▪◦‣∙·*–-]\s+(\S.*)$/u;

/** One `line` block per non-blank line; list markers are removed and remembered. */
export function readTextBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  for (const raw of text.split(/\r\n|\r|\n|\u2028|\u2029/u)) {
    const line = collapseWhitespace(raw);
    if (line.length === 0) continue;
    const bullet = BULLET.exec(line);
    if (bullet?.[1] !== undefined) blocks.push({ kind: 'line', text: bullet[1], bullet: true });
    else blocks.push({ kind: 'line', text: line });
  }
  return blocks;
}
