import type { Line, Run } from './layout-lines.ts';
import { isFigureRow } from './pdf-tables.ts';

/**
 * Table rows whose label wraps onto a second line, as statements print long line items:
 *
 *   Selling, general and administrative                 Income from equity-method   22.5   18.0
 *     expenses                        512.7   480.3       investments, net of tax
 *
 * The two lines become one row (label joined, figures kept) before tables are found, so the row
 * is one table row, not a section row and a stray one. A continuation starts in lower case (a new
 * line item or a section heading starts with a capital), sits in the label column (left of the
 * figures), and exactly one of the two lines carries the figures. A label ending in a colon heads
 * a group and is never joined.
 */
export const WRAP_DEFAULTS = {
  /** Lines further apart than this many font sizes are separate rows. */
  maxGapEms: 2,
  /** A label-only line longer than this is prose, not a wrapped label. */
  maxLabelChars: 80,
};

function isLabelOnly(line: Line): boolean {
  const [run] = line.runs;
  return line.runs.length === 1 && run !== undefined && run.text.length <= WRAP_DEFAULTS.maxLabelChars && !/[.!?]$/.test(run.text);
}

function continues(upper: Line, lower: Line): boolean {
  const [upperLabel] = upper.runs;
  const [lowerLabel] = lower.runs;
  if (upperLabel === undefined || lowerLabel === undefined) return false;
  if (lower.y - (upper.lastY ?? upper.y) > WRAP_DEFAULTS.maxGapEms * Math.max(upper.size, lower.size)) return false;
  if (!/^\p{Ll}/u.test(lowerLabel.text) || /:$/.test(upperLabel.text)) return false;
  const figures = isFigureRow(upper) ? upper : isFigureRow(lower) ? lower : undefined;
  const label = figures === upper ? lower : upper;
  if (figures === undefined || !isLabelOnly(label)) return false;
  // The continuation sits under its label (indented or flush), both left of the first figure.
  const valuesStart = figures.runs[1]!.x0;
  return lowerLabel.x0 >= upperLabel.x0 - 1 && label.runs[0]!.x1 < valuesStart;
}

function joinLabels(upper: Run, lower: Run): Run {
  const text = /\p{L}-$/u.test(upper.text) ? `${upper.text.slice(0, -1)}${lower.text}` : `${upper.text} ${lower.text}`;
  return { text, x0: Math.min(upper.x0, lower.x0), x1: Math.max(upper.x1, lower.x1), size: Math.max(upper.size, lower.size) };
}

/** A column's lines (top to bottom) with wrapped table labels joined into their rows. */
export function joinWrappedRows<T extends Line>(lines: readonly T[]): T[] {
  const joined: T[] = [];
  for (const line of lines) {
    const previous = joined.at(-1);
    if (previous === undefined || !continues(previous, line)) {
      joined.push(line);
      continue;
    }
    const figures = isFigureRow(previous) ? previous : line;
    const label = joinLabels(previous.runs[0]!, line.runs[0]!);
    joined[joined.length - 1] = {
      ...previous,
      runs: [label, ...figures.runs.slice(1)],
      x0: Math.min(previous.x0, line.x0),
      x1: Math.max(previous.x1, line.x1),
      lastY: line.lastY ?? line.y,
    };
  }
  return joined;
}
