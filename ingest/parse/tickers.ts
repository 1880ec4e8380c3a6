/**
 * Ticker symbols mentioned by an article: cashtags (`$AMAT`), exchange prefixes (`NYSE: PG`) and
 * parenthesised symbols (`Applied Materials (AMAT)`, `ETFs (including IJS, SPSM, and SFLO)`).
 * Upper-case acronyms that are not tickers are kept out by a stoplist.
 */

/** Acronyms that look like symbols in parentheses but are not tickers in an article about markets. */
export const TICKER_STOPLIST: ReadonlySet<string> = new Set([
  'AI',
  'API',
  'AM',
  'PM',
  'ET',
  'EST',
  'EDT',
  'PT',
  'PST',
  'UTC',
  'GMT',
  'US',
  'USA',
  'UK',
  'EU',
  'UN',
  'USD',
  'EUR',
  'GBP',
  'JPY',
  'CNY',
  'RMB',
  'HKD',
  'GDP',
  'CPI',
  'PPI',
  'PCE',
  'PMI',
  'CEO',
  'CFO',
  'CTO',
  'COO',
  'CIO',
  'ETF',
  'ETFS',
  'ETN',
  'EPS',
  'PE',
  'YTD',
  'YOY',
  'QOQ',
  'MOM',
  'TTM',
  'FY',
  'FOMC',
  'FED',
  'ECB',
  'BOJ',
  'BOE',
  'PBOC',
  'IMF',
  'SEC',
  'FDA',
  'FTC',
  'DOJ',
  'OPEC',
  'WTI',
  'GARP',
  'FAQ',
  'IPO',
  'SPAC',
  'REIT',
  'REITS',
  'ADR',
  'ATH',
  'BPS',
  'CAGR',
  'DCF',
  'PEG',
  'ROE',
  'ROI',
  'ROA',
  'ROIC',
  'EBIT',
  'EBITDA',
  'FCF',
  'NAV',
  'AUM',
  'ESG',
  'OTC',
  'NYSE',
  'NASDAQ',
  'AMEX',
  'LLM',
  'GPU',
  'CPU',
  'EV',
  'EVS',
  'IT',
  'HR',
  'PR',
  'TV',
  'OK',
  'NA',
  'TBD',
  'Q1',
  'Q2',
  'Q3',
  'Q4',
  'H1',
  'H2',
  'MA',
  'M&A',
  'P/E',
  'R&D',
  'SMB',
  'SME',
  'B2B',
  'B2C',
  'SAAS',
  'IOT',
  'VC',
  'PE',
  'LBO',
  'IRR',
  'NPV',
  'KPI',
  'OECD',
  'WHO',
  'WTO',
  'NATO',
  'ASEAN',
  'NBER',
  'BLS',
  'BEA',
  'CBO',
  'ISM',
  'NFP',
  'JOLTS',
  'VIX',
  'NOTE',
  'NEW',
  'ALL',
  'THE',
  'AND',
  'FOR',
  'TBA',
  'LLC',
  'INC',
  'LTD',
  'PLC',
  'CORP',
  'CO',
]);

const SYMBOL = /^[A-Z]{1,5}(?:[.-][A-Z]{1,2})?$/;
const EXCHANGE_PREFIX = /^(?:NYSE(?:\s?ARCA|\s?American)?|NASDAQ|Nasdaq|AMEX|LSE|TSX|HKEX|SSE|SZSE|OTC)\s*:\s*/;
const LIST_LEAD = /^(?:including|incl\.?|e\.g\.,?|such as|like|i\.e\.,?|tickers?:?|symbols?:?)\s+/i;

/** True for an upper-case symbol shape that is not a stoplisted acronym. */
export function isTickerSymbol(candidate: string): boolean {
  return SYMBOL.test(candidate) && !TICKER_STOPLIST.has(candidate);
}

/**
 * A symbol an author declared as one (front matter, a JSON field): any exchange's shape is taken,
 * indices and numbered listings included (`^GSPC`, `BRK.B`, `0700.HK`, `600519.SS`, `CL=F`), since
 * nothing in running prose has to be told apart from it; markup or sentences are not.
 */
export function isDeclaredTickerSymbol(candidate: string): boolean {
  return /^\^?[A-Z0-9]{1,10}(?:[.\-=][A-Z0-9]{1,4})?$/.test(candidate);
}

/** A line holding just a symbol, as in "Related Stocks" widgets (optionally with a price move). */
export function readTickerLine(line: string): string | undefined {
  const match = /^([A-Z]{1,5}(?:[.-][A-Z]{1,2})?)(?:\s+[+\-−]?[\d.,]+%?){0,3}$/.exec(line.trim());
  const symbol = match?.[1];
  return symbol !== undefined && isTickerSymbol(symbol) ? symbol : undefined;
}

function readParenthesised(inner: string): string[] {
  const body = inner.trim().replace(LIST_LEAD, '');
  const parts = body
    .split(/\s*(?:,|;|\/|\band\b|\bor\b)\s*/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  if (parts.length === 0) return [];
  const symbols: string[] = [];
  for (const part of parts) {
    const prefixed = EXCHANGE_PREFIX.test(part);
    const symbol = part.replace(EXCHANGE_PREFIX, '');
    // A lone capital letter in parentheses is usually an enumeration "(A)", not Ford or AT&T.
    if (!isTickerSymbol(symbol) || (!prefixed && symbol.length < 2)) return [];
    symbols.push(symbol);
  }
  return symbols;
}

/** Tickers mentioned in running text, upper-case and deduplicated, in order of first appearance. */
export function extractTickers(text: string): string[] {
  const hits: { index: number; symbol: string }[] = [];
  for (const m of text.matchAll(/(?<![\w$])\$([A-Z]{1,5}(?:\.[A-Z]{1,2})?)(?![\w])/g)) {
    if (m[1] !== undefined && isTickerSymbol(m[1])) hits.push({ index: m.index, symbol: m[1] });
  }
  for (const m of text.matchAll(/\(([^()\n]{1,80})\)/g)) {
    for (const symbol of readParenthesised(m[1] ?? '')) hits.push({ index: m.index, symbol });
  }
  for (const m of text.matchAll(/\b(?:NYSE(?:\s?Arca|\s?American)?|NASDAQ|Nasdaq|AMEX)\s*:\s*([A-Z]{1,5}(?:\.[A-Z]{1,2})?)\b/g)) {
    if (m[1] !== undefined && isTickerSymbol(m[1])) hits.push({ index: m.index, symbol: m[1] });
  }
  hits.sort((a, b) => a.index - b.index);
  return mergeTickers(hits.map((hit) => hit.symbol));
}

/** Concatenate ticker lists, keeping the first occurrence of each symbol. */
export function mergeTickers(...lists: readonly string[][]): string[] {
  const seen = new Set<string>();
  const merged: string[] = [];
  for (const list of lists) {
    for (const raw of list) {
      const symbol = raw.trim().replace(/^\$/, '').toUpperCase();
      if (symbol.length === 0 || seen.has(symbol)) continue;
      seen.add(symbol);
      merged.push(symbol);
    }
  }
  return merged;
}
