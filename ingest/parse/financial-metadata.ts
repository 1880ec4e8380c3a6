/**
 * What a financial document says about itself: company, ticker, fiscal year and period, fiscal year
 * end, document type. Read from the title and the head of the text only, and only where stated
 * ("FORM 10-K", "For the fiscal year ended December 31, 2023", "Company: …", "(NYSE: ABC)",
 * "Q2 2024 results"); nothing is guessed from figures. Pure; the vocabulary is data in
 * financial-vocabulary.ts.
 */
import type { DocumentType, FinancialMetadata } from '../../kb/types.ts';
import { findDates } from './dates.ts';
import {
  DOCUMENT_TYPE_PATTERNS,
  EXCHANGES,
  FIELD_NAMES,
  FINANCIAL_HEAD_CHARS,
  FISCAL_YEAR_ENDED,
  HALF_WORDS,
  NAME_CONNECTORS,
  NON_NAME_OPENERS,
  OPENING_CHARS,
  QUARTER_WORDS,
  REGISTRANT_NAME_NOTE,
  TITLE_FORM_PATTERN,
} from './financial-vocabulary.ts';

export interface FinancialSource {
  title: string;
  text: string;
}

type FieldName = keyof typeof FIELD_NAMES;

/** The values of "Key: value" lines whose key is a known field, first occurrence wins. */
function readFields(lines: readonly string[]): Partial<Record<FieldName, string>> {
  const fields: Partial<Record<FieldName, string>> = {};
  for (const line of lines) {
    const match = /^([^:：]{1,40})[:：]\s*(\S.{0,150})$/u.exec(line);
    if (match === null) continue;
    const key = (match[1] ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
    const value = (match[2] ?? '').trim();
    for (const [field, names] of Object.entries(FIELD_NAMES) as [FieldName, readonly string[]][]) {
      if (fields[field] === undefined && names.includes(key)) fields[field] = value;
    }
  }
  return fields;
}

function expandYear(year: string): number {
  const value = Number(year);
  return year.length === 2 ? 2000 + value : value;
}

interface PeriodMention {
  period: string;
  year: number;
}

const YEAR = String.raw`((?:19|20)\d{2})`;
const PERIOD_PATTERNS: readonly { pattern: RegExp; read: (match: RegExpExecArray) => PeriodMention | undefined }[] = [
  {
    pattern: /\b(?:Q([1-4])|([1-4])Q)\s*(?:FY\s*)?'?((?:19|20)\d{2}|\d{2})\b/i,
    read: (m) => ({ period: `Q${m[1] ?? m[2]} ${expandYear(m[3] ?? '')}`, year: expandYear(m[3] ?? '') }),
  },
  {
    pattern: new RegExp(String.raw`\b(first|second|third|fourth)[- ]quarter\s+(?:of\s+)?(?:(?:fiscal|financial)\s+(?:year\s+)?)?${YEAR}\b`, 'i'),
    read: (m) => ({ period: `Q${QUARTER_WORDS[(m[1] ?? '').toLowerCase()]} ${m[2]}`, year: Number(m[2]) }),
  },
  {
    pattern: new RegExp(String.raw`\b${YEAR}\s+(first|second|third|fourth)[- ]quarter\b`, 'i'),
    read: (m) => ({ period: `Q${QUARTER_WORDS[(m[2] ?? '').toLowerCase()]} ${m[1]}`, year: Number(m[1]) }),
  },
  {
    pattern: new RegExp(String.raw`\b(?:H([12])|([12])H)\s*'?${YEAR}\b`, 'i'),
    read: (m) => ({ period: `H${m[1] ?? m[2]} ${m[3]}`, year: Number(m[3]) }),
  },
  {
    pattern: new RegExp(String.raw`\b(first|second)\s+half\s+(?:of\s+)?(?:(?:fiscal|financial)\s+(?:year\s+)?)?${YEAR}\b`, 'i'),
    read: (m) => ({ period: `H${HALF_WORDS[(m[1] ?? '').toLowerCase()]} ${m[2]}`, year: Number(m[2]) }),
  },
  {
    pattern: /\b(?:FY|(?:fiscal|financial)\s+(?:year\s+)?)\s*'?((?:19|20)\d{2}|\d{2})\b/i,
    read: (m) => ({ period: `FY${expandYear(m[1] ?? '')}`, year: expandYear(m[1] ?? '') }),
  },
  {
    pattern: new RegExp(
      String.raw`\bfull[- ]year\s+${YEAR}\b|\b${YEAR}\s+(?:annual report|full[- ]year|annual results)\b|\b(?:annual|integrated) report\s+(?:for\s+)?${YEAR}\b`,
      'i',
    ),
    read: (m) => ({ period: `FY${m[1] ?? m[2] ?? m[3]}`, year: Number(m[1] ?? m[2] ?? m[3]) }),
  },
];

/** The most specific period the text names: a quarter or a half before a fiscal year. */
export function findPeriod(text: string): PeriodMention | undefined {
  for (const { pattern, read } of PERIOD_PATTERNS) {
    const match = pattern.exec(text);
    if (match !== null) return read(match);
  }
  return undefined;
}

export function findDocumentType(title: string, head: string): DocumentType | undefined {
  const form = TITLE_FORM_PATTERN.exec(title)?.[1]?.toUpperCase();
  if (form !== undefined) return form as DocumentType;
  const text = `${title}\n${head}`;
  const opening = `${title}\n${head.slice(0, OPENING_CHARS)}`;
  return DOCUMENT_TYPE_PATTERNS.find(({ pattern, opening: openingOnly }) => pattern.test(openingOnly ? opening : text))?.type;
}

const EXCHANGE_MENTION = new RegExp(
  String.raw`\((?:${EXCHANGES.map((name) => name.replace(/\s/g, String.raw`\s`)).join('|')})\s*:\s*([A-Z][A-Z0-9]{0,5}(?:[.-][A-Z0-9]{1,3})?)\s*\)`,
  'u',
);

/** Capitalised words (and connectors) right before a position: "General Mills, Inc." before "(NYSE: GIS)". */
function nameBefore(text: string, end: number): string | undefined {
  const words = text
    .slice(Math.max(0, end - 120), end)
    .trim()
    .split(/\s+/u);
  const name: string[] = [];
  for (let index = words.length - 1; index >= 0 && name.length < 8; index -= 1) {
    // A wire-service dateline glues the name on: "MINNEAPOLIS--(BUSINESS WIRE)--General".
    const word = (words[index] ?? '').split(/--|—|\)/u).at(-1) ?? '';
    if (/^[\p{Lu}\p{N}]/u.test(word) || NAME_CONNECTORS.has(word.toLowerCase())) name.unshift(word);
    else break;
    if (word !== words[index]) break;
  }
  // "Shares of Acme Corp." names Acme Corp.: drop sentence openers and the connectors after them.
  while (name.length > 0 && (NAME_CONNECTORS.has((name[0] ?? '').toLowerCase()) || NON_NAME_OPENERS.has((name[0] ?? '').toLowerCase()))) name.shift();
  const joined = name.join(' ').replace(/[,;]$/u, '').trim();
  return joined.length >= 2 ? joined : undefined;
}

