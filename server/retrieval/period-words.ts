/**
 * The calendar words of market reporting, as data: halves (H1, 1H, "first half", 上半年),
 * quarters (Q2, 2Q, "second quarter", 二季度), fiscal years (FY2025, "fiscal 2025"), parts of a
 * year ("early 2026"), trailing windows ("the last three months", 近三个月) and to-date spans
 * (YTD, MTD, QTD, 今年以来). The finance parsers in finance-periods.ts read these; nothing else
 * spells them out.
 */

export const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  eighteen: 18,
  twenty: 20,
  thirty: 30,
  sixty: 60,
  ninety: 90,
};

export const ORDINAL_WORDS: Record<string, number> = { first: 1, '1st': 1, second: 2, '2nd': 2, third: 3, '3rd': 3, fourth: 4, '4th': 4 };

/** Trailing-window units, in days or months (a quarter is three months). */
export const TRAILING_UNITS: Record<string, { days?: number; months?: number }> = {
  day: { days: 1 },
  week: { days: 7 },
  month: { months: 1 },
  quarter: { months: 3 },
  year: { months: 12 },
};

/**
 * Parts of a year as the articles use them: "early 2026" is January to April, "mid-2026" May to
 * August, "late 2026" September to December (a third of the year each).
 */
export const PARTS_OF_YEAR: Record<string, { fromMonth: number; toMonth: number }> = {
  early: { fromMonth: 1, toMonth: 4 },
  mid: { fromMonth: 5, toMonth: 8 },
  late: { fromMonth: 9, toMonth: 12 },
};

/**
 * A fiscal year is read as the calendar year of the same number: the question rarely says which
 * company's fiscal calendar it means, and index data is calendar-based. The label says so.
 */
export const FISCAL_YEAR_FIRST_MONTH = 1;

export const CHINESE_NUMBERS: Record<string, number> = {
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
  十: 10,
  十一: 11,
  十二: 12,
};

export const CHINESE_HALVES: Record<string, number> = { 上半年: 1, 下半年: 2 };

/** 今年 this year, 去年 last year, 前年 the year before. */
export const CHINESE_RELATIVE_YEARS: Record<string, number> = { 今年: 0, 去年: -1, 前年: -2 };

/** 2025年底 / 2025年末: that year's last close; 2026年初: its first day. */
export const CHINESE_YEAR_BOUNDARIES: Record<string, 'end' | 'start'> = { 底: 'end', 末: 'end', 初: 'start' };

export const TO_DATE_WORDS = {
  year: /\bytd\b|\byear[- ]to[- ]date\b|\bso far this year\b|\bthis year so far\b|今年以来|年初至今|年初以来/iu,
  quarter: /\bqtd\b|\bquarter[- ]to[- ]date\b/iu,
  month: /\bmtd\b|\bmonth[- ]to[- ]date\b/iu,
};
