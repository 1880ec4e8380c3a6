import { z } from 'zod';
import { AppError } from '../../../lib/errors.ts';
import { defineTool, type ToolResult } from '../types.ts';
import { evaluateExpression } from './calculator.ts';

/**
 * Arithmetic over named figures (cells of a document's tables, or figures an article states):
 * the tool writes the formula for the operation, substitutes the inputs and evaluates it with the
 * audited calculator, so every computed figure in an answer comes with its formula, its inputs
 * (each with its period and source) and a result that can be cited as data.
 */
export const COMPUTE_OPERATIONS = ['change', 'percent_change', 'sum', 'average', 'difference', 'ratio', 'share', 'cagr', 'count', 'formula'] as const;
export type ComputeOperation = (typeof COMPUTE_OPERATIONS)[number];

const InputSchema = z.object({
  name: z.string().trim().min(1).max(200).describe('What the figure is: "Total revenue", "Inventories".'),
  value: z.number().finite().describe('The figure as printed, with its sign (parentheses mean negative).'),
  period: z.string().max(60).optional().describe('The period the figure is for: "2019", "FY2023", "Q2 2024".'),
  unit: z.string().max(12).optional().describe('"%", a currency sign, or the scale word ("million").'),
  source: z.string().max(200).optional().describe('Where the figure is from: a passage id or a citation.'),
});
export type ComputeInput = z.infer<typeof InputSchema>;

export const ComputeArgsSchema = z
  .object({
    operation: z
      .enum(COMPUTE_OPERATIONS)
      .describe(
        'change: later − earlier (inputs: earlier, later); percent_change: (later − earlier) / |earlier| × 100 (÷ earlier when both are negative: the change in size); sum; average; ' +
          'difference: first − second; ratio: first ÷ second; share: first ÷ second × 100; cagr: (later / earlier)^(1/years) − 1, × 100; ' +
          'count: how many inputs are above (or below) `threshold`; formula: the expression in `formula` over x1, x2, … (the inputs in order).',
      ),
    inputs: z.array(InputSchema).min(1).max(20),
    formula: z.string().trim().max(300).optional().describe('For operation "formula": e.g. "(x1 - x2) / x3 * 100".'),
    years: z.number().positive().max(200).optional().describe('For cagr: the number of years between the two inputs (default: from their periods).'),
    threshold: z.number().finite().optional().describe('For count: the level each input is compared with ("exceed $15,000": 15000, as printed).'),
    direction: z.enum(['above', 'below']).optional().describe('For count: count the inputs strictly above (default) or below the threshold.'),
  })
  .superRefine((args, context) => {
    const needs: Partial<Record<ComputeOperation, number>> = { change: 2, percent_change: 2, difference: 2, ratio: 2, share: 2, cagr: 2 };
    const count = needs[args.operation];
    if (count !== undefined && args.inputs.length !== count)
      context.addIssue({ code: 'custom', path: ['inputs'], message: `${args.operation} takes exactly ${count} inputs` });
    if (args.operation === 'count' && args.threshold === undefined)
      context.addIssue({ code: 'custom', path: ['threshold'], message: 'count needs the threshold the inputs are compared with' });
    if (args.operation === 'formula' && !args.formula)
      context.addIssue({ code: 'custom', path: ['formula'], message: 'operation "formula" needs a formula over x1, x2, …' });
  });
export type ComputeArgs = z.infer<typeof ComputeArgsSchema>;

export interface ComputeResult extends ToolResult {
  operation: ComputeOperation;
  /** The formula in words: "(Other 2019 − Other 2018) ÷ Other 2018 × 100". */
  formula: string;
  /** The expression evaluated: "(44.1 - 56.7) / abs(56.7) * 100". */
  expression: string;
  value: number;
  unit?: string;
  inputs: ComputeInput[];
}

function literal(value: number): string {
  return value < 0 ? `(${value})` : String(value);
}

function named(input: ComputeInput): string {
  return input.period && !input.name.includes(input.period) ? `${input.name} (${input.period})` : input.name;
}

