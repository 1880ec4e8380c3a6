/**
 * What a printed table cell looks like, just enough to tell header rows from data rows and to tell
 * a figure from a label. Reading a cell's value (scale, sign, period) is the cells module's job;
 * here nothing is converted, only recognised.
 */

/** Currency signs and codes that sit beside a figure ("$ 1,234", "€m 12", "1,234 USD"). */
const CURRENCY = String.raw`(?:[$€£¥₹₩]|US\$|A\$|C\$|HK\$|R\$|RMB|USD|EUR|GBP|JPY|CNY|CHF|CAD|AUD|HKD|INR)`;

/**
 * A figure as annual reports print it: optional approximation ("~20x"), sign or parentheses,
 * currency, thousands separators, decimals, a trailing %, a scale letter ("12.5m", "€3bn") or a
 * multiple ("18.2x").
 */
const FIGURE = new RegExp(
  String.raw`^(?:~|≈|c\.|approx\.)?\s*[([]?\s*[-+−–]?\s*${CURRENCY}?\s*[-+−–]?\s*\(?\s*\d[\d,. ]*(?:\s*(?:%|pts?|bps|x|m|mn|bn|k|million|billion|thousand))?\s*\)?\s*(?:%|${CURRENCY})?\s*[)\]]?\s*%?$`,
  'iu',
);

/** Cells that mean "nothing here": dashes, "n/a", "nm", "- - %". */
const EMPTY_MARKERS = /^(?:[-–—−‒―_.\s%$€£]*|n\/?a|n\.a\.|nm|n\/m|none|nil)$/iu;

/** Column titles that name a period or a point in time rather than a value. */
const PERIOD_CELL = new RegExp(
  [
    String.raw`^(?:fy|fiscal(?: year)?|year|cy|calendar(?: year)?)?\s*'?(?:19|20)\d{2}(?:\s*[-/–]\s*'?\d{2,4})?[a-z]?$`,
    String.raw`^(?:q[1-4]|[1-4]q|h[12]|[1-2]h|first|second|third|fourth)\b.*\b(?:19|20)\d{2}$`,
    String.raw`^(?:19|20)\d{2}\s*(?:q[1-4]|h[12])$`,
    String.raw`^(?:fy|q[1-4]|h[12])\s*'?\d{2}$`,
    String.raw`\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+(?:19|20)\d{2}$`,
    String.raw`^\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+(?:19|20)\d{2}$`,
    String.raw`^\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)?\d{2}$`,
    String.raw`^(?:19|20)\d{2}-\d{2}-\d{2}$`,
    String.raw`^(?:19|20)\d{2}\s+(?:vs\.?|versus|v\.?|to|over|compared to)\s+(?:19|20)\d{2}$`,
  ].join('|'),
  'iu',
);

/** Empty after trimming, or a dash or "n/a" standing for no value. */
export function isBlankCell(cell: string): boolean {
  return EMPTY_MARKERS.test(cell.trim());
}

/** A period or date column title: "2019", "FY2023", "Q2 2024", "September 30, 2019", "2019 vs 2018". */
export function isPeriodCell(cell: string): boolean {
  return PERIOD_CELL.test(cell.trim().replace(/\s+/g, ' '));
}

/** A printed figure ("$ 1,452.4", "(9.9)", "21.0%", "12.5x") that is not a period title. */
export function isFigureCell(cell: string): boolean {
  // Single spaces only: runs of spaces would give the pattern's optional gaps many ways to match.
  const trimmed = cell.trim().replace(/\s+/gu, ' ');
  if (trimmed.length === 0 || trimmed.length > 40 || !/\d/.test(trimmed)) return false;
  return FIGURE.test(trimmed) && !isPeriodCell(trimmed);
}

/** A cell that only holds a currency sign, a percent sign or a closing parenthesis split off its figure. */
export function isDetachedSymbol(cell: string): boolean {
  return new RegExp(String.raw`^(?:${CURRENCY}|%|\)|\)%|%\))$`, 'u').test(cell.trim());
}

/** Text direction of a detached symbol: currency signs belong to the figure on their right. */
export function symbolAttachesRight(cell: string): boolean {
  return new RegExp(String.raw`^${CURRENCY}$`, 'u').test(cell.trim());
}
