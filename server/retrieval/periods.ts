/**
 * Reads dates and periods out of a question: "on January 21", "from December 1, 2025 through
 * January 23, 2026", "as of January 23, 2026", "in early 2026", "YTD", "Q1 2026", "in 2025",
 * "2026年1月21日", "今年以来". Pure; `today` (YYYY-MM-DD) is passed in so a date without a year
 * resolves to its most recent occurrence on or before today.
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

const MONTHS: Record<string, number> = {
  january: 1, jan: 1, february: 2, feb: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5, june: 6, jun: 6,
  july: 7, jul: 7, august: 8, aug: 8, september: 9, sep: 9, sept: 9, october: 10, oct: 10, november: 11, nov: 11,
  december: 12, dec: 12,
};
const MONTH_NAMES = Object.keys(MONTHS).sort((a, b) => b.length - a.length).join('|');

const ISO_DATE = /\b(\d{4})-(\d{2})-(\d{2})\b/g;
const MONTH_DAY_YEAR = new RegExp(`\\b(${MONTH_NAMES})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?\\b`, 'gi');
const DAY_MONTH_YEAR = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(${MONTH_NAMES})\\.?(?:,?\\s+(\\d{4}))?\\b`, 'gi');
const CJK_DATE = /(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]/g;

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function isoOf(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${year}-${pad(month)}-${pad(day)}`;
}

function lastDayOf(year: number, month: number): string {
  return isoOf(year, month, new Date(Date.UTC(year, month, 0)).getUTCDate())!;
}

/** A month/day without a year: the latest such date on or before today. */
function withInferredYear(month: number, day: number, today: string, contextYear?: number): string | undefined {
  if (contextYear) return isoOf(contextYear, month, day);
  const year = Number(today.slice(0, 4));
  const candidate = isoOf(year, month, day);
  if (candidate && candidate <= today) return candidate;
  return isoOf(year - 1, month, day);
}

/** "Russell 2000" is a name, not a year: mask it (same length, so offsets hold). */
function maskIndexNames(text: string): string {
  return text.replace(/(russell|罗素)(\s*)(2000)/giu, (_match, name: string, space: string) => `${name}${space}XXXX`);
}

export function findDates(rawText: string, today: string): DateMention[] {
  const text = maskIndexNames(rawText);
  const mentions: DateMention[] = [];
  const explicitYears = [...text.matchAll(/\b(20\d{2}|19\d{2})\b/g)].map((match) => Number(match[1]));
  const contextYear = explicitYears.length === 1 ? explicitYears[0] : undefined;
  const taken: [number, number][] = [];
  const push = (date: string | undefined, match: RegExpMatchArray, endOf = false) => {
    const start = match.index ?? 0;
    const end = start + match[0].length;
    if (!date || taken.some(([a, b]) => start < b && end > a)) return;
    taken.push([start, end]);
    mentions.push({ date, text: match[0], index: start, ...(endOf ? { endOf } : {}) });
  };
  for (const match of text.matchAll(ISO_DATE)) push(isoOf(Number(match[1]), Number(match[2]), Number(match[3])), match);
  for (const match of text.matchAll(MONTH_DAY_YEAR)) {
    const month = MONTHS[match[1]!.toLowerCase()]!;
    const day = Number(match[2]);
    push(match[3] ? isoOf(Number(match[3]), month, day) : withInferredYear(month, day, today, contextYear), match);
  }
  for (const match of text.matchAll(DAY_MONTH_YEAR)) {
    const month = MONTHS[match[2]!.toLowerCase()]!;
    const day = Number(match[1]);
    push(match[3] ? isoOf(Number(match[3]), month, day) : withInferredYear(month, day, today, contextYear), match);
  }
  for (const match of text.matchAll(/\b(?:the\s+)?(end|close|start|beginning)\s+of\s+(20\d{2})\b|(20\d{2})年(底|末|初)/gi)) {
    const year = Number(match[2] ?? match[3]);
    const end = /end|close|底|末/i.test(match[1] ?? match[4] ?? '');
    push(end ? `${year}-12-31` : `${year}-01-01`, match, end);
  }
  for (const match of text.matchAll(CJK_DATE)) {
    const month = Number(match[2]);
    const day = Number(match[3]);
    push(match[1] ? isoOf(Number(match[1]), month, day) : withInferredYear(month, day, today, contextYear), match);
  }
  // A year-less date before an explicit later one in a range ("December 1 to January 23, 2026")
  // belongs to the year before when its month is later in the calendar.
  mentions.sort((a, b) => a.index - b.index);
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
  const dates = findDates(text, today);
  const lower = text.toLowerCase();
  const result: QuestionDates = { dates };

  const asOfMatch = /\b(?:as of|as at|at the close of|through|until)\s+/i.exec(text);
  if (dates.length >= 2) {
    const [first, second] = [dates[0]!, dates[1]!];
    const between = text.slice(first.index + first.text.length, second.index);
    if (RANGE_WORDS.test(between) && first.date <= second.date) {
      result.period = { from: first.date, to: second.date, label: `${first.date} to ${second.date}`, ...(first.endOf ? { startsAtClose: true } : {}) };
    }
  }
  if (dates.length >= 1 && !result.period && /\bsince\b|以来/i.test(text)) {
    result.period = { from: dates[0]!.date, to: today, label: `since ${dates[0]!.date}` };
  }
  if (asOfMatch) {
    const after = dates.find((mention) => mention.index >= asOfMatch.index);
    if (after) result.asOf = after.date;
  }

  const yearMatch = /\b(20\d{2})\b/.exec(text);
  const year = yearMatch ? Number(yearMatch[1]) : Number(today.slice(0, 4));
  if (!result.period) {
    if (/\bytd\b|year[- ]to[- ]date|今年以来|年初至今/i.test(text)) {
      // "YTD at the end of June 2026" ends with the named month.
      const to = result.asOf ?? (dates.length === 1 ? dates[0]!.date : readNamedPeriod(lower, year, yearMatch !== null)?.to ?? today);
      result.period = { from: `${to.slice(0, 4)}-01-01`, to, label: `year to date (${to.slice(0, 4)})`, named: true };
    } else {
      const named = readNamedPeriod(lower, year, yearMatch !== null);
      if (named) result.period = named;
    }
  }
  if (!result.asOf && dates.length === 1 && !result.period) result.asOf = dates[0]!.date;
  if (result.period && result.period.to > today) result.period = { ...result.period, to: today };
  return result;
}

