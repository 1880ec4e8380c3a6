import type * as chrono from 'chrono-node';
// The two locales used, not the package's root, which loads all sixteen: importing this module
// added 23–27 MB of RSS and 4 MB of heap to a fresh process with the root, 6–11 MB and 1 MB now.
import { casual as englishCasual } from 'chrono-node/en';
import { createCasualConfiguration as createChineseCasual } from 'chrono-node/zh';
import {
  CHINESE_HALVES,
  CHINESE_NUMBERS,
  CHINESE_RELATIVE_YEARS,
  CHINESE_YEAR_BOUNDARIES,
  FISCAL_YEAR_FIRST_MONTH,
  NUMBER_WORDS,
  ORDINAL_WORDS,
  PARTS_OF_YEAR,
  TO_DATE_WORDS,
  TRAILING_UNITS,
} from './period-words.ts';

/**
 * chrono-node reads the dates ("January 21", "Dec 1 – Jan 23, 2026", "2026年1月21日", "March
 * 2026"); the parsers here add the periods of market reporting it does not know (halves,
 * quarters, fiscal and whole years, trailing windows, to-date spans), and the refiners add what a
 * question about past prices needs: a year-less date is the latest one on or before today, and
 * "since", "as of" and "the end of" change what a date means.
 *
 * Each finance result carries a tag `finance/<kind>`; its start and end components are certain
 * calendar days (the first and last day of the span).
 */
export type PeriodKind = 'half' | 'quarter' | 'year' | 'part-of-year' | 'month' | 'trailing' | 'year-to-date' | 'quarter-to-date' | 'month-to-date';

export const FINANCE_TAG = 'finance/';
export const SINCE_TAG = 'finance/since';
export const AS_OF_TAG = 'finance/as-of';
export const END_OF_TAG = 'finance/end-of';
export const START_OF_TAG = 'finance/start-of';
/** The question said "fiscal"/"FY": read as the calendar year, and the label says so. */
export const FISCAL_TAG = 'finance/fiscal';

interface Day {
  year: number;
  month: number;
  day: number;
}

const LEFT = '(?<![\\p{L}\\p{N}])';
const RIGHT = '(?![\\p{L}\\p{N}])';
const NUMBER_WORD = Object.keys(NUMBER_WORDS).join('|');
const ORDINAL = Object.keys(ORDINAL_WORDS).join('|');
/** "2026", "'26", "fiscal 2026", "FY2026", after an optional "of" / "of the". */
const YEAR_TAIL = `(?:,?\\s*(?:of\\s+)?(?:the\\s+)?(?:(fiscal(?:\\s+year)?|fy)\\s*)?(?:(\\d{4})|['’](\\d{2})))?`;

