import { COMPARES_VALUES, LIST_QUESTIONS, LIST_WORDS } from '../../../lib/answer-language.ts';
import { comparePeriods, matchRows, periodCells, scoreRowName, stemWords, type TermWeight } from '../../cells/find-cells.ts';
import { withoutDates } from '../../cells/periods.ts';
import { rowName, type Cell } from '../../cells/types.ts';
import { periodText } from './answer-from-cells.ts';
import type { QuestionReading } from './read-question.ts';

/**
 * Lists and counts read off a table (pure): the periods a table covers, the rows that make up a
 * section ("What are the components of current assets?"), how many such rows there are, and the
 * periods in which a row meets a level ("In which years was X below 100?"). Each list keeps the
 * cells it was read from, so the answer cites their passage.
 */
export type ListKind = 'periods' | 'members' | 'count' | 'periods-meeting';

export interface ListQuestion {
  kind: ListKind;
  /** The question's words that name what is listed ("current assets"), without the list's own words. */
  subject: string;
  /** The question points at "the table" itself. */
  inTable: boolean;
}

export interface TableList {
  kind: ListKind;
  /** What the list is of, as the table labels it ("Current assets", "periods"). */
  what: string;
  items: string[];
  /** The cells the list was read from (one passage's table). */
  cells: Cell[];
}

export const LIST_DEFAULTS = {
  /** A section label must name the subject at least this well (scoreRowName) to be the one listed. */
  minSectionScore: 0.6,
  /** A table row label must name the subject this well for a table to count as the subject's. */
  minTableScore: 0.5,
  /** The words introducing a table must name the subject this well for its rows to be the subject's members. */
  minIntroductionScore: 0.7,
};

export function readListQuestion(question: string, reading: Pick<QuestionReading, 'threshold' | 'items' | 'asksWhich'>): ListQuestion | undefined {
  const text = question.replace(/\s+/g, ' ').trim();
  const inTable = /\b(?:the|this) table\b/i.test(text);
  const subjectOf = (pattern: RegExp) => text.replace(pattern, ' ').replace(LIST_WORDS, ' ').replace(/\s+/g, ' ').trim();
  if (LIST_QUESTIONS.periods.test(text)) {
    if (reading.threshold && reading.items.length > 0) return { kind: 'periods-meeting', subject: reading.items[0]!, inTable };
    if (COMPARES_VALUES.test(text)) return undefined;
    return { kind: 'periods', subject: subjectOf(LIST_QUESTIONS.periods), inTable };
  }
  if (/^\s*(?:(?:in|for) )?which (?:year|period|fiscal year)\b/i.test(text) && reading.threshold && reading.items.length > 0) {
    return { kind: 'periods-meeting', subject: reading.items[0]!, inTable };
  }
  if (reading.threshold) return undefined;
  // "How many executive officers are there as at 24 February 2020": what is counted is the subject
  // (list words such as "types" aside), and its date is not a word a table's introduction must print.
  if (LIST_QUESTIONS.count.test(text)) return { kind: 'count', subject: withoutDates(subjectOf(/\bhow many\b/gi)), inTable };
  if (LIST_QUESTIONS.members.test(text)) return { kind: 'members', subject: subjectOf(LIST_QUESTIONS.members), inTable };
  return undefined;
}

/**
 * The list a question asks for, from the cells of one passage's table; undefined when this table
 * does not hold it (its sections and rows do not name the subject).
 */
export function listFromTable(
  question: ListQuestion,
  cells: Cell[],
  weight: TermWeight,
  reading?: Pick<QuestionReading, 'threshold'>,
  /** The passage's text around the table (its caption, the paragraph introducing it). */
  context = '',
): TableList | undefined {
  if (cells.length === 0) return undefined;
  switch (question.kind) {
    case 'periods':
      return periodsOf(question, cells, weight, context);
    case 'periods-meeting':
      return periodsMeeting(question, cells, weight, reading?.threshold);
    case 'members':
    case 'count': {
      const members = membersOf(question, cells, weight, context);
      return members ? { ...members, kind: question.kind } : undefined;
    }
  }
}

interface Row {
  label: string;
  path: string[];
  cells: Cell[];
}

function rowsOf(cells: Cell[]): Row[] {
  const rows = new Map<number, Row>();
  for (const cell of cells) {
    const row = rows.get(cell.rowIndex);
    if (row) row.cells.push(cell);
    else rows.set(cell.rowIndex, { label: cell.label, path: cell.path, cells: [cell] });
  }
  return [...rows.entries()].sort(([a], [b]) => a - b).map(([, row]) => row);
}

const isTotal = (label: string) => /^(?:total|net)\b|\btotal$/i.test(label.trim());

/** How well the table's own row labels and sections name the subject: the best of them. */
function tableScore(subject: string, rows: Row[], weight: TermWeight): number {
  const names = new Set(rows.flatMap((row) => [row.label, ...row.path]));
  let best = 0;
  for (const name of names) best = Math.max(best, scoreRowName(subject, name, weight));
  return best;
}

function periodsOf(question: ListQuestion, cells: Cell[], weight: TermWeight, context: string): TableList | undefined {
  const rows = rowsOf(cells);
  // The table's rows, or the words introducing it, must name what the question asks about.
  const named =
    tableScore(question.subject, rows, weight) >= LIST_DEFAULTS.minTableScore || scoreRowName(question.subject, context, weight) >= LIST_DEFAULTS.minTableScore;
  if (!question.inTable && stemWords(question.subject).length > 0 && !named) return undefined;
  const seen = new Map<string, Cell>();
  for (const cell of cells) if (cell.period && !seen.has(periodText(cell))) seen.set(periodText(cell), cell);
  if (seen.size < 2) return undefined;
  return { kind: 'periods', what: 'periods', items: [...seen.keys()], cells: [...seen.values()] };
}

