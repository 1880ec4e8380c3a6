import type { CellPeriod } from './types.ts';

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
  match = /\bH([12])\s*'?(\d{4}|\d{2})\b/i.exec(text);
  if (match) return { label: text, year: fullYear(match[2]!), half: Number(match[1]) };
  // "FY2023", "Fiscal 2019", and the "F19" some annual reports print.
  match = /\b(?:FY|F|fiscal(?: year)?)\s*'?(\d{4}|\d{2})\b/i.exec(text);
  if (match) return { label: text, year: fullYear(match[1]!) };
  match = /\b(19[5-9]\d|20\d{2})\b/.exec(text);
  if (match) return { label: text, year: Number(match[1]) };
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
