import { splitSentences } from '../../../ingest/sentences.ts';
import { readPeriod } from '../../cells/periods.ts';
import type { Cell } from '../../cells/types.ts';

/**
 * A count of units a sentence states ("we employed approximately 1,027 people", "a reduction of
 * 1,027 employees in 2018"), as a cell (pure): the divisor of "the cost per employee" when the
 * table prints the amount and the prose the count. The count's noun must be the unit asked (its
 * plural or singular), at most two words after the figure ("1,027 full-time employees"); the
 * sentence's one year, when it names one, is the count's period.
 */
const YEAR = /\b(?:19[5-9]\d|20\d{2})\b/g;

export function proseCounts(text: string, passageId: string, unit: string): Cell[] {
  const noun = unit
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .at(-1)!
    .replace(/(?:es|s)$/, '');
  if (noun.length < 3) return [];
  const pattern = new RegExp(`(?<![\\d.,$€£¥])(\\d{1,3}(?:,\\d{3})+|\\d+)(?![\\d.,%])\\s+(?:[a-z-]+\\s+){0,2}?${noun}(?:e?s)?\\b`, 'gi');
  const cells: Cell[] = [];
  let sentenceIndex = 0;
  for (const sentence of splitSentences(text)) {
    sentenceIndex += 1;
    const years = [...new Set(sentence.match(YEAR) ?? [])];
    for (const match of sentence.matchAll(pattern)) {
      const digits = match[1]!.replace(/,/g, '');
      if (/^(?:19|20)\d{2}$/.test(digits) && !match[1]!.includes(',')) continue;
      const period = years.length === 1 ? readPeriod(years[0]!) : undefined;
      cells.push({
        passageId,
        rowIndex: -(sentenceIndex * 100 + 99),
        columnIndex: cells.length,
        label: `number of ${unit}s`,
        path: [],
        context: sentence,
        column: period ? years[0]! : '',
        ...(period ? { period } : {}),
        text: match[1]!,
        value: Number(digits),
        scale: 1,
      });
    }
  }
  return cells;
}