function periodsMeeting(question: ListQuestion, cells: Cell[], weight: TermWeight, threshold: QuestionReading['threshold']): TableList | undefined {
  if (!threshold) return undefined;
  const row = matchRows(cells, question.subject, weight)[0];
  if (!row || row.score < LIST_DEFAULTS.minTableScore) return undefined;
  const available = periodCells(row.cells).filter((cell) => cell.value !== undefined);
  if (available.length < 2) return undefined;
  const above = threshold.direction === 'above';
  const level = thresholdLevel(threshold, available);
  const meeting = available.filter((cell) => (above ? cell.value! > level : cell.value! < level)).sort((a, b) => comparePeriods(b.period!, a.period!));
  return { kind: 'periods-meeting', what: rowName(available[0]!), items: meeting.map(periodText), cells: available };
}

/**
 * A level the question states with its scale ("above $5 million") in the units the table prints
 * its figures in (5,000 for a table in thousands); a level stated without a scale is compared as printed.
 */
export function thresholdLevel(threshold: NonNullable<QuestionReading['threshold']>, cells: Cell[]): number {
  const scales = new Set(cells.map((cell) => cell.scale));
  const printed = scales.size === 1 ? [...scales][0]! : 1;
  return threshold.scale && printed !== 1 ? (threshold.value * threshold.scale) / printed : threshold.value;
}

/**
 * The rows under the section the subject names; else the sections themselves when several share
 * the subject's words ("types of Solutions segments"); else, for a question about the table as a
 * whole, its top-level rows. Totals are sums of the members, not members.
 */
function membersOf(question: ListQuestion, cells: Cell[], weight: TermWeight, context = ''): Omit<TableList, 'kind'> | undefined {
  const rows = rowsOf(cells).filter((row) => row.label.trim() !== '');
  const sections = [...new Set(rows.flatMap((row) => row.path))];
  const subjectWords = stemWords(question.subject);
  if (subjectWords.length > 0) {
    const scored = sections.map((section) => ({ section, score: scoreRowName(question.subject, section, weight) })).sort((a, b) => b.score - a.score);
    const best = scored[0];
    if (best && best.score >= LIST_DEFAULTS.minSectionScore) {
      const members = distinctLabels(rows.filter((row) => row.path.at(-1) === best.section && !isTotal(row.label)));
      if (members.length >= 2) return { what: best.section, items: members.map((row) => row.label), cells: members.flatMap((row) => row.cells) };
    }
    const summed = membersOfTotal(question.subject, rows, weight);
    if (summed) return summed;
    const sharing = sections.filter((section) => stemWords(section).some((word) => subjectWords.includes(word)));
    if (sharing.length >= 2) {
      const under = rows.filter((row) => sharing.includes(row.path[0] ?? ''));
      return { what: question.subject, items: sharing, cells: under.flatMap((row) => row.cells) };
    }
  }
  // "How many executive officers are there?" of a table the report introduces as "the executive
  // officers of the Company are as follows:": its rows are the members, as for "the table" itself.
  // Only a sentence ending in a colon introduces a table; the rest of the prose is about other things.
  const introductions = context.split(/\n+|(?<=[.!?])\s+/).filter((sentence) => /:\s*$/.test(sentence));
  const introduced = introductions.some((sentence) => scoreRowName(question.subject, sentence, weight) >= LIST_DEFAULTS.minIntroductionScore);
  if (!question.inTable && !introduced) return undefined;
  const top = distinctLabels(rows.filter((row) => row.path.length === 0 && !isTotal(row.label)));
  if (top.length < 2) return undefined;
  return { what: 'the table', items: top.map((row) => row.label), cells: top.flatMap((row) => row.cells) };
}

/**
 * The rows a total sums, when the question names the total ("categories under total stock-based
 * compensation"): the rows above it, back to the previous total or the start of its section.
 */
function membersOfTotal(subject: string, rows: Row[], weight: TermWeight): Omit<TableList, 'kind'> | undefined {
  let best: { index: number; score: number } | undefined;
  for (const [index, row] of rows.entries()) {
    if (!isTotal(row.label)) continue;
    const score = scoreRowName(subject, row.label, weight);
    if (score >= LIST_DEFAULTS.minSectionScore && (!best || score > best.score)) best = { index, score };
  }
  if (!best) return undefined;
  const total = rows[best.index]!;
  const members: Row[] = [];
  for (let index = best.index - 1; index >= 0; index--) {
    const row = rows[index]!;
    if (isTotal(row.label) || row.path.join('›') !== total.path.join('›')) break;
    members.unshift(row);
  }
  const distinct = distinctLabels(members);
  return distinct.length >= 2 ? { what: total.label, items: distinct.map((row) => row.label), cells: distinct.flatMap((row) => row.cells) } : undefined;
}

/** A label printed twice (the same rows for two blocks of columns) is one member. */
function distinctLabels(rows: Row[]): Row[] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    const key = row.label.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** "A, B and C". */
export function joinList(items: string[], and = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${and} ${items.at(-1)}`;
}
