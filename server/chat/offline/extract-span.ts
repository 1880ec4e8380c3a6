import { SPAN_CONNECTIVES, SPAN_QUESTIONS, type SpanKind } from '../../../lib/answer-language.ts';
import { tokenize } from '../../../kb/tokenize.ts';
import { stem } from './sentence-text.ts';

/**
 * Span extraction (pure): the part of a sentence that answers the question, so the answer can lead
 * with it. A reason, a composition, a method or a definition is the clause after its connective
 * ("… decreased primarily due to |lower volumes|"); an amount is the figure the question's words sit
 * beside; a date is the date. Undefined when no part can be cut with confidence: the whole
 * sentence then answers.
 */
export type SpanQuestionKind = SpanKind | 'amount' | 'date';

export const SPAN_DEFAULTS = {
  /** At most this many words before a figure read as its label. */
  labelWindow: 8,
  /** A clause shorter than this many words says too little to stand for the sentence. */
  minClauseWords: 2,
};

export function readSpanKind(question: string): SpanQuestionKind | undefined {
  const text = question.replace(/\s+/g, ' ').trim();
  for (const [kind, pattern] of SPAN_QUESTIONS) if (pattern.test(text)) return kind;
  // "When did it adopt…?" asks for a date; "When is goodwill considered impaired?" for a condition.
  if (/^\s*(?:when (?:did|was|were|will)|(?:in|on|at|by) (?:what|which) (?:date|day|month))\b/i.test(text)) return 'date';
  if (
    /^\s*(?:how (?:much|many|long)|what (?:is|was|are|were) (?:the )?(?:\w+ ){0,8}(?:amounts?|values?|balances?|costs?|expenses?|revenues?|prices?|rates?|numbers?|totals?)\b)/i.test(
      text,
    )
  )
    return 'amount';
  return undefined;
}

/** A question answered by a description (a reason, what something consists of, how it is measured), never by one cell. */
export function asksForDescription(question: string): boolean {
  const kind = readSpanKind(question);
  return kind !== undefined && kind !== 'amount' && kind !== 'date';
}

export function extractSpan(question: string, sentence: string): string | undefined {
  const kind = readSpanKind(question);
  if (!kind) return undefined;
  const text = sentence.replace(/\s+/g, ' ').trim();
  // A table row split out as a sentence has cells, not a clause: the row itself is the answer.
  if (text.includes('|')) return undefined;
  if (kind === 'amount') return nearestFigure(question, text);
  if (kind === 'date') return firstDate(text);
  return clauseAfter(SPAN_CONNECTIVES[kind], text);
}

/** The clause after the earliest connective the sentence uses (the longest one at that place). */
export function clauseAfter(connectives: readonly string[], sentence: string): string | undefined {
  const match = connectivePattern(connectives).exec(sentence.toLowerCase());
  if (!match) return undefined;
  const clause = sentence
    .slice(match.index + match[0].length)
    .replace(/^[\s,:;]+/, '')
    .replace(/[\s.;:]+$/, '');
  if (clause.split(/\s+/).length < SPAN_DEFAULTS.minClauseWords) return undefined;
  return clause;
}

const CONNECTIVE_PATTERNS = new WeakMap<readonly string[], RegExp>();

/**
 * One pattern for a list of connectives, made once: the longest first, so that at the earliest
 * place any of them matches the longest one wins. A pattern per connective built for every
 * sentence was a chat's longest synchronous step under load (24 ms in a profile of the store
 * bench: each answer sentence compiled some thirty Unicode patterns).
 */
