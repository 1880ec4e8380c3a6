import { splitSentences } from '../../ingest/sentences.ts';
import { readPeriod } from './periods.ts';
import type { Cell } from './types.ts';

/**
 * Figures a sentence pairs with periods, as cells (pure): reports write "were $3,800 and $6,690
 * for 2019 and 2018, respectively" or "increased to $34.4 million in 2019 from $26.2 million in
 * 2018". In a "respectively" sentence the amounts come in runs of as many amounts as it names
 * years, each run in the years' order and each run a row of its own; otherwise an amount belongs
 * to the year written right after it. The words before a run are its label, the words after it
 * its context, so lookup matches the whole sentence.
 */
const AMOUNT = /([-−(])?\s*([$€£¥])?\s*((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(%|percent\b|million\b|billion\b|thousand\b|bn\b|m\b)?/gi;
/** Words that open a predicate about the figures before them ("is reflected as", "were recorded in"). */
const PREDICATE = /^(?:is|are|was|were|has|have|had|will|would|represent(?:s|ed)?|relat(?:es|ed|ing))\b/i;
const YEAR = /\b(?:FY\s*|fiscal(?: year)?\s+)?((?:19[5-9]|20\d)\d)\b/gi;

export function sentenceCells(text: string, passageId: string): Cell[] {
  const cells: Cell[] = [];
  let sentenceIndex = 0;
  for (const sentence of splitSentences(text)) {
    sentenceIndex += 1;
    if (sentence.includes('|')) continue;
    const years = [...sentence.matchAll(YEAR)].map((match) => ({ year: Number(match[1]), index: match.index ?? 0, end: (match.index ?? 0) + match[0].length }));
    const distinct = [...new Set(years.map((entry) => entry.year))];
    if (distinct.length < 2) continue;
    const amounts = [...sentence.matchAll(AMOUNT)]
      .filter((match) => {
        const digits = match[3]!.replace(/,/g, '');
        const index = match.index ?? 0;
        const isYear =
          years.some((entry) => index + match[0].indexOf(match[3]!) >= entry.index && index < entry.end) ||
          (/^(?:19|20)\d{2}$/.test(digits) && !match[2] && !match[4]);
        // Amounts carry a currency sign, a unit, decimals or thousands separators; a bare small integer is a count or a date.
        return !isYear && Boolean(match[2] || match[4] || /[.,]/.test(match[3]!));
      })
      .map((match) => ({ match, index: match.index ?? 0 }));
    const respectively = /\brespectively\b/i.test(sentence);
    // Which year each amount belongs to, in runs that form one row each.
    const runs: { amounts: typeof amounts; years: number[] }[] = [];
    if (respectively && amounts.length % distinct.length === 0) {
      // "$2.8 billion and $2.4 billion … at 2019 and 2018, respectively, $2.9 billion and $2.5 billion is …":
      // every run of as many amounts as years follows the years' order.
      for (let start = 0; start < amounts.length; start += distinct.length)
        runs.push({ amounts: amounts.slice(start, start + distinct.length), years: distinct });
    } else if (!respectively) {
      // "increased to $34.4 million in 2019 from $26.2 million in 2018": each amount takes the year written after it.
      const dated = amounts.map((amount) => ({ amount, year: years.find((entry) => entry.index > amount.index)?.year }));
      const kept = dated.filter((entry): entry is { amount: (typeof amounts)[number]; year: number } => entry.year !== undefined);
      const keys = kept.map((entry) => `${entry.year}|${/%|percent/i.test(entry.amount.match[4] ?? '') ? '%' : ''}`);
      if (new Set(kept.map((entry) => entry.year)).size < 2 || new Set(keys).size !== keys.length) continue;
      runs.push({ amounts: kept.map((entry) => entry.amount), years: kept.map((entry) => entry.year) });
    } else continue;
    runs.forEach((run, runIndex) => {
      const from = runIndex === 0 ? 0 : runs[runIndex - 1]!.amounts.at(-1)!.index + runs[runIndex - 1]!.amounts.at(-1)!.match[0].length;
      const before = sentence.slice(from, run.amounts[0]!.index).replace(/\s+/g, ' ').trim();
      // "$2.9 billion and $2.5 billion is reflected as a long-term liability and $118 million …": words
      // after a run that open with a verb say what that run is, so they do not name the next run.
      const label = runIndex > 0 && PREDICATE.test(before) ? '' : before;
      const until = runs[runIndex + 1]?.amounts[0]?.index ?? sentence.length;
      // The words after the run name its figures too ("… $60.3 million due on government contracts").
      const context = sentence.slice(run.amounts[0]!.index, until).replace(AMOUNT, ' ').replace(YEAR, ' ').replace(/\s+/g, ' ').trim();
      const named = runIndex === 0 ? label : `${sentence.slice(0, amounts[0]!.index).trim()} ${label}`.trim();
      if (named.split(/\s+/).length < 2) return;
      run.amounts.forEach(({ match }, position) => {
        const year = run.years[position]!;
        const measure = measureOf(match[4], match[2]);
        const value = Number(match[3]!.replace(/,/g, '')) * (match[1] ? -1 : 1);
        cells.push({
          passageId,
          rowIndex: -(sentenceIndex * 100 + runIndex),
          columnIndex: position,
          label: named,
          path: [],
          ...(context ? { context } : {}),
          column: String(year),
          period: readPeriod(String(year))!,
          text: match[0].trim(),
          value,
          ...measure,
        });
      });
    });
  }
  // Cells from a sentence keep its figure text as printed; the scale word is already in `text`.
  return cells.map((cell) => (cell.scaleWord ? { ...cell, text: cell.text.replace(/\s*(?:million|billion|thousand|bn|m)$/i, '') } : cell));
}

const MONTH_YEAR =
  /\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+(?:\d{1,2},?\s+)?(?:19[5-9]\d|20\d{2})\b/gi;

/**
 * The one figure a sentence states for the one period it names ("In April 2019, we granted 346,453
 * units", "revenue rose to $4.1 million in fiscal 2019"), as a cell of a row of its own (pure).
 * Reports state a series this way, a sentence per period; the answer stage joins such sentences
 * of one document into a series when no table row holds the periods a question asks.
 */
export function datedSentenceCells(text: string, passageId: string): Cell[] {
  const cells: Cell[] = [];
  let sentenceIndex = 0;
  for (const sentence of splitSentences(text)) {
    sentenceIndex += 1;
    if (sentence.includes('|')) continue;
    // The figure's period: the one period written before it ("In April 2019, we granted 346,453
    // units … to be achieved between December 2019 and December 2023"), else the one after it
    // ("revenue rose to $4.1 million in fiscal 2019").
    const mentions = [...sentence.matchAll(MONTH_YEAR), ...[...sentence.matchAll(YEAR)].filter((year) => !inside(year, [...sentence.matchAll(MONTH_YEAR)]))]
      .map((match) => ({ match, period: readPeriod(match[0].replace(/^(?:FY\s*|fiscal(?: year)?\s+)/i, '')) }))
      .filter((mention): mention is { match: RegExpExecArray; period: NonNullable<ReturnType<typeof readPeriod>> } => mention.period !== undefined);
    if (mentions.length === 0) continue;
    const amounts = [...sentence.matchAll(AMOUNT)].filter((match) => {
      const digits = match[3]!.replace(/,/g, '');
      return (
        !inside(
          match,
          mentions.map((mention) => mention.match),
        ) &&
        !(/^(?:19|20)\d{2}$/.test(digits) && !match[2] && !match[4]) &&
        Boolean(match[2] || match[4] || /[.,]/.test(match[3]!))
      );
    });
    if (amounts.length !== 1) continue;
    const amount = amounts[0]!;
    const at = amount.index ?? 0;
    const before = mentions.filter((mention) => (mention.match.index ?? 0) < at);
    const side = before.length > 0 ? before : mentions;
    if (new Set(side.map((mention) => `${mention.period.year}-${mention.period.month ?? ''}`)).size !== 1) continue;
    const period = side[0]!.period;
    // The sentence without its date and figure names the figure: "we granted … PSUs with certain targets".
    const words = (part: string) =>
      part
        .replace(MONTH_YEAR, ' ')
        .replace(YEAR, ' ')
        .replace(/\s+/g, ' ')
        .replace(/[\s,.;:]+$/, '')
        .replace(/\b(?:in|on|at|during|for|of)\s*(?=,|$)/gi, ' ')
        .replace(/^[\s,]+|[\s,.;:]+$/g, '');
    const beforeWords = words(sentence.slice(0, at));
    const afterWords = words(sentence.slice(at + amount[0].length));
    const label = [beforeWords, afterWords].filter(Boolean).join(' … ');
    if (label.split(/\s+/).length < 3) continue;
    const measure = measureOf(amount[4], amount[2]);
    cells.push({
      passageId,
      rowIndex: -(sentenceIndex * 100 + 90),
      columnIndex: 0,
      label,
      path: [],
      column: period.label,
      period,
      text: measure.scaleWord ? amount[0].trim().replace(/\s*(?:million|billion|thousand|bn|m)$/i, '') : amount[0].trim(),
      value: Number(amount[3]!.replace(/,/g, '')) * (amount[1] ? -1 : 1),
      ...measure,
    });
  }
  return cells;
}

/** A match that begins within one of the others (a figure inside a date). */
function inside(match: RegExpMatchArray, others: RegExpMatchArray[]): boolean {
  const index = match.index ?? 0;
  return others.some((other) => index >= (other.index ?? 0) && index < (other.index ?? 0) + other[0].length);
}

/** A stated figure's unit and scale from the words around it ("$60.3 million", "€2bn", "12 percent"). */
function measureOf(unitWord: string | undefined, currency: string | undefined): Pick<Cell, 'unit' | 'scale' | 'scaleWord'> {
  const word = unitWord?.toLowerCase();
  const scaleWord =
    word === 'million' || word === 'm' ? 'million' : word === 'billion' || word === 'bn' ? 'billion' : word === 'thousand' ? 'thousand' : undefined;
  return {
    ...(word === '%' || word === 'percent' ? { unit: '%' } : currency ? { unit: currency } : {}),
    scale: scaleWord === 'million' ? 1e6 : scaleWord === 'billion' ? 1e9 : scaleWord === 'thousand' ? 1e3 : 1,
    ...(scaleWord ? { scaleWord } : {}),
  };
}
