import type * as chrono from 'chrono-node';
import {
  AS_OF_TAG,
  createPeriodParser,
  END_OF_TAG,
  FINANCE_TAG,
  FISCAL_TAG,
  hasChineseScript,
  type PeriodKind,
  SINCE_TAG,
  START_OF_TAG,
} from './finance-periods.ts';

/**
 * Reads dates and periods out of a question: "on January 21", "from December 1, 2025 through
 * January 23, 2026", "as of January 23, 2026", "the first half of 2026", "H1 2026", "Q2 2026",
 * "the last three months", "since March 3", "YTD", "fiscal 2025", "in early 2026", "2026年1月21日",
 * "今年以来". chrono-node with the finance parsers of finance-periods.ts does the reading; this
 * module decides what the question's period is. Pure; `today` (YYYY-MM-DD) is passed in so a date
 * without a year resolves to its most recent occurrence on or before today.
 */

export interface DateMention {
  date: string;
  /** Read from "the end of 2025" / "2025年底": the point is that day's close. */
  endOf?: boolean;
  /** The words it was read from. */
  text: string;
  index: number;
}

export interface Period {
  from: string;
  to: string;
  label: string;
  /**
   * A calendar span (a quarter, a month, a year, YTD) rather than two dates the user gave:
   * returns over it are measured from the close before it starts, as performance tables do.
   */
  named?: boolean;
  /** The span starts at a close ("from the end of 2025"): measure from that session's close. */
  startsAtClose?: boolean;
}

