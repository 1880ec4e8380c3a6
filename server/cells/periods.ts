import type { CellPeriod } from './types.ts';
import { NUMBER_WORDS } from '../retrieval/period-words.ts';

/**
 * The period a column (or row) label names (pure): fiscal years ("FY2023", "Fiscal 2019"),
 * quarters ("Q2 2024", "second quarter 2019"), halves ("H1 2026"), dates ("September 30, 2019",
 * "31 December 2019") and plain years ("2019"). A label naming two different years ("2019 vs 2018",
 * "2018 to 2019") is a comparison, not a period.
 */
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
// Compiled once: lookup reads every row label through these.
const MONTH_DAY_YEAR = new RegExp(`\\b${MONTH}\\s+(\\d{1,2}),?\\s+(\\d{4})\\b`, 'i');
const DAY_MONTH_YEAR = new RegExp(`\\b(\\d{1,2})\\s+${MONTH},?\\s+(\\d{4})\\b`, 'i');
const MONTH_YEAR = new RegExp(`\\b${MONTH}(?:\\s*[-–'’/]\\s*|\\s+)(\\d{4}|\\d{2})\\b`, 'i');
const daysOf = (year: string) => new RegExp(`\\b${MONTH}\\s+\\d{1,2}${year}\\b,?|\\b\\d{1,2}\\s+${MONTH}${year}\\b`, 'gi');
/** A day of a month with its year ("December 31, 2019"); with or without it ("At 31 March"). */
const DAYS_WITH_YEAR = daysOf(',?\\s+\\d{4}');
const DAYS_ANY_YEAR = daysOf('(?:,?\\s+\\d{4})?');
const MONTHS_OF_YEAR = new RegExp(`\\b${MONTH}[-\\s]+'?(?:19|20)?\\d{2}\\b`, 'gi');
const ORDINAL_QUARTERS: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, '1st': 1, '2nd': 2, '3rd': 3, '4th': 4 };

function fullYear(digits: string): number {
  const value = Number(digits);
  return digits.length === 2 ? (value >= 70 ? 1900 + value : 2000 + value) : value;
}

function monthIndex(name: string): number {
  return MONTHS.findIndex((month) => month.startsWith(name.toLowerCase().replace('.', '').slice(0, 3)));
}

