import type { Cell } from '../../cells/types.ts';

/**
 * How the cell answers write figures, periods and names (pure): a cell as printed, a computed
 * result with the precision and unit its operation calls for, the calculator's expression as a
 * reader knows it.
 */
/** The period as the column names it: "2019", "FY2023", or the column's own words for a dated column. */
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function periodText(cell: Cell): string {
  if (!cell.period) return cell.column || 'the table';
  // A maturity band is said as the table heads it ("1-3 Years").
  if (cell.period.due) return cell.period.label;
  if (cell.period.quarter) return `Q${cell.period.quarter} ${cell.period.year}`;
  if (cell.period.half) return `H${cell.period.half} ${cell.period.year}`;
  if (cell.period.through) return `${cell.period.year}-${cell.period.through}`;
  // A month named without its day ("April 2019", "Jun-2018") is said as that month.
  if (cell.period.month !== undefined && !cell.period.end) return `${MONTH_NAMES[cell.period.month - 1]} ${cell.period.year}`;
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
export function percentUnit(operation: string, inputs: Cell[]): string | undefined {
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

/**
 * A line item's name as an answer writes it: without the footnote marks tables print beside labels
 * ("Tax fees (2)", "Carryforwards:(1)") and a stray trailing stop, which would end the sentence.
 */
export function tidyName(name: string): string {
  return name
    .replace(/\s*\(\d{1,2}\)(?=\s|$|›|,)/g, '')
    .replace(/:(?=\s*(?:›|$))/g, '')
    .replace(/\s+\.(?=\s|$|›)/g, '')
    .replace(/\s{2,}/g, ' ')
    .trim();
}
