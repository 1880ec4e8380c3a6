import { averageOfChanges, changeOfRatio, differenceOfAverages, shareOfSum, type CompoundPlan } from '../../cells/compound.ts';
import {
  alignedColumns,
  cellFor,
  cellsInPeriod,
  comparePeriods,
  LOOKUP_DEFAULTS,
  matchRows,
  periodCells,
  periodMatches,
  rowPreference,
  scoreRowName,
  stemWords,
  type RowMatch,
} from '../../cells/find-cells.ts';
import { passageCells, passageTable } from '../../cells/passage-table.ts';
import { withoutDates } from '../../cells/periods.ts';
import { namesDayOfYear } from '../../cells/read-table.ts';
import { datedSentenceCells, sentenceCells } from '../../cells/sentence-cells.ts';
import { isPrinted, rowName, type Cell, type CellPeriod } from '../../cells/types.ts';
import type { SearchHit } from '../../retrieval/hybrid-search.ts';
import type { ComputeArgs } from '../../tools/definitions/compute.ts';
import { cellIn, columnLabel, columnPair, columnWordsBeside, isAmount, namedColumn, TOTAL_ROW } from './cell-columns.ts';
import { formatCell, periodText } from './cell-format.ts';
import { Composer, type CellAnswer, type CellAnswerDeps } from './compose-cells.ts';
import { proseCounts } from './prose-counts.ts';
import { AMOUNT_WORDS, COUNT_COLUMN, DEDUCTION_BALANCE, UNIT_PRICE_COLUMN } from '../../../lib/financial-questions.ts';
import type { QuestionReading } from './read-question.ts';

export type { CellAnswer, CellAnswerDeps } from './compose-cells.ts';
export { formatCell, periodText } from './cell-format.ts';

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
  /** Added to a share's part and whole when the whole is the total line of the section the part is printed under. */
  sectionTotalBonus: 0.2,
  /** Score of the bare total line of the table holding the part, for "X among the total Y". */
  tableTotalScore: 0.9,
  /** A row that "the difference in X between A and B" names as X, for its columns A and B. */
  subjectRowScore: 0.7,
  /** A row named by a whole "X and Y" phrase at least this well is one line item, not two to sum. */
  wholePhraseScore: 0.9,
  /** Rows named within this score of the best row are parts of one total ("X, current" and "X, non-current"). */
  partsScore: 0.1,
  /** A column whose header the item names is read over its rows when no row is named at least this well. */
  columnItemsBelow: 0.5,
  /** A series of figures sentences state one period each: the least score of the best sentence, and how far below it the others may name the item. */
  proseSeriesScore: 0.5,
  proseSeriesMargin: 0.15,
  /** The compute tool's most inputs. */
  maxInputs: 20,
  /** Prose passages this many places before or after a table passage may name its subject. */
  subjectDistance: 2,
  /** An amount row named within this score of a better-named row of percentages answers a question that asks no percentage. */
  percentRowMargin: 0.4,
};

/**
 * Stages 2–3 for questions over documents' tables: plan which cells the question's operation needs
 * (rows, periods, the columns it names, the parts a total adds up) and gather them from the
 * retrieved table passages; compose-cells.ts computes and writes the answer. Returns undefined when
 * no table row answers the question, so the engine falls back to sentences.
 */
