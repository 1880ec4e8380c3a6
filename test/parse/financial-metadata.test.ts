import { describe, expect, it } from 'vitest';
import { chunkArticle } from '../../ingest/chunk.ts';
import { extractFinancialMetadata, findPeriod } from '../../ingest/parse/financial-metadata.ts';
import { extractPdfText } from '../../ingest/pdf/extract-pdf-text.ts';
import { parsePdf } from '../../ingest/pdf/parse-pdf.ts';
import { buildPdf, sampleReportSpec } from '../helpers/build-pdf.ts';
import { parseOne } from './fixtures.ts';

const TEN_K_COVER = [
  'UNITED STATES',
  'SECURITIES AND EXCHANGE COMMISSION',
  '',
  'FORM 10-K',
  '',
  'ANNUAL REPORT PURSUANT TO SECTION 13 OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934',
  'For the fiscal year ended May 26, 2024',
  '',
  'NORTHWIND MILLING, INC.',
  '(Exact name of registrant as specified in its charter)',
  '',
  'The registrant grinds and packages grain for retail and food-service customers across three regions.',
].join('\n');

describe('financial metadata', () => {
  it('reads a 10-K cover: form, fiscal year end, fiscal year and period, registrant name', () => {
    expect(parseOne({ content: TEN_K_COVER, format: 'text' }).article.financial).toEqual({
      company: 'NORTHWIND MILLING, INC.',
      fiscalYear: 2024,
      period: 'FY2024',
      fiscalYearEnd: '2024-05-26',
      documentType: '10-K',
    });
  });

  it('reads an earnings release: company and ticker from "(NYSE: …)", quarter from the title', () => {
    const { article } = parseOne({
      format: 'text',
      content:
        'Northwind Milling Reports Fiscal 2024 Fourth-Quarter and Full-Year Results\n\nMINNEAPOLIS--(WIRE)--Northwind Milling, Inc. (NYSE: NWM) today reported net sales up 4 percent for the fourth quarter.',
    });
    expect(article.financial).toEqual({
      company: 'Northwind Milling, Inc.',
      ticker: 'NWM',
      fiscalYear: 2024,
      period: 'Q4 2024',
      documentType: 'earnings-release',
    });
    expect(article.tickers).toContain('NWM');
  });

  it('reads "Key: value" fields, and the fields stay in the passage text instead of becoming headings', () => {
    const { article } = parseOne({
      format: 'text',
      content:
        'Company: Lakeside Foods\nTicker: LKF\nFiscal year: 2023\nFiscal year end: June 30\nDocument type: Annual report\n\nSales rose in every region as new plants came on line during the second half.',
    });
    expect(article.financial).toEqual({
      company: 'Lakeside Foods',
      ticker: 'LKF',
      fiscalYear: 2023,
      period: 'FY2023',
      fiscalYearEnd: '2023-06-30',
      documentType: 'annual-report',
    });
    expect(article.sections.every((section) => section.heading === undefined)).toBe(true);
    const text = chunkArticle(article)
      .map((draft) => draft.text)
      .join('\n');
    expect(text).toContain('Company: Lakeside Foods');
    expect(text).toContain('Fiscal year: 2023');
  });

  it('reads the metadata of a PDF annual report from its title', async () => {
    const outcome = await parsePdf(await buildPdf(sampleReportSpec()), { extract: (bytes, limits) => extractPdfText(bytes, limits) });
    if (outcome.status !== 'ok') throw new Error(outcome.status);
    expect(outcome.articles[0]?.financial).toEqual({ company: 'Tessaline Robotics', fiscalYear: 2025, period: 'FY2025', documentType: 'annual-report' });
  });

  it('leaves a news story without a stated document type mostly alone', () => {
    const metadata = extractFinancialMetadata({
      title: 'Small caps rally as rates fall',
      text: `${'Small caps rose for a third day as traders bet on lower borrowing costs and a broader recovery in domestic demand. '.repeat(3)}\n\nLater in the story, Shares of Acme Corp. (NASDAQ: ACME) rose after the company said its first-quarter 2026 results beat forecasts, a research note said.`,
    });
    expect(metadata).toBeUndefined();
    expect(extractFinancialMetadata({ title: 'Chip stocks climb', text: 'Shares of Acme Corp. (NASDAQ: ACME) rose 5% on Tuesday.' })).toEqual({
      company: 'Acme Corp.',
      ticker: 'ACME',
    });
  });

  it('knows the other forms and report kinds', () => {
    const typeOf = (title: string, text = 'Body text of the document.') => extractFinancialMetadata({ title, text })?.documentType;
    expect(typeOf('Quarterly filing', 'FORM 10-Q\nFor the quarterly period ended June 30, 2024')).toBe('10-Q');
    expect(typeOf('Current report', 'FORM 8-K\nCURRENT REPORT')).toBe('8-K');
    expect(typeOf('Foreign issuer', 'FORM 20-F')).toBe('20-F');
    expect(typeOf('Lakeside Foods 2023 Annual Report')).toBe('annual-report');
    expect(typeOf('Interim Report H1 2026')).toBe('quarterly-report');
    expect(typeOf('Lakeside Foods: initiating coverage with a price target of $40')).toBe('research-note');
    expect(typeOf('Lakeside Foods 10-K 2023')).toBe('10-K');
  });

  it.each([
    ['Q2 2024 results', 'Q2 2024'],
    ["3Q'25 update", 'Q3 2025'],
    ['results for the second quarter of fiscal 2025', 'Q2 2025'],
    ['H1 2026 trading statement', 'H1 2026'],
    ['first half of 2026', 'H1 2026'],
    ['FY2023 review', 'FY2023'],
    ['Fiscal 2024 outlook', 'FY2024'],
    ['full-year 2023 results', 'FY2023'],
    ['Annual Report 2025', 'FY2025'],
  ])('reads the period of "%s" as %s', (text, period) => expect(findPeriod(text)?.period).toBe(period));
});