/** The line above "(Exact name of registrant as specified in its charter)". */
function registrantName(lines: readonly string[]): string | undefined {
  const index = lines.findIndex((line) => REGISTRANT_NAME_NOTE.test(line));
  if (index < 0) return undefined;
  const sameLine = lines[index]!.replace(REGISTRANT_NAME_NOTE, '').trim();
  if (sameLine.length >= 2) return sameLine;
  const above = lines[index - 1]?.trim();
  return above !== undefined && above.length >= 2 && above.length <= 100 ? above : undefined;
}

/** "Harbor Tools Reports Fourth-Quarter Results", "Harbor Tools Annual Report 2023". */
function titleCompany(title: string): string | undefined {
  const match =
    /^(.{2,60}?)\s+(?:reports|announces|posts|delivers|reported|announced)\b/iu.exec(title) ??
    /^(.{2,60}?)\s+(?:(?:19|20)\d{2}\s+)?(?:annual|quarterly|interim|half-year) report\b/iu.exec(title) ??
    /^(.{2,60}?)\s+(?:form\s+)?(?:10-K|10-Q|20-F|8-K)\b/iu.exec(title);
  const name = match?.[1]?.trim();
  if (name === undefined || !/^[\p{Lu}\p{N}]/u.test(name) || /\b(?:19|20)\d{2}$/u.test(name)) return undefined;
  return name;
}

