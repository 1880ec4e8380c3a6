import type { PdfTextItem } from './pdf-text.ts';

/** Text items on one baseline that sit close together: a word group, a table cell, a column's line. */
export interface Run {
  text: string;
  x0: number;
  x1: number;
  size: number;
}

/** One baseline's runs, left to right. */
export interface Line {
  y: number;
  /** Baseline of the last printed line, when a wrapped table label made this row of two. */
  lastY?: number;
  x0: number;
  x1: number;
  size: number;
  runs: Run[];
}

export const LINE_DEFAULTS = {
  /** Items whose baselines differ by less than this share of the font size are on one line. */
  baselineTolerance: 0.4,
  /** A gap wider than this many ems separates runs (table cells, columns); narrower is a space. */
  runGapEms: 0.9,
  /** A gap wider than this many ems between glyph groups is a word space the PDF did not write. */
  spaceGapEms: 0.15,
};

export function lineText(line: Pick<Line, 'runs'>): string {
  return line.runs.map((run) => run.text).join(' ');
}

function appendToRun(run: Run, item: PdfTextItem): void {
  const gap = item.x - run.x1;
  const needsSpace = gap > LINE_DEFAULTS.spaceGapEms * Math.min(run.size, item.size) && !/\s$/.test(run.text) && !/^\s/.test(item.text);
  run.text += (needsSpace ? ' ' : '') + item.text;
  run.x1 = Math.max(run.x1, item.x + item.width);
  run.size = Math.max(run.size, item.size);
}

function buildRuns(items: PdfTextItem[]): Run[] {
  const sorted = [...items].sort((left, right) => left.x - right.x);
  const runs: Run[] = [];
  for (const item of sorted) {
    const current = runs.at(-1);
    if (current !== undefined && item.x - current.x1 <= LINE_DEFAULTS.runGapEms * Math.min(current.size, item.size)) {
      appendToRun(current, item);
    } else {
      runs.push({ text: item.text, x0: item.x, x1: item.x + item.width, size: item.size });
    }
  }
  for (const run of runs) run.text = run.text.replace(/\s+/g, ' ').trim();
  return runs.filter((run) => run.text !== '');
}

/** Groups a page's items into lines by baseline, top to bottom, each split into runs at wide gaps. */
export function buildLines(items: readonly PdfTextItem[]): Line[] {
  const sorted = items.filter((item) => item.text.trim() !== '' && item.size > 0).sort((left, right) => left.y - right.y || left.x - right.x);
  const groups: PdfTextItem[][] = [];
  let baseline = Number.NEGATIVE_INFINITY;
  for (const item of sorted) {
    const current = groups.at(-1);
    if (current !== undefined && Math.abs(item.y - baseline) <= LINE_DEFAULTS.baselineTolerance * item.size) {
      current.push(item);
    } else {
      groups.push([item]);
      baseline = item.y;
    }
  }
  const lines: Line[] = [];
  for (const group of groups) {
    const runs = buildRuns(group);
    if (runs.length === 0) continue;
    lines.push({
      y: group[0]!.y,
      x0: runs[0]!.x0,
      x1: Math.max(...runs.map((run) => run.x1)),
      size: dominantSize(group),
      runs,
    });
  }
  return lines;
}

/** The font size carrying most characters (a line's drop cap or footnote mark does not decide it). */
function dominantSize(items: readonly PdfTextItem[]): number {
  const weights = new Map<number, number>();
  for (const item of items) {
    const size = Math.round(item.size * 10) / 10;
    weights.set(size, (weights.get(size) ?? 0) + item.text.length);
  }
  let best = 0;
  let bestWeight = -1;
  for (const [size, weight] of weights) {
    if (weight > bestWeight) {
      best = size;
      bestWeight = weight;
    }
  }
  return best;
}
