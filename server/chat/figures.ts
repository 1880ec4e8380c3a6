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
  /** The scale word after the number ("1.5 billion", "€3m"): the figure is `value × scale`. */
  scale?: number;
  /** Written as a percentage ("12.5%", "12.5 percent"). */
  percent?: boolean;
}

/**
 * Scale words as reports write them. A figure may round a source number stated in another scale
 * ("$1.5 billion" for a cell of 1,496.5 in a table "in millions"; "$2,500 thousand" for 2.5
 * million), so grounding compares absolute amounts at the figure's own precision.
 */
const SCALE_WORDS: Record<string, number> = {
  thousand: 1e3,
  thousands: 1e3,
  k: 1e3,
  million: 1e6,
  millions: 1e6,
  mn: 1e6,
  m: 1e6,
  billion: 1e9,
  billions: 1e9,
  bn: 1e9,
};
/** The scales a source number may be stated in (a table's "in thousands", "in millions", "in billions"). */
const SOURCE_SCALES = [1, 1e3, 1e6, 1e9];

const MONTHS = 'January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec';

const MASKS: RegExp[] = [
  /\[\d+\]/g,
  /\b\d{4}-\d{2}-\d{2}\b/g,
  new RegExp(`\\b(?:${MONTHS})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?(?!\\d)(?:,?\\s+\\d{4})?`, 'gi'),
  new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(?:${MONTHS})\\b(?:,?\\s+\\d{4})?`, 'gi'),
  /(?:\d{4}年)?\d{1,2}月\d{1,2}[日号]|\d{4}年/g,
  /\b(?:Russell|罗素)\s*(?:1000|2000|3000)\b|罗素\s*2000/gi,
  /\bS&P\s*(?:SmallCap\s*|Small[-\s]*Cap\s*|MidCap\s*|Mid[-\s]*Cap\s*)?(?:500|400|600|1500)\b|标普\s*500/gi,
  /\bNasdaq[- ]100\b|\bSmall[-\s]*Cap\s*600\b|\bTop\s*200\b|\bDow\s*30\b/gi,
  /\bQ[1-4]\b|\bH[12]\b/g,
  /^\s*(?:\d+[.)]|[-*+])\s+/gm,
  /\b(?:19|20)\d{2}s?\b(?!\s*(?:%|x\b|times|points|pts|bp))/g,
];

const NUMBER = /[-+−]?[$€£¥]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*(?:%|percent|x\b|bp\b|basis points|(?:thousands?|millions?|billions?|mn|bn|m|k)\b)?/gi;

export function maskNonFigures(text: string): string {
  let masked = text;
  for (const pattern of MASKS) masked = masked.replace(pattern, (match) => ' '.repeat(match.length));
  return masked;
}

export function extractFigures(text: string): Figure[] {
  const figures: Figure[] = [];
  for (const match of maskNonFigures(text).matchAll(NUMBER)) {
    const raw = match[0].trim();
    const digits = /(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?/.exec(raw)![0].replace(/,/g, '');
    if (!digits || digits === '.') continue;
    const value = Number(digits);
    if (!Number.isFinite(value)) continue;
    const decimals = digits.includes('.') ? digits.split('.')[1]!.length : 0;
    const word = /(thousands?|millions?|billions?|mn|bn|m|k)$/i.exec(raw)?.[1]?.toLowerCase();
    const percent = /%|percent/i.test(raw);
    const hasUnit = percent || Boolean(word) || /x$|bp|basis|[$€£¥]/i.test(raw);
    if (!hasUnit && decimals === 0 && value < 10) continue;
    figures.push({ text: raw, value, decimals, ...(word ? { scale: SCALE_WORDS[word]! } : {}), ...(percent ? { percent } : {}) });
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
  const precision = 10 ** figure.decimals;
  const target = Math.round(figure.value * precision);
  const rounds = (number: number) => Math.abs(number - figure.value) < 1e-9 || Math.round(number * precision + 1e-9) === target;
  if (sourceNumbers.some(rounds)) return true;
  // A scaled figure ("$1.5 billion") against a source number in any scale (1,496.5 in millions):
  // compared as absolute amounts, in the figure's scale and precision.
  if (figure.scale !== undefined) {
    const scale = figure.scale;
    if (sourceNumbers.some((number) => SOURCE_SCALES.some((sourceScale) => sourceScale !== scale && rounds((number * sourceScale) / scale)))) return true;
  }
  // A percentage against a fraction (12.5% for 0.125), and a fraction against a percentage.
  if (figure.percent) return sourceNumbers.some((number) => number <= 10 && rounds(number * 100));
  if (figure.scale === undefined && figure.value <= 10 && figure.decimals >= 2) return sourceNumbers.some((number) => rounds(number / 100));
  return false;
}