/** The expression with numbers and the same formula with names, for one operation (pure). */
export function buildComputation(args: ComputeArgs): { expression: string; formula: string; unit?: string } {
  const values = args.inputs.map((input) => literal(input.value));
  const names = args.inputs.map(named);
  const [a, b] = values;
  const [nameA, nameB] = names;
  switch (args.operation) {
    case 'change':
      return { expression: `${b} - ${a}`, formula: `${nameB} − ${nameA}` };
    case 'percent_change': {
      // Two negative figures (a loss, cash used, an allowance printed in parentheses) change in size:
      // a loss going from (33.6) to (25.0) is a 25.6% decrease, as analysts and filings say it.
      // Otherwise the base's absolute value keeps the sign of the move (−5 to +5 is +200%).
      const bothNegative = args.inputs[0]!.value < 0 && args.inputs[1]!.value < 0;
      return {
        expression: bothNegative ? `(${b} - ${a}) / ${a} * 100` : `(${b} - ${a}) / abs(${a}) * 100`,
        formula: `(${nameB} − ${nameA}) ÷ ${nameA} × 100`,
        unit: '%',
      };
    }
    case 'sum':
      return { expression: values.join(' + '), formula: names.join(' + ') };
    case 'average':
      return { expression: `(${values.join(' + ')}) / ${values.length}`, formula: `(${names.join(' + ')}) ÷ ${values.length}` };
    case 'difference':
      return { expression: `${a} - ${b}`, formula: `${nameA} − ${nameB}` };
    case 'ratio':
      return { expression: `${a} / ${b}`, formula: `${nameA} ÷ ${nameB}` };
    case 'share':
      return { expression: `${a} / ${b} * 100`, formula: `${nameA} ÷ ${nameB} × 100`, unit: '%' };
    case 'cagr': {
      const years = args.years ?? yearsBetween(args.inputs[0]!, args.inputs[1]!);
      return { expression: `((${b} / ${a}) ^ (1 / ${years}) - 1) * 100`, formula: `(${nameB} ÷ ${nameA})^(1/${years}) − 1, × 100`, unit: '%' };
    }
    case 'count': {
      // Each term is 1 when its input lies strictly beyond the threshold and 0 otherwise: ceil of
      // the signed gap is at least 1 exactly when the gap is positive, whatever its size.
      const threshold = literal(args.threshold!);
      const below = args.direction === 'below';
      const terms = values.map((value) => `min(1, max(0, ceil(${below ? `${threshold} - ${value}` : `${value} - ${threshold}`})))`);
      return {
        expression: terms.join(' + '),
        formula: `count of ${names.join(', ')} ${below ? 'below' : 'above'} ${args.threshold}`,
      };
    }
    case 'formula': {
      const substitute = (replace: (index: number) => string, template = args.formula!) =>
        template.replace(/\bx(\d{1,2})\b/g, (variable, digits: string) => {
          const index = Number(digits) - 1;
          if (index < 0 || index >= args.inputs.length)
            throw new AppError('bad_request', `The formula uses ${variable} but only ${args.inputs.length} inputs were given.`);
          return replace(index);
        });
      // Operators are written as printed before the names go in, so a name's own "-" or "/" stays.
      const printed = args
        .formula!.replace(/\s*\*\s*/g, ' × ')
        .replace(/\s*\/\s*/g, ' ÷ ')
        .replace(/\s+-\s+/g, ' − ');
      return { expression: substitute((index) => values[index]!), formula: substitute((index) => names[index]!, printed) };
    }
  }
}

function yearsBetween(earlier: ComputeInput, later: ComputeInput): number {
  const year = (input: ComputeInput) => Number(/\b(?:19|20)\d{2}\b/.exec(input.period ?? '')?.[0]);
  const span = year(later) - year(earlier);
  if (!Number.isFinite(span) || span <= 0)
    throw new AppError('bad_request', 'cagr needs `years`, or inputs whose periods name two different years (earlier first).');
  return span;
}

export function runCompute(args: ComputeArgs): ComputeResult {
  const { expression, formula, unit } = buildComputation(args);
  const value = evaluateExpression(expression);
  const shown = Number(value.toPrecision(12));
  return {
    operation: args.operation,
    formula,
    expression,
    value: shown,
    ...(unit ? { unit } : {}),
    inputs: args.inputs,
    provenance: {
      conventions: [
        'change = later − earlier; percent change = (later − earlier) ÷ |earlier| × 100, or ÷ earlier when both are negative (the change in size)',
        'figures as printed in their source (scale words are not applied); IEEE-754 double precision',
      ],
      source: 'input',
    },
    summary: `${formula} = ${shown}${unit === '%' ? '%' : ''} (${expression})`,
  };
}

export const computeTool = defineTool({
  name: 'compute',
  description:
    'Computes a change, percentage change, sum, average, difference, ratio, share (as a percentage of), CAGR or a formula over named figures ' +
    '(e.g. table cells from find_cells), and returns the formula, the expression and the result to cite. Use it for every figure you derive.',
  schema: ComputeArgsSchema,
  async run(args) {
    return runCompute(args);
  },
});