function readNamedPeriod(lower: string, year: number, yearGiven: boolean): Period | undefined {
  const quarter = /\b(?:q([1-4])|(first|second|third|fourth) quarter)\b/.exec(lower);
  if (quarter && yearGiven) {
    const number = quarter[1] ? Number(quarter[1]) : ['first', 'second', 'third', 'fourth'].indexOf(quarter[2]!) + 1;
    const startMonth = (number - 1) * 3 + 1;
    return { from: `${year}-${pad(startMonth)}-01`, to: lastDayOf(year, startMonth + 2), label: `Q${number} ${year}`, named: true };
  }
  const part = /\b(early|mid|late)[- ]?(?:in\s+)?(20\d{2})\b/.exec(lower);
  if (part) {
    const partYear = Number(part[2]);
    switch (part[1]) {
      case 'early':
        return { from: `${partYear}-01-01`, to: `${partYear}-04-30`, label: `early ${partYear}`, named: true };
      case 'mid':
        return { from: `${partYear}-05-01`, to: `${partYear}-08-31`, label: `mid-${partYear}`, named: true };
      default:
        return { from: `${partYear}-09-01`, to: `${partYear}-12-31`, label: `late ${partYear}`, named: true };
    }
  }
  const month = new RegExp(`\\b(?:in\\s+)?(${MONTH_NAMES})\\s+(20\\d{2})\\b`).exec(lower);
  if (month && !/\d{1,2},/.test(lower.slice(month.index, month.index + month[0].length))) {
    const monthNumber = MONTHS[month[1]!]!;
    const monthYear = Number(month[2]);
    return { from: `${monthYear}-${pad(monthNumber)}-01`, to: lastDayOf(monthYear, monthNumber), label: `${month[1]} ${monthYear}`, named: true };
  }
  const fullYear = /\b(?:in|during|for|over|of|throughout)\s+(20\d{2})\b|(20\d{2})年(?!\d{1,2}月)/.exec(lower);
  if (fullYear) {
    const onlyYear = Number(fullYear[1] ?? fullYear[2]);
    return { from: `${onlyYear}-01-01`, to: `${onlyYear}-12-31`, label: `${onlyYear}`, named: true };
  }
  return undefined;
}