export async function answerFromCells(question: QuestionReading, retrieved: SearchHit[], deps: CellAnswerDeps): Promise<CellAnswer | undefined> {
  let reading = question;
  // A computation looks for its rows in every table of the best documents; a stated value keeps to
  // the passages retrieval found, where a sentence often states it better than a loosely named row.
  const expandsTables = !['value', 'largest', 'smallest', 'count'].includes(reading.operation);
  const hits = deps.passagesOf && expandsTables ? await withSiblingTables(retrieved, deps.passagesOf) : retrieved;
  const hitOf = new Map<string, SearchHit>();
  const cells: Cell[] = [];
  // Figures sentences state one period at a time: joined into a series only when no row holds the periods asked.
  const datedSentences: Cell[] = [];
  for (const hit of hits) {
    // A figure a sentence states is quoted whole by the sentence path; sentence cells serve computations.
    const computes = reading.operation !== 'value' && reading.operation !== 'largest' && reading.operation !== 'smallest';
    const found = [...passageCells(hit.chunk), ...(computes ? sentenceCells(hit.chunk.text, hit.chunk.id) : [])];
    const dated = computes && !passageTable(hit.chunk) ? datedSentenceCells(hit.chunk.text, hit.chunk.id) : [];
    if (found.length === 0 && dated.length === 0) continue;
    hitOf.set(hit.chunk.id, hit);
    cells.push(...found);
    datedSentences.push(...dated);
  }
  if (cells.length === 0 && datedSentences.length === 0) return undefined;
  reading = withMovementSpan(withMaturityBands(withYearSpans(reading, cells), cells), cells);
  const topScore = Math.max(...hits.map((hit) => hit.score), 1e-9);
  // Retrieval rank, and above it a document whose metadata names the company or year asked about.
  const passageWeight = (passageId: string) => {
    const hit = hitOf.get(passageId);
    return hit ? hit.score / topScore + (deps.documentFit?.(hit) ?? 0) : 0;
  };
  const context = new Composer(deps, hitOf);
  // A question that names no percentage, rate or ratio means amounts, whatever its operation computes from them.
  // One item's share or percentage, asked without a second item to divide by, is read as printed.
  const readsPrinted = reading.operation === 'value' || (reading.operation === 'share' && reading.items.length === 1);
  const preference = {
    ...(reading.operation === 'share' && !readsPrinted ? {} : rowPreference(reading.columnWords.join(' '), readsPrinted)),
    subject: subjectWords(hits),
  };
  const rowsNamed = (item: string) => matchRows(cells, item, deps.weight, passageWeight, undefined, preference);
  const wantPercent = (/%|\bpercent|\bproportion|\bshare\b/i.test(reading.items.join(' ')) && reading.operation === 'value') || reading.points;
  // A percentage named beside another operation ("the average percentage of revenues") asks for a row of percentages.
  const namesPercent = !['share', 'percent_change', 'cagr'].includes(reading.operation) && PERCENT_WORDS.test(reading.columnWords.join(' '));
  const asksPercent = wantPercent || namesPercent || PERCENT_WORDS.test(`${reading.items.join(' ')} ${reading.subject ?? ''}`);
  const rowsFor = (item: string) => {
    const rows = rowsNamed(item);
    return asksPercent ? rows : amountsFirst(rows, () => matchRows(cells, item, deps.weight, passageWeight, { ...LOOKUP_DEFAULTS, floorShare: 0 }, preference));
  };
  const rowFor = (item: string) => rowsFor(item)[0]?.cells;
  // Among rows named about as well, one that holds every period the question asks wins; a row
  // holding none of them cannot answer, so any candidate that holds them all replaces it.
  const rowMatch = (item: string) => {
    const rows = rowsFor(item);
    if (reading.periods.length === 0) return rows[0];
    // A stated value with no row named by the question is left to the sentences; a computation looks for the dated balance.
    const dated =
      (rows[0] || reading.operation !== 'value') &&
      datedRow(cells, rows, reading.periods, (row) => scoreRowName(item, row[0]!.label, deps.weight, undefined, row[0]!.path.join(' ')), passageWeight);
    if (dated) return dated;
    const holdsAll = (row: RowMatch) => reading.periods.every((period) => cellFor(row.cells, period));
    // A figure printed in every period asked beats a dash (nil) in one of them.
    const printsAll = (row: RowMatch) => reading.periods.every((period) => isPrinted(cellFor(row.cells, period)));
    const close = (row: RowMatch) => row.score >= rows[0]!.score - CELL_ANSWER_DEFAULTS.periodPreference;
    const complete = rows.find((row) => close(row) && printsAll(row)) ?? rows.find((row) => close(row) && holdsAll(row));
    const holdsNone = rows[0] !== undefined && !reading.periods.some((period) => cellFor(rows[0]!.cells, period));
    const chosen = complete ?? (holdsNone ? rows.find(holdsAll) : undefined) ?? rows[0];
    // Two months of one year asked of a row of years ("April and December 2019") are not both in its one 2019 figure.
    const holdsEach = (row: RowMatch) => {
      const found = reading.periods.map((period) => cellFor(row.cells, period));
      return found.every((cell) => cell !== undefined) && (new Set(found).size === found.length || found.some((cell) => cell!.period?.start));
    };
    if (reading.periods.length < 2 || (chosen && holdsEach(chosen))) return chosen;
    // "The PSUs granted in April and in December 2019", each stated by a sentence of its own.
    return (
      proseSeries(
        datedSentences,
        reading.periods,
        (found) => matchRows(found, item, deps.weight, passageWeight, { ...LOOKUP_DEFAULTS, floorShare: 0 }, preference),
        hitOf,
      ) ?? chosen
    );
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

  // One line item's first period as a share (ratio) of its second, in the order the question names them.
  if (reading.overPeriods && (reading.operation === 'share' || reading.operation === 'ratio')) {
    const row = rowMatch(reading.items[0]!)?.cells;
    const [a, b] = reading.periods.map((period) => (row ? cellFor(row, period) : undefined));
    if (!a || !b) return undefined;
    const relation = reading.operation === 'share' ? 'as a percentage of' : 'as a ratio of';
    return context.computed(reading.operation, [a, b], `${rowName(a)} in ${periodText(a)} ${relation} ${periodText(b)}`);
  }

  // Two line items (ratio, share, difference, sum or average of two rows) in one period.
  let item = reading.items[0]!;
  if (reading.items.length >= 2 && TWO_ITEM_OPERATIONS.includes(reading.operation)) {
    const operation = reading.operation as ComputeArgs['operation'];
    const firsts = rowsFor(reading.items[0]!);
    const seconds = rowsFor(reading.items[1]!);
    // "The average of research and development credits in 2018 and 2019": a row named by the whole
    // phrase, holding the periods, beats splitting the phrase at its "and".
    const joined = reading.subject || reading.periods.length < 2 ? undefined : rowMatch(reading.items.join(' '));
    const splitScore = Math.min(firsts[0]?.score ?? 0, seconds[0]?.score ?? 0);
    const joinedHolds = joined !== undefined && reading.periods.filter((period) => cellFor(joined.cells, period)).length >= 2;
    if ((operation === 'sum' || operation === 'average') && joined && joinedHolds && joined.score >= splitScore) {
      item = reading.items.join(' ');
    } else {
      // "The difference in the gross carrying amount between the current and the total": two columns of one row.
      const columns = reading.subject
        ? columnPair(rowMatch(reading.subject), reading.items as [string, string], reading.periods[0], CELL_ANSWER_DEFAULTS.subjectRowScore)
        : undefined;
      if (columns) {
        const [a, b] = columns;
        const what = `${describeTwo(operation, a, b, reading.periods[0], columnLabel)} of ${rowName(a)}`;
        const names = [a, b].map((cell) => `${rowName(cell)} (${columnLabel(cell)})`);
        if (reading.gap && operation === 'difference') return itemGap(context, [a, b], what, columnLabel, names);
        return context.computed(operation, [a, b], what, undefined, names);
      }
      // "What proportion of level 2 inputs is made up of money market funds": the whole names a column
      // of the part's table better than any row of its document, and that column's total line is the whole.
      if (operation === 'share' || operation === 'ratio') {
        const inColumn = columnWhole(firsts, seconds, cells, reading, deps.weight, hitOf);
        if (inColumn) {
          const [a, b] = inColumn;
          const names = [a, b].map((cell) => `${rowName(cell)} (${columnLabel(cell)})`);
          return context.computed(operation, [a, b], `${describeTwo(operation, a, b, reading.periods[0], rowName)} in ${columnLabel(a)}`, undefined, names);
        }
      }
      const pair = pairRows(
        firsts,
        withTableTotals(seconds, firsts, cells, reading.items[1]!),
        hitOf,
        operation === 'share' || operation === 'ratio' ? reading.items[1] : undefined,
      );
      if (!pair) return undefined;
      // The subject of "the exercise price between granted and exercised options" names the column,
      // though an item's own words ("options") may have narrowed its row to another column: the whole printed rows.
      const printedRow = (row: Cell[]) => cells.filter((cell) => cell.passageId === row[0]!.passageId && cell.rowIndex === row[0]!.rowIndex);
      const [first, second] = reading.subject ? [printedRow(pair[0]), printedRow(pair[1])] : pair;
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
      if (reading.gap && operation === 'difference') return itemGap(context, [a, b], describeTwo(operation, a, b, period), rowName);
      return context.computed(operation, [a, b], describeTwo(operation, a, b, period));
    }
  }

  // "The basic net income per share in 2019" where no row prints it: the amount ÷ the count of units, per period.
  if (reading.perUnit) {
    const whole = rowMatch(item);
    // A row prints the amount per unit when it is named by the whole phrase and says "per" itself
    // ("Net income per share"); "Employee termination costs" names the amount, not the amount per employee.
    const printed = whole && whole.score >= CELL_ANSWER_DEFAULTS.wholePhraseScore && /\bper\b|\beps\b/i.test(rowName(whole.cells[0]!));
    if (!printed) {
      // Neither side is itself an amount per unit: "basic earnings per share" counts no shares.
      const notPerUnit = (rows: RowMatch[]) => rows.filter((row) => !/\bper\b/i.test(rowName(row.cells[0]!)));
      const amounts = notPerUnit(rowsFor(reading.perUnit.amount));
      // The divisor row names the unit it counts ("Weighted average shares" for "per share").
      const unitWord = new RegExp(`\\b${unitStem(reading.perUnit.unit)}`, 'i');
      // A row the amount's phrase names ("Employee termination costs" for the cost per employee) is an amount, not a count.
      const amountRows = new Set(amounts.map((row) => `${row.cells[0]!.passageId}#${row.cells[0]!.rowIndex}`));
      // A count is the document's own and names no amount ("Employee separation expenses" counts nobody).
      const documentOf = (row: RowMatch) => hitOf.get(row.cells[0]!.passageId)?.article.id;
      const units = notPerUnit(rowsFor(reading.perUnit.unit)).filter(
        (row) =>
          unitWord.test(rowName(row.cells[0]!)) &&
          !AMOUNT_WORDS.test(rowName(row.cells[0]!)) &&
          !amountRows.has(`${row.cells[0]!.passageId}#${row.cells[0]!.rowIndex}`) &&
          amounts.slice(0, CELL_ANSWER_DEFAULTS.pairCandidates).some((amount) => documentOf(amount) === documentOf(row)),
      );
      const pair = pairRows(amounts, units, hitOf);
      if (pair) {
        const plan = planPerUnit(reading, pair[0], pair[1]);
        if (plan) return context.computed('formula', plan.plan.inputs, plan.what, plan.plan.formula, undefined, plan.plan.unit);
      } else if (amounts[0] && deps.passagesOf) {
        // The amount in a table, the count of units in the report's prose ("a reduction of 1,027 employees").
        const answer = await perUnitFromProse(reading, amounts[0].cells, hitOf, deps.passagesOf, context);
        if (answer) return answer;
      }
    }
  }

  const match = rowMatch(item);
  // "The average age of the executive officers": no row is named, but a column is, and its rows are the items.
  if ((!match || match.score < CELL_ANSWER_DEFAULTS.columnItemsBelow) && (reading.operation === 'average' || reading.operation === 'sum')) {
    const column = namedColumnItems(cells, item, passageWeight);
    if (column) {
      const what = `${reading.operation} of ${column[0]!.column} over the ${column.length} rows of its table`;
      return context.computed(reading.operation, column, what);
    }
  }
  if (!match) return undefined;
  // The rows of the matched row's table that the phrase names about as well, each with its cell in
  // the period and column asked: the parts a total adds up.
  const partsOf = (best: RowMatch): Cell[] => {
    const words = columnWordsBeside(reading.columnWords, [best.cells]);
    const pick = (rowCells: Cell[]) => cellIn(rowCells.filter(isAmount), reading.periods[0], words);
    const anchor = pick(best.cells);
    if (!anchor) return [];
    const documentOf = (cell: Cell) => hitOf.get(cell.passageId)?.article.id;
    return rowsNamed(item)
      .filter(
        (candidate) =>
          // One table, which retrieval may have split into passages: the same document.
          documentOf(candidate.cells[0]!) === documentOf(anchor) &&
          candidate.score >= best.score - CELL_ANSWER_DEFAULTS.partsScore &&
          !TOTAL_ROW.test(candidate.cells[0]!.label) &&
          sharesNamedWords(item, best.cells[0]!, candidate.cells[0]!),
      )
      .map((candidate) => pick(candidate.cells))
      .filter((cell): cell is Cell => cell !== undefined && cell.columnIndex === anchor.columnIndex)
      .sort((a, b) => a.rowIndex - b.rowIndex);
  };
  const row = match.cells;
  // "Over the last 2 years": the latest periods the row holds, as many as asked.
  const available = periodCells(row, wantPercent).slice(0, reading.latestPeriods);
  // A dash in a period the question names is nil in a change, a sum or an average ("—" to 42,271 is an increase of 42,271).
  const nilCounts = ['change', 'percent_change', 'sum', 'average'].includes(reading.operation) || reading.ofTotal === true;
  // Several figures of a row in one period ("Number of shares" and "Exercise price"): the column the question names.
  // The word naming the operation ("average") names no column ("Weighted Average Grant Date Fair Value").
  const besideRow = columnWordsBeside(reading.columnWords, [row]).filter((word) => !OPERATION_WORDS[reading.operation]?.test(word));
  const named = reading.periods.map((period) =>
    namedColumn(
      cellsInPeriod(row, period).filter((cell) => (cell.unit === '%') === wantPercent),
      besideRow,
      true,
    ),
  );
  const picked = reading.periods.map((period, index) => named[index] ?? cellFor(row, period, wantPercent) ?? (nilCounts ? nilCell(row, period) : undefined));
  // A column the question's words named stays; otherwise the periods compared come from one group of columns.
  const asked = (named.some(Boolean) ? picked : alignedColumns(row, reading.periods, picked, wantPercent))
    // Two dates asked within one span of movements name its one figure once.
    .filter((cell, index, list): cell is Cell => cell !== undefined && list.indexOf(cell) === index);
  if (reading.periods.length > 0 && asked.every((cell) => cell.value === 0 && NIL.test(cell.text))) return undefined;
  // A range ("from 2015 to 2019") takes every period of the row between its ends.
  // Two dates that open and close one span of movements ("between December 30, 2018 and December
  // 29, 2019") name that span, not every span between the question's first and last dates.
  const namesSpan = asked.some((cell) => cell.period?.start !== undefined) && asked.length < reading.periods.length;
  const spanned = reading.range && asked.length >= 2 && !namesSpan ? withinRange(available, asked) : asked;

  switch (reading.operation) {
    case 'change':
    case 'percent_change':
    case 'cagr': {
      // Periods the question names are never swapped for others the row happens to hold.
      if (reading.periods.length >= 2 && asked.length < 2) return undefined;
      // One period asked ("the percentage change in cash in 2019"): from the period before it to it.
      const before = asked.length === 1 ? available.find((cell) => isEarlierPeriod(cell.period!, asked[0]!.period!)) : undefined;
      const pair = asked.length >= 2 ? asked : asked.length === 1 ? (before ? [before, asked[0]!] : []) : available.slice(0, 2);
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
      // "The total value of options exercised and forfeited": each row's count of units times its price per unit, added up.
      if (reading.product && reading.operation === 'sum' && reading.periods.length < 2) {
        const products = namedRowsOf(cells, match.cells[0]!, item, reading.periods[0]).map((part) => countAndPrice(cells, part));
        if (products.length >= 2 && products.every((pair) => pair !== undefined)) {
          const inputs = products.flatMap((pair) => pair!);
          const formula = products.map((_, index) => `abs(x${2 * index + 1}) * x${2 * index + 2}`).join(' + ');
          const names = inputs.map((cell) => `${rowName(cell)} (${columnLabel(cell)})`);
          const what = `total value of ${products.map((pair) => rowName(pair![0])).join(' and ')}${periodOf(inputs)}: each ${columnLabel(inputs[0]!)} × ${columnLabel(inputs[1]!)}`;
          return context.computed('formula', inputs, what, formula, names, undefined, 'difference');
        }
      }
      // "The sum of all tax credit carryforwards": the rows the phrase names, added up, when the
      // question is not over periods.
      if (reading.periods.length < 2 && (reading.overRows === 'items' || available.length < 2)) {
        const parts = partsOf(match);
        if (parts.length >= 2) return addUp(context, reading.operation, parts, `${reading.operation} of ${parts.map(rowName).join(', ')}${periodOf(parts)}`);
      }
      // "The average annual X for 2020-2024" over columns that span years ("2021-2022"): their sum per year covered.
      if (reading.perYear && reading.range && reading.periods.length >= 2) {
        const tiles = yearTiles(available, reading.periods);
        if (tiles && tiles.some((cell) => cell.period!.through !== undefined)) {
          const years = tiles.reduce((sum, cell) => sum + (cell.period!.through ?? cell.period!.year!) - cell.period!.year! + 1, 0);
          const sum = tiles.map((_, index) => `x${index + 1}`).join(' + ');
          const what = `average per year of ${rowName(tiles[0]!)} over ${tiles.map(periodText).join(', ')} (${years} years)`;
          return context.computed('formula', tiles, what, `(${sum}) / ${years}`, undefined, undefined, 'average');
        }
      }
      // "the 2019 average X": the year's average balance, its opening (prior year end) and closing.
      const opening = asked.length === 1 ? available.find((cell) => isEarlierPeriod(cell.period!, asked[0]!.period!)) : undefined;
      const chosen = spanned.length >= 2 ? spanned : opening ? [asked[0]!, opening] : available;
      if (chosen.length < 2) return undefined;
      const ordered = [...chosen].sort((x, y) => comparePeriods(x.period!, y.period!));
      const what = `${reading.operation} of ${rowName(ordered[0]!)} over ${ordered.map(periodText).join(', ')}`;
      return addUp(context, reading.operation, ordered, what);
    }
    case 'largest':
    case 'smallest': {
      // "Which obligation has the highest total value?" over a table of no periods (or of maturity bands only): its rows, in the column named.
      const column =
        reading.asksWhich === 'item' && reading.periods.length === 0 && available.every((cell) => cell.period?.due)
          ? namedColumn(row, reading.columnWords, true)
          : undefined;
      return context.extreme(reading, row, available, cells, column);
    }
    case 'count': {
      // "How many segments were below $100 million in 2018": the rows of the table in the one period asked, not the periods of one row.
      if (reading.periods.length === 1 && asked[0] && !COUNTS_PERIODS.test(reading.columnWords.join(' '))) {
        const period = reading.periods[0]!;
        const rows = cells.filter(
          (cell) =>
            cell.passageId === asked[0]!.passageId &&
            cell.columnIndex === asked[0]!.columnIndex &&
            cell.value !== undefined &&
            periodMatches(cell.period, period) &&
            !TOTAL_ROW.test(cell.label),
        );
        if (rows.length >= 2) return context.count(reading, rows, 'items');
      }
      return context.count(reading, spanned.length >= 2 ? spanned : available);
    }
    default: {
      // "The proportion of long-term debt due in 1-3 years": the row's figures in the bands asked over its total.
      if (reading.ofTotal) {
        if (asked.length === 0 || asked.length < reading.periods.length) return undefined;
        const bands = row.filter((cell) => cell.period?.due && cell.value !== undefined);
        const total = namedColumn(
          row.filter((cell) => !cell.period),
          ['total'],
          true,
        );
        const wholes = total ? [total] : bands;
        if (wholes.length === 0 || (!total && bands.length <= asked.length)) return undefined;
        const inputs = [...asked, ...wholes];
        const over = (from: number, count: number) => Array.from({ length: count }, (_, index) => `x${from + index}`).join(' + ');
        const formula = `(${over(1, asked.length)}) / (${over(asked.length + 1, wholes.length)}) * 100`;
        const what = `${rowName(row[0]!)} due in ${asked.map(periodText).join(' and ')} as a percentage of its total`;
        return context.computed('formula', inputs, what, formula, undefined, '%');
      }
      // "The total deferred revenue" where the table splits it into current and non-current rows
      // and prints no total: the parts, added up.
      if (reading.overRows && asked.length <= 1 && !reading.yesNo && !TOTAL_ROW.test(rowName(row[0]!))) {
        const parts = partsOf(match);
        if (parts.length >= 2) return addUp(context, 'sum', parts, `total of ${parts.map(rowName).join(' and ')}${periodOf(parts)}`);
      }
      // "The price of the outstanding shares": the row's count of units times its price per unit.
      if (reading.product) {
        const [count, price] = countAndPrice(cells, asked[0] ?? row[0]!) ?? [];
        if (count && price) {
          const what = `value of ${rowName(count)}: ${columnLabel(count)} × ${columnLabel(price)}`;
          const names = [count, price].map((cell) => `${rowName(cell)} (${columnLabel(cell)})`);
          return context.computed('formula', [count, price], what, 'x1 * x2', names, undefined, 'difference');
        }
      }
      // A description ("How is the discount rate determined?") is answered by sentences, not a cell.
      // A row printing one figure is that figure, however the question words it ("What is the X?").
      const single = row.filter((cell) => cell.value !== undefined).length === 1;
      // A column the question names ("as reported", "domestic") picks the cell when no period does.
      // Every word the question leaves beside the row's name counts ("as reported" though "reported" is filler elsewhere).
      const precise = asked.length === 0 ? namedColumn(row, columnWordsBeside(reading.columnWords, [row]), true) : undefined;
      const named = precise ?? (asked.length === 0 ? namedColumn(row, reading.words) : undefined);
      if (asked.length === 0 && !((reading.asksAmount || single || precise) && match.score >= 0.8)) return undefined;
      // "For fiscal years 2019 to 2017 respectively": every period of the range, the ends' order kept.
      const listed = spanned.length > asked.length ? orderLike(spanned, asked) : asked;
      const chosen = listed.length > 0 ? listed : named ? [named] : available.slice(0, 1);
      if (chosen.length === 0) return undefined;
      if (reading.yesNo?.threshold !== undefined && (reading.yesNo.direction === 'above' || reading.yesNo.direction === 'below')) {
        return context.threshold(reading.yesNo.direction, reading.yesNo.threshold, chosen[0]!);
      }

      return context.values(chosen, disagreeing(rowsNamed(item), chosen, hitOf));
    }
  }
}

/**
 * "From 2020 to 2021-2022": a span of years the question writes is the period asked when a table
 * heads a column with that very span (a maturity table's "2021-2022"); otherwise it stays the range
 * between its two ends ("the average for 2017-2019").
 */
function withYearSpans(reading: QuestionReading, cells: Cell[]): QuestionReading {
  if (!reading.spans) return reading;
  const held = reading.spans.periods.some(
    (period) => period.through !== undefined && cells.some((cell) => cell.value !== undefined && cell.period && periodMatches(cell.period, period)),
  );
  return held ? { ...reading, periods: reading.spans.periods, range: reading.spans.range } : reading;
}

/**
 * "The value of shares exercised between 2016 and 2017" of a roll-forward whose movements run from
 * a balance dated in 2016 to one dated in 2017: the two years name that one span of movements,
 * not two periods to add up.
 */
function withMovementSpan(reading: QuestionReading, cells: Cell[]): QuestionReading {
  if (!reading.product || reading.periods.length !== 2) return reading;
  const [from, to] = [...reading.periods].sort((a, b) => (a.year ?? 0) - (b.year ?? 0));
  if (from!.year === undefined || to!.year !== from!.year + 1 || from!.end || to!.end) return reading;
  const span = cells.find((cell) => cell.period?.start?.startsWith(`${from!.year}-`) && cell.period.end?.startsWith(`${to!.year}-`))?.period;
  return span ? { ...reading, periods: [span], range: false } : reading;
}

/**
 * "Due within 5 years" where the table heads its bands "Less than 1 year", "1-3 years" and "3-5
 * years": the bands that together make up the one asked, which a stated value adds up.
 */
function withMaturityBands(reading: QuestionReading, cells: Cell[]): QuestionReading {
  if (!reading.periods.some((period) => period.due)) return reading;
  const held = new Map<string, CellPeriod>();
  for (const cell of cells) if (cell.period?.due && cell.value !== undefined) held.set(`${cell.period.due.from}~${cell.period.due.to ?? ''}`, cell.period);
  const bands = [...held.values()];
  let tiled = false;
  const periods = reading.periods.flatMap((period) => {
    const due = period.due;
    if (!due || bands.some((band) => band.due!.from === due.from && band.due!.to === due.to)) return [period];
    const chain = tileBand(due, bands);
    if (!chain) return [period];
    tiled = true;
    return chain;
  });
  if (!tiled) return reading;
  return { ...reading, periods, operation: reading.operation === 'value' ? 'sum' : reading.operation, respectively: false, range: false };
}

/** Bands that follow each other from the asked band's start to its end ("0-1", "1-3", "3-5" for "within 5 years"). */
function tileBand(due: NonNullable<CellPeriod['due']>, bands: CellPeriod[]): CellPeriod[] | undefined {
  const chain: CellPeriod[] = [];
  let from = due.from;
  while (due.to === undefined || from < due.to) {
    const next = bands.find((band) => band.due!.from === from && (due.to === undefined || (band.due!.to !== undefined && band.due!.to <= due.to)));
    if (!next) return undefined;
    chain.push(next);
    if (next.due!.to === undefined) break;
    from = next.due!.to;
  }
  return chain.length >= 2 ? chain : undefined;
}

/**
 * A sum or an average of cells. Balances a table prints as deductions ("(16)" of an allowance
 * netted against receivables, liabilities netted against assets) are added as the sizes they are:
 * the balance of an allowance is 16, whichever side of the table it sits on; so are the outflows a
 * roll-forward prints between its balances. Flows printed negative (a loss, cash used, a tax effect)
 * keep their sign.
 */
function addUp(context: Composer, operation: 'sum' | 'average', inputs: Cell[], what: string): Promise<CellAnswer | undefined> {
  // A roll-forward's outflows ("Vested (43)", "Forfeited (19)" between two balances) are printed
  // negative because they leave the balance; how many were vested is their size.
  const outflows = inputs.every((cell) => cell.value! < 0 && cell.period?.start !== undefined);
  const deductions = inputs.length >= 2 && (outflows || inputs.every((cell) => cell.value! < 0 && DEDUCTION_BALANCE.test(rowName(cell))));
  if (!deductions) return context.computed(operation, inputs, what);
  const sizes = inputs.map((_, index) => `abs(x${index + 1})`).join(' + ');
  const formula = operation === 'sum' ? sizes : `(${sizes}) / ${inputs.length}`;
  return context.computed('formula', inputs, `${what}, each printed as a deduction and added as its size`, formula, undefined, undefined, operation);
}

/**
 * The rows of one table whose labels the item names word for word ("Exercised" and "Canceled" for
 * "shares exercised or canceled"), totals aside: the rows a question lists by name. Each row's
 * first cell in the period asked, for its printed row to be read.
 */
function namedRowsOf(cells: Cell[], anchor: Cell, item: string, period: CellPeriod | undefined): Cell[] {
  const asked = new Set(stemWords(item));
  const rows = new Map<string, Cell>();
  for (const cell of cells) {
    if (cell.passageId !== anchor.passageId || cell.value === undefined || TOTAL_ROW.test(cell.label)) continue;
    const words = stemWords(withoutDates(cell.label));
    if (words.length === 0 || !words.every((word) => asked.has(word))) continue;
    if (period && !periodMatches(cell.period, period)) continue;
    const key = `${cell.rowIndex}#${cell.label}`;
    if (!rows.has(key)) rows.set(key, cell);
  }
  return [...rows.values()].sort((a, b) => a.rowIndex - b.rowIndex);
}

/**
 * A row's count of units and its price per unit, printed side by side ("Number of shares" and
 * "Weighted-average exercise price"): the whole printed row, since lookup may have kept only the
 * column the question's words name ("price"). A roll-forward's dated rows share one row index,
 * each keeping its own label.
 */
function countAndPrice(cells: Cell[], anchor: Cell): [Cell, Cell] | undefined {
  const printed = cells.filter((cell) => cell.passageId === anchor.passageId && cell.rowIndex === anchor.rowIndex && cell.label === anchor.label);
  const count = printed.find((cell) => cell.value !== undefined && COUNT_COLUMN.test(cell.column) && !UNIT_PRICE_COLUMN.test(cell.column));
  const price = printed.find((cell) => cell.value !== undefined && UNIT_PRICE_COLUMN.test(cell.column));
  return count && price && count.columnIndex !== price.columnIndex ? [count, price] : undefined;
}

/** Words that name an operation, not a column. */
const OPERATION_WORDS: Partial<Record<QuestionReading['operation'], RegExp>> = {
  average: /^(?:average|mean)$/i,
  sum: /^(?:total|sum|combined)$/i,
  change: /^(?:change|increase|decrease|difference)$/i,
  percent_change: /^(?:change|increase|decrease|percentage|percent)$/i,
};

/** A count over periods ("how many years", "how many of the quarters"), not over a table's items. */
const COUNTS_PERIODS = /\b(?:years?|periods?|quarters?|months?|fiscal)\b/i;

/** Words of an item that ask for a percentage or a rate, not an amount. */
const PERCENT_WORDS = /%|\bpercent|\bproportion|\bshare\b|\bratio\b|\bmargin\b|\brate\b|\byield\b|\breturn\b/i;

/**
 * For a question that asks no percentage: a row of percentages ("Percentage of total net revenues")
 * is a share of the line item, not the item, so an amount row named nearly as well ("Net
 * revenues") goes first.
 */
function amountsFirst(rows: RowMatch[], everyRow: () => RowMatch[]): RowMatch[] {
  const best = rows[0];
  const isPercentRow = (row: RowMatch) => row.cells.filter((cell) => cell.value !== undefined).every((cell) => cell.unit === '%');
  if (!best || !isPercentRow(best)) return rows;
  const amount = everyRow().find((row) => !isPercentRow(row) && row.score >= best.score - CELL_ANSWER_DEFAULTS.percentRowMargin);
  return amount ? [amount, ...rows.filter((row) => row !== amount)] : rows;
}

/**
 * The figures of an undated column whose header the item names ("Age" for "the average age of the
 * executive officers"), one per row of its table, totals left out; the best-ranked such table.
 */
function namedColumnItems(cells: Cell[], item: string, passageWeight: (passageId: string) => number): Cell[] | undefined {
  const itemWords = new Set(stemWords(item));
  const columns = new Map<string, Cell[]>();
  for (const cell of cells) {
    if (cell.value === undefined || cell.period || cell.rowIndex < 0 || TOTAL_ROW.test(cell.label)) continue;
    const header = stemWords(cell.column);
    if (header.length === 0 || !header.every((word) => itemWords.has(word))) continue;
    const key = `${cell.passageId}#${cell.columnIndex}`;
    columns.set(key, [...(columns.get(key) ?? []), cell]);
  }
  const candidates = [...columns.values()].filter((column) => column.length >= 2 && column.length <= CELL_ANSWER_DEFAULTS.maxInputs);
  candidates.sort((a, b) => passageWeight(b[0]!.passageId) - passageWeight(a[0]!.passageId));
  return candidates[0]?.sort((a, b) => a.rowIndex - b.rowIndex);
}

/**
 * A period strictly before another: an earlier year, quarter, half or day. Two columns of one
 * year, one dated to the day and one not, are the same period told twice, never an opening balance.
 */
function isEarlierPeriod(candidate: CellPeriod, asked: CellPeriod): boolean {
  if (comparePeriods(candidate, asked) >= 0) return false;
  const sameSpan = candidate.year === asked.year && candidate.quarter === asked.quarter && candidate.half === asked.half;
  return !sameSpan || (candidate.end !== undefined && asked.end !== undefined);
}

/** A dash printed where a figure would be: filings print nil that way. */
const NIL = /^\s*[-–—−]+\s*$/;

/** The row's dash in the period, as a zero cell; undefined when the row prints nothing there, or a figure. */
function nilCell(row: Cell[], period: CellPeriod): Cell | undefined {
  const dash = row.find((cell) => cell.value === undefined && NIL.test(cell.text) && periodMatches(cell.period, period));
  return dash ? { ...dash, value: 0 } : undefined;
}

/**
 * The parts of one total share the words of the phrase that the best row bears ("monetary assets,
 * current" and "monetary assets, non-current" for "the total monetary assets"); a row lacking one
 * ("monetary liabilities, current") is a sibling line, not a part, however close its score. A word
 * it lacks may be made up by another word of the phrase the best row lacks: "finite-lived and
 * indefinite-lived" names both sections' rows.
 */
function sharesNamedWords(item: string, best: Cell, candidate: Cell): boolean {
  const stem = (word: string) => word.replace(/(?:ies|es|s)$/, '');
  const wordsOf = (text: string) => new Set((text.toLowerCase().match(/[a-z][a-z&-]+/g) ?? []).map(stem));
  const bestWords = wordsOf(rowName(best));
  const candidateWords = wordsOf(rowName(candidate));
  const asked = [...wordsOf(item)];
  const missing = asked.filter((word) => bestWords.has(word) && !candidateWords.has(word)).length;
  const instead = asked.filter((word) => candidateWords.has(word) && !bestWords.has(word)).length;
  return missing === 0 || instead >= missing;
}

/**
 * "The difference between A and B" of two items: the size of the gap leads, and which of the two
 * is larger is said in words with both figures, as for the gap between two periods.
 */
function itemGap(context: Composer, [a, b]: [Cell, Cell], what: string, nameOf: (cell: Cell) => string, names?: string[]): Promise<CellAnswer | undefined> {
  if (a.value === b.value) return context.computed('difference', [a, b], what, undefined, names);
  const [larger, smaller] = a.value! > b.value! ? [a, b] : [b, a];
  const said = `${what} (${nameOf(larger)} is the larger: ${formatCell(larger)} against ${formatCell(smaller)})`;
  return context.computed('formula', [a, b], said, 'abs(x1 - x2)', names, undefined, 'difference');
}

/**
 * One figure per period asked, each from a sentence of one document that states that period's
 * figure alone ("In April 2019, we granted 346,453 units"; "In December 2019, we granted 375,000
 * units"): the series a report tells in prose. Every sentence must name the item about as well as
 * the best of them; undefined unless every period is found.
 */
function proseSeries(sentences: Cell[], periods: CellPeriod[], named: (cells: Cell[]) => RowMatch[], hitOf: Map<string, SearchHit>): RowMatch | undefined {
  if (sentences.length < periods.length) return undefined;
  const rows = named(sentences);
  const best = rows[0];
  if (!best || best.score < CELL_ANSWER_DEFAULTS.proseSeriesScore) return undefined;
  const documentOf = (row: RowMatch) => hitOf.get(row.cells[0]!.passageId)?.article.id;
  const close = rows.filter((row) => row.score >= best.score - CELL_ANSWER_DEFAULTS.proseSeriesMargin && documentOf(row) === documentOf(best));
  const picked = periods.map((period) => close.find((row) => row.cells.some((cell) => periodMatches(cell.period, period))));
  if (picked.some((row) => row === undefined) || new Set(picked).size < periods.length) return undefined;
  return { cells: picked.flatMap((row) => row!.cells), score: Math.min(...picked.map((row) => row!.score)) };
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
  // A span of movements holds the day it opens as well as the day it closes.
  const holdsEveryDay = (row: Cell[]) =>
    days.every((day) => row.some((cell) => cell.value !== undefined && (cell.period?.end === day.end || cell.period?.start === day.end)));
  if (rows[0] && holdsEveryDay(rows[0].cells)) return undefined;
  // The table the best-named row sits in; then the tables of the other named rows, best-named
  // first, but only for a balance row whose own label names the day ("At 1 January"): a
  // better-named row of a table dated by its years alone (another report's "Associates" line) is
  // not the balance asked on a day, and a row merely dated to the day by its column is no better
  // than the best-named one.
  const passages = rows.length > 0 ? [...new Set(rows.map((row) => row.cells[0]!.passageId))] : [undefined];
  for (const [position, passage] of passages.entries()) {
    const balanceOnly = passage === undefined || position > 0;
    // A row of the table the question names as well, holding those days (the same line under a
    // section dated to the day), comes first.
    const named = rows.find((row) => row.cells[0]!.passageId === passage && holdsEveryDay(row.cells) && (!balanceOnly || namesDayOfYear(row.cells[0]!.label)));
    if (named) return named;
    const byRow = new Map<string, Cell[]>();
    for (const cell of cells) {
      if (passage !== undefined && cell.passageId !== passage) continue;
      const key = `${cell.passageId}#${cell.rowIndex}`;
      byRow.set(key, [...(byRow.get(key) ?? []), cell]);
    }
    let best: RowMatch | undefined;
    for (const row of byRow.values()) {
      // With no row named by the question, only a row whose own label names the day ("At 1 January") says it is the balance asked.
      if (!holdsEveryDay(row) || (balanceOnly && !namesDayOfYear(row[0]!.label))) continue;
      const score = nameScore(row) + 0.1 * passageWeight(row[0]!.passageId);
      if (!best || score > best.score) best = { cells: row, score };
    }
    if (best) return best;
  }
  return undefined;
}

/**
 * The words around each table passage that may name its subject: its caption and section heading,
 * and the retrieved prose of its document printed near it (a report titles a table, or writes about
 * it, in the lines before and after).
 */
function subjectWords(hits: SearchHit[]): (passageId: string) => ReadonlySet<string> {
  const known = new Map<string, ReadonlySet<string>>();
  return (passageId) => {
    const cached = known.get(passageId);
    if (cached) return cached;
    const table = hits.find((hit) => hit.chunk.id === passageId);
    const words = new Set<string>();
    if (table) {
      const near = hits.filter(
        (hit) =>
          hit.article.id === table.article.id &&
          !passageTable(hit.chunk) &&
          Math.abs(hit.chunk.ordinal - table.chunk.ordinal) <= CELL_ANSWER_DEFAULTS.subjectDistance,
      );
      for (const text of [table.chunk.table?.caption ?? '', table.chunk.section ?? '', ...near.map((hit) => hit.chunk.text)]) {
        for (const word of stemWords(text)) words.add(word);
      }
    }
    known.set(passageId, words);
    return words;
  };
}

/**
 * The two rows a two-item question combines, chosen together: the best sum of both rows' scores,
 * with a bonus when they share a table (a share of a total, a ratio of two lines of one statement)
 * or at least a document; two rows from unrelated reports rarely make one figure.
 */
function pairRows(firsts: RowMatch[], seconds: RowMatch[], hitOf: Map<string, SearchHit>, wholeItem?: string): [Cell[], Cell[]] | undefined {
  // The whole's words a section total must print, every one of them ("total" aside).
  const wholeWords = wholeItem ? stemWords(wholeItem).filter((word) => word !== 'total') : [];
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
      // "Continuing operations in diluted earnings per share": a part printed under a section, and
      // the total line closing that section, are the part and the whole a share means, when that
      // total names every word of the whole.
      const nested =
        wholeWords.length > 0 && closesSectionOf(b, a) && wholeWords.every((word) => stemWords(rowName(b)).includes(word))
          ? CELL_ANSWER_DEFAULTS.sectionTotalBonus
          : 0;
      const score = first.score + second.score + together + nested;
      if (!best || score > best.score) best = { pair: [first.cells, second.cells], score };
    }
  }
  return best?.pair;
}

