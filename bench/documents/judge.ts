/**
 * Judging an answer against a TAT-QA gold answer (pure). The copilot answers in sentences, so the
 * judge reads the answer's lead (its first paragraph, where the engine puts the direct answer):
 * - numeric: the lead's first figure equals the gold number within 1%, scale-aware (a gold 5.2
 *   with scale "million" equals 5.2, 5,200,000 and "5.2 million"; a gold −22.22 with scale
 *   "percent" equals "−22.22%"; 0.87 equals "87%");
 * - exact: every gold string appears in the lead on word boundaries, after normalising case,
 *   spacing, thousands separators and dashes (for multi-span answers: the whole answer);
 * - refused: the answer says it found nothing.
 */
export interface GoldAnswer {
  answer: number | string | string[];
  answerType: 'arithmetic' | 'span' | 'multi-span' | 'count';
  scale: string;
}

export interface DocumentVerdict {
  correct: boolean;
  exact: boolean;
  numeric: boolean;
  refused: boolean;
}

const NO_ANSWER = /could not find anything|没有找到/;
const SCALES: Record<string, number> = { thousand: 1e3, thousands: 1e3, million: 1e6, millions: 1e6, billion: 1e9, billions: 1e9, percent: 0.01 };
export const TOLERANCE = 0.01;

export interface ReadFigure {
  value: number;
  /** The value with its stated scale or percent applied (5.2 million → 5,200,000; 12% → 0.12). */
  absolute: number;
  /** True when the figure carries neither a percent sign nor a scale word. */
  bare: boolean;
}

/** The figures a text states, in order, with their sign, percent and scale words; years and citation markers are skipped. */
export function readFigures(text: string): ReadFigure[] {
  const figures: ReadFigure[] = [];
  const cleaned = text.replace(/\[\d{1,3}\]/g, ' ').replace(/\*\*/g, '');
  const pattern =
    /([-−–]|\()?\s*[$€£¥]?\s*((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)\)?\s*(%|percent\b|per cent\b)?(?:\s*(thousands?|millions?|billions?|bn\b|m\b|k\b))?/gi;
  for (const match of cleaned.matchAll(pattern)) {
    const digits = match[2]!.replace(/,/g, '');
    const value = Number(digits) * (match[1] ? -1 : 1);
    if (!Number.isFinite(value)) continue;
    const percent = Boolean(match[3]);
    const word = match[4]?.toLowerCase();
    const isYear = /^(?:19|20)\d{2}$/.test(digits) && !percent && !word && !/[$€£¥]/.test(match[0]);
    if (isYear) continue;
    const scale = word ? (SCALES[word] ?? (word === 'bn' ? 1e9 : word === 'm' ? 1e6 : 1e3)) : 1;
    figures.push({ value, absolute: percent ? value / 100 : value * scale, bare: !percent && !word });
  }
  return figures;
}

function close(a: number, b: number): boolean {
  if (a === b) return true;
  return Math.abs(a - b) <= TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
}

/** Does a stated figure equal the gold number, reading the gold's scale both ways? */
export function figureMatches(figure: ReadFigure, gold: number, scale: string): boolean {
  const factor = SCALES[scale] ?? 1;
  const goldValues = [gold * factor, gold];
  const answerValues = figure.bare ? [figure.value] : [figure.absolute, figure.value];
  return goldValues.some((goldValue) => answerValues.some((value) => close(value, goldValue)));
}

export function normalizeAnswerText(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/\[\d{1,3}\]/g, ' ')
      .replace(/[*_`]/g, '')
      // Tables print "$ 64,798" and prose "$64,798": one figure, whichever side writes the space.
      .replace(/([$€£¥])\s+(?=[\d.(-])/g, '$1')
      .replace(/(\d),(\d{3})/g, '$1$2')
      .replace(/(\d),(\d{3})/g, '$1$2')
      .replace(/[−–—]/g, '-')
      .replace(/[’‘]/g, "'")
      .replace(/[“”]/g, '"')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** Contains on word boundaries: "20" is not found in "Russell 2000", "$1,496.5" is found in "$1,496.5 million". */
export function containsOnBoundaries(haystack: string, needle: string): boolean {
  const target = normalizeAnswerText(needle).replace(/[.;,]+$/, '');
  if (!target) return false;
  const escaped = target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // A figure after a minus sign is another figure: "-4558" does not state 4558 (a hyphen between figures, "2018-2019", does).
  const unsigned = /^[\d$€£¥.]/.test(target) ? '(?<!(?:^|[\\s(])-)' : '';
  return new RegExp(`(?<![\\p{L}\\p{N}])${unsigned}${escaped}(?![\\p{L}\\p{N}]|[.,]\\d)`, 'u').test(normalizeAnswerText(haystack));
}

/** The answer's first paragraph: where the direct answer stands. */
export function leadOf(answer: string): string {
  return answer.split(/\n\s*\n/)[0] ?? '';
}

export function judgeDocumentAnswer(gold: GoldAnswer, answer: string): DocumentVerdict {
  const refused = NO_ANSWER.test(answer);
  const lead = leadOf(answer);
  const golds = (Array.isArray(gold.answer) ? gold.answer : [String(gold.answer)]).map((item) => item.trim()).filter(Boolean);
  const scope = gold.answerType === 'multi-span' ? answer : lead;
  const exact = !refused && golds.length > 0 && golds.every((item) => containsOnBoundaries(scope, item));
  let numeric = false;
  const goldNumber = typeof gold.answer === 'number' ? gold.answer : golds.length === 1 ? parseGoldNumber(golds[0]!) : undefined;
  if (!refused && goldNumber !== undefined) {
    const first = readFigures(lead)[0];
    numeric = first !== undefined && figureMatches(first, goldNumber, gold.scale);
  }
  return { correct: exact || numeric, exact, numeric, refused };
}

/** A gold span that is only a number ("$1,496.5", "(12.3)", "4") as a number; undefined for words. */
export function parseGoldNumber(text: string): number | undefined {
  const match = /^\s*([-−(])?\s*[$€£]?\s*((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*\)?\s*%?\s*$/.exec(text);
  if (!match) return undefined;
  return Number(match[2]!.replace(/,/g, '')) * (match[1] ? -1 : 1);
}
