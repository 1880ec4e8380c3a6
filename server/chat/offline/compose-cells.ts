import { lineItem } from '../../../lib/line-items.ts';
import { cellFor, comparePeriods, matchRows, periodCells, periodMatches, type TermWeight } from '../../cells/find-cells.ts';
import { withoutDates } from '../../cells/periods.ts';
import { rowName, type Cell, type CellPeriod } from '../../cells/types.ts';
import { renderPrompt, type PromptLibrary } from '../../prompts.ts';
import type { SearchHit } from '../../retrieval/hybrid-search.ts';
import type { ComputeArgs, ComputeResult } from '../../tools/definitions/compute.ts';
import { absoluteBars, formatCell, formatResult, percentUnit, periodText, tidyName } from './cell-format.ts';
import type { QuestionReading } from './read-question.ts';

/**
 * The last stage of a cell answer: runs the arithmetic through the `compute` tool and composes the
 * answer from the templates in prompts/ (the result first, then the formula with every input
 * cell cited). Knows which cells to use from the planning stage (answer-from-cells.ts), never how
 * they were found.
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

export interface CellAnswer {
  /** The direct answer, cited. */
  lead: string;
  /** The formula and its inputs, and any disagreement between documents. */
  details: string[];
  /** Passages the answer used, for the supporting sentences that may follow. */
  hits: SearchHit[];
  /**
   * The words that name the cells the answer used (each row under its sections, each column's
   * title), which the lead may shorten: what the question is weighed against when a sentence
   * competes with the cell answer.
   */
  naming?: string;
}

/** A year asked takes every column of that year; a maturity band asked, only that band. */
function inAskedPeriod(period: CellPeriod, asked: CellPeriod): boolean {
  return asked.due || period.due ? periodMatches(period, asked) : period.year === asked.year;
}

/** Words of a column title that only date it ("Year Ended December 31"). */
const PERIOD_WORDS = /\b(?:years?|months?|weeks?|quarters?|fiscal|ended|ending|as of|as at|for the)\b/gi;

export class Composer {
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