function connectivePattern(connectives: readonly string[]): RegExp {
  let pattern = CONNECTIVE_PATTERNS.get(connectives);
  if (!pattern) {
    const longestFirst = [...connectives].sort((a, b) => b.length - a.length);
    pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${longestFirst.map(phrasePattern).join('|')})(?![\\p{L}\\p{N}])`, 'u');
    CONNECTIVE_PATTERNS.set(connectives, pattern);
  }
  return pattern;
}

const FIGURE =
  /(?:[-−(]\s*)?(?:(?:US|A|C|S|HK|NZ)?[$€£¥]|RMB|USD|EUR|GBP)?\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\)?(?:\s?(?:%|percent\b|per cent\b))?(?:\s(?:thousand|million|billion|trillion)\b|(?:bn|m|k)\b)?(?:\s(?:years?|months?|days?|shares?|employees?|people|customers|stores|restaurants|hotels|sites|locations|units)\b)?/gi;

/**
 * The figure the question's own words stand nearest to, with its currency, scale and unit. Years,
 * day numbers of dates and list numbering are not amounts.
 */
export function nearestFigure(question: string, sentence: string): string | undefined {
  return scoreFigures(question, sentence)?.text;
}

/**
 * Whether a sentence can answer with a clause: for a reason, composition, method or definition,
 * 1 when it uses the connective that opens the answering clause; else 0.
 */
export function spanFit(question: string, sentence: string): number {
  const kind = readSpanKind(question);
  const text = sentence.replace(/\s+/g, ' ').trim();
  if (!kind || text.includes('|') || /:\s*(?:\[\d+\])?\s*$/.test(text)) return 0;
  // Amounts and dates are in most sentences of a report: their presence says little about which
  // sentence answers, so the selector's ranking stands.
  if (kind === 'amount' || kind === 'date' || kind === 'purpose') return 0;
  return clauseAfter(SPAN_CONNECTIVES[kind], text) ? 1 : 0;
}

function scoreFigures(question: string, sentence: string): { text: string; score: number } | undefined {
  const wanted = new Set(tokenize(question).map(stem));
  const words = (text: string) => tokenize(text).map(stem);
  let best: { text: string; score: number } | undefined;
  // A figure's label is the text since the figure before it ("…, while travel expense reached $3.1m").
  let labelStart = 0;
  for (const match of sentence.matchAll(FIGURE)) {
    const figure = match[0].trim();
    const start = match.index + (match[0].length - match[0].trimStart().length);
    if (isNotAmount(figure, sentence, start)) continue;
    const before = words(sentence.slice(labelStart, start)).slice(-SPAN_DEFAULTS.labelWindow);
    labelStart = match.index + match[0].length;
    const score = before.filter((word) => wanted.has(word)).length;
    if (!best || score > best.score) best = { text: figure, score };
  }
  return best;
}

function isNotAmount(figure: string, sentence: string, at: number): boolean {
  const digits = figure.replace(/[^\d.]/g, '');
  const plain = /^\d+$/.test(figure);
  if (plain && /^(?:19|20)\d{2}$/.test(digits)) return true;
  // "June 30, 2019", "30 June": the day of a date.
  const around = sentence.slice(Math.max(0, at - 12), at + figure.length + 12);
  if (plain && Number(digits) <= 31 && new RegExp(`(?:${MONTHS})\\.?\\s+${digits}\\b|\\b${digits}\\s+(?:${MONTHS})`, 'i').test(around)) return true;
  // "31st December": an ordinal day.
  if (/^(?:st|nd|rd|th)\b/i.test(sentence.slice(at + figure.length))) return true;
  // "(1)", "Note 7": references, not amounts.
  if (/^\(\d\)$/.test(figure)) return true;
  if (/\b(?:note|notes|item|section|rule|asc|ias|ifrs|topic)\s*$/i.test(sentence.slice(0, at))) return true;
  return false;
}

const MONTHS = 'january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec';
const DATE = new RegExp(
  [
    `\\b(?:${MONTHS})\\.?\\s+\\d{1,2},?\\s+\\d{4}\\b`,
    `\\b\\d{1,2}\\s+(?:${MONTHS})\\.?,?\\s+\\d{4}\\b`,
    `\\b(?:${MONTHS})\\.?\\s+\\d{4}\\b`,
    '\\b(?:the )?(?:first|second|third|fourth) quarter of (?:fiscal )?(?:year )?\\d{4}\\b',
    '\\b(?:fiscal )?(?:year )?(?:19|20)\\d{2}\\b',
  ].join('|'),
  'i',
);

function firstDate(sentence: string): string | undefined {
  return DATE.exec(sentence)?.[0];
}

function phrasePattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+');
}
