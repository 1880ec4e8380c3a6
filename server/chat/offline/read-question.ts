import {
  BY_HOW_MUCH,
  COMPARISON_CUES,
  COMPOUND_FORMS,
  ITEM_JOINER,
  OPERATION_WORDS_IN_NAMES,
  OVER_ITEMS,
  PER_UNIT,
  PER_UNIT_PRICE,
  PER_YEAR_CUE,
  PRODUCT_CUE,
  PART_FIRST,
  RANGE_WORD,
  SHARE_NOUN,
  WHOLE_DIVIDERS,
  WHOLE_FIRST,
  DESCRIPTION_QUESTION,
  GAP_CUE,
  ITEM_GAP_CUE,
  GLUED_COMPARISON,
  OPERATION_CUES,
  PERCENT_ITEM,
  POINTS_CUE,
  QUESTION_FILLER,
  STANDARD_RATIOS,
  SIGNED_DIFFERENCE,
  SUBJECT_BETWEEN,
  TOTAL_CUE,
  UNIT_CLAUSES,
  YES_NO_START,
  type CompoundForm,
  type Operation,
  type StandardRatio,
} from '../../../lib/financial-questions.ts';
import { findMaturity, quarterOrHalf, readPeriod } from '../../cells/periods.ts';
import type { CellPeriod } from '../../cells/types.ts';

/**
 * Stage 1 of the offline engine (pure): what a question over financial documents asks. The
 * operation (a value, a change, a share, a standard ratio…), the line items it names (one, or two
 * for a ratio or a share), the periods in the order the question gives them, and, for a yes/no
 * question, what it compares. Knows no document, company or answer: only the language of questions.
 */
export interface QuestionReading {
  operation: Operation;
  /** Line-item phrases as the question words them ("adjusted ebitda"); two for ratio, share and difference of items. */
  items: string[];
  periods: CellPeriod[];
  ratio?: StandardRatio;
  yesNo?: { direction: 'increase' | 'decrease' | 'above' | 'below'; threshold?: number; improve?: boolean };
  /** A level the question compares with ("exceed $30,000", "above 20%"). */
  threshold?: { direction: 'above' | 'below'; value: number; text: string; scale?: number };
  /** The question asks which period (year, quarter) or which item, not for a figure. */
  asksWhich?: 'period' | 'item';
  /** Several periods asked one by one ("in 2019 and 2018 respectively"). */
  respectively: boolean;
  /** The periods are the ends of a range ("from 2015 to 2019", "over the 3 years"): every period between counts. */
  range: boolean;
  /**
   * The periods and range when each span of years the question writes ("2021-2022") is read as one
   * period, not as its two ends: the answer stage uses them when a table heads a column with that span.
   */
  spans?: { periods: CellPeriod[]; range: boolean };
  /** "The average annual X for 2020-2024": an average per year, over spans of years as over single years. */
  perYear?: boolean;
  /** "Over the last 2 years" with no period named: how many of the latest periods a row holds are asked. */
  latestPeriods?: number;
  /** The question asks for an amount ("how much", "what was the amount"), not a description. */
  asksAmount: boolean;
  /** The question asks why, how or what something means: sentences answer it, not a cell. */
  asksDescription: boolean;
  /** The question's words that are neither operation nor period, to pick a named column ("as reported"). */
  words: string[];
  /**
   * "The difference in X between A and B": the subject X that A and B share (`items` are A and B).
   * A and B are rows with X as their column, or columns of the row X.
   */
  subject?: string;
  /**
   * The question adds up the rows one phrase names ("all", "both", or "the total X" where the table
   * splits X): `items` when it says so, `total` when it only asks for a total.
   */
  overRows?: 'items' | 'total';
  /**
   * "The difference between 2018 and 2019" (or between two line items): the size of the change
   * between two periods, or of the gap between two items, its direction said in words.
   */
  gap?: boolean;
  /** Words of the question that may name a column ("end of period", "as reported", "current"): grammar and periods left out. */
  columnWords: string[];
  /** An operation over operations ("the difference between the average X and the average Y"), with its line items. */
  compound?: { form: CompoundForm; items: string[] };
  /** For a standard ratio: what the question does with it besides stating it ("the change in the current ratio"). */
  ratioOperation?: Operation;
  /** "How many percent did X change": a change in percentage points when X is itself a percentage. */
  points: boolean;
  /**
   * "The value of the outstanding shares": a count of units times the price per unit its row prints
   * beside it; for a sum ("the total value of options exercised and forfeited"), of each row it adds.
   */
  product?: boolean;
  /** A share of one line item's figure in the maturity bands asked in its total ("the proportion of debt due in 1-3 years"). */
  ofTotal?: boolean;
  /** A share or ratio of one line item's first period to its second ("the 2019 revenue as a percentage of 2018 revenue"). */
  overPeriods?: boolean;
  /** "Net income per share": the amount and the unit it is divided by, when no row prints the whole phrase. */
  perUnit?: { amount: string; unit: string };
  /**
   * For a share or ratio whose first item joins two ("X and Y in Z"): the two parts, tried as a
   * sum when no single row is named by the whole phrase.
   */
  parts?: string[];
}