function iso(year: number, month: number, day: number): string {
  return `${year}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function readPeriod(label: string): CellPeriod | undefined {
  const text = label.replace(/\s+/g, ' ').trim();
  if (!text) return undefined;
  const years = new Set([...text.matchAll(/\b(?:19[5-9]\d|20\d{2})\b/g)].map((match) => match[0]));
  if (years.size > 1) return readYearSpan(text);

  let match = MONTH_DAY_YEAR.exec(text);
  if (match) {
    const year = Number(match[3]);
    return { label: text, year, end: iso(year, monthIndex(match[1]!), Number(match[2])) };
  }
  match = DAY_MONTH_YEAR.exec(text);
  if (match) {
    const year = Number(match[3]);
    return { label: text, year, end: iso(year, monthIndex(match[2]!), Number(match[1])) };
  }
  match = /\bQ([1-4])\s*(?:FY\s*)?'?(\d{4}|\d{2})\b/i.exec(text) ?? /\b(?:FY\s*)?'?(\d{4}|\d{2})\s*Q([1-4])\b/i.exec(text);
  if (match) {
    const [quarter, year] = /^Q/i.test(match[0]) ? [match[1]!, match[2]!] : [match[2]!, match[1]!];
    return { label: text, year: fullYear(year), quarter: Number(quarter) };
  }
  // "4Q19", "3Q 2020": the quarter first, as broker notes and earnings releases print it.
  match = /\b([1-4])Q\s*'?(\d{4}|\d{2})\b/i.exec(text);
  if (match) return { label: text, year: fullYear(match[2]!), quarter: Number(match[1]) };
  // "Jun-2018", "February 2016", "Dec 19": a month of a year, without its day.
  match = MONTH_YEAR.exec(text);
  if (match && (match[2]!.length === 4 || /[-–'’/]/.test(match[0]))) return { label: text, year: fullYear(match[2]!), month: monthIndex(match[1]!) + 1 };
  match = /\b(first|second|third|fourth|1st|2nd|3rd|4th) quarter(?: of)?(?: fiscal)?,? (\d{4})\b/i.exec(text);
  if (match) return { label: text, year: Number(match[2]), quarter: ORDINAL_QUARTERS[match[1]!.toLowerCase()]! };
  // "Fiscal 2019 First Quarter", "Q1 Fiscal 2019": a quarter or a half, and the one year the label
  // names elsewhere (a year title spanning the quarters under it).
  const part = quarterOrHalf(text);
  const year = /\b(19[5-9]\d|20\d{2})\b/.exec(text);
  if (part && year) return { label: text, year: Number(year[1]), ...part };
  match = /\bH([12])\s*'?(\d{4}|\d{2})\b/i.exec(text);
  if (match) return { label: text, year: fullYear(match[2]!), half: Number(match[1]) };
  // "FY2023", "Fiscal 2019", and the "F19" some annual reports print.
  match = /\b(?:FY|F|fiscal(?: year)?)\s*'?(\d{4}|\d{2})\b/i.exec(text);
  if (match) return { label: text, year: fullYear(match[1]!) };
  match = /\b(19[5-9]\d|20\d{2})\b/.exec(text);
  if (match) return { label: text, year: Number(match[1]) };
  const band = readMaturity(text);
  return band ? { label: band.label, due: band.due } : undefined;
}

/**
 * Maturity bands as contractual obligation, lease and liquidity tables print them (IFRS 7
 * maturity analyses, the SEC's contractual obligations table: "Less than 1 year", "1-3 years",
 * "3-5 years", "More than 5 years"; "Within one year", "Between one and five years", "Later than
 * five years"; months as fractions of a year) and as questions name them ("due in 1-3 years",
 * "due after 5 years", "in 5 years or less"). Each form yields the band in years from the balance date.
 */
const COUNT = '(\\d+(?:\\.\\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty)';
const SPAN_UNIT = '(?:(years?|yrs?\\.?|months?)(?![a-z]))';
const MATURITY_FORMS: readonly [kind: 'between' | 'upTo' | 'beyond', pattern: RegExp][] = [
  // "After one year but within five years", "later than one year and not later than five years".
  [
    'between',
    new RegExp(
      `\\b(?:after|later than|more than|over)\\s+${COUNT}\\s*${SPAN_UNIT}?\\s+(?:but|and)\\s+(?:within|not later than|not more than|no later than|less than|up to)\\s+${COUNT}\\s*${SPAN_UNIT}`,
      'i',
    ),
  ],
  // "1-3 years", "1 to 3 years", "between 1 and 3 years", "1 year to 3 years", "13-24 months".
  [
    'between',
    new RegExp(
      `(?<![\\d.,$€£¥])\\b(?:between\\s+)?${COUNT}\\s*${SPAN_UNIT}?\\s*(?:[-–—]|\\bto\\b|\\band\\b)\\s*${COUNT}\\s*${SPAN_UNIT}(?!\\s*(?:of|old|ago)\\b)`,
      'i',
    ),
  ],
  // "Less than 1 year", "within one year", "up to 12 months", "1 year or less", "< 1 year", "0-1 year" is above.
  [
    'upTo',
    new RegExp(
      `(?:\\b(?:less than|under|within|up to|not later than|no later than|not more than)\\s+|<\\s*)${COUNT}\\s*${SPAN_UNIT}(?!\\s*(?:of|old|ago)\\b)`,
      'i',
    ),
  ],
  ['upTo', new RegExp(`(?<![\\d.,$€£¥])\\b${COUNT}\\s*${SPAN_UNIT}\\s+or\\s+(?:less|below|under|fewer|sooner|earlier)\\b`, 'i')],
  // "More than 5 years", "after five years", "over 5 years", "5+ years", "5 years and beyond".
  [
    'beyond',
    new RegExp(
      `(?:\\b(?:more than|after|over|beyond|greater than|later than|in excess of|thereafter,? after)\\s+|>\\s*)${COUNT}\\s*${SPAN_UNIT}(?!\\s*(?:of|old|ago)\\b)`,
      'i',
    ),
  ],
  [
    'beyond',
    new RegExp(`(?<![\\d.,$€£¥])\\b${COUNT}\\s*(?:\\+\\s*${SPAN_UNIT}|${SPAN_UNIT}\\s+(?:and|or)\\s+(?:more|over|above|beyond|thereafter|later)\\b)`, 'i'),
  ],
];

/** Longer bands are years of the calendar ("2018 to 2019 years"), not maturities. */
const MAX_MATURITY = 50;

function countOf(word: string): number {
  return NUMBER_WORDS[word.toLowerCase()] ?? Number(word);
}

/** Years a count of a unit spans: months are twelfths of a year. */
function inYears(count: number, unit: string | undefined): number {
  return unit && /^mo/i.test(unit) ? count / 12 : count;
}

/** The maturity band a label or a question's phrase names, with where it was written; undefined for none. */
export function findMaturity(
  text: string,
  options: { question?: boolean } = {},
): { due: { from: number; to?: number }; index: number; length: number } | undefined {
  for (const [kind, pattern] of MATURITY_FORMS) {
    const match = pattern.exec(text);
    if (!match) continue;
    // A question's "over 3 years" is a stretch of time ("the growth over 3 years"), not the band a table heads "Over 3 years".
    if (options.question && kind === 'beyond' && /^over\b/i.test(match[0])) continue;
    const found = { index: match.index, length: match[0].length };
    if (kind === 'between') {
      // "1-3 years": the first count takes the second's unit when it states none.
      const [first, firstUnit, second, secondUnit] = match.slice(1) as [string, string | undefined, string, string];
      const from = inYears(countOf(first), firstUnit ?? secondUnit);
      const to = inYears(countOf(second), secondUnit);
      if (!(to > from) || to > MAX_MATURITY) continue;
      return { due: { from, to }, ...found };
    }
    const [count, unit, plusUnit] = match.slice(1) as [string, string | undefined, string | undefined];
    const years = inYears(countOf(count), unit ?? plusUnit);
    if (!(years > 0) || years > MAX_MATURITY) continue;
    return { due: kind === 'upTo' ? { from: 0, to: years } : { from: years }, ...found };
  }
  return undefined;
}

/**
 * The maturity band a column or row label names: a label that is the band and little else ("Less
 * than 1 Year", "Due in 1-3 years $m"), or a label the band closes (a column titled under a span,
 * "Payments due by period Less than 1 Year"; a row "Long-term debt due within one year"). A band
 * followed by other words ("Loans over 5 years old") is no period.
 */
function readMaturity(label: string): { due: NonNullable<CellPeriod['due']>; label: string } | undefined {
  const found = findMaturity(label);
  if (!found) return undefined;
  const after = label.slice(found.index + found.length);
  const wordsAfter = after.toLowerCase().match(/[a-z]{2,}/g) ?? [];
  if (/\d/.test(after) || !wordsAfter.every((word) => MATURITY_WORDS.has(word))) return undefined;
  return { due: found.due, label: label.slice(found.index, found.index + found.length) };
}

/** A label that is a maturity band and nothing else but due-date words ("Less than 1 year", "Due after five years"). */
export function isMaturityLabel(label: string): boolean {
  const found = findMaturity(label);
  if (!found) return false;
  const rest = `${label.slice(0, found.index)} ${label.slice(found.index + found.length)}`;
  return !/\d/.test(rest) && (rest.toLowerCase().match(/[a-z]{2,}/g) ?? []).every((word) => MATURITY_WORDS.has(word));
}

const MATURITY_WORDS = new Set(
  'due in within payable payments maturing maturity matures past overdue period periods years year and total amounts amount usd eur gbp rmb thousands millions billions thousand million billion mn bn'.split(
    ' ',
  ),
);

/** The quarter or half a label names without its year ("First Quarter", "Q3", "2nd half", "4Q"). */
export function quarterOrHalf(label: string): { quarter: number } | { half: number } | undefined {
  const quarter =
    /\b(first|second|third|fourth|1st|2nd|3rd|4th)\s+(?:fiscal\s+)?quarter\b/i.exec(label) ??
    /\b(?:Q|quarter\s+)([1-4])\b/i.exec(label) ??
    /\b([1-4])Q\b/i.exec(label);
  if (quarter) return { quarter: ORDINAL_QUARTERS[quarter[1]!.toLowerCase()] ?? Number(quarter[1]) };
  const half = /\b(first|second|1st|2nd)\s+half\b/i.exec(label) ?? /\bH([12])\b/.exec(label);
  if (half) return { half: ORDINAL_QUARTERS[half[1]!.toLowerCase()] ?? Number(half[1]) };
  return undefined;
}

/**
 * "2021-2022", "2023 – 2024", "Years 2021 to 2022": the years a maturity table's column covers (the
 * payments due in them). Two years written in order, the later one last; a label that compares two
 * years ("2019 vs 2018", "Change 2018 to 2019", "2019 over 2018") or names more is no span.
 */
const YEAR_SPAN = /^[^\d]*?\b((?:19[5-9]|20\d)\d)\s*(?:[-–—]|\bto\b|\bthrough\b)\s*((?:19[5-9]|20\d)\d)\b[^\d]*$/i;
const COMPARES_YEARS = /\b(?:vs\.?|versus|over|compared|change[sd]?|variance|increase|decrease|growth|movement|difference)\b|%/i;

function readYearSpan(text: string): CellPeriod | undefined {
  const match = YEAR_SPAN.exec(text);
  if (!match || COMPARES_YEARS.test(text)) return undefined;
  const [first, last] = [Number(match[1]), Number(match[2])];
  return last > first ? { label: text, year: first, through: last } : undefined;
}

/**
 * A label without the dates and years it names ("Balance at December 31, 2019" → "Balance at ",
 * "USD denominated 2019" → "USD denominated "): what is left names the line item or the column's
 * kind, while its period is matched on its own.
 */
export function withoutDates(text: string, options: { daysOfYear?: boolean } = {}): string {
  // A day without its year ("At 31 March", "At 1 April") names a roll-forward's balance row, so it stays unless asked to go.
  return text
    .replace(options.daysOfYear ? DAYS_ANY_YEAR : DAYS_WITH_YEAR, ' ')
    .replace(MONTHS_OF_YEAR, ' ')
    .replace(/\b(?:fy|f|fiscal(?: year)?|q[1-4]|h[12])?\s*'?(?:19|20)\d{2}\b/gi, ' ');
}
