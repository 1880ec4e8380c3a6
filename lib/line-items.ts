/**
 * Financial-statement line items and the names filings give them: one canonical id per item, the
 * captions it is printed under, and the abbreviations readers use. The captions follow the
 * standard statements: US GAAP (ASC 210 balance sheet, ASC 220 income statement, ASC 230 cash
 * flows, Regulation S-X Article 5 captions) and IFRS (IAS 1 "Presentation of Financial
 * Statements", IAS 7 "Statement of Cash Flows"), where the same item has a British name
 * ("turnover", "profit for the year", "trade debtors"). Shared by cell lookup, question reading
 * and the ratio formulas; no other module keeps line-item names.
 */
export interface LineItem {
  id: string;
  /** How the item is named in questions and printed in statements, lower case. */
  names: string[];
}

export const LINE_ITEMS: readonly LineItem[] = [
  {
    id: 'revenue',
    names: [
      'revenue',
      'revenues',
      'total revenue',
      'total revenues',
      'net revenue',
      'net revenues',
      'sales',
      'net sales',
      'total sales',
      'total net sales',
      'turnover',
      'top line',
    ],
  },
  {
    id: 'cost_of_revenue',
    names: ['cost of revenue', 'cost of revenues', 'cost of sales', 'cost of goods sold', 'cogs', 'cost of products sold', 'cost of net sales'],
  },
  { id: 'gross_profit', names: ['gross profit', 'gross margin amount'] },
  { id: 'operating_income', names: ['operating income', 'operating profit', 'income from operations', 'operating earnings', 'ebit', 'profit from operations'] },
  { id: 'ebitda', names: ['ebitda', 'adjusted ebitda'] },
  {
    id: 'net_income',
    names: ['net income', 'net profit', 'net earnings', 'profit for the year', 'profit for the period', 'net income attributable', 'bottom line'],
  },
  {
    id: 'pretax_income',
    names: ['income before income taxes', 'income before taxes', 'pretax income', 'pre-tax income', 'profit before tax', 'earnings before income taxes'],
  },
  { id: 'income_tax', names: ['income tax expense', 'provision for income taxes', 'income taxes', 'tax expense', 'income tax provision'] },
  { id: 'interest_expense', names: ['interest expense', 'finance costs', 'interest costs'] },
  { id: 'depreciation', names: ['depreciation and amortization', 'depreciation', 'amortization', 'd&a'] },
  { id: 'eps', names: ['earnings per share', 'eps', 'net income per share', 'diluted earnings per share', 'basic earnings per share'] },
  { id: 'dividends', names: ['dividends', 'dividends paid', 'cash dividends', 'dividends declared'] },
  { id: 'total_assets', names: ['total assets'] },
  { id: 'current_assets', names: ['total current assets', 'current assets'] },
  { id: 'total_liabilities', names: ['total liabilities'] },
  { id: 'current_liabilities', names: ['total current liabilities', 'current liabilities'] },
  {
    id: 'equity',
    names: [
      "total shareholders' equity",
      "total stockholders' equity",
      "shareholders' equity",
      "stockholders' equity",
      'total equity',
      'equity',
      'net assets',
      'book value',
    ],
  },
  { id: 'cash', names: ['cash and cash equivalents', 'cash and equivalents', 'cash'] },
  { id: 'short_term_investments', names: ['short-term investments', 'marketable securities'] },
  { id: 'receivables', names: ['accounts receivable', 'trade receivables', 'receivables', 'trade debtors', 'trade and other receivables'] },
  { id: 'inventory', names: ['inventories', 'inventory', 'stocks'] },
  { id: 'payables', names: ['accounts payable', 'trade payables', 'trade creditors'] },
  { id: 'total_debt', names: ['total debt', 'borrowings', 'total borrowings'] },
  { id: 'long_term_debt', names: ['long-term debt', 'long term debt', 'non-current borrowings'] },
  { id: 'short_term_debt', names: ['short-term debt', 'current debt', 'current portion of long-term debt', 'current borrowings'] },
  {
    id: 'operating_cash_flow',
    names: [
      'net cash provided by operating activities',
      'cash from operations',
      'operating cash flow',
      'cash flow from operations',
      'net cash from operating activities',
      'cash generated from operations',
    ],
  },
  {
    id: 'capex',
    names: [
      'capital expenditures',
      'capital expenditure',
      'capex',
      'purchases of property, plant and equipment',
      'purchase of property and equipment',
      'additions to property, plant and equipment',
    ],
  },
  { id: 'rd_expense', names: ['research and development', 'research and development expense', 'r&d'] },
  { id: 'sga_expense', names: ['selling, general and administrative', 'selling, general and administrative expenses', 'sg&a'] },
];

const BY_ID = new Map(LINE_ITEMS.map((item) => [item.id, item]));

export function lineItem(id: string): LineItem {
  const item = BY_ID.get(id);
  if (!item) throw new Error(`Unknown line item "${id}".`);
  return item;
}

/**
 * The line items a phrase names, longest name first ("total current assets" before "current
 * assets"), matched on word boundaries.
 */
export function findLineItems(phrase: string): { id: string; name: string }[] {
  const text = ` ${phrase
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/[^a-z0-9&'\-,]+/g, ' ')} `;
  const found: { id: string; name: string; length: number }[] = [];
  for (const item of LINE_ITEMS) {
    for (const name of item.names) {
      if (text.includes(` ${name} `) || text.includes(` ${name},`)) found.push({ id: item.id, name, length: name.length });
    }
  }
  found.sort((a, b) => b.length - a.length);
  const seen = new Set<string>();
  const unique: { id: string; name: string }[] = [];
  for (const { id, name } of found) {
    if (seen.has(id)) continue;
    seen.add(id);
    unique.push({ id, name });
  }
  return unique;
}