export interface QuestionDates {
  dates: DateMention[];
  /** An explicit or named span (range, YTD, early 2026, Q1, a month, a year). */
  period?: Period;
  /** "as of …", or the single date of a question about one day. */
  asOf?: string;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function isoOf(components: chrono.ParsedComponents): string {
  return `${components.get('year')}-${pad(components.get('month')!)}-${pad(components.get('day')!)}`;
}

/** "Russell 2000" is a name, not a year: mask it (same length, so offsets hold). */
export function maskIndexNames(text: string): string {
  return text.replace(/(russell|罗素)(\s*)(2000)/giu, (_match, name: string, space: string) => `${name}${space}XXXX`);
}

// Built once: a chrono instance is configuration, with no state between parses.
let periodParser: chrono.Chrono | undefined;
let englishPeriodParser: chrono.Chrono | undefined;

function parseAll(text: string, today: string): chrono.ParsedResult[] {
  const parser = hasChineseScript(text) ? (periodParser ??= createPeriodParser()) : (englishPeriodParser ??= createPeriodParser({ chinese: false }));
  return parser.parse(text, { instant: new Date(`${today}T12:00:00Z`), timezone: 0 });
}

function kindOf(result: chrono.ParsedResult): PeriodKind | undefined {
  for (const tag of result.tags()) {
    if (tag.startsWith(FINANCE_TAG) && ![SINCE_TAG, AS_OF_TAG, END_OF_TAG, START_OF_TAG, FISCAL_TAG].includes(tag))
      return tag.slice(FINANCE_TAG.length) as PeriodKind;
  }
  return undefined;
}

const MONTH_LABELS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function labelOf(kind: PeriodKind, from: string, to: string, result: chrono.ParsedResult): string {
  const year = from.slice(0, 4);
  const month = Number(from.slice(5, 7));
  const fiscal = result.tags().has(FISCAL_TAG) ? 'fiscal ' : '';
  switch (kind) {
    case 'half':
      return `${fiscal}H${month <= 6 ? 1 : 2} ${year}`;
    case 'quarter':
      return `${fiscal}Q${Math.floor((month - 1) / 3) + 1} ${year}`;
    case 'year':
      return fiscal ? `fiscal ${year} (read as the calendar year)` : year;
    case 'month':
      return `${MONTH_LABELS[month - 1]} ${year}`;
    case 'part-of-year':
      return `${month === 1 ? 'early' : month === 5 ? 'mid' : 'late'} ${year}`;
    case 'year-to-date':
      return `year to date (${year})`;
    case 'quarter-to-date':
      return `quarter to date (Q${Math.floor((month - 1) / 3) + 1} ${year})`;
    case 'month-to-date':
      return `month to date (${MONTH_LABELS[month - 1]} ${year})`;
    case 'trailing':
      return `${result.text.toLowerCase().replace(/^(?:over|in|during)\s+/, '')} (${from} to ${to})`;
  }
}

function isDay(result: chrono.ParsedResult): boolean {
  return result.start.isCertain('month') && result.start.isCertain('day') && kindOf(result) === undefined;
}

export function findDates(rawText: string, today: string): DateMention[] {
  return mentionsOf(parseAll(maskIndexNames(rawText), today));
}

/** The days among a text's parsed dates and periods, in order (see findDates). */
function mentionsOf(results: chrono.ParsedResult[]): DateMention[] {
  const mentions: DateMention[] = [];
  for (const result of results) {
    const endOf = result.tags().has(END_OF_TAG);
    if (!isDay(result) && !endOf && !result.tags().has(START_OF_TAG)) continue;
    mentions.push({ date: isoOf(result.start), text: result.text, index: result.index, ...(endOf ? { endOf } : {}) });
    if (result.end) mentions.push({ date: isoOf(result.end), text: result.text, index: result.index + result.text.length - 1 });
  }
  // A year-less date before an explicit later one ("12月1日至2026年1月23日") belongs to the year before.
  for (let index = 0; index + 1 < mentions.length; index += 1) {
    const current = mentions[index]!;
    const next = mentions[index + 1]!;
    if (!/\d{4}/.test(current.text) && /\d{4}/.test(next.text) && current.date > next.date) {
      current.date = `${Number(current.date.slice(0, 4)) - 1}${current.date.slice(4)}`;
    }
  }
  return mentions;
}

const RANGE_WORDS = /\b(from|between|since|through|thru|to|until|till|and)\b|[-–—~]|至|到/i;

export function readQuestionDates(rawText: string, today: string): QuestionDates {
  const text = maskIndexNames(rawText);
  // Parsed once for both readings: parsing was about 6 % of a fresh search's time on the event loop
  // at 100k passages (profiled), twice per question.
  const results = parseAll(text, today);
  const dates = mentionsOf(results);
  const result: QuestionDates = { dates };

  // A range of two days the question gives: one chrono range, or two dates with a range word between.
  const range = results.find((item) => isDay(item) && item.end);
  if (range) {
    const first = dates.find((mention) => mention.index === range.index)!;
    result.period = {
      from: first.date,
      to: isoOf(range.end!),
      label: `${first.date} to ${isoOf(range.end!)}`,
      ...(first.endOf ? { startsAtClose: true } : {}),
    };
  } else if (dates.length >= 2) {
    const [first, second] = [dates[0]!, dates[1]!];
    const between = text.slice(first.index + first.text.length, second.index);
    if (RANGE_WORDS.test(between) && first.date <= second.date) {
      result.period = { from: first.date, to: second.date, label: `${first.date} to ${second.date}`, ...(first.endOf ? { startsAtClose: true } : {}) };
    }
  }
  const asOf = results.find((item) => item.tags().has(AS_OF_TAG));
  if (asOf) result.asOf = asOf.end ? isoOf(asOf.end) : isoOf(asOf.start);

  const since = results.find((item) => item.tags().has(SINCE_TAG));
  if (!result.period && since) {
    const from = since.tags().has(END_OF_TAG) ? isoOf(since.start) : isoOf(since.start);
    result.period = {
      from,
      to: today,
      label: `since ${from}`,
      ...(since.tags().has(END_OF_TAG) ? { startsAtClose: true } : {}),
      ...(kindOf(since) ? { named: true } : {}),
    };
  }

  const spans = results.filter((item) => kindOf(item) !== undefined && item !== asOf);
  const toDate = spans.find((item) => kindOf(item)?.endsWith('-to-date'));
  if (!result.period && toDate) {
    // "YTD as of January 23, 2026", "YTD at the end of June 2026": the span ends at the date given.
    const other = spans.find((item) => item !== toDate);
    const to = result.asOf ?? (dates.length === 1 ? dates[0]!.date : other?.end ? isoOf(other.end) : today);
    const kind = kindOf(toDate)!;
    const months = kind === 'year-to-date' ? 12 : kind === 'quarter-to-date' ? 3 : 1;
    const fromMonth = Math.floor((Number(to.slice(5, 7)) - 1) / months) * months + 1;
    const from = `${to.slice(0, 4)}-${pad(fromMonth)}-01`;
    result.period = { from, to, label: labelOf(kind, from, to, toDate), named: true };
  } else if (!result.period && spans.length > 0) {
    const span = spans[0]!;
    const from = isoOf(span.start);
    const to = isoOf(span.end ?? span.start);
    result.period = { from, to, label: labelOf(kindOf(span)!, from, to, span), named: true };
  }
  if (!result.asOf && dates.length === 1 && !result.period) result.asOf = dates[0]!.date;
  if (result.period && result.period.to > today) result.period = { ...result.period, to: today };
  return result;
}
