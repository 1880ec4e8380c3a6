/**
 * Calendar dates in the forms article pages print them: "January 22, 2026", "Jan 22, 2026",
 * "22 January 2026", "2026年1月22日", "lunes, 12 de enero de 2026", "2026-01-22".
 * Pure functions; everything returns ISO `YYYY-MM-DD`.
 */

export interface DateMention {
  iso: string;
  index: number;
  length: number;
}

const MONTHS: Readonly<Record<string, number>> = buildMonthTable({
  1: ['january', 'jan', 'enero', 'ene', 'janvier', 'janv', 'januar', 'janeiro'],
  2: ['february', 'feb', 'febrero', 'février', 'fevrier', 'févr', 'februar', 'fevereiro', 'fev'],
  3: ['march', 'mar', 'marzo', 'mars', 'märz', 'marz', 'março', 'marco'],
  4: ['april', 'apr', 'abril', 'abr', 'avril', 'avr'],
  5: ['may', 'mayo', 'mai', 'maio'],
  6: ['june', 'jun', 'junio', 'juin', 'juni', 'junho'],
  7: ['july', 'jul', 'julio', 'juillet', 'juil', 'juli', 'julho'],
  8: ['august', 'aug', 'agosto', 'ago', 'août', 'aout'],
  9: ['september', 'sep', 'sept', 'septiembre', 'setiembre', 'septembre', 'setembro', 'set'],
  10: ['october', 'oct', 'octubre', 'octobre', 'oktober', 'okt', 'outubro', 'out'],
  11: ['november', 'nov', 'noviembre', 'novembre', 'novembro'],
  12: ['december', 'dec', 'diciembre', 'dic', 'décembre', 'decembre', 'déc', 'dezember', 'dez', 'dezembro'],
});

function buildMonthTable(byNumber: Record<number, string[]>): Record<string, number> {
  const table: Record<string, number> = {};
  for (const [month, names] of Object.entries(byNumber)) for (const name of names) table[name] = Number(month);
  return table;
}

// Longest names first so "sept" wins over "sep" and "march" over "mar".
const MONTH_ALTERNATION = Object.keys(MONTHS)
  .sort((a, b) => b.length - a.length)
  .join('|');

const NOT_WORD_BEFORE = '(?<![\\p{L}\\p{N}])';
const NOT_WORD_AFTER = '(?![\\p{L}\\p{N}])';

interface DatePattern {
  regex: RegExp;
  read: (match: RegExpExecArray) => [year: number, month: number, day: number] | undefined;
}

const DATE_PATTERNS: readonly DatePattern[] = [
  {
    regex: new RegExp(`${NOT_WORD_BEFORE}(\\d{4})[-/.](\\d{1,2})[-/.](\\d{1,2})(?!\\d)`, 'gu'),
    read: (m) => [Number(m[1]), Number(m[2]), Number(m[3])],
  },
  {
    regex: /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]/gu,
    read: (m) => [Number(m[1]), Number(m[2]), Number(m[3])],
  },
  {
    regex: new RegExp(`${NOT_WORD_BEFORE}(${MONTH_ALTERNATION})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})${NOT_WORD_AFTER}`, 'giu'),
    read: (m) => monthTriple(m[3], m[1], m[2]),
  },
  {
    regex: new RegExp(
      `${NOT_WORD_BEFORE}(\\d{1,2})(?:st|nd|rd|th|er|º|\\.)?\\s+(?:de\\s+)?(${MONTH_ALTERNATION})\\.?,?\\s+(?:de\\s+|del\\s+)?(\\d{4})${NOT_WORD_AFTER}`,
      'giu',
    ),
    read: (m) => monthTriple(m[3], m[2], m[1]),
  },
];

function monthTriple(year?: string, monthName?: string, day?: string): [number, number, number] | undefined {
  const month = monthName === undefined ? undefined : MONTHS[monthName.toLowerCase()];
  if (month === undefined || year === undefined || day === undefined) return undefined;
  return [Number(year), month, Number(day)];
}

/** ISO date for a valid calendar day, else undefined. */
export function formatIsoDate(year: number, month: number, day: number): string | undefined {
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Every full date (day, month and year) in the text, in reading order, without overlaps. */
export function findDates(text: string): DateMention[] {
  const found: DateMention[] = [];
  for (const pattern of DATE_PATTERNS) {
    pattern.regex.lastIndex = 0;
    for (let m = pattern.regex.exec(text); m !== null; m = pattern.regex.exec(text)) {
      const parts = pattern.read(m);
      const iso = parts === undefined ? undefined : formatIsoDate(...parts);
      if (iso !== undefined) found.push({ iso, index: m.index, length: m[0].length });
    }
  }
  found.sort((a, b) => a.index - b.index || b.length - a.length);
  const kept: DateMention[] = [];
  for (const mention of found) {
    const last = kept.at(-1);
    if (last === undefined || mention.index >= last.index + last.length) kept.push(mention);
  }
  return kept;
}

/** A date from a metadata value: an ISO timestamp ("2026-01-22T09:30:00Z") or any form above. */
export function parseDateValue(value: string): string | undefined {
  const trimmed = value.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(trimmed);
  if (iso) return formatIsoDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  return findDates(trimmed)[0]?.iso;
}

/** The latest date mentioned in the text, used when an article prints no dateline. */
export function findLatestDate(text: string): string | undefined {
  let latest: string | undefined;
  for (const { iso } of findDates(text)) if (latest === undefined || iso > latest) latest = iso;
  return latest;
}

const DATELINE_NOISE: readonly RegExp[] = [
  /\d{1,3}\s?(?:min(?:ute)?s?|minutos?)\s?(?:read|de lectura|lectura)/giu,
  /\d{1,3}\s?分钟(?:阅读)?/gu,
  /\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?/giu,
  /(?<![\p{L}])(?:ET|EST|EDT|CT|CST|CDT|PT|PST|PDT|UTC|GMT|BST|CET|CEST|HKT|JST|SGT)(?![a-z])/gu,
  /(?<![\p{L}])(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|domingo)(?![\p{L}])\.?/giu,
  /(?:星期|周)[一二三四五六日天]/gu,
  /(?<![\p{L}])(?:published|updated|posted|publicado|actualizado|el|on|by|por)(?![\p{L}])\s*:?/giu,
  /(?:发布于|更新于|发布时间|更新时间|作者)[:：]?/gu,
  /[|,·•—–\-/()]/gu,
];

/** Words left after removing dates and dateline noise (times, weekdays, reading time, separators). */
function countLabelWords(text: string): number {
  let rest = text;
  for (const noise of DATELINE_NOISE) rest = rest.replace(noise, ' ');
  return rest.split(/\s+/u).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}

export interface Dateline {
  iso: string;
  /** Words of label besides the date: 0 for "lunes, 12 de enero de 2026, 7:49 pm ET". */
  labelWords: number;
  /** The date leads the line or a separator sets it apart ("By the desk · Feb 1, 2026"). */
  framed: boolean;
}

/** Read a line as a dateline: its first date plus how much other text surrounds it. */
export function readDateline(line: string): Dateline | undefined {
  if (line.length > 140) return undefined;
  const mentions = findDates(line);
  const first = mentions[0];
  if (first === undefined) return undefined;
  let rest = line;
  for (const mention of [...mentions].reverse()) {
    rest = rest.slice(0, mention.index) + ' ' + rest.slice(mention.index + mention.length);
  }
  const labelWords = countLabelWords(rest);
  const framed = labelWords === 0 || /[|·•—–]/u.test(line) || countLabelWords(line.slice(0, first.index)) === 0;
  return { iso: first.iso, labelWords, framed };
}
