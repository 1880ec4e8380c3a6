import { lineItem } from '../../../lib/line-items.ts';
import { averageOfChanges, changeOfRatio, differenceOfAverages, shareOfSum, type CompoundPlan } from '../../cells/compound.ts';
import {
  cellFor,
  comparePeriods,
  matchRows,
  periodCells,
  periodMatches,
  scoreRowName,
  stem,
  stemWords,
  type RowMatch,
  type TermWeight,
} from '../../cells/find-cells.ts';
import { passageCells, passageTable } from '../../cells/passage-table.ts';
import { namesDayOfYear } from '../../cells/read-table.ts';
import { sentenceCells } from '../../cells/sentence-cells.ts';
import { rowName, type Cell, type CellPeriod } from '../../cells/types.ts';
import { renderPrompt, type PromptLibrary } from '../../prompts.ts';
import type { SearchHit } from '../../retrieval/hybrid-search.ts';
import type { ComputeArgs, ComputeResult } from '../../tools/definitions/compute.ts';
import type { QuestionReading } from './read-question.ts';

/**
 * Stages 2–4 for questions over documents' tables: plan which cells the question needs, gather
 * them from the retrieved table passages, run the arithmetic through the `compute` tool, and
 * compose the answer from the templates in prompts/ (result first, then the formula with every
 * input cell cited). Returns undefined when no table row answers the question, so the engine falls
 * back to sentences.
 */
export interface CellAnswerDeps {
  weight: TermWeight;
  prompts: PromptLibrary;
  language: 'en' | 'zh';
  compute: (args: ComputeArgs) => Promise<{ result: ComputeResult; n: number } | { error: string }>;
  /** Cites the passage a cell was read from; returns its marker number. */
  citePassage: (hit: SearchHit) => number;
  /** How well a document's own metadata (company, ticker, fiscal year) fits the question, in [0, 1]. */
  documentFit?: (hit: SearchHit) => number;
  /** Every passage of a document: the other parts of a long table split across passages. */
  passagesOf?: (articleId: string) => Promise<SearchHit['chunk'][]>;
}

export const CELL_ANSWER_DEFAULTS = {
  /** Documents whose tables are completed with their other table passages (the best-ranked first). */
  siblingDocuments: 3,
  /** A sibling passage ranks just under the passage retrieval found. */
  siblingScoreShare: 0.9,
  /** Rows of each item weighed together when a question combines two items. */
  pairCandidates: 6,
  /** A row holding every asked period is preferred over a better-named one within this score. */
  periodPreference: 0.1,
  /** Added to a pair of rows of one table, or of one document. */
  sameTableBonus: 0.3,
  sameDocumentBonus: 0.2,
  /** Score of the bare total line of the table holding the part, for "X among the total Y". */
  tableTotalScore: 0.9,
  /** A row that "the difference in X between A and B" names as X, for its columns A and B. */
  subjectRowScore: 0.7,
  /** A row named by a whole "X and Y" phrase at least this well is one line item, not two to sum. */
  wholePhraseScore: 0.9,
  /** Rows named within this score of the best row are parts of one total ("X, current" and "X, non-current"). */
  partsScore: 0.1,
};

export interface CellAnswer {
  /** The direct answer, cited. */
  lead: string;
  /** The formula and its inputs, and any disagreement between documents. */
  details: string[];
  /** Passages the answer used, for the supporting sentences that may follow. */
  hits: SearchHit[];
}