function todayOf(context: chrono.ParsingContext): Day {
  const date = context.refDate;
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function compare(a: Day, b: Day): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

function addMonths(day: Day, months: number): Day {
  const total = day.year * 12 + (day.month - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  return { year, month, day: Math.min(day.day, lastDayOfMonth(year, month)) };
}

function addDays(day: Day, days: number): Day {
  const date = new Date(Date.UTC(day.year, day.month - 1, day.day + days));
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

function readYear(full: string | undefined, short: string | undefined): number | undefined {
  if (full) return Number(full);
  if (short) return 2000 + Number(short);
  return undefined;
}

/** A span of whole months, in `year` or, with no year, the latest one that has started by today. */
function monthSpan(context: chrono.ParsingContext, year: number | undefined, fromMonth: number, months: number): [Day, Day] {
  const today = todayOf(context);
  let spanYear = year ?? today.year;
  if (year === undefined && compare({ year: spanYear, month: fromMonth, day: 1 }, today) > 0) spanYear -= 1;
  const from = { year: spanYear, month: fromMonth, day: 1 };
  const last = addMonths(from, months - 1);
  return [from, { ...last, day: lastDayOfMonth(last.year, last.month) }];
}

function result(context: chrono.ParsingContext, match: RegExpMatchArray, kind: PeriodKind, [from, to]: [Day, Day]): chrono.ParsingResult {
  return context.createParsingResult(match.index!, match[0], { ...from }, { ...to }).addTag(`${FINANCE_TAG}${kind}`);
}

function parser(pattern: string, extract: (context: chrono.ParsingContext, match: RegExpMatchArray) => chrono.ParsingResult | null): chrono.Parser {
  const regex = new RegExp(pattern, 'iu');
  return { pattern: () => regex, extract };
}

/** "first half of 2026", "H1 2026", "1H 2026", "the first six months of 2026", "上半年". */
const halfParser = parser(
  `${LEFT}(?:the\\s+)?(?:(first|1st|second|2nd)\\s+half|h([12])|([12])h|(first)\\s+six\\s+months)${YEAR_TAIL}${RIGHT}`,
  (context, match) => {
    const word = (match[1] ?? match[4])?.toLowerCase();
    const half = word ? ORDINAL_WORDS[word]! : Number(match[2] ?? match[3]);
    const year = readYear(match[6], match[7]);
    // A bare "H1" with no year and no half word is too terse to be a period.
    if (year === undefined && !word) return null;
    const span = result(context, match, 'half', monthSpan(context, year, FISCAL_YEAR_FIRST_MONTH + (half - 1) * 6, 6));
    return match[5] ? span.addTag(FISCAL_TAG) : span;
  },
);

/** "Q2 2026", "2Q 2026", "the second quarter of 2026", "Q2 FY2026", "Q2" (the latest Q2). */
const quarterParser = parser(`${LEFT}(?:the\\s+)?(?:(fiscal|fy)\\s*)?(?:(${ORDINAL})\\s+quarter|q([1-4])|([1-4])q)${YEAR_TAIL}${RIGHT}`, (context, match) => {
  const quarter = match[2] ? ORDINAL_WORDS[match[2].toLowerCase()]! : Number(match[3] ?? match[4]);
  const year = readYear(match[6], match[7]);
  const span = result(context, match, 'quarter', monthSpan(context, year, FISCAL_YEAR_FIRST_MONTH + (quarter - 1) * 3, 3));
  return match[1] || match[5] ? span.addTag(FISCAL_TAG) : span;
});

/** "1H26", "2Q26", "Q2'26", "H1'26". */
const compactParser = parser(`${LEFT}(?:([1-4])([qh])|([qh])([1-4]))\\s?['’]?(\\d{2})${RIGHT}`, (context, match) => {
  const letter = (match[2] ?? match[3])!.toLowerCase();
  const number = Number(match[1] ?? match[4]);
  const year = 2000 + Number(match[5]);
  if (letter === 'h') return number <= 2 ? result(context, match, 'half', monthSpan(context, year, number === 1 ? 1 : 7, 6)) : null;
  return result(context, match, 'quarter', monthSpan(context, year, (number - 1) * 3 + 1, 3));
});

/** "fiscal 2025", "fiscal year 2025", "FY2025", "FY25": read as the calendar year (see period-words). */
const fiscalYearParser = parser(`${LEFT}(?:fiscal(?:\\s+year)?\\s*|fy\\s*['’]?)(\\d{4}|\\d{2})${RIGHT}`, (context, match) => {
  const year = readYear(match[1]!.length === 4 ? match[1] : undefined, match[1]!.length === 2 ? match[1] : undefined)!;
  return result(context, match, 'year', monthSpan(context, year, FISCAL_YEAR_FIRST_MONTH, 12)).addTag(FISCAL_TAG);
});

/** "in 2025", "during 2025", "for 2025", "calendar 2025", "full-year 2025", "2025年" (not a date). */
const wholeYearParser = parser(
  `${LEFT}(?:in|during|for|over|throughout|across|calendar(?:\\s+year)?|full[- ]year|the\\s+year)\\s+(\\d{4})(?![-/.]\\d)${RIGHT}|(?<!\\d)(\\d{4})年(?!\\s*(?:\\d{1,2}\\s*月|[上下]半年|第?[一二三四1-4]\\s*季|[底末初]))`,
  (context, match) => result(context, match, 'year', monthSpan(context, Number(match[1] ?? match[2]), 1, 12)),
);

/** "early 2026" (Jan–Apr), "mid-2026" (May–Aug), "late 2026" (Sep–Dec). */
const partOfYearParser = parser(`${LEFT}(early|mid|late)[- ]?(?:in\\s+)?(\\d{4})${RIGHT}`, (context, match) => {
  const part = PARTS_OF_YEAR[match[1]!.toLowerCase()]!;
  return result(context, match, 'part-of-year', monthSpan(context, Number(match[2]), part.fromMonth, part.toMonth - part.fromMonth + 1));
});

/**
 * "the last three months", "past 6 months", "trailing 12 months", "the past year": a window
 * ending today. "last month", "last quarter" and "last year" (no number, no "the") are the
 * previous calendar month, quarter or year, as market reports use them; "this year", "this
 * quarter" and "this month" run from its start to today.
 */
const trailingParser = parser(
  `${LEFT}(?:(the)\\s+)?(last|past|previous|prior|trailing|recent|this|current)\\s+(?:(\\d{1,3}|${NUMBER_WORD})\\s+)?(day|week|month|quarter|year)s?${RIGHT}`,
  (context, match) => {
    const word = match[2]!.toLowerCase();
    const count = match[3] === undefined ? undefined : /\d/.test(match[3]) ? Number(match[3]) : NUMBER_WORDS[match[3].toLowerCase()]!;
    const unit = match[4]!.toLowerCase();
    const today = todayOf(context);
    const calendarUnit = unit === 'month' || unit === 'quarter' || unit === 'year';
    if ((word === 'this' || word === 'current') && count === undefined && calendarUnit) {
      const months = unit === 'year' ? 12 : unit === 'quarter' ? 3 : 1;
      const fromMonth = Math.floor((today.month - 1) / months) * months + 1;
      return result(context, match, unit === 'year' ? 'year' : unit === 'quarter' ? 'quarter-to-date' : 'month-to-date', [
        { year: today.year, month: fromMonth, day: 1 },
        today,
      ]);
    }
    if (word === 'this' || word === 'current') return null;
    if (count === undefined && !match[1] && calendarUnit && (word === 'last' || word === 'previous' || word === 'prior')) {
      const months = unit === 'year' ? 12 : unit === 'quarter' ? 3 : 1;
      const currentStart = { year: today.year, month: Math.floor((today.month - 1) / months) * months + 1, day: 1 };
      const from = addMonths(currentStart, -months);
      return result(context, match, unit === 'year' ? 'year' : unit === 'quarter' ? 'quarter' : 'month', [from, addDays(currentStart, -1)]);
    }
    const size = TRAILING_UNITS[unit]!;
    const n = count ?? 1;
    if (n < 1 || n > 600) return null;
    const from = size.months ? addMonths(today, -size.months * n) : addDays(today, -(size.days! * n));
    return result(context, match, 'trailing', [from, today]);
  },
);

/** YTD, QTD, MTD and their Chinese forms: the end is read later (an "as of" date, or today). */
const toDateParser: chrono.Parser = {
  pattern: () => new RegExp(`${TO_DATE_WORDS.year.source}|${TO_DATE_WORDS.quarter.source}|${TO_DATE_WORDS.month.source}`, 'iu'),
  extract(context, match) {
    const today = todayOf(context);
    const text = match[0];
    if (TO_DATE_WORDS.year.test(text)) return result(context, match, 'year-to-date', [{ year: today.year, month: 1, day: 1 }, today]);
    const months = TO_DATE_WORDS.quarter.test(text) ? 3 : 1;
    const fromMonth = Math.floor((today.month - 1) / months) * months + 1;
    return result(context, match, months === 3 ? 'quarter-to-date' : 'month-to-date', [{ year: today.year, month: fromMonth, day: 1 }, today]);
  },
};

/** "the end of 2025", "the start of 2026", "year-end 2025", "2025年底", "2026年初": one day. */
const yearBoundaryParser = parser(
  `${LEFT}(?:(?:the\\s+)?(end|close|start|beginning)\\s+of\\s+(?:the\\s+year\\s+)?(\\d{4})|(?:year[- ]end\\s+(\\d{4})|(\\d{4})\\s+year[- ]end))${RIGHT}|(\\d{4})\\s*年\\s*([底末初])`,
  (context, match) => {
    const year = Number(match[2] ?? match[3] ?? match[4] ?? match[5]);
    const end = match[1] ? /end|close/i.test(match[1]) : match[6] ? CHINESE_YEAR_BOUNDARIES[match[6]] === 'end' : true;
    const day = end ? { year, month: 12, day: 31 } : { year, month: 1, day: 1 };
    return context.createParsingResult(match.index!, match[0], day).addTag(end ? END_OF_TAG : START_OF_TAG);
  },
);

function chineseNumber(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  return CHINESE_NUMBERS[text];
}

/** 2026年上半年, 上半年, 2026年第二季度, 二季度, 今年, 去年, 近三个月, 过去6个月. */
const chineseParser = parser(
  `(?:(\\d{4})\\s*年)?\\s*(?:([上下]半年)|第?([一二三四1-4])\\s*季度?)|(今年|去年|前年)(?![以初底末])|(?:近|过去|最近)\\s*(\\d{1,3}|[一二两三四五六七八九十]{1,2})\\s*个?\\s*(天|日|周|星期|月|季度|年)`,
  (context, match) => {
    const year = match[1] ? Number(match[1]) : undefined;
    if (match[2]) return result(context, match, 'half', monthSpan(context, year, CHINESE_HALVES[match[2]] === 1 ? 1 : 7, 6));
    if (match[3]) return result(context, match, 'quarter', monthSpan(context, year, (chineseNumber(match[3])! - 1) * 3 + 1, 3));
    const today = todayOf(context);
    if (match[4]) {
      const spanYear = today.year + CHINESE_RELATIVE_YEARS[match[4]]!;
      return result(context, match, 'year', [{ year: spanYear, month: 1, day: 1 }, spanYear === today.year ? today : { year: spanYear, month: 12, day: 31 }]);
    }
    const n = chineseNumber(match[5]!);
    if (!n) return null;
    const unit = match[6]!;
    const from =
      unit === '天' || unit === '日'
        ? addDays(today, -n)
        : unit === '周' || unit === '星期'
          ? addDays(today, -7 * n)
          : addMonths(today, -n * (unit === '年' ? 12 : unit === '季度' ? 3 : 1));
    return result(context, match, 'trailing', [from, today]);
  },
);

function isFinance(item: chrono.ParsingResult): boolean {
  return [...item.tags()].some((tag) => tag.startsWith(FINANCE_TAG));
}

function dayOf(components: chrono.ParsingComponents): Day {
  return { year: components.get('year')!, month: components.get('month')!, day: components.get('day')! };
}

/**
 * A date without a year is the latest one on or before today, or in the one year the question
 * names ("on March 30 and 31 in 2026"); chrono prefers the nearest, which can be next year.
 */
const pastYearRefiner: chrono.Refiner = {
  refine(context, results) {
    const years = [...context.text.matchAll(/(?<![\p{L}\p{N}])((?:19|20)\d{2})(?![\p{N}])/gu)].map((match) => Number(match[1]));
    const namedYear = new Set(years).size === 1 ? years[0] : undefined;
    const today = todayOf(context);
    for (const item of results) {
      if (isFinance(item) || item.start.isCertain('year') || !item.start.isCertain('month')) continue;
      const start = dayOf(item.start);
      let year = start.year;
      if (item.end?.isCertain('year')) {
        // "December 1 through January 23, 2026": chrono already put the start in the year before.
        continue;
      }
      if (namedYear !== undefined) year = namedYear;
      else {
        const day = item.start.isCertain('day') ? start.day : 1;
        year = today.year;
        if (compare({ year, month: start.month, day }, today) > 0) year -= 1;
      }
      const shift = year - start.year;
      item.start.assign('year', year);
      if (item.end && !item.end.isCertain('year')) item.end.assign('year', item.end.get('year')! + shift);
    }
    return results;
  },
};

/** The words just before a result decide what it means: "since …", "as of …", "the end of …". */
const leadWordsRefiner: chrono.Refiner = {
  refine(context, results) {
    for (const item of results) {
      const before = context.text.slice(Math.max(0, item.index - 40), item.index);
      const after = context.text.slice(item.index + item.text.length, item.index + item.text.length + 4);
      if (/\bsince\s+(?:the\s+)?$/i.test(before) || /^\s*(?:以来|至今)/u.test(after)) item.addTag(SINCE_TAG);
      if (/\b(?:as\s+of|as\s+at|at\s+the\s+close\s+of|through|thru|until|till|by)\s+(?:the\s+)?$/i.test(before)) item.addTag(AS_OF_TAG);
      // "the end of Q1 2026": one day, the span's last. ("The start of January" is read as early
      // January, the span itself: questions say it of streaks and rallies, not of one session.)
      const boundary = /\b(?:the\s+)?(end|close)\s+of\s+(?:the\s+)?$/i.exec(before);
      if (boundary && item.end && !item.tags().has(END_OF_TAG) && !item.tags().has(START_OF_TAG)) {
        const day = dayOf(item.end);
        item.start = context.createParsingComponents(day);
        item.end = undefined;
        item.text = context.text.slice(item.index - boundary[0].length, item.index + item.text.length);
        item.index -= boundary[0].length;
        item.addTag(END_OF_TAG);
      }
    }
    return results;
  },
};

/** Month names alone ("in March", "March 2026") become the month as a span. */
const monthSpanRefiner: chrono.Refiner = {
  refine(context, results) {
    return results.map((item) => {
      if (isFinance(item) || item.end || !item.start.isCertain('month') || item.start.isCertain('day')) return item;
      const year = item.start.get('year')!;
      const month = item.start.get('month')!;
      const span = context.createParsingResult(item.index, item.text, { year, month, day: 1 }, { year, month, day: lastDayOfMonth(year, month) });
      span.addTags(item.tags()).addTag(`${FINANCE_TAG}month`);
      return span;
    });
  },
};

/**
 * chrono's casual English (month names alone, "end of June 2026") and, unless `chinese` is false,
 * its Chinese dates, with the finance parsers first so that, of two readings of the same words,
 * theirs is kept. A text without Chinese characters needs no Chinese parser (see hasChineseScript).
 */
export function createPeriodParser({ chinese: withChinese = true }: { chinese?: boolean } = {}): chrono.Chrono {
  const english = englishCasual.clone();
  const chinese = createChineseCasual();
  english.parsers = [
    toDateParser,
    yearBoundaryParser,
    halfParser,
    quarterParser,
    compactParser,
    fiscalYearParser,
    partOfYearParser,
    trailingParser,
    wholeYearParser,
    chineseParser,
    ...english.parsers,
    ...(withChinese ? chinese.parsers : []),
  ];
  english.refiners = [...english.refiners, pastYearRefiner, monthSpanRefiner, leadWordsRefiner];
  return english;
}

/**
 * Whether a text holds CJK characters or full-width forms, which every one of chrono's Chinese
 * parsers needs to read a date. Without them those parsers only misread English: their time
 * pattern took "Note 3:" for 03:00 and "(2017/18:" for 18:00 in annual reports (41 of 12,047
 * TAT-QA questions, paragraphs and table rows), and ran on every question (half of parsing's time).
 */
export function hasChineseScript(text: string): boolean {
  return /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]/u.test(text);
}