function readTicker(value: string): string | undefined {
  const symbol =
    value
      .replace(/^.*?:\s*/u, '')
      .replace(/^\$/, '')
      .trim()
      .split(/[\s,;]/u)[0] ?? '';
  return /^[A-Z][A-Z0-9]{0,5}(?:[.-][A-Z0-9]{1,3})?$/.test(symbol) ? symbol : undefined;
}

function readFiscalYearEnd(value: string, year: number | undefined): string | undefined {
  const full = findDates(value)[0]?.iso;
  if (full !== undefined) return full;
  if (year === undefined) return undefined;
  // "Fiscal year end: May 31" states the day; the fiscal year supplies the year.
  return findDates(`${value} ${year}`)[0]?.iso;
}

/** Field value of a document type ("10-K", "Annual report") read with the same vocabulary. */
function readDocumentType(value: string): DocumentType | undefined {
  return findDocumentType(value, `form ${value}`);
}

/** Documents that report on a whole fiscal year: their period is that year. */
const ANNUAL_TYPES: ReadonlySet<DocumentType> = new Set(['10-K', '20-F', 'annual-report']);

export function extractFinancialMetadata(source: FinancialSource): FinancialMetadata | undefined {
  const head = source.text.slice(0, FINANCIAL_HEAD_CHARS);
  const lines = head
    .split(/\n+/u)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const fields = readFields(lines);
  const documentType = (fields.documentType === undefined ? undefined : readDocumentType(fields.documentType)) ?? findDocumentType(source.title, head);
  // Without a document type the head is a news story's, whose periods and companies are its topics.
  const statesItself = documentType !== undefined;

  const searched = statesItself ? `${source.title}\n${head}` : `${source.title}\n${head.slice(0, 400)}`;
  const exchange = EXCHANGE_MENTION.exec(searched);
  const company =
    fields.company ??
    registrantName(lines) ??
    (exchange === null ? undefined : nameBefore(searched, exchange.index)) ??
    (statesItself ? titleCompany(source.title) : undefined);
  const ticker = (fields.ticker === undefined ? undefined : readTicker(fields.ticker)) ?? exchange?.[1];

  const fieldYear = /\b((?:19|20)\d{2})\b/u.exec(fields.fiscalYear ?? '')?.[1];
  const fieldPeriod = fields.period === undefined ? undefined : findPeriod(fields.period);
  const stated = findPeriod(source.title) ?? (statesItself ? findPeriod(head) : undefined);

  let fiscalYearEnd: string | undefined;
  if (fields.fiscalYearEnd !== undefined) fiscalYearEnd = readFiscalYearEnd(fields.fiscalYearEnd, fieldYear === undefined ? stated?.year : Number(fieldYear));
  const ended = FISCAL_YEAR_ENDED.exec(head);
  if (fiscalYearEnd === undefined && ended !== null && statesItself) fiscalYearEnd = findDates(head.slice(ended.index, ended.index + 80))[0]?.iso;

  // A fiscal year is named by the calendar year it ends in ("fiscal 2024" ended May 26, 2024).
  // A story's title period ("First half 2025 recap") is its topic, not a fiscal year it reports.
  const periodYear = fieldPeriod?.year ?? (statesItself ? stated?.year : undefined);
  const fiscalYear = fieldYear !== undefined ? Number(fieldYear) : fiscalYearEnd !== undefined ? Number(fiscalYearEnd.slice(0, 4)) : periodYear;
  let period = fieldPeriod?.period;
  if (
    period === undefined &&
    fiscalYear !== undefined &&
    (documentType === undefined || ANNUAL_TYPES.has(documentType)) &&
    (fieldYear !== undefined || fiscalYearEnd !== undefined)
  ) {
    period = `FY${fiscalYear}`;
  }
  period ??= stated?.period;

  const metadata: FinancialMetadata = {};
  if (company !== undefined) metadata.company = company;
  if (ticker !== undefined) metadata.ticker = ticker;
  if (fiscalYear !== undefined) metadata.fiscalYear = fiscalYear;
  if (period !== undefined) metadata.period = period;
  if (fiscalYearEnd !== undefined) metadata.fiscalYearEnd = fiscalYearEnd;
  if (documentType !== undefined) metadata.documentType = documentType;
  return Object.keys(metadata).length > 0 ? metadata : undefined;
}