export async function answerFromCells(reading: QuestionReading, retrieved: SearchHit[], deps: CellAnswerDeps): Promise<CellAnswer | undefined> {
  // A computation looks for its rows in every table of the best documents; a stated value keeps to
  // the passages retrieval found, where a sentence often states it better than a loosely named row.
  const expandsTables = !['value', 'largest', 'smallest', 'count'].includes(reading.operation);
  const hits = deps.passagesOf && expandsTables ? await withSiblingTables(retrieved, deps.passagesOf) : retrieved;
  const hitOf = new Map<string, SearchHit>();
  const cells: Cell[] = [];
  for (const hit of hits) {
    // A figure a sentence states is quoted whole by the sentence path; sentence cells serve computations.
    const computes = reading.operation !== 'value' && reading.operation !== 'largest' && reading.operation !== 'smallest';
    const found = [...passageCells(hit.chunk), ...(computes ? sentenceCells(hit.chunk.text, hit.chunk.id) : [])];
    if (found.length === 0) continue;
    hitOf.set(hit.chunk.id, hit);
    cells.push(...found);
  }
  if (cells.length === 0) return undefined;
  const topScore = Math.max(...hits.map((hit) => hit.score), 1e-9);
  // Retrieval rank, and above it a document whose metadata names the company or year asked about.
  const passageWeight = (passageId: string) => {
    const hit = hitOf.get(passageId);
    return hit ? hit.score / topScore + (deps.documentFit?.(hit) ?? 0) : 0;
  };
  const context = new Composer(deps, hitOf);
  const wantPercent = (/%|\bpercent|\bproportion|\bshare\b/i.test(reading.items.join(' ')) && reading.operation === 'value') || reading.points;
  const rowFor = (item: string) => matchRows(cells, item, deps.weight, passageWeight)[0]?.cells;
  // Among rows named about as well, one that holds every period the question asks wins; a row
  // holding none of them cannot answer, so any candidate that holds them all replaces it.
  const rowMatch = (item: string) => {
    const rows = matchRows(cells, item, deps.weight, passageWeight);
    if (reading.periods.length === 0) return rows[0];
    // A stated value with no row named by the question is left to the sentences; a computation looks for the dated balance.
    const dated =
      (rows[0] || reading.operation !== 'value') &&
      datedRow(cells, rows, reading.periods, (row) => scoreRowName(item, row[0]!.label, deps.weight, undefined, row[0]!.path.join(' ')), passageWeight);
    if (dated) return dated;
    const holdsAll = (row: RowMatch) => reading.periods.every((period) => cellFor(row.cells, period));
    const complete = rows.find((row) => row.score >= rows[0]!.score - CELL_ANSWER_DEFAULTS.periodPreference && holdsAll(row));
    const holdsNone = rows[0] !== undefined && !reading.periods.some((period) => cellFor(rows[0]!.cells, period));
    return complete ?? (holdsNone ? rows.find(holdsAll) : undefined) ?? rows[0];
  };

  if (reading.operation === 'formula' && reading.ratio) {
    // A document that prints the ratio as a row ("Gross margin %") is read as printed.
    const printed = matchRows(cells, reading.ratio.label, deps.weight, passageWeight)[0];
    if (printed && reading.ratio.names.test(rowName(printed.cells[0]!)) && periodCells(printed.cells).length > 0 && !reading.yesNo) {
      const { ratio: _printed, ...rest } = reading;
      const asRow: QuestionReading = { ...rest, operation: reading.ratioOperation ?? 'value', items: [reading.ratio.label] };
      const answer = await answerFromCells(asRow, hits, { ...deps, passagesOf: undefined });
      if (answer) return answer;
    }
    return context.standardRatio(reading, cells, passageWeight);
  }
  if (reading.items.length === 0) return undefined;
  if (reading.asksDescription && (reading.operation === 'value' || reading.operation === 'largest' || reading.operation === 'smallest')) return undefined;

  if (reading.compound) {
    const plan = planCompound(reading, rowFor);
    if (plan) return context.computed('formula', plan.plan.inputs, plan.what, plan.plan.formula, undefined, plan.plan.unit);
    if (reading.compound.form !== 'average_of_changes') return undefined;
  }

  // "X and Y as a share of Z": the two rows summed, when no single row is named by the whole phrase.
  if (reading.parts && (reading.operation === 'share' || reading.operation === 'ratio')) {
    const whole = rowMatch(reading.items[0]!);
    const parts = reading.parts.map(rowMatch);
    const denominator = rowFor(reading.items[1]!);
    // The parts are summed when each names a row better than the whole phrase names any one row.
    const partScore = Math.min(...parts.map((part) => part?.score ?? 0));
    if ((!whole || whole.score < Math.max(partScore, CELL_ANSWER_DEFAULTS.wholePhraseScore)) && denominator && partScore >= 0.7) {
      const period = reading.periods[0] ?? commonLatest(parts[0]!.cells, denominator);
      const cellsOf = (row: Cell[]) => (period ? cellFor(row, period) : periodCells(row)[0]);
      const inputs = parts.map((part) => cellsOf(part!.cells));
      const total = cellsOf(denominator);
      if (inputs.every((cell) => cell !== undefined) && total) {
        const plan = shareOfSum(inputs as Cell[], total, reading.operation === 'share');
        const names = (inputs as Cell[]).map(rowName).join(' and ');
        const when = period ? ` in ${period.label}` : '';
        const what = reading.operation === 'share' ? `${names} as a percentage of ${rowName(total)}${when}` : `ratio of ${names} to ${rowName(total)}${when}`;
        return context.computed('formula', plan.inputs, what, plan.formula, undefined, plan.unit);
      }
    }
  }

  // Two line items (ratio, share, difference, sum or average of two rows) in one period.
  let item = reading.items[0]!;
  if (reading.items.length >= 2 && TWO_ITEM_OPERATIONS.includes(reading.operation)) {
    const operation = reading.operation as ComputeArgs['operation'];
    const firsts = matchRows(cells, reading.items[0]!, deps.weight, passageWeight);
    const seconds = matchRows(cells, reading.items[1]!, deps.weight, passageWeight);
    // "The average of research and development credits in 2018 and 2019": a row named by the whole
    // phrase, holding the periods, beats splitting the phrase at its "and".
    const joined = reading.subject || reading.periods.length < 2 ? undefined : rowMatch(reading.items.join(' '));
    const splitScore = Math.min(firsts[0]?.score ?? 0, seconds[0]?.score ?? 0);
    const joinedHolds = joined !== undefined && reading.periods.filter((period) => cellFor(joined.cells, period)).length >= 2;
    if ((operation === 'sum' || operation === 'average') && joined && joinedHolds && joined.score >= splitScore) {
      item = reading.items.join(' ');
    } else {
      // "The difference in the gross carrying amount between the current and the total": two columns of one row.
      const columns = reading.subject ? columnPair(rowMatch(reading.subject), reading.items as [string, string], reading.periods[0]) : undefined;
      if (columns) {
        const [a, b] = columns;
        const what = `${describeTwo(operation, a, b, reading.periods[0], columnLabel)} of ${rowName(a)}`;
        return context.computed(
          operation,
          [a, b],
          what,
          undefined,
          [a, b].map((cell) => `${rowName(cell)} (${columnLabel(cell)})`),
        );
      }
      const pair = pairRows(firsts, withTableTotals(seconds, firsts, cells, reading.items[1]!), hitOf);
      if (!pair) return undefined;
      const [first, second] = pair;
      const period = reading.periods[0] ?? commonLatest(first, second);
      // A column the question names ("as reported", "balance at end of period", the subject of
      // "the fair value between A and B") picks the cell where no period does; the items' own words never do.
      const words = columnWordsBeside(reading.columnWords, [first, second]);
      const a = cellIn(first, period, words);
      const b = cellIn(second, period, words);
      if (!a || !b) return undefined;
      // A deduction printed negative ("(111)" of depreciation within EBITDA) is still a part of its
      // whole: a share compares sizes.
      if (operation === 'share' && a.value! * b.value! < 0) {
        return context.computed('formula', [a, b], describeTwo(operation, a, b, period), 'abs(x1) / abs(x2) * 100', undefined, '%');
      }
      return context.computed(operation, [a, b], describeTwo(operation, a, b, period));
    }
  }

  const match = rowMatch(item);
  if (!match) return undefined;
  // The rows of the matched row's table that the phrase names about as well, each with its cell in
  // the period and column asked: the parts a total adds up.
  const partsOf = (best: RowMatch): Cell[] => {
    const words = columnWordsBeside(reading.columnWords, [best.cells]);
    const pick = (rowCells: Cell[]) => cellIn(rowCells.filter(isAmount), reading.periods[0], words);
    const anchor = pick(best.cells);
    if (!anchor) return [];
    const documentOf = (cell: Cell) => hitOf.get(cell.passageId)?.article.id;
    return matchRows(cells, item, deps.weight, passageWeight)
      .filter(
        (candidate) =>
          // One table, which retrieval may have split into passages: the same document.
          documentOf(candidate.cells[0]!) === documentOf(anchor) &&
          candidate.score >= best.score - CELL_ANSWER_DEFAULTS.partsScore &&
          !TOTAL_ROW.test(candidate.cells[0]!.label),
      )
      .map((candidate) => pick(candidate.cells))
      .filter((cell): cell is Cell => cell !== undefined && cell.columnIndex === anchor.columnIndex)
      .sort((a, b) => a.rowIndex - b.rowIndex);
  };
  const row = match.cells;
  const available = periodCells(row, wantPercent);
  const asked = reading.periods.map((period) => cellFor(row, period, wantPercent)).filter((cell): cell is Cell => cell !== undefined);
  if (reading.periods.length > 0 && asked.length === 0) return undefined;
  // A range ("from 2015 to 2019") takes every period of the row between its ends.
  const spanned = reading.range && asked.length >= 2 ? withinRange(available, asked) : asked;

  switch (reading.operation) {
    case 'change':
    case 'percent_change':
    case 'cagr': {
      // Periods the question names are never swapped for others the row happens to hold.
      if (reading.periods.length >= 2 && asked.length < 2) return undefined;
      const pair = asked.length >= 2 ? asked : available.slice(0, 2);
      if (pair.length < 2) return undefined;
      const [earlier, later] = [...pair]
        .sort((x, y) => comparePeriods(x.period!, y.period!))
        .filter((_, index, list) => index === 0 || index === list.length - 1) as [Cell, Cell];
      if (reading.yesNo && (reading.yesNo.direction === 'increase' || reading.yesNo.direction === 'decrease'))
        return context.direction(reading.yesNo.direction, earlier, later);
      // "How many percent did the rate change": a percentage's change is in percentage points.
      const operation = reading.points && earlier.unit === '%' && later.unit === '%' ? 'change' : reading.operation;
      const named = {
        change: reading.points ? 'change in percentage points' : 'change',
        cagr: 'compound annual growth rate',
        percent_change: 'percentage change',
      };
      const what = `${named[operation]} in ${rowName(earlier)} from ${periodText(earlier)} to ${periodText(later)}`;
      if (reading.gap && operation === 'change' && earlier.value !== later.value) {
        // The size of the gap leads; which way the figure moved is said in words.
        const moved = later.value! > earlier.value! ? 'an increase' : 'a decrease';
        const gapWhat = `difference in ${rowName(earlier)} between ${periodText(earlier)} and ${periodText(later)} (${moved} from ${formatCell(earlier)} to ${formatCell(later)})`;
        return context.computed('formula', [earlier, later], gapWhat, 'abs(x2 - x1)', undefined, undefined, 'difference');
      }
      return context.computed(operation, [earlier, later], what);
    }
    case 'average':
    case 'sum': {
      // "The average annual change in X": the mean of the period-on-period changes, unless the row itself holds changes.
      if (reading.compound?.form === 'average_of_changes' && !/\b(?:change|increase|decrease|additions?|movement|growth)\b/i.test(rowName(row[0]!))) {
        const ordered = [...(spanned.length >= 2 ? spanned : available)].sort((x, y) => comparePeriods(x.period!, y.period!));
        if (ordered.length < 2) return undefined;
        const plan = averageOfChanges(ordered);
        const what = `average change in ${rowName(ordered[0]!)} per period from ${periodText(ordered[0]!)} to ${periodText(ordered.at(-1)!)}`;
        return context.computed('formula', plan.inputs, what, plan.formula);
      }
      // "The sum of all tax credit carryforwards": the rows the phrase names, added up, when the
      // question is not over periods.
      if (reading.periods.length < 2 && (reading.overRows === 'items' || available.length < 2)) {
        const parts = partsOf(match);
        if (parts.length >= 2) return context.computed(reading.operation, parts, `${reading.operation} of ${parts.map(rowName).join(', ')}${periodOf(parts)}`);
      }
      // "the 2019 average X": the year's average balance, its opening (prior year end) and closing.
      const opening = asked.length === 1 ? available.find((cell) => comparePeriods(cell.period!, asked[0]!.period!) < 0) : undefined;
      const chosen = spanned.length >= 2 ? spanned : opening ? [asked[0]!, opening] : available;
      if (chosen.length < 2) return undefined;
      const ordered = [...chosen].sort((x, y) => comparePeriods(x.period!, y.period!));
      const what = `${reading.operation} of ${rowName(ordered[0]!)} over ${ordered.map(periodText).join(', ')}`;
      return context.computed(reading.operation, ordered, what);
    }
    case 'largest':
    case 'smallest':
      return context.extreme(reading, row, available, cells);
    case 'count':
      return context.count(reading, spanned.length >= 2 ? spanned : available);
    default: {
      // "The total deferred revenue" where the table splits it into current and non-current rows
      // and prints no total: the parts, added up.
      if (reading.overRows && asked.length <= 1 && !reading.yesNo && !TOTAL_ROW.test(rowName(row[0]!))) {
        const parts = partsOf(match);
        if (parts.length >= 2) return context.computed('sum', parts, `total of ${parts.map(rowName).join(' and ')}${periodOf(parts)}`);
      }
      // A description ("How is the discount rate determined?") is answered by sentences, not a cell.
      if (asked.length === 0 && !(reading.asksAmount && match.score >= 0.8)) return undefined;
      // A column the question names ("as reported", "domestic") picks the cell when no period does.
      const named = asked.length === 0 ? namedColumn(row, reading.words) : undefined;
      const chosen = asked.length > 0 ? asked : named ? [named] : available.slice(0, 1);
      if (chosen.length === 0) return undefined;
      if (reading.yesNo?.threshold !== undefined && (reading.yesNo.direction === 'above' || reading.yesNo.direction === 'below')) {
        return context.threshold(reading.yesNo.direction, reading.yesNo.threshold, chosen[0]!);
      }

      return context.values(chosen, disagreeing(matchRows(cells, item, deps.weight, passageWeight), chosen, hitOf));
    }
  }
}

