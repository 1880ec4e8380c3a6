/**
 * The words financial documents use to say what they are, in one place. Sources: the SEC form
 * names and cover-page wording of Forms 10-K, 10-Q, 8-K and 20-F ("For the fiscal year ended …",
 * "(Exact name of registrant as specified in its charter)"), the press-release convention of
 * naming the listing in parentheses ("(NYSE: ABC)"), and the period names of annual and interim
 * reports (fiscal years, quarters, halves). Nothing here names a company or a figure.
 */
import type { DocumentType } from '../../kb/types.ts';

/**
 * Checked in order: a filing's form wins over the words "annual report" printed on its cover.
 * `opening` patterns are looked for in the title and the first lines only: news stories report
 * on earnings and quote research notes further down, and are neither.
 */
export const DOCUMENT_TYPE_PATTERNS: readonly { type: DocumentType; pattern: RegExp; opening?: true }[] = [
  { type: '10-K', pattern: /\b(?:form|type|filing)\s*:?\s*10-?K(?:405|T)?\b/i },
  { type: '10-Q', pattern: /\b(?:form|type|filing)\s*:?\s*10-?Q\b/i },
  { type: '20-F', pattern: /\b(?:form|type|filing)\s*:?\s*20-?F\b/i },
  { type: '8-K', pattern: /\b(?:form|type|filing)\s*:?\s*8-?K\b/i },
  {
    type: 'earnings-release',
    pattern:
      /\bearnings (?:release|announcement)\b|\b(?:reports?|announces?|posts?|delivers?)\b[^.\n]{0,80}\b(?:results|earnings)\b|\b(?:Q[1-4]|[1-4]Q|first|second|third|fourth|full[- ]year)(?:[- ]quarter)?\s+(?:fiscal\s+)?(?:19|20)\d{2}\s+(?:financial\s+)?(?:results|earnings)\b/i,
    opening: true,
  },
  {
    type: 'research-note',
    pattern:
      /\b(?:research note|analyst note|equity research|initiat(?:e|es|ing) coverage|price target|target price|(?:rating|recommendation)\s*:\s*(?:buy|sell|hold|accumulate|reduce|overweight|underweight|equal[- ]weight|neutral|outperform|underperform))\b/i,
    opening: true,
  },
  { type: 'quarterly-report', pattern: /\b(?:quarterly|interim|half[- ]year(?:ly)?|semi-?annual) (?:financial )?report\b/i },
  { type: 'annual-report', pattern: /\b(?:annual|integrated) (?:financial )?report\b/i },
];

/** In a title a bare form name says it: "Harbor Tools 2023 10-K". */
export const TITLE_FORM_PATTERN = /\b(10-K|10-Q|20-F|8-K)\b/i;

/** Field names of "Key: value" lines that state the company, its ticker and its periods. */
export const FIELD_NAMES = {
  company: ['company', 'company name', 'issuer', 'registrant', 'entity', 'name of company', 'corporation'],
  ticker: ['ticker', 'ticker symbol', 'symbol', 'trading symbol', 'stock symbol'],
  fiscalYear: ['fiscal year', 'financial year', 'fy'],
  fiscalYearEnd: ['fiscal year end', 'fiscal year ends', 'fiscal year ended', 'financial year end', 'year end'],
  period: ['period', 'reporting period', 'fiscal period', 'quarter'],
  documentType: ['document type', 'report type', 'form type', 'document'],
} as const;

/** The phrase under a 10-K/10-Q cover's company name. */
export const REGISTRANT_NAME_NOTE = /\(?\s*exact name of (?:the )?registrant as specified in its charter\s*\)?/i;

/** Exchanges named in "(NYSE: ABC)". */
export const EXCHANGES = [
  'NYSE American',
  'NYSE Arca',
  'NYSE',
  'NASDAQ',
  'Nasdaq',
  'AMEX',
  'LSE',
  'TSX',
  'TSXV',
  'ASX',
  'HKEX',
  'SEHK',
  'SGX',
  'TSE',
  'Euronext',
  'XETRA',
  'SIX',
  'OTCQX',
  'OTC',
];

/** Capitalised sentence openers that are not part of a name before "(NYSE: …)": "Shares of …". */
export const NON_NAME_OPENERS = new Set([
  'shares',
  'share',
  'stock',
  'stocks',
  'investors',
  'analysts',
  'today',
  'yesterday',
  'meanwhile',
  'also',
  'and',
  'but',
  'while',
  'in',
  'at',
  'for',
  'on',
  'as',
  'by',
  'with',
  'from',
  'after',
  'when',
  'said',
  'says',
  'parent',
  'rival',
  'peer',
  'unit',
  'owner',
]);

/** How much of the text the `opening` document-type patterns see. */
export const OPENING_CHARS = 300;

/** Words that may stand inside a company name besides capitalised ones. */
export const NAME_CONNECTORS = new Set(['&', 'and', 'of', 'the', 'de', 'du', 'la', 'von', 'van', 'und', 'et']);

/** The statement a cover page makes about the period a filing covers. */
export const FISCAL_YEAR_ENDED = /\b(?:fiscal|financial)?\s*year\s+ended\b/i;

/** Ordinal words of quarters and halves. */
export const QUARTER_WORDS: Readonly<Record<string, number>> = { first: 1, second: 2, third: 3, fourth: 4 };
export const HALF_WORDS: Readonly<Record<string, number>> = { first: 1, second: 2 };

/** Only the head of a document is read: a cover page or a release's first lines say what it is. */
export const FINANCIAL_HEAD_CHARS = 2_500;
