/**
 * Finding figures in text and deciding whether a source holds them. Pure.
 *
 * A figure is a number that states a quantity: 2,698.17, 7.53%, $186.93, 18x, 3.5. Not figures:
 * citation markers, years, calendar dates, index names that contain digits (Russell 2000,
 * S&P 500), quarter labels (Q4), list numbering, and bare integers below 10.
 */

export interface Figure {
  text: string;
  value: number;
  decimals: number;
}

const MONTHS = 'January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec';

const MASKS: RegExp[] = [
  /\[\d+\]/g,
  /\b\d{4}-\d{2}-\d{2}\b/g,
  new RegExp(`\\b(?:${MONTHS})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?(?!\\d)(?:,?\\s+\\d{4})?`, 'gi'),
  new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(?:${MONTHS})\\b(?:,?\\s+\\d{4})?`, 'gi'),
  /(?:\d{4}年)?\d{1,2}月\d{1,2}[日号]|\d{4}年/g,
  /\b(?:Russell|罗素)\s*(?:1000|2000|3000)\b|罗素\s*2000/gi,
  /\bS&P\s*(?:SmallCap\s*|Small\s*Cap\s*|MidCap\s*)?(?:500|400|600|1500)\b|标普\s*500/gi,
  /\bNasdaq[- ]100\b|\bSmall\s*Cap\s*600\b|\bTop\s*200\b|\bDow\s*30\b/gi,
  /\bQ[1-4]\b|\bH[12]\b/g,
  /^\s*(?:\d+[.)]|[-*+])\s+/gm,
  /\b(?:19|20)\d{2}s?\b(?!\s*(?:%|x\b|times|points|pts|bp))/g,
];

const NUMBER = /[-+−]?\$?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*(?:%|percent|x\b|bp\b|basis points)?/gi;

export function maskNonFigures(text: string): string {
  let masked = text;
  for (const pattern of MASKS) masked = masked.replace(pattern, (match) => ' '.repeat(match.length));
  return masked;
}

export function extractFigures(text: string): Figure[] {
  const figures: Figure[] = [];
  for (const match of maskNonFigures(text).matchAll(NUMBER)) {
    const raw = match[0].trim();
    const digits = raw.replace(/[^\d.]/g, '');
    if (!digits || digits === '.') continue;
    const value = Number(digits);
    if (!Number.isFinite(value)) continue;
    const decimals = digits.includes('.') ? digits.split('.')[1]!.length : 0;
    const hasUnit = /%|percent|x$|bp|basis|\$/i.test(raw);
    if (!hasUnit && decimals === 0 && value < 10) continue;
    figures.push({ text: raw, value, decimals });
  }
  return figures;
}

/** Every number a source states, in absolute value (direction is carried by words). */
export function collectNumbers(text: string): number[] {
  const numbers: number[] = [];
  for (const match of text.matchAll(/(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:e[-+]?\d+)?/gi)) {
    const value = Number(match[0].replace(/,/g, ''));
    if (Number.isFinite(value)) numbers.push(Math.abs(value));
  }
  return numbers;
}

/** Numbers inside a JSON value (tool results), at full precision. */
export function collectJsonNumbers(value: unknown, into: number[] = []): number[] {
  if (typeof value === 'number' && Number.isFinite(value)) into.push(Math.abs(value));
  else if (typeof value === 'string') into.push(...collectNumbers(value));
  else if (Array.isArray(value)) for (const item of value) collectJsonNumbers(item, into);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) collectJsonNumbers(item, into);
  return into;
}

/**
 * A figure is held by a source when the source has the same number, or one that rounds to it at
 * the figure's precision (a source's 7.53 grounds "7.5%"; its 72.22 grounds "72%").
 */
export function isFigureHeld(figure: Figure, sourceNumbers: number[]): boolean {
  const scale = 10 ** figure.decimals;
  const target = Math.round(figure.value * scale);
  return sourceNumbers.some((number) => Math.abs(number - figure.value) < 1e-9 || Math.round(number * scale + 1e-9) === target);
}