/**
 * A question dated to the day ("from 1 January 2018 to 1 January 2019") asks for the row of the
 * best table that holds a figure on each of those days: in a roll-forward that is the opening or
 * closing balance row ("At 1 January"), whatever the question calls the table's subject. Only
 * rows dated to the day (by their label or their column) qualify, and a better-named row wins.
 */
function datedRow(
  cells: Cell[],
  rows: RowMatch[],
  periods: CellPeriod[],
  nameScore: (row: Cell[]) => number,
  passageWeight: (passageId: string) => number,
): RowMatch | undefined {
  const days = periods.filter((period) => period.end !== undefined);
  if (days.length === 0 || days.length < periods.length) return undefined;
  const holdsEveryDay = (row: Cell[]) => days.every((day) => row.some((cell) => cell.value !== undefined && cell.period?.end === day.end));
  if (rows[0] && holdsEveryDay(rows[0].cells)) return undefined;
  // The table the best-named row sits in, or else the best-ranked table that holds such a row.
  const byRow = new Map<string, Cell[]>();
  for (const cell of cells) {
    if (rows[0] && cell.passageId !== rows[0].cells[0]!.passageId) continue;
    const key = `${cell.passageId}#${cell.rowIndex}`;
    byRow.set(key, [...(byRow.get(key) ?? []), cell]);
  }
  let best: RowMatch | undefined;
  for (const row of byRow.values()) {
    // With no row named by the question, only a row whose own label names the day ("At 1 January") says it is the balance asked.
    if (!holdsEveryDay(row) || (!rows[0] && !namesDayOfYear(row[0]!.label))) continue;
    const score = nameScore(row) + 0.1 * passageWeight(row[0]!.passageId);
    if (!best || score > best.score) best = { cells: row, score };
  }
  return best;
}

