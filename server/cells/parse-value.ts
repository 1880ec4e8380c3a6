/**
 * Reading a printed table cell as a number (pure). Filings print negatives in parentheses
 * ("(1,234)"), currency signs inside or before the number ("$ 1,452.4", "$(12)"), percentages
 * ("12.5%"), and empty places as dashes ("—", "- -", "–%") or "n/a".
 */
export interface CellValue {
  value: number;
  /** "%" or the currency sign printed with the number. */
  unit?: string;
}

const EMPTY = /^(?:[-–—−]\s*)*%?$|^(?:n\/?a|nm|n\.m\.|none|nil)$/i;
const NUMBER =
  /^([-−–(]*)\s*(US\$|HK\$|A\$|C\$|RMB|R\$|[$€£¥₹])?\s*([-−–(]*)\s*((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)\s*(\)?)\s*(%|x|pts|bps)?\s*(\)?)\s*$/i;

export function parseCellValue(raw: string): CellValue | undefined {
  const text = raw
    .replace(/\u00a0/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (text === '' || EMPTY.test(text)) return undefined;
  const match = NUMBER.exec(text);
  if (!match) return undefined;
  const signs = `${match[1]}${match[3]}`;
  const closed = Boolean(match[5] || match[7]);
  const negative = /[-−–]/.test(signs) || (signs.includes('(') && closed);
  const value = Number(match[4]!.replace(/,/g, ''));
  if (!Number.isFinite(value)) return undefined;
  const unit = match[6] === '%' ? '%' : match[2] ? match[2] : undefined;
  return { value: negative ? -value : value, ...(unit ? { unit } : {}) };
}

export function isEmptyCell(raw: string): boolean {
  return EMPTY.test(raw.replace(/\u00a0/g, ' ').trim());
}

/**
 * The scale a caption or header states: "in millions", "(in thousands, except per share data)",
 * "$'000", "€m", "US$ billion". Undefined when it states none.
 */
export function readScale(text: string): { factor: number; word: string } | undefined {
  const lower = text.toLowerCase();
  const word = (name: string): { factor: number; word: string } | undefined => {
    if (/^(?:thousands?|000s?|'000s?|k)$/.test(name)) return { factor: 1e3, word: 'thousand' };
    if (/^(?:millions?|mn|m|mm)$/.test(name)) return { factor: 1e6, word: 'million' };
    if (/^(?:billions?|bn|b)$/.test(name)) return { factor: 1e9, word: 'billion' };
    return undefined;
  };
  const patterns = [
    /\bin\s+(?:(?:us|hk|a|c)?[$€£¥]\s*|(?:usd|eur|gbp|rmb|dollars|euros)\s+)?(thousands|millions|billions)\b/,
    /\((?:(?:us|hk)?[$€£¥]|usd|eur|gbp|rmb)?\s*(?:in\s+)?(thousands?|millions?|billions?|000s?|'000s?|mn|m|bn)\b/,
    /(?:(?:us|hk|a|c)?[$€£¥]|\b(?:usd|eur|gbp|rmb))\s*(thousands?|millions?|billions?|'000s?|000s?|mn|m|bn)\b/,
    /\b(?:amounts?|figures|dollars|expressed)\s+(?:are\s+)?in\s+(thousands|millions|billions)\b/,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(lower);
    const scale = match ? word(match[1]!) : undefined;
    if (scale) return scale;
  }
  if (/'000\b|\b000s\b/.test(lower)) return { factor: 1e3, word: 'thousand' };
  return undefined;
}
