/** A period a table column (or row) names: "2019", "FY2023", "Q2 2024", "September 30, 2019". */
export interface CellPeriod {
  label: string;
  year?: number;
  quarter?: number;
  half?: number;
  /**
   * The last year of a span of years a label names ("2021-2022", "2023 – 2024"), as maturity
   * tables head their columns: `year` is its first year. A span is its own period: the year 2021
   * alone is not the span 2021-2022.
   */
  through?: number;
  /**
   * A maturity band counted from the balance date, in years ("Less than 1 year": 0 to 1, "1-3
   * years": 1 to 3, "More than 5 years": from 5, no end), as contractual obligation and liquidity
   * tables head their columns. A band is its own period, matched only by the same band.
   */
  due?: { from: number; to?: number };
  /** The month (1–12) a label names with its year and no day ("Jun-2018", "February 2016"). */
  month?: number;
  /** The date the column is "as of", YYYY-MM-DD, when it names a day. */
  end?: string;
  /**
   * For a span of movements (a roll-forward's "Granted" between its opening and closing balances):
   * the opening balance's date, YYYY-MM-DD; `end` is the closing balance's.
   */
  start?: string;
}

/**
 * One number (or an empty place) of a table, interpreted: which line item (row label under its
 * parent section rows) and which period (column label) it belongs to, its value as printed with
 * the sign applied, and the unit and scale the table states. Keeps the passage it was read from,
 * so a cited cell opens that passage.
 */
export interface Cell {
  passageId: string;
  rowIndex: number;
  columnIndex: number;
  /** The row label as printed ("Energy"). */
  label: string;
  /** Parent section rows, outermost first (["Industrial Solutions"]). */
  path: string[];
  /** The column's header text ("Years Ended September 30, 2019"). */
  column: string;
  period?: CellPeriod;
  /** The cell as printed ("$(1,234)"). */
  text: string;
  /** The printed number with its sign; undefined for dashes, empty and non-numeric cells. */
  value?: number;
  /** "%" for percentages, or the currency sign the cell, column or caption shows. */
  unit?: string;
  /** Multiply `value` by this for the absolute amount (1e6 when the table is "in millions"). */
  scale: number;
  /** The scale in words: "thousand", "million", "billion". */
  scaleWord?: string;
  /** For a figure a sentence states: the sentence's other words, which name it as much as its label does. */
  context?: string;
}

/** "Industrial Solutions › Energy": the row label under its parents. */
export function rowName(cell: Pick<Cell, 'label' | 'path'>): string {
  return [...cell.path, cell.label].filter(Boolean).join(' › ');
}

/** A cell holding a printed figure, not the dash a table prints for nil (read as zero). */
export function isPrinted(cell: Cell | undefined): boolean {
  return cell?.value !== undefined && /\d/.test(cell.text);
}