/**
 * The two rows a two-item question combines, chosen together: the best sum of both rows' scores,
 * with a bonus when they share a table (a share of a total, a ratio of two lines of one statement)
 * or at least a document; two rows from unrelated reports rarely make one figure.
 */
function pairRows(firsts: RowMatch[], seconds: RowMatch[], hitOf: Map<string, SearchHit>): [Cell[], Cell[]] | undefined {
  let best: { pair: [Cell[], Cell[]]; score: number } | undefined;
  for (const first of firsts.slice(0, CELL_ANSWER_DEFAULTS.pairCandidates)) {
    for (const second of seconds.slice(0, CELL_ANSWER_DEFAULTS.pairCandidates)) {
      const a = first.cells[0]!;
      const b = second.cells[0]!;
      if (a.passageId === b.passageId && a.rowIndex === b.rowIndex) continue;
      const together =
        a.passageId === b.passageId
          ? CELL_ANSWER_DEFAULTS.sameTableBonus
          : hitOf.get(a.passageId)?.article.id === hitOf.get(b.passageId)?.article.id
            ? CELL_ANSWER_DEFAULTS.sameDocumentBonus
            : 0;
      const score = first.score + second.score + together;
      if (!best || score > best.score) best = { pair: [first.cells, second.cells], score };
    }
  }
  return best?.pair;
}

/**
 * "X among the total Y": the total line of the table that holds X (printed "Total", or left
 * unlabelled) is the whole the question means, though its label never says Y. It joins the
 * candidates for the second item as if named, so the pair's same-table bonus can choose it over a
 * better-named total of an unrelated table.
 */
function withTableTotals(seconds: RowMatch[], firsts: RowMatch[], cells: Cell[], item: string): RowMatch[] {
  if (!/^total\b/i.test(item.trim())) return seconds;
  const passages = new Set(firsts.slice(0, CELL_ANSWER_DEFAULTS.pairCandidates).map((row) => row.cells[0]!.passageId));
  const isTableTotal = (cell: Cell) =>
    passages.has(cell.passageId) && (/^total$/i.test(cell.label) || cell.label.toLowerCase() === `total ${cell.path.at(-1)?.toLowerCase()}`);
  const keyOf = (cell: Cell) => `${cell.passageId}#${cell.rowIndex}`;
  const totals = new Map<string, Cell[]>();
  for (const cell of cells) if (isTableTotal(cell)) totals.set(keyOf(cell), [...(totals.get(keyOf(cell)) ?? []), cell]);
  const score = CELL_ANSWER_DEFAULTS.tableTotalScore;
  const named = seconds.map((row) => (isTableTotal(row.cells[0]!) ? { ...row, score: Math.max(row.score, score) } : row));
  const known = new Set(seconds.map((row) => keyOf(row.cells[0]!)));
  const added = [...totals.entries()]
    .filter(([key, row]) => !known.has(key) && row.some((cell) => cell.value !== undefined))
    .map(([, row]) => ({ cells: row, score }));
  return [...named, ...added].sort((a, b) => b.score - a.score);
}

/**
 * The retrieved passages, and the other table passages of the best-ranked documents with a table:
 * a long table is split into passages by row groups, and the row a question names may sit in a
 * part retrieval ranked lower (or not at all).
 */
async function withSiblingTables(hits: SearchHit[], passagesOf: (articleId: string) => Promise<SearchHit['chunk'][]>): Promise<SearchHit[]> {
  const seen = new Set(hits.map((hit) => hit.chunk.id));
  const documents: SearchHit[] = [];
  for (const hit of hits) {
    if (documents.length >= CELL_ANSWER_DEFAULTS.siblingDocuments) break;
    // The best-ranked documents, whichever of their passages retrieval found (a paragraph about the table counts).
    if (documents.some((known) => known.article.id === hit.article.id)) continue;
    documents.push(hit);
  }
  const expanded = [...hits];
  for (const hit of documents) {
    for (const chunk of await passagesOf(hit.article.id)) {
      if (seen.has(chunk.id) || !passageTable(chunk)) continue;
      seen.add(chunk.id);
      expanded.push({ ...hit, chunk, score: hit.score * CELL_ANSWER_DEFAULTS.siblingScoreShare });
    }
  }
  return expanded;
}

/**
 * The cells a compound question needs, and its formula: each line item's row over the periods the
 * question asks (one year of an average: its opening and closing balance), as one computation.
 */