  /** The passages the cells were read from, and the words that name the cells (row, sections, column title). */
  private used(cells: Cell[]): Pick<CellAnswer, 'hits' | 'naming'> {
    // A column's dates say when, which the lead states already ("in 2019"); its other words say what.
    const naming = [...new Set(cells.flatMap((cell) => [rowName(cell), withoutDates(cell.column).replace(PERIOD_WORDS, ' ')]))].join(' · ');
    return { hits: [...new Set(cells.map((cell) => this.hitOf.get(cell.passageId)!))], naming };
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
    return {
      lead: this.template('cells-value', { item: tidyName(rowName(chosen[0]!)), values, cite: cites }),
      details,
      ...this.used([...chosen, ...others]),
    };
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
        name: inputName(tidyName(names?.[index] ?? rowName(cell))),
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
      formula: absoluteBars(result.formula),
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
      lead: this.template('cells-computed', { what: tidyName(what), result, cite: `[${run.n}]` }),
      details: [this.formulaLine(run.result, inputs, run.n)],
      ...this.used(inputs),
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
      ...this.used([earlier, later]),
    };
  }

  threshold(direction: 'above' | 'below', threshold: number, cell: Cell): CellAnswer {
    const value = cell.value!;
    const yes = direction === 'above' ? value > threshold : value < threshold;
    const statement = `${rowName(cell)} was ${formatCell(cell)} in ${periodText(cell)}, ${value > threshold ? 'above' : value < threshold ? 'below' : 'equal to'} ${threshold.toLocaleString('en-US')}`;
    return { lead: this.template('cells-yes-no', { verdict: this.verdict(yes), statement, cite: this.cite(cell) }), details: [], ...this.used([cell]) };
  }

  private verdict(yes: boolean): string {
    if (this.deps.language === 'zh') return yes ? '是' : '否';
    return yes ? 'Yes' : 'No';
  }

  extreme(reading: QuestionReading, row: Cell[], available: Cell[], cells: Cell[], column?: Cell): CellAnswer | undefined {
    const largest = reading.operation === 'largest';
    const pick = (candidates: Cell[]) => [...candidates].sort((a, b) => (largest ? b.value! - a.value! : a.value! - b.value!))[0];
    if (reading.asksWhich === 'item' && (reading.periods.length > 0 || column)) {
      // "Which segment had the highest revenue in 2019?": rows of the best table, in that period
      // (or, in a table of no periods, in the column the question names: "the highest total value").
      const passage = row[0]!.passageId;
      const candidates = cells.filter(
        (cell) =>
          cell.passageId === passage &&
          cell.value !== undefined &&
          !/^total\b/i.test(cell.label) &&
          (column ? cell.columnIndex === column.columnIndex : cell.period && inAskedPeriod(cell.period, reading.periods[0]!)),
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
        ...this.used([best]),
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
      ...this.used([best]),
    };
  }

  private extremeWord(largest: boolean): string {
    if (this.deps.language === 'zh') return largest ? '最高' : '最低';
    return largest ? 'largest' : 'smallest';
  }

  /** "How many years did X exceed Y": a count computed by the `compute` tool, so the threshold the answer restates is cited as its argument. */
  async count(reading: QuestionReading, available: Cell[], over: 'periods' | 'items' = 'periods'): Promise<CellAnswer | undefined> {
    const threshold = reading.threshold;
    if (threshold === undefined || available.length === 0) return undefined;
    // "More than 5 million" against a table in thousands compares 5,000 with the printed figures.
    const scales = new Set(available.map((cell) => cell.scale));
    const printedScale = scales.size === 1 ? [...scales][0]! : 1;
    const level = threshold.scale && printedScale !== 1 ? (threshold.value * threshold.scale) / printedScale : threshold.value;
    const run = await this.deps.compute({
      operation: 'count',
      threshold: level,
      direction: threshold.direction,
      inputs: available.map((cell) => ({
        name: tidyName(rowName(cell)),
        value: cell.value!,
        ...(cell.period ? { period: periodText(cell) } : {}),
        source: cell.passageId,
      })),
    });
    if ('error' in run) return undefined;
    const counted = run.result.value;
    const above = threshold.direction === 'above';
    const comparison = `${above ? 'above' : 'below'} ${threshold.text}`;
    const what =
      over === 'items'
        ? `${counted === 1 ? 'item' : 'items'} of ${available.length} ${comparison} in ${periodText(available[0]!)}`
        : `${counted === 1 ? 'period' : 'periods'} of ${available.length} in which ${rowName(available[0]!)} was ${comparison}`;
    const list = available.map((cell) => `${over === 'items' ? tidyName(rowName(cell)) : periodText(cell)}: ${formatCell(cell)}`).join(', ');
    const cites = [...new Set(available.map((cell) => this.cite(cell)))].join('');
    return {
      lead: this.template('cells-count', { count: String(counted), what, list, cite: `${cites}[${run.n}]` }),
      details: [],
      ...this.used(available),
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
          ...this.used(results.flatMap((entry) => entry.inputs)),
        };
      }
      if (reading.yesNo?.threshold !== undefined) {
        const entry = results[0]!;
        const yes = reading.yesNo.direction === 'above' ? entry.value > reading.yesNo.threshold : entry.value < reading.yesNo.threshold;
        const statement = `the ${ratio.label} was ${show(entry.value, entry.inputs)} in ${entry.period.label}`;
        return {
          lead: this.template('cells-yes-no', { verdict: this.verdict(yes), statement, cite: `[${entry.n}]` }),
          details,
          ...this.used(entry.inputs),
        };
      }
      const values = results.map((entry) => `${show(entry.value, entry.inputs)} in ${entry.period.label}`).join(' and ');
      return {
        lead: this.template('cells-computed', { what: ratio.label, result: values, cite: results.map((entry) => `[${entry.n}]`).join('') }),
        details,
        ...this.used(results.flatMap((entry) => entry.inputs)),
      };
    }
    return undefined;
  }
}

/** The compute tool's longest input name. */
const MAX_INPUT_NAME = 200;

/**
 * A figure a long sentence states is named by the words before it, which may run past what the
 * compute tool takes: the words nearest the figure name it best, so the name keeps its end.
 */
export function inputName(name: string): string {
  if (name.length <= MAX_INPUT_NAME) return name;
  const tail = name.slice(name.length - (MAX_INPUT_NAME - 2));
  return `…${tail.slice(tail.indexOf(' ') + 1)}`;
}