const PERIOD_PATTERNS = [
  /\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+\d{1,2},?\s+\d{4}\b/gi,
  /\b\d{1,2}\s+(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?,?\s+\d{4}\b/gi,
  // A month of a year without its day ("Jun-2018", "February 2016", "Mar-19").
  /\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?(?:\s*[-–/]\s*(?:\d{4}|\d{2})|,?\s+\d{4})\b/gi,
  /\bQ[1-4]\s*(?:FY\s*)?'?\d{2,4}\b/gi,
  /\b(?:first|second|third|fourth) quarter(?: of)?(?: fiscal)?,? \d{4}\b/gi,
  /\bH[12]\s*'?\d{2,4}\b/gi,
  /\b(?:FY|F|fiscal(?: year)?)\s*'?\d{2,4}\b/gi,
  /\b(?:19[5-9]\d|20\d{2})\b/g,
];

export function readQuestion(question: string): QuestionReading {
  const spaced = withSharedYears(question.replace(/\s+/g, ' ').replace(/[’‘]/g, "'").replace(GLUED_COMPARISON, '$1 ').trim());
  // "(in percentage)" asks for the result's unit: a ratio asked in percent is a share.
  const inPercent = UNIT_CLAUSES.some((clause) => [...spaced.matchAll(clause)].some((match) => /percent|%/i.test(match[0])));
  const text = UNIT_CLAUSES.reduce((current, clause) => current.replace(clause, ' '), spaced)
    .replace(/\s+/g, ' ')
    .replace(/\s+([?,])/g, '$1')
    .trim();
  const { periods, stripped, spans } = takePeriods(text);
  const ratio = STANDARD_RATIOS.find((candidate) => candidate.names.test(text));
  // Operation words inside a line item's name ("weighted-average shares") are not the operation.
  const cueText = OPERATION_WORDS_IN_NAMES.reduce((current, pattern) => current.replace(pattern, ' '), stripped);
  // A ratio's own name ("current ratio", "gross margin") is not a cue; what else the question says is.
  const ratioOperation = ratio ? OPERATION_CUES.find(([, cue]) => cue.test(cueText.replace(ratio.names, ' ')))?.[0] : undefined;
  const points = POINTS_CUE.test(text);
  let operation: Operation = ratio ? 'formula' : points ? 'percent_change' : (OPERATION_CUES.find(([, cue]) => cue.test(cueText))?.[0] ?? 'value');

  const comparison = readComparison(stripped);
  const yesNo = YES_NO_START.test(text) && comparison ? { ...comparison, ...(/\bimprov/i.test(text) ? { improve: true } : {}) } : undefined;
  const threshold = readThreshold(stripped);
  const which = /^\s*(?:in |during |for )?(?:which|what) (?:year|period|quarter|fiscal year|month)\b|\bwhich (?:year|period|quarter)\b/i.test(text)
    ? ('period' as const)
    : /^\s*(?:which|what) (?:\w+ ){0,3}(?:had|has|have|was|is|were|are|contributed|generated|recorded)\b.*\b(?:largest|highest|biggest|greatest|most|smallest|lowest|least)\b/i.test(
          text,
        )
      ? ('item' as const)
      : undefined;
  if (
    operation === 'count' &&
    !/\bhow many (?:years|quarters|months|segments|items|types|categories|components|regions|countries|assumptions|factors|kinds|classes|sources|periods)\b|\bhow many\b.*\b(?:exceed\w*|above|below|more than|less than|over|under|greater than|lower than|higher than)\b/i.test(
      text,
    )
  ) {
    operation = 'value';
  }
  const extreme = /\b(?:smallest|lowest|least|minimum|fewest|decline|decrease|drop)\b/i.test(text) ? 'smallest' : 'largest';
  // "In which year was the gross margin higher": a standard ratio keeps its formula, the extreme is what is done with it.
  if (which && !ratio && operation !== 'largest' && operation !== 'smallest') operation = extreme;
  if (yesNo && operation === 'value') operation = yesNo.direction === 'increase' || yesNo.direction === 'decrease' ? 'change' : 'value';
  if (yesNo && (yesNo.direction === 'above' || yesNo.direction === 'below') && !ratio && operation !== 'percent_change') operation = 'value';

  const compound = ratio ? undefined : readCompound(stripped);
  if (compound) operation = compound.form === 'difference_of_averages' ? 'difference' : compound.form === 'average_of_changes' ? 'average' : operation;
  if (inPercent && operation === 'ratio') operation = 'share';
  const between = ratio || compound ? undefined : readSubjectBetween(stripped, operation);
  if (between && operation === 'change') operation = 'difference';
  const read = ratio ? { items: [] } : compound ? { items: compound.items } : between ? { items: between.items } : readItems(stripped, operation);
  // "The 2019 revenue as a percentage of 2018 revenue": one line item, one period over another.
  const overPeriods = (operation === 'share' || operation === 'ratio') && read.items.length === 2 && read.items[0] === read.items[1] && periods.length === 2;
  // "What proportion of long-term debt is due in 1-3 years" ("… of total lease payments is due in
  // 2021"): one line item in the bands or years asked, as a share of its total; the words left of
  // the periods ("due", "payable") name no item.
  const named = read.items.filter((item) => !DUE_WORDS.test(item));
  const ofTotal =
    operation === 'share' &&
    !yesNo &&
    named.length === 1 &&
    read.items.length <= 2 &&
    (periods.some((period) => period.due) || (periods.length > 0 && named.length < read.items.length));
  const items = overPeriods ? read.items.slice(0, 1) : ofTotal ? [withoutDueWords(named[0]!)] : read.items;
  // "The change in revenue from 2018 to 2019 in percentage" asks for a percentage change; of an
  // item that is itself a percentage ("the margin", "the tax rate") it asks for the change in points.
  if (inPercent && operation === 'change' && !compound && !PERCENT_ITEM.test(items.join(' '))) operation = 'percent_change';
  // A share names a part and a whole; with one item it names a row of percentages ("the average
  // percentage of net revenues"), and the question's other operation word is the operation.
  if (operation === 'share' && items.length < 2 && !yesNo && !overPeriods && !ofTotal)
    operation = OPERATION_CUES.find(([name, cue]) => name !== 'share' && cue.test(cueText))?.[0] ?? 'value';
  const parts = (operation === 'share' || operation === 'ratio') && items.length === 2 ? read.parts : undefined;
  // "difference between 2019 and 2018 X" (one item, two periods) is a change between periods, its size asked.
  const gap =
    (operation === 'difference' &&
      !SIGNED_DIFFERENCE.test(text) &&
      (items.length < 2 ? periods.length >= 2 && GAP_CUE.test(stripped) : !compound && ITEM_GAP_CUE.test(stripped))) ||
    // "How much did X increase by": the size of the movement.
    (operation === 'change' && !yesNo && BY_HOW_MUCH.test(text));
  if (operation === 'difference' && items.length < 2 && periods.length >= 2) operation = 'change';
  const respectively = /\brespectively\b/i.test(text);
  // "The average cost per employee in 2018" is the amount per unit of one period, not an average over periods.
  const divides = ['value', 'change', 'percent_change'].includes(operation) || (operation === 'average' && periods.length <= 1);
  const perGroups = items.length === 1 && divides ? PER_UNIT.exec(items[0]!)?.groups : undefined;
  const perUnit = perGroups?.amount && perGroups.unit ? { amount: perGroups.amount, unit: perGroups.unit } : undefined;
  // "the total X in 2019 and 2018" ("over the last two years") adds the periods up unless they are asked one by one.
  const latest = periods.length === 0 ? latestPeriods(stripped) : undefined;
  if (operation === 'value' && (periods.length >= 2 || latest) && !respectively && /\b(?:total|combined|altogether|in all)\b/i.test(stripped))
    operation = 'sum';
  const range =
    /\b(?:from|between)\s+§\s*(?:to|through|until|and)\s+§|§\s*(?:-|–|to|through)\s*§|\b(?:over|for|in) the (?:\d+|two|three|four|five)[- ]years?\b|\b(?:\d+|two|three|four|five)[- ]year period\b/i.test(
      stripped,
    );
  return {
    operation,
    items,
    periods,
    ...(ratio ? { ratio } : {}),
    ...(yesNo ? { yesNo } : {}),
    ...(threshold ? { threshold } : {}),
    ...(which ? { asksWhich: which } : {}),
    ...(compound ? { compound } : {}),
    ...(overPeriods ? { overPeriods } : {}),
    ...(ofTotal ? { ofTotal } : {}),
    ...(parts ? { parts } : {}),
    ...(between?.subject ? { subject: between.subject } : {}),
    columnWords: columnWords(stripped),
    ...(gap ? { gap } : {}),
    ...(OVER_ITEMS.test(stripped) ? { overRows: 'items' as const } : TOTAL_CUE.test(stripped) ? { overRows: 'total' as const } : {}),
    ...(ratioOperation && ['change', 'percent_change', 'average', 'largest', 'smallest'].includes(ratioOperation)
      ? { ratioOperation }
      : ratio && which
        ? { ratioOperation: extreme }
        : {}),
    points,
    ...(perUnit ? { perUnit } : {}),
    ...((operation === 'value' || operation === 'sum') && PRODUCT_CUE.test(text) && !PER_UNIT_PRICE.test(text) && !DESCRIPTION_QUESTION.test(text)
      ? { product: true }
      : {}),
    respectively: respectively || (operation === 'value' && periods.length > 1),
    range,
    ...(spans ? { spans } : {}),
    ...(latest ? { latestPeriods: latest } : {}),
    ...(operation === 'average' && PER_YEAR_CUE.test(text) ? { perYear: true } : {}),
    asksDescription: DESCRIPTION_QUESTION.test(text),
    words: cleanItem(stripped).split(' ').filter(Boolean),
    asksAmount: /\b(?:how much|amount|value|total|balance|figure|sum|cost|price|revenue|sales|income|expense|number of)\b/i.test(text) || periods.length > 0,
  };
}

const MONTH_NAME =
  '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
/** Months listed before the one year they share: "April and December 2019", "March, June and September 2020", "from March to June 2019". */
const MONTHS_SHARING_A_YEAR = new RegExp(`\\b((?:${MONTH_NAME}\\s*(?:,|and|&|to|through)\\s*)+)(?:and\\s+)?(${MONTH_NAME})\\s+((?:19|20)\\d{2})\\b`, 'gi');

/** "In April and December 2019" names two months of 2019: each month is written with its year, as the periods are read. */
function withSharedYears(text: string): string {
  return text.replace(MONTHS_SHARING_A_YEAR, (_match, listed: string, last: string, year: string) => {
    const months = listed.match(new RegExp(MONTH_NAME, 'gi')) ?? [];
    const joiners = listed.match(/,|\b(?:and|to|through)\b|&/gi) ?? [];
    return [...months.map((month, index) => `${month} ${year}${joiners[index] === ',' ? ',' : ` ${joiners[index] ?? 'and'}`}`), `${last} ${year}`].join(' ');
  });
}

/** The question's periods in order, and its text with each period replaced by a marker. */
function takePeriods(text: string): { periods: CellPeriod[]; stripped: string; spans?: { periods: CellPeriod[]; range: boolean } } {
  const found: { index: number; period: CellPeriod }[] = [];
  const marked = markPeriods(text, (index, period) => found.push({ index, period }));
  // "From the first quarter to the second quarter of 2019": a quarter written without its year is of
  // the year the nearest period names (the one after it first).
  const stripped = marked
    .replace(BARE_QUARTER, (match, ...rest) => {
      const index = rest.find((value) => typeof value === 'number') as number;
      const part = quarterOrHalf(match);
      const dated = found.filter(({ period }) => period.year !== undefined && period.through === undefined);
      const near = dated.find((entry) => entry.index > index) ?? dated.at(-1);
      if (!part || !near) return match;
      found.push({ index, period: { label: `${match} ${near.period.year}`, year: near.period.year!, ...part } });
      return ' § '.padEnd(match.length, ' ');
    })
    .replace(/\s+/g, ' ')
    .trim();
  const periods = distinctPeriods(found.sort((a, b) => a.index - b.index));
  // "2021-2022" is read twice: as its two ends (a range, as "the average for 2017-2019" means), and
  // as one span of years, the period a maturity table's column of that name holds.
  const spans = [...text.matchAll(YEAR_SPAN)].flatMap((match) => {
    const period = readPeriod(match[0]);
    const index = match.index ?? 0;
    return period?.through ? [{ index, end: index + match[0].length, period }] : [];
  });
  if (spans.length === 0) return { periods, stripped };
  const outside = found.filter(({ index }) => !spans.some((span) => index >= span.index && index < span.end));
  const withSpans = spans.reduceRight((current, span) => `${current.slice(0, span.index)} § ${current.slice(span.end)}`, text);
  return {
    periods,
    stripped,
    spans: {
      periods: distinctPeriods([...outside, ...spans].sort((a, b) => a.index - b.index)),
      range: /\b(?:from|between)\s+§\s*(?:to|through|until|and)\s+§/i.test(markPeriods(withSpans).replace(/\s+/g, ' ')),
    },
  };
}

/** The text with each period it writes replaced by "§" (padded to its length, so indices keep), each reported. */
function markPeriods(text: string, onPeriod: (index: number, period: CellPeriod) => void = () => {}): string {
  let marked = text;
  // Maturity bands ("due in 1-3 years", "after 5 years") first: their counts are no thresholds.
  for (let band = findMaturity(marked, { question: true }); band; band = findMaturity(marked, { question: true })) {
    const phrase = marked.slice(band.index, band.index + band.length);
    onPeriod(band.index, { label: phrase, due: band.due });
    marked = `${marked.slice(0, band.index)}${' § '.padEnd(band.length, ' ')}${marked.slice(band.index + band.length)}`;
  }
  for (const pattern of PERIOD_PATTERNS) {
    marked = marked.replace(pattern, (match, ...rest) => {
      const index = rest.find((value) => typeof value === 'number') as number;
      const period = readPeriod(match);
      if (period) onPeriod(index, period);
      return ' § '.padEnd(match.length, ' ');
    });
  }
  return marked;
}

/** A quarter or half a question writes without a year ("the first quarter", "Q3"). */
const BARE_QUARTER = /\b(?:(?:first|second|third|fourth|1st|2nd|3rd|4th)\s+(?:fiscal\s+)?(?:quarter|half)|Q[1-4]|H[12])\b/gi;

/** Periods in the order found, each once. */
function distinctPeriods(found: { period: CellPeriod }[]): CellPeriod[] {
  const periods: CellPeriod[] = [];
  for (const { period } of found) {
    if (
      !periods.some(
        (known) =>
          known.year === period.year &&
          known.through === period.through &&
          known.quarter === period.quarter &&
          known.half === period.half &&
          known.month === period.month &&
          known.end === period.end &&
          known.due?.from === period.due?.from &&
          known.due?.to === period.due?.to,
      )
    )
      periods.push(period);
  }
  return periods;
}

/** Two years joined by a dash, the later last: a range of years, or a maturity table's span of years. */
const YEAR_SPAN = /\b(?:19[5-9]\d|20\d{2})\s*[-–]\s*(?:19[5-9]\d|20\d{2})\b/g;

const THRESHOLD =
  /\b(exceed(?:s|ed|ing)?|above|over|more than|greater than|higher than|at least|below|under|less than|lower than|at most)\s*(\$|€|£)?\s*(-?[\d,]*\.?\d+)\s*(%|percent|million|billion|thousand)?/i;

function readThreshold(text: string): QuestionReading['threshold'] {
  const match = THRESHOLD.exec(text);
  if (!match) return undefined;
  const direction = /^(?:below|under|less|lower|at most)/i.test(match[1]!) ? 'below' : 'above';
  const scale = { thousand: 1e3, million: 1e6, billion: 1e9 }[match[4]?.toLowerCase() ?? ''];
  return { direction, value: Number(match[3]!.replace(/,/g, '')), text: match[0].slice(match[1]!.length).trim(), ...(scale ? { scale } : {}) };
}

function readComparison(text: string): { direction: 'increase' | 'decrease' | 'above' | 'below'; threshold?: number } | undefined {
  for (const [direction, cue] of COMPARISON_CUES) {
    if (!cue.test(text)) continue;
    if (direction === 'above' || direction === 'below') {
      const threshold =
        /(?:above|over|exceed(?:s|ed)?|more than|greater than|higher than|at least|below|under|less than|lower than|at most)\s*\$?\s*(-?[\d,]*\.?\d+)\s*(%|percent|million|billion|thousand)?/i.exec(
          text,
        );
      if (threshold) return { direction, threshold: Number(threshold[1]!.replace(/,/g, '')) };
      continue;
    }
    return { direction };
  }
  return undefined;
}

function readCompound(stripped: string): QuestionReading['compound'] {
  const body = stripped.replace(/\?+$/, '');
  for (const { form, pattern } of COMPOUND_FORMS) {
    const match = pattern.exec(body);
    if (!match) continue;
    const items = match
      .slice(1)
      .filter((group): group is string => group !== undefined)
      .map(cleanItem);
    if (items.length > 0 && items.every(Boolean)) return { form, items };
  }
  return undefined;
}

/** "The difference in X between A and B" with A and B not periods: A and B, and their subject X. */
function readSubjectBetween(stripped: string, operation: Operation): { items: string[]; subject?: string } | undefined {
  if (!['difference', 'change', 'percent_change', 'ratio', 'sum', 'average'].includes(operation)) return undefined;
  const match = SUBJECT_BETWEEN.exec(stripped.replace(/\?+$/, ''));
  if (!match) return undefined;
  // A period closing the question ("… between Europe and Asia in §") dates both items.
  const last = match[3]!.replace(/\s+(?:in|for|during|as of|at)\s+§\s*$/i, '');
  const [subject, first, second] = [cleanItem(match[1]!), cleanItem(match[2]!), cleanItem(last)];
  // "between § and §" (two periods) or an empty side is a change between periods, not two items.
  if (!first || !second || /§/.test(`${match[2]} ${last}`)) return undefined;
  return { items: [first, second], ...(subject ? { subject } : {}) };
}

/** Grammar words that never name a column; every other word of the question may ("end", "current", "total", "reported"). */
const COLUMN_GRAMMAR = new Set(
  'what whats was is are were did does do how much many which when where who the a an of for from to in on at by with as and or its their this that these those there be been has have had'.split(
    ' ',
  ),
);

function columnWords(stripped: string): string[] {
  return (stripped.toLowerCase().match(/[a-z][a-z&'-]*/g) ?? []).filter((word) => !COLUMN_GRAMMAR.has(word));
}

/** "deferred revenue and accrued warranty" → both items; undefined for a phrase that joins nothing. */
function splitJoined(phrase: string): string[] | undefined {
  const parts = phrase.split(ITEM_JOINER).map(cleanItem);
  return parts.length === 2 && parts.every((part) => part.length > 2) ? parts : undefined;
}

/** Two-item shapes besides a share's part and whole: "A to B ratio", "the difference between A and B"… */
const TWO_ITEMS: [Operation[], RegExp][] = [
  [['ratio'], /^(.+?)\s+to\s+(.+?)\s+ratio\b/i],
  [['difference', 'sum', 'average'], /\b(?:difference|gap|sum|total|average|mean)\s+(?:between|of)\s+(.+?)\s+and\s+(.+)$/i],
  // "The ratio between A and B", "A divided by B", "how many times larger was A than B": A ÷ B.
  [['ratio', 'share'], /\bratio\s+between\s+(?:the\s+)?(.+?)\s+and\s+(?:the\s+)?(.+)$/i],
  [['ratio'], /^(?:(?:what|how much)\s+(?:is|was|are|were)\s+)?(?:the\s+)?(.+?)\s+divided by\s+(?:the\s+)?(.+)$/i],
  [
    ['ratio'],
    /\bhow many times\s+(?:larger|greater|higher|bigger|more|smaller|lower)?\s*(?:(?:was|were|is|are)\s+)?(.+?)\s+(?:than|as large as|as much as)\s+(.+)$/i,
  ],
  // "How much more was A than B": A − B, the direction given.
  [['difference'], /\bhow much (?:more|less|higher|lower|greater|larger|smaller)\s+(?:(?:was|were|is|are|did|does|do)\s+)?(.+?)\s+than\s+(.+)$/i],
];

/** Words around a maturity band that name no line item ("payments due", "amounts payable"). */
const DUE_WORDS = /^(?:(?:due|payable|payments?|maturing|amounts?|obligations due|falling due)\s*)+$/i;

function withoutDueWords(item: string): string {
  return item.replace(/\s+(?:due|payable|maturing|falling due)$/i, '').replace(/\s+payments?$/i, '') || item;
}

const COUNT_WORDS: Record<string, number> = { two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };

/** "Over the last 2 years", "in the past three fiscal years", "the most recent two years": how many of the latest periods. */
function latestPeriods(stripped: string): number | undefined {
  const match =
    /\b(?:last|past|latest|most recent|recent)\s+(\d+|two|three|four|five|six|seven|eight|nine|ten)[- ](?:fiscal[- ])?(?:years?|quarters?|periods?)\b/i.exec(
      stripped,
    );
  if (!match) return undefined;
  const count = COUNT_WORDS[match[1]!.toLowerCase()] ?? Number(match[1]);
  return count >= 2 ? count : undefined;
}

const SPAN_OF_PERIODS =
  /\b(?:over|for|in|during|across|of)\s+the\s+(?:last\s+|past\s+)?(?:\d+|two|three|four|five|six|seven|eight|nine|ten)[- ](?:fiscal[- ])?(?:years?|quarters?|periods?|months?)\b/gi;

function readItems(stripped: string, operation: Operation): { items: string[]; parts?: string[] } {
  const body = stripped
    .replace(/\?+$/, '')
    .replace(/^\s*(?:in|for|during|as of|at)\s+§\s*,?\s*/i, '')
    // "over the three years", "across the last 2 fiscal years": a range of periods, no part of the item.
    .replace(SPAN_OF_PERIODS, ' ')
    // A threshold ("exceed $30,000 thousand", "above 20%") is not part of the item's name.
    .replace(/\s+(?:exceed\w*|above|below|more than|less than|greater than|lower than|higher than|at least|at most)\s+.*$/i, '');
  const pair = operation === 'share' || operation === 'ratio' ? readPartWhole(body, operation) : undefined;
  if (pair) {
    const [first, second] = [cleanItem(pair.part), cleanItem(pair.whole)];
    const parts = splitJoined(pair.part);
    if (first && second) return { items: [first, second], ...(parts ? { parts } : {}) };
  }
  for (const [operations, pattern] of TWO_ITEMS) {
    if (!operations.includes(operation)) continue;
    const match = pattern.exec(body);
    if (!match) continue;
    const [first, second] = [cleanItem(match[1]!), cleanItem(match[2]!)];
    if (first && second) return { items: [first, second] };
  }
  const single = cleanItem(body);
  return { items: single ? [single] : [] };
}

/**
 * A share's or ratio's part and whole, by the grammar in lib/financial-questions.ts: phrasings that
 * name the whole first, then those that name the part first, then "the percentage of [part]
 * [divider] [whole]" split at its surest divider (the first of the surest rank).
 */
export function readPartWhole(body: string, operation: 'share' | 'ratio'): { part: string; whole: string } | undefined {
  const text = body
    .trim()
    // A period closing the question ("… account for in §") is no part of either item.
    .replace(/(?:\s+(?:in|for|during|as of|at))?\s+§$/i, '')
    .replace(/^(?:what|which)\s+(?:is|was|are|were)\s+(?:the\s+)?(?=.*\b(?:as an?|constitut|account|make up|made up|represent))/i, '');
  for (const form of [...WHOLE_FIRST, ...PART_FIRST]) {
    const groups = form.exec(text)?.groups;
    if (groups?.part && groups.whole && cleanItem(groups.part) && cleanItem(groups.whole)) return { part: groups.part, whole: groups.whole };
  }
  const opening = new RegExp(`\\b${SHARE_NOUN}\\s+(?:of\\s+)?(?:(?:constitution|composition)\\s+)?(?:of|for)\\s+(?:the\\s+)?`, 'i').exec(text);
  if (!opening) return undefined;
  const rest = text.slice(opening.index + opening[0].length);
  const ratioTo = operation === 'ratio' || /\bratio\b/i.test(opening[0]);
  let best: { rank: number; index: number; length: number } | undefined;
  for (const [rank, divider] of WHOLE_DIVIDERS) {
    for (const match of rest.matchAll(divider)) {
      const index = match.index ?? 0;
      const before = rest.slice(0, index).trim().split(/\s+/).at(-1) ?? '';
      const after =
        rest
          .slice(index + match[0].length)
          .trim()
          .split(/\s+/)[0] ?? '';
      if (RANGE_WORD.test(after) || (/\bto\b/i.test(match[0]) && RANGE_WORD.test(before))) continue;
      const effective = ratioTo && /^\s*to\s*$/i.test(match[0]) ? 1 : rank;
      if (!cleanItem(rest.slice(0, index)) || !cleanItem(rest.slice(index + match[0].length))) continue;
      if (!best || effective < best.rank || (effective === best.rank && index < best.index)) best = { rank: effective, index, length: match[0].length };
    }
  }
  if (!best) return undefined;
  return { part: rest.slice(0, best.index), whole: rest.slice(best.index + best.length).replace(/^the\s+/i, '') };
}

/** Each operation cue as a global pattern, made once (`replace` starts a global pattern from 0 each time). */
const CUE_REMOVERS = OPERATION_CUES.map(([, cue]) => new RegExp(cue.source, 'gi'));

/** An item phrase without the question's grammar, operation words and period markers. */
export function cleanItem(phrase: string): string {
  let text = phrase.toLowerCase().replace(/§/g, ' ');
  for (const cue of CUE_REMOVERS) text = text.replace(cue, ' ');
  const words = text
    .replace(/[^a-z0-9&'\-/ ]+/g, ' ')
    .split(/\s+/)
    .map((word) => word.replace(/^'+|'+$/g, '').replace(/'s$/, ''))
    // A number is a figure, a count or a date, except the rank a hierarchy word gives it ("level 2", "tier 1").
    .filter((word, index, all) => word && !QUESTION_FILLER.has(word) && (!/^\d+$/.test(word) || RANKED.test(all[index - 1] ?? '')) && word !== '/');
  return words.join(' ').trim();
}

/** Words that a small number ranks within a hierarchy: fair value levels, capital tiers, share classes, stages. */
const RANKED = /^(?:level|tier|class|stage|phase|grade|category|series|note)$/;