/** A total line (printed "Total …" or left unlabelled) below a row, under the same section rows. */
function closesSectionOf(total: Cell, part: Cell): boolean {
  return (
    total.passageId === part.passageId &&
    total.rowIndex > part.rowIndex &&
    part.path.length > 0 &&
    total.path.join(' › ') === part.path.join(' › ') &&
    TOTAL_ROW.test(total.label)
  );
}

/**
 * A share whose whole is a column of the part's table ("level 2 inputs" over the "Significant
 * Other Observable Inputs (Level 2)" column): the part row's cell in that column, and the table's
 * total line in it. Only when the column's title names the whole better than any row of the part's
 * document does, and in the period asked when the columns are dated.
 */
function columnWhole(
  firsts: RowMatch[],
  seconds: RowMatch[],
  cells: Cell[],
  reading: QuestionReading,
  weight: (term: string) => number,
  hitOf: Map<string, SearchHit>,
): [Cell, Cell] | undefined {
  const part = firsts[0];
  if (!part) return undefined;
  const anchor = part.cells[0]!;
  const documentOf = (cell: Cell) => hitOf.get(cell.passageId)?.article.id;
  const wholeItem = reading.items[1]!;
  const candidates = part.cells.filter(
    (cell) => cell.value !== undefined && (reading.periods.length === 0 || reading.periods.some((period) => periodMatches(cell.period, period))),
  );
  let best: { cell: Cell; score: number } | undefined;
  for (const cell of candidates) {
    const score = scoreRowName(wholeItem, withoutDates(cell.column), weight);
    if (!best || score > best.score) best = { cell, score };
  }
  const rowScore = Math.max(0, ...seconds.filter((row) => documentOf(row.cells[0]!) === documentOf(anchor)).map((row) => row.score));
  if (!best || best.score < CELL_ANSWER_DEFAULTS.wholePhraseScore * 0.7 || best.score <= rowScore) return undefined;
  const column = best.cell;
  const total = cells.find(
    (cell) =>
      cell.passageId === anchor.passageId &&
      cell.columnIndex === column.columnIndex &&
      cell.rowIndex > anchor.rowIndex &&
      cell.value !== undefined &&
      TOTAL_ROW.test(cell.label) &&
      (!column.period || periodMatches(cell.period, column.period)),
  );
  return total && total.value !== 0 && total.rowIndex !== anchor.rowIndex ? [column, total] : undefined;
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

/** "employees" → "employee", the stem a row or a sentence names the unit by. */
function unitStem(unit: string): string {
  return (unit.trim().split(/\s+/).at(-1) ?? unit).replace(/(?:es|s)$/i, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * An amount per unit whose count only the prose states: the amount row's cell in the period asked
 * ÷ the count a sentence of the same document gives, dated to that period or, when the document
 * states one count of that unit only, undated.
 */
async function perUnitFromProse(
  reading: QuestionReading,
  amountRow: Cell[],
  hitOf: Map<string, SearchHit>,
  passagesOf: (articleId: string) => Promise<SearchHit['chunk'][]>,
  context: Composer,
): Promise<CellAnswer | undefined> {
  const amount = reading.periods[0] ? cellFor(amountRow, reading.periods[0]) : periodCells(amountRow)[0];
  const anchor = amount ? hitOf.get(amount.passageId) : undefined;
  if (!amount || amount.value === undefined || !anchor) return undefined;
  const unit = reading.perUnit!.unit;
  const found = (await passagesOf(anchor.article.id)).flatMap((chunk) => proseCounts(chunk.text, chunk.id, unit).map((cell) => ({ cell, chunk })));
  const dated = found.filter(({ cell }) => cell.period && amount.period && periodMatches(cell.period, amount.period));
  const undated = found.filter(({ cell }) => !cell.period);
  const pick = dated.length === 1 ? dated[0] : dated.length === 0 && new Set(undated.map(({ cell }) => cell.value)).size === 1 ? undated[0] : undefined;
  if (!pick || pick.cell.value === 0) return undefined;
  if (!hitOf.has(pick.chunk.id)) hitOf.set(pick.chunk.id, { ...anchor, chunk: pick.chunk });
  const what = `${reading.items[0]} (${rowName(amount)} ÷ ${pick.cell.label}) in ${periodText(amount)}`;
  return context.computed('formula', [amount, pick.cell], what, 'x1 / x2');
}

/**
 * An amount per unit from the amount's row and the units' row: one period's quotient, or for a
 * change the later period's quotient minus the earlier one's (a percentage change for a percentage).
 */
function planPerUnit(reading: QuestionReading, amount: Cell[], units: Cell[]): { plan: CompoundPlan; what: string } | undefined {
  const common = periodCells(amount)
    .map((cell) => cell.period!)
    .filter((period) => cellFor(units, period) !== undefined);
  const asked =
    reading.periods.length > 0 ? reading.periods : common.slice(0, reading.operation === 'change' || reading.operation === 'percent_change' ? 2 : 1);
  const pairs = asked.map((period) => [cellFor(amount, period), cellFor(units, period)] as const);
  if (pairs.length === 0 || pairs.some(([a, b]) => !a || !b || b.value === 0)) return undefined;
  const sorted = [...pairs].sort((x, y) => comparePeriods(x[0]!.period!, y[0]!.period!)) as [Cell, Cell][];
  // The question's own phrase first ("basic net income per share"), then how it was divided.
  const per = (pair: [Cell, Cell]) => `${reading.items[0]} (${rowName(pair[0])} ÷ ${rowName(pair[1])})`;
  if (reading.operation === 'change' || reading.operation === 'percent_change') {
    if (sorted.length < 2) return undefined;
    const [earlier, later] = [sorted[0]!, sorted.at(-1)!];
    const relative = reading.operation === 'percent_change';
    return {
      plan: changeOfRatio(earlier, later, { percent: false, relative }),
      what: `${relative ? 'percentage change' : 'change'} in ${per(earlier)} from ${periodText(earlier[0])} to ${periodText(later[0])}`,
    };
  }
  const [only] = sorted.slice(-1) as [[Cell, Cell]];
  return { plan: { inputs: only, formula: 'x1 / x2' }, what: `${per(only)} in ${periodText(only[0])}` };
}

/** A row's cells for an average: the periods asked (a range: every period between), one year with its opening balance, or every period. */
function averagedCells(row: Cell[], reading: QuestionReading): Cell[] {
  const available = periodCells(row);
  const asked = alignedColumns(
    row,
    reading.periods,
    reading.periods.map((period) => cellFor(row, period)),
  ).filter((cell): cell is Cell => cell !== undefined);
  if (asked.length >= 2) return reading.range ? withinRange(available, asked) : asked;
  if (asked.length === 1) {
    const opening = available.find((cell) => isEarlierPeriod(cell.period!, asked[0]!.period!));
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

/** " in 2019" when every part is of one period. */
function periodOf(parts: Cell[]): string {
  const periods = new Set(parts.map((cell) => (cell.period ? periodText(cell) : '')));
  return periods.size === 1 && parts[0]!.period ? ` in ${periodText(parts[0]!)}` : '';
}

const TWO_ITEM_OPERATIONS: string[] = ['ratio', 'share', 'difference', 'sum', 'average', 'percent_change'];

/** Cells in the direction the question's ends run ("2019 to 2017": latest first). */
function orderLike(cells: Cell[], ends: Cell[]): Cell[] {
  const sorted = [...cells].sort((a, b) => comparePeriods(a.period!, b.period!));
  return comparePeriods(ends[0]!.period!, ends.at(-1)!.period!) > 0 ? sorted.reverse() : sorted;
}

/**
 * A row's cells whose years and spans of years ("2020", "2021-2022", "2023-2024") follow each other
 * from the first period asked to the last, each year covered once; undefined when they leave a gap.
 */
function yearTiles(available: Cell[], periods: CellPeriod[]): Cell[] | undefined {
  const years = periods.map((period) => period.year).filter((year): year is number => year !== undefined);
  const last = Math.max(...periods.map((period) => period.through ?? period.year ?? Number.NEGATIVE_INFINITY));
  if (years.length === 0 || !Number.isFinite(last)) return undefined;
  const tiles: Cell[] = [];
  for (let year = Math.min(...years); year <= last; ) {
    const next = available.find(
      (cell) => cell.period?.year === year && !cell.period.quarter && !cell.period.half && !cell.period.month && (cell.period.through ?? year) <= last,
    );
    if (!next) return undefined;
    tiles.push(next);
    year = (next.period!.through ?? year) + 1;
  }
  return tiles;
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