function planCompound(reading: QuestionReading, rowFor: (item: string) => Cell[] | undefined): { plan: CompoundPlan; what: string } | undefined {
  const compound = reading.compound!;
  const rows = compound.items.map(rowFor);
  if (compound.form === 'difference_of_averages') {
    if (rows.length < 2 || !rows[0] || !rows[1]) return undefined;
    const first = averagedCells(rows[0], reading);
    const second = averagedCells(rows[1], reading);
    if (first.length === 0 || second.length === 0) return undefined;
    const over = first.map(periodText).join(', ');
    return {
      plan: differenceOfAverages(first, second),
      what: `difference between the average ${rowName(first[0]!)} and the average ${rowName(second[0]!)} over ${over}`,
    };
  }
  if (compound.form === 'change_of_ratio') {
    if (rows.length < 2 || !rows[0] || !rows[1]) return undefined;
    const [numerator, denominator] = [rows[0], rows[1]];
    const common = periodCells(numerator)
      .map((cell) => cell.period!)
      .filter((period) => cellFor(denominator, period) !== undefined);
    const periods = reading.periods.length >= 2 ? reading.periods : common.slice(0, 2);
    const pairs = periods.map((period) => [cellFor(numerator, period), cellFor(denominator, period)] as const);
    if (pairs.length < 2 || pairs.some(([a, b]) => !a || !b)) return undefined;
    const sorted = [...pairs].sort((x, y) => comparePeriods(x[0]!.period!, y[0]!.period!)) as [Cell, Cell][];
    const [earlier, later] = [sorted[0]!, sorted.at(-1)!];
    const percent = reading.operation === 'share' || /%|percent/i.test(`${earlier[0].unit ?? ''}`) || reading.points;
    const relative = reading.operation === 'percent_change' && !reading.points;
    const kind = percent ? 'share' : 'ratio';
    return {
      plan: changeOfRatio(earlier, later, { percent, relative }),
      what: `${relative ? 'percentage change' : percent ? 'change in percentage points' : 'change'} in the ${kind} of ${rowName(earlier[0])} to ${rowName(earlier[1])} from ${periodText(earlier[0])} to ${periodText(later[0])}`,
    };
  }
  return undefined;
}

/** A row's cells for an average: the periods asked (a range: every period between), one year with its opening balance, or every period. */
function averagedCells(row: Cell[], reading: QuestionReading): Cell[] {
  const available = periodCells(row);
  const asked = reading.periods.map((period) => cellFor(row, period)).filter((cell): cell is Cell => cell !== undefined);
  if (asked.length >= 2) return reading.range ? withinRange(available, asked) : asked;
  if (asked.length === 1) {
    const opening = available.find((cell) => comparePeriods(cell.period!, asked[0]!.period!) < 0);
    return opening ? [asked[0]!, opening] : asked;
  }
  return available;
}

/**
 * Cells of the same line item and period in other documents of the same company that state another
 * figure. Only documents whose metadata names one company are compared, so two companies' "Revenue"
 * rows never read as a disagreement.
 */
function disagreeing(rows: { cells: Cell[]; score: number }[], chosen: Cell[], hitOf: Map<string, SearchHit>): Cell[] {
  const first = chosen[0];
  if (!first || rows.length < 2) return [];
  const company = hitOf.get(first.passageId)?.article.financial?.company?.toLowerCase();
  if (!company) return [];
  const best = rows[0]!.score;
  const label = rowName(first).toLowerCase();
  const others: Cell[] = [];
  for (const row of rows.slice(1)) {
    const sample = row.cells[0]!;
    const article = hitOf.get(sample.passageId)?.article;
    if (row.score < 0.95 * best || !article || article.id === hitOf.get(first.passageId)!.article.id) continue;
    if (article.financial?.company?.toLowerCase() !== company || rowName(sample).toLowerCase() !== label) continue;
    const cell = first.period ? cellFor(row.cells, first.period) : undefined;
    if (cell && cell.value !== undefined && cell.value * cell.scale !== first.value! * first.scale) others.push(cell);
  }
  return others.slice(0, 2);
}

/** Grammar words that name no column. */
const COLUMN_GRAMMAR = new Set(['of', 'the', 'a', 'an', 'at', 'in', 'on', 'for', 'to', 'and', 'or', 'as', 'by', 'from', 'with']);

/** The question's words that the rows' own names do not use up: they may name the column. */
function columnWordsBeside(words: string[], rows: Cell[][]): string[] {
  const used = new Set(rows.flatMap((row) => stemWords(rowName(row[0]!))));
  return words.filter((word) => !used.has(stem(word)));
}

/** A row that already adds up the rows above it. */
const TOTAL_ROW = /(?:^|›\s*)(?:sub-?)?totals?\b/i;

/** A figure, not a date: cells of a column headed as years or dates ("Last Fiscal Year of Expiration") are left out. */
function isAmount(cell: Cell): boolean {
  return !/\b(?:years?|dates?|expir\w*)\b/i.test(cell.column);
}

/** " in 2019" when every part is of one period. */
function periodOf(parts: Cell[]): string {
  const periods = new Set(parts.map((cell) => (cell.period ? periodText(cell) : '')));
  return periods.size === 1 && parts[0]!.period ? ` in ${periodText(parts[0]!)}` : '';
}

const TWO_ITEM_OPERATIONS: string[] = ['ratio', 'share', 'difference', 'sum', 'average', 'percent_change'];

/**
 * A row's cell for a two-item computation: in the period asked (or the one both rows share), in
 * the column the question's words name when several columns hold that period; a row without
 * periods gives the column named, or its first figure.
 */
function cellIn(row: Cell[], period: CellPeriod | undefined, words: string[]): Cell | undefined {
  const candidates = period ? row.filter((cell) => cell.value !== undefined && periodMatches(cell.period, period)) : row;
  const named = namedColumn(candidates, words, true);
  if (named) return named;
  if (period) return cellFor(row, period);
  return periodCells(row)[0] ?? row.find((cell) => cell.value !== undefined);
}

