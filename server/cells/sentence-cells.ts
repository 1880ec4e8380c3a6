import { splitSentences } from '../../ingest/sentences.ts';
import { readPeriod } from './periods.ts';
import type { Cell } from './types.ts';

/**
 * Figures a sentence pairs with periods, as cells (pure): reports write "were $3,800 and $6,690
 * for 2019 and 2018, respectively" or "increased to $34.4 million in 2019 from $26.2 million in
 * 2018". When a sentence names as many distinct years as it states amounts, the n-th amount
 * belongs to the n-th year for "respectively" sentences, and to the year written right after it
 * otherwise. The sentence (up to its first figure) is the row label, so lookup matches its words.
 */
const AMOUNT = /([-−(])?\s*([$€£¥])?\s*((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(%|percent\b|million\b|billion\b|thousand\b|bn\b|m\b)?/gi;
const YEAR = /\b(?:FY\s*|fiscal(?: year)?\s+)?((?:19[5-9]|20\d)\d)\b/gi;

export function sentenceCells(text: string, passageId: string): Cell[] {
  const cells: Cell[] = [];
  let sentenceIndex = 0;
  for (const sentence of splitSentences(text)) {
    sentenceIndex += 1;
    if (sentence.includes('|')) continue;
    const years = [...sentence.matchAll(YEAR)].map((match) => ({ year: Number(match[1]), index: match.index ?? 0, end: (match.index ?? 0) + match[0].length }));
    const distinct = [...new Set(years.map((entry) => entry.year))];
    if (distinct.length < 2) continue;
    const amounts = [...sentence.matchAll(AMOUNT)]
      .filter((match) => {
        const digits = match[3]!.replace(/,/g, '');
        const index = match.index ?? 0;
        const isYear =
          years.some((entry) => index + match[0].indexOf(match[3]!) >= entry.index && index < entry.end) ||
          (/^(?:19|20)\d{2}$/.test(digits) && !match[2] && !match[4]);
        // Amounts carry a currency sign, a unit, decimals or thousands separators; a bare small integer is a count or a date.
        return !isYear && Boolean(match[2] || match[4] || /[.,]/.test(match[3]!));
      })
      .map((match) => ({ match, index: match.index ?? 0 }));
    if (amounts.length !== distinct.length) continue;
    const respectively = /\brespectively\b/i.test(sentence);
    const firstFigure = amounts[0]!.index;
    const label = sentence.slice(0, firstFigure).replace(/\s+/g, ' ').trim();
    if (label.split(/\s+/).length < 2) continue;
    // The words after the first figure name it too ("… $60.3 million due on government contracts").
    const context = sentence.slice(firstFigure).replace(AMOUNT, ' ').replace(YEAR, ' ').replace(/\s+/g, ' ').trim();
    amounts.forEach(({ match, index }, position) => {
      const year = respectively ? distinct[position]! : (years.find((entry) => entry.index > index)?.year ?? distinct[position]!);
      const unitWord = match[4]?.toLowerCase();
      const scaleWord =
        unitWord === 'million' || unitWord === 'm'
          ? 'million'
          : unitWord === 'billion' || unitWord === 'bn'
            ? 'billion'
            : unitWord === 'thousand'
              ? 'thousand'
              : undefined;
      const value = Number(match[3]!.replace(/,/g, '')) * (match[1] ? -1 : 1);
      cells.push({
        passageId,
        rowIndex: -sentenceIndex,
        columnIndex: position,
        label,
        path: [],
        ...(context ? { context } : {}),
        column: String(year),
        period: readPeriod(String(year))!,
        text: match[0].trim(),
        value,
        ...(unitWord === '%' || unitWord === 'percent' ? { unit: '%' } : match[2] ? { unit: match[2] } : {}),
        scale: scaleWord === 'million' ? 1e6 : scaleWord === 'billion' ? 1e9 : scaleWord === 'thousand' ? 1e3 : 1,
        ...(scaleWord ? { scaleWord } : {}),
      });
    });
  }
  // Cells from a sentence keep its figure text as printed; the scale word is already in `text`.
  return cells.map((cell) => (cell.scaleWord ? { ...cell, text: cell.text.replace(/\s*(?:million|billion|thousand|bn|m)$/i, '') } : cell));
}