/** A column's header in words, without the currency and scale marks tables print in it ("Current $'000" → "Current"). */
function columnLabel(cell: Cell): string {
  const words = cell.column.split(/\s+/).filter((token) => /[A-Za-z]{2,}/.test(token) && !/^[$€£¥(]/.test(token));
  return words.join(' ') || cell.column;
}

/** The cells of two columns of one row that two phrases name ("the current and the total"), in the period asked. */
function columnPair(row: RowMatch | undefined, phrases: [string, string], period: CellPeriod | undefined): [Cell, Cell] | undefined {
  if (!row || row.score < CELL_ANSWER_DEFAULTS.subjectRowScore) return undefined;
  const candidates = row.cells.filter((cell) => cell.value !== undefined && (!period || periodMatches(cell.period, period)));
  const [a, b] = phrases.map((phrase) => namedColumn(candidates, stemWords(phrase), true, true));
  return a && b && a !== b ? [a, b] : undefined;
}

/**
 * The cell whose column the words name best: most words shared, then fewest other words
 * ("USD denominated" over "Non-USD denominated" for "USD"). `whole` asks every word to be there.
 */
function namedColumn(row: Cell[], words: string[], precise = false, whole = false): Cell | undefined {
  if (!precise) return namedColumnByOverlap(row, words);
  const asked = new Set(words.map(stem).filter((word) => !/^\d+$/.test(word)));
  if (asked.size === 0) return undefined;
  let best: { cell: Cell; overlap: number; extra: number } | undefined;
  for (const cell of row) {
    if (cell.value === undefined) continue;
    // Every word of a column's header counts ("Balance at End of Period"), the question's filler words included.
    const columnWords = new Set(
      (cell.column.toLowerCase().match(/[a-z][a-z&'-]*/g) ?? []).filter((word) => !COLUMN_GRAMMAR.has(word)).map((word) => stem(word.replace(/'s$/, ''))),
    );
    const overlap = [...asked].filter((word) => columnWords.has(word)).length;
    if (overlap === 0 || (whole && overlap < asked.size)) continue;
    const extra = columnWords.size - overlap;
    if (!best || overlap > best.overlap || (overlap === best.overlap && extra < best.extra)) best = { cell, overlap, extra };
  }
  return best?.cell;
}

function namedColumnByOverlap(row: Cell[], words: string[]): Cell | undefined {
  const asked = new Set(words.map(stem));
  let best: { cell: Cell; overlap: number } | undefined;
  for (const cell of row) {
    if (cell.value === undefined) continue;
    const overlap = stemWords(cell.column).filter((word) => asked.has(word) && !/^\d+$/.test(word)).length;
    if (overlap > 0 && (!best || overlap > best.overlap)) best = { cell, overlap };
  }
  return best?.cell;
}

function withinRange(available: Cell[], ends: Cell[]): Cell[] {
  const sorted = [...ends].sort((a, b) => comparePeriods(a.period!, b.period!));
  const [first, last] = [sorted[0]!.period!, sorted.at(-1)!.period!];
  return available.filter((cell) => comparePeriods(cell.period!, first) >= 0 && comparePeriods(cell.period!, last) <= 0);
}

function commonLatest(first: Cell[], second: Cell[]): CellPeriod | undefined {
  const periods = periodCells(first).map((cell) => cell.period!);
  return periods.find((period) => cellFor(second, period) !== undefined);
}

function describeTwo(operation: string, a: Cell, b: Cell, period: CellPeriod | undefined, nameOf: (cell: Cell) => string = rowName): string {
  // The period as the cell's column names it: the question's own wording ("F19") is not a figure the sources hold.
  const when = a.period ? ` in ${periodText(a)}` : period ? ` in ${period.label}` : '';
  const [first, second] = [nameOf(a), nameOf(b)];
  const words: Record<string, string> = {
    ratio: `ratio of ${first} to ${second}`,
    share: `${first} as a percentage of ${second}`,
    difference: `difference between ${first} and ${second}`,
    sum: `sum of ${first} and ${second}`,
    average: `average of ${first} and ${second}`,
    percent_change: `percentage change from ${first} to ${second}`,
  };
  return `${words[operation] ?? operation}${when}`;
}

/** The period as the column names it: "2019", "FY2023", or the column's own words for a dated column. */
export function periodText(cell: Cell): string {
  if (!cell.period) return cell.column || 'the table';
  if (cell.period.quarter) return `Q${cell.period.quarter} ${cell.period.year}`;
  if (cell.period.half) return `H${cell.period.half} ${cell.period.year}`;
  // "Years Ended September 30, 2019" and "December 31, 2019" read as the year they close.
  return String(cell.period.year);
}

/** A cell's figure as printed, tidied ("$  1,452.4" → "$1,452.4"), with the table's scale word. */
export function formatCell(cell: Cell): string {
  let text = cell.text
    .replace(/\s+/g, ' ')
    .replace(/([$€£¥])\s+/g, '$1')
    .trim();
  if (cell.unit === '%' && !text.includes('%')) text = `${text}%`;
  return cell.scaleWord && cell.unit !== '%' ? `${text} ${cell.scaleWord}` : text;
}

/** A computed figure: signed for changes, two decimals for ratios and percentages, the inputs' precision for amounts. */
export function formatResult(value: number, operation: string, unit: string | undefined, inputs: Cell[]): string {
  const decimals =
    unit === '%' || unit === 'points' || operation === 'ratio' || operation === 'formula'
      ? 2
      : Math.min(2, Math.max(0, ...inputs.map((cell) => /\.(\d+)/.exec(cell.text)?.[1]?.length ?? 0), operation === 'average' ? 2 : 0));
  const rounded = Math.abs(value).toLocaleString('en-US', { minimumFractionDigits: operation === 'average' ? 0 : decimals, maximumFractionDigits: decimals });
  const sign = value < 0 ? '−' : operation === 'change' || operation === 'percent_change' ? (value > 0 ? '+' : '') : '';
  const scaleWord =
    unit !== '%' && unit !== 'points' && operation !== 'ratio' && inputs.every((cell) => cell.scaleWord === inputs[0]?.scaleWord)
      ? inputs[0]?.scaleWord
      : undefined;
  return `${sign}${rounded}${unit === '%' ? '%' : unit === 'points' ? ' percentage points' : ''}${scaleWord ? ` ${scaleWord}` : ''}`;
}

/**
 * The unit of a result the compute tool leaves bare: an average or sum of percentages is a
 * percentage, a change or difference of percentages is in percentage points.
 */
function percentUnit(operation: string, inputs: Cell[]): string | undefined {
  if (inputs.length === 0 || !inputs.every((cell) => cell.unit === '%')) return undefined;
  if (operation === 'average' || operation === 'sum') return '%';
  if (operation === 'change' || operation === 'difference') return 'points';
  return undefined;
}

/** "abs((-111)) / abs(372)" → "|(-111)| / |372|": the calculator's abs() as the bars a reader knows, nested parentheses kept. */
export function absoluteBars(expression: string): string {
  let text = expression;
  for (let start = text.indexOf('abs('); start >= 0; start = text.indexOf('abs(')) {
    let depth = 0;
    let end = start + 3;
    for (; end < text.length; end++) {
      if (text[end] === '(') depth++;
      else if (text[end] === ')' && --depth === 0) break;
    }
    if (end >= text.length) break;
    text = `${text.slice(0, start)}|${text.slice(start + 4, end)}|${text.slice(end + 1)}`;
  }
  return text;
}

class Composer {
  constructor(
    private readonly deps: CellAnswerDeps,
    private readonly hitOf: Map<string, SearchHit>,
  ) {}

  private template(name: string, values: Record<string, string>): string {
    return renderPrompt(this.deps.prompts, `${name}.${this.deps.language}`, values);
  }

  private cite(cell: Cell): string {
    return `[${this.deps.citePassage(this.hitOf.get(cell.passageId)!)}]`;
  }

  private hitsOf(cells: Cell[]): SearchHit[] {
    return [...new Set(cells.map((cell) => this.hitOf.get(cell.passageId)!))];
  }

  values(chosen: Cell[], others: Cell[] = []): CellAnswer {
    const values = chosen.map((cell) => `${formatCell(cell)} in ${periodText(cell)}`).join(this.deps.language === 'zh' ? '，' : ' and ');
    const cites = [...new Set(chosen.map((cell) => this.cite(cell)))].join('');
    const details: string[] = [];
    if (others.length > 0) {
      // Two documents state the same line item differently (a restatement, another basis): both are shown.
      const listed = [...chosen.slice(0, 1), ...others].map(
        (cell) => `${formatCell(cell)} in ${periodText(cell)} per ${this.hitOf.get(cell.passageId)!.article.title} ${this.cite(cell)}`,
      );
      details.push(this.template('cells-conflict', { item: rowName(chosen[0]!), values: listed.join(this.deps.language === 'zh' ? '；' : '; ') }));
    }
    return { lead: this.template('cells-value', { item: rowName(chosen[0]!), values, cite: cites }), details, hits: this.hitsOf([...chosen, ...others]) };
  }

  private async run(
    operation: ComputeArgs['operation'],
    inputs: Cell[],
    formula?: string,
    names?: string[],
  ): Promise<{ result: ComputeResult; n: number } | undefined> {
    const args: ComputeArgs = {
      operation,
      inputs: inputs.map((cell, index) => ({
        name: names?.[index] ?? rowName(cell),
        value: cell.value!,
        ...(cell.period ? { period: periodText(cell) } : {}),
        ...(cell.unit || cell.scaleWord ? { unit: cell.unit === '%' ? '%' : (cell.scaleWord ?? cell.unit!) } : {}),
        source: cell.passageId,
      })),
      ...(formula ? { formula } : {}),
    };
    const run = await this.deps.compute(args);
    return 'error' in run ? undefined : run;
  }

  /** The formula line cites the computation as well as each input: its expression's constants ("× 100") are the computation's. */
  private formulaLine(result: ComputeResult, inputs: Cell[], n: number): string {
    const listed = inputs.map(
      (cell, index) => `${result.inputs[index]!.name}${cell.period ? ` ${periodText(cell)}` : ''} = ${formatCell(cell)} ${this.cite(cell)}`,
    );
    const unique = [...new Set(listed)];
    return this.template('cells-formula', {
      formula: result.formula,
      expression: `${absoluteBars(result.expression)} [${n}]`,
      inputs: unique.join(this.deps.language === 'zh' ? '；' : '; '),
    });
  }

  /** `shownAs` formats a formula's result as that operation's would be ("difference": the inputs' precision and scale). */
  async computed(
    operation: ComputeArgs['operation'],
    inputs: Cell[],
    what: string,
    formula?: string,
    names?: string[],
    unit?: string,
    shownAs?: string,
  ): Promise<CellAnswer | undefined> {
    const run = await this.run(operation, inputs, formula, names);
    if (!run) return undefined;
    const shown = shownAs ?? operation;
    const result = formatResult(run.result.value, shown, unit ?? run.result.unit ?? percentUnit(shown, inputs), inputs);
    return {
      lead: this.template('cells-computed', { what, result, cite: `[${run.n}]` }),
      details: [this.formulaLine(run.result, inputs, run.n)],
      hits: this.hitsOf(inputs),
    };
  }

  async direction(direction: 'increase' | 'decrease', earlier: Cell, later: Cell): Promise<CellAnswer | undefined> {
    const run = await this.run('change', [earlier, later]);
    if (!run) return undefined;
    const change = run.result.value;
    const yes = direction === 'increase' ? change > 0 : change < 0;
    const moved = change > 0 ? 'increased' : change < 0 ? 'decreased' : 'was unchanged';
    const statement = `${rowName(later)} ${moved} from ${formatCell(earlier)} in ${periodText(earlier)} to ${formatCell(later)} in ${periodText(later)}, a change of ${formatResult(change, 'change', undefined, [earlier, later])}`;
    return {
      lead: this.template('cells-yes-no', { verdict: this.verdict(yes), statement, cite: `[${run.n}]` }),
      details: [this.formulaLine(run.result, [earlier, later], run.n)],
      hits: this.hitsOf([earlier, later]),
    };
  }

  threshold(direction: 'above' | 'below', threshold: number, cell: Cell): CellAnswer {
    const value = cell.value!;
    const yes = direction === 'above' ? value > threshold : value < threshold;
    const statement = `${rowName(cell)} was ${formatCell(cell)} in ${periodText(cell)}, ${value > threshold ? 'above' : value < threshold ? 'below' : 'equal to'} ${threshold.toLocaleString('en-US')}`;
    return { lead: this.template('cells-yes-no', { verdict: this.verdict(yes), statement, cite: this.cite(cell) }), details: [], hits: this.hitsOf([cell]) };
  }

  private verdict(yes: boolean): string {
    if (this.deps.language === 'zh') return yes ? '是' : '否';
    return yes ? 'Yes' : 'No';
  }

  extreme(reading: QuestionReading, row: Cell[], available: Cell[], cells: Cell[]): CellAnswer | undefined {
    const largest = reading.operation === 'largest';
    const pick = (candidates: Cell[]) => [...candidates].sort((a, b) => (largest ? b.value! - a.value! : a.value! - b.value!))[0];
    if (reading.asksWhich === 'item' && reading.periods.length > 0) {
      // "Which segment had the highest revenue in 2019?": rows of the best table, in that period.
      const passage = row[0]!.passageId;
      const candidates = cells.filter(
        (cell) =>
          cell.passageId === passage &&
          cell.value !== undefined &&
          !/^total\b/i.test(cell.label) &&
          cell.period &&
          cell.period.year === reading.periods[0]!.year,
      );
      const best = pick(candidates);
      if (!best) return undefined;
      return {
        lead: this.template('cells-which', {
          answer: rowName(best),
          extreme: this.extremeWord(largest),
          item: best.column || 'value',
          value: formatCell(best),
          cite: this.cite(best),
        }),
        details: [],
        hits: this.hitsOf([best]),
      };
    }
    const best = pick(available);
    if (!best || available.length < 2) return undefined;
    return {
      lead: this.template('cells-which', {
        answer: periodText(best),
        extreme: this.extremeWord(largest),
        item: rowName(best),
        value: formatCell(best),
        cite: this.cite(best),
      }),
      details: [],
      hits: this.hitsOf([best]),
    };
  }

  private extremeWord(largest: boolean): string {
    if (this.deps.language === 'zh') return largest ? '最高' : '最低';
    return largest ? 'largest' : 'smallest';
  }

  count(reading: QuestionReading, available: Cell[]): CellAnswer | undefined {
    const threshold = reading.threshold;
    if (threshold === undefined || available.length === 0) return undefined;
    const above = threshold.direction === 'above';
    const matching = available.filter((cell) => (above ? cell.value! > threshold.value : cell.value! < threshold.value));
    const what = `${matching.length === 1 ? 'period' : 'periods'} of ${available.length} in which ${rowName(available[0]!)} was ${above ? 'above' : 'below'} ${threshold.text}`;
    const list = available.map((cell) => `${periodText(cell)}: ${formatCell(cell)}`).join(', ');
    return {
      lead: this.template('cells-count', { count: String(matching.length), what, list, cite: [...new Set(available.map((cell) => this.cite(cell)))].join('') }),
      details: [],
      hits: this.hitsOf(available),
    };
  }

  async standardRatio(reading: QuestionReading, cells: Cell[], passageWeight: (passageId: string) => number): Promise<CellAnswer | undefined> {
    const ratio = reading.ratio!;
    for (const { formula, variant } of ratio.formulas) {
      const ids = [...new Set(formula.match(/[a-z_]+/g) ?? [])];
      const rows = ids.map((id) => matchRows(cells, lineItem(id).names[0]!, this.deps.weight, passageWeight)[0]);
      if (rows.some((row) => !row || row.score < 0.6)) continue;
      const periods =
        reading.periods.length > 0 ? reading.periods : [periodCells(rows[0]!.cells)[0]?.period].filter((period): period is CellPeriod => period !== undefined);
      const results: { period: CellPeriod; value: number; n: number; inputs: Cell[]; result: ComputeResult }[] = [];
      for (const period of periods) {
        const inputs = rows.map((row) => cellFor(row!.cells, period));
        if (inputs.some((cell) => !cell)) continue;
        const expression = formula.replace(/[a-z_]+/g, (id) => `x${ids.indexOf(id) + 1}`);
        const run = await this.run(
          'formula',
          inputs as Cell[],
          expression,
          ids.map((id) => lineItem(id).names[0]!),
        );
        if (run) results.push({ period, value: run.result.value, n: run.n, inputs: inputs as Cell[], result: run.result });
      }
      if (results.length === 0) continue;
      const unit = ratio.unit === '%' ? '%' : undefined;
      const show = (value: number, inputs: Cell[]) =>
        `${formatResult(value, ratio.unit === 'amount' ? 'difference' : 'formula', unit, ratio.unit === 'amount' ? inputs : [])}${ratio.unit === 'x' ? 'x' : ratio.unit === 'days' ? ' days' : ''}`;
      const details = results.map((entry) => this.formulaLine(entry.result, entry.inputs, entry.n));
      details.push(`${ratio.label[0]!.toUpperCase()}${ratio.label.slice(1)} computed as ${variant}.`);
      if (!reading.yesNo && (reading.ratioOperation === 'change' || reading.ratioOperation === 'percent_change') && results.length >= 2) {
        // "The change in the current ratio from 2018 to 2019": both periods' formulas in one computation.
        const [earlier, later] = [results[0]!, results.at(-1)!].sort((a, b) => comparePeriods(a.period, b.period)) as [
          (typeof results)[number],
          (typeof results)[number],
        ];
        const single = formula.replace(/[a-z_]+/g, (id) => `x${ids.indexOf(id) + 1}`);
        const shifted = formula.replace(/[a-z_]+/g, (id) => `x${ids.indexOf(id) + 1 + ids.length}`);
        const relative = reading.ratioOperation === 'percent_change';
        const combined = relative ? `((${shifted}) - (${single})) / abs(${single}) * 100` : `(${shifted}) - (${single})`;
        const names = ids.map((id) => lineItem(id).names[0]!);
        const inputs = [...earlier.inputs, ...later.inputs];
        const what = `${relative ? 'percentage change' : 'change'} in the ${ratio.label} from ${earlier.period.label} to ${later.period.label}`;
        const answer = await this.computed('formula', inputs, what, combined, [...names, ...names], relative || ratio.unit === '%' ? '%' : undefined);
        if (answer) return { ...answer, details: [...answer.details, ...details] };
      }
      if (reading.yesNo && results.length >= 2) {
        const [earlier, later] = [results[0]!, results.at(-1)!].sort((a, b) => comparePeriods(a.period, b.period));
        const up = later!.value > earlier!.value;
        // "Improved" means up, except for ratios where lower is better (leverage, days to collect).
        const lowerIsBetter = ratio.id === 'debt_to_equity' || ratio.id === 'dso';
        const wanted = reading.yesNo.improve && lowerIsBetter ? !up : reading.yesNo.direction === 'decrease' ? !up : up;
        const statement = `the ${ratio.label} went from ${show(earlier!.value, earlier!.inputs)} in ${earlier!.period.label} to ${show(later!.value, later!.inputs)} in ${later!.period.label}`;
        return {
          lead: this.template('cells-yes-no', { verdict: this.verdict(wanted), statement, cite: `[${earlier!.n}][${later!.n}]` }),
          details,
          hits: this.hitsOf(results.flatMap((entry) => entry.inputs)),
        };
      }
      if (reading.yesNo?.threshold !== undefined) {
        const entry = results[0]!;
        const yes = reading.yesNo.direction === 'above' ? entry.value > reading.yesNo.threshold : entry.value < reading.yesNo.threshold;
        const statement = `the ${ratio.label} was ${show(entry.value, entry.inputs)} in ${entry.period.label}`;
        return {
          lead: this.template('cells-yes-no', { verdict: this.verdict(yes), statement, cite: `[${entry.n}]` }),
          details,
          hits: this.hitsOf(entry.inputs),
        };
      }
      const values = results.map((entry) => `${show(entry.value, entry.inputs)} in ${entry.period.label}`).join(' and ');
      return {
        lead: this.template('cells-computed', { what: ratio.label, result: values, cite: results.map((entry) => `[${entry.n}]`).join('') }),
        details,
        hits: this.hitsOf(results.flatMap((entry) => entry.inputs)),
      };
    }
    return undefined;
  }
}
