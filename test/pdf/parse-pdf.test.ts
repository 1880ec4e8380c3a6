import { describe, expect, it } from 'vitest';
import { extractPdfText } from '../../ingest/pdf/extract-pdf-text.ts';
import { parsePdf, type PdfTextExtractor } from '../../ingest/pdf/parse-pdf.ts';
import { buildPdf, column, sampleReportSpec } from '../helpers/build-pdf.ts';

// pdf.js in this thread: the worker is covered by its own tests; here the layout is under test.
const inThread: PdfTextExtractor = (bytes, limits) => extractPdfText(bytes, limits);

async function parseSample() {
  const outcome = await parsePdf(await buildPdf(sampleReportSpec()), { extract: inThread });
  if (outcome.status !== 'ok') throw new Error(`expected ok, got ${outcome.status}: ${outcome.reason}`);
  return { article: outcome.articles[0]!, warnings: outcome.warnings };
}

describe('parsePdf', () => {
  it('reads two columns in reading order, one column after the other', async () => {
    const { article } = await parseSample();
    const overview = article.sections[0]!;
    expect(overview.heading).toBe('Overview of the year');
    expect(overview.paragraphs).toEqual([
      'Tessaline Robotics sells welding arms to carmakers and shipyards. Orders rose in every quarter of the year as the manufacturing backlog in Europe cleared.',
      'Service revenue grew faster than hardware because the installed base kept expanding.',
      'The board expects margins to hold near their long-term average while a second plant ramps up during the coming year. Management sees no change to guidance.',
      'Capital spending will stay within the range set out at the investor day event.',
    ]);
  });

  it('repairs a word hyphenated across a line end and keeps a real compound', async () => {
    const { article } = await parseSample();
    expect(article.text).toContain('the manufacturing backlog');
    expect(article.text).not.toContain('manu-');
    expect(article.text).toContain('long-term average');
  });

  it('drops running headers and page numbers', async () => {
    const { article } = await parseSample();
    expect(article.text).not.toContain('Annual Report 2025 |');
    expect(article.text).not.toMatch(/Page \d of \d/);
    expect(article.sections.flatMap((section) => section.paragraphs).some((paragraph) => paragraph.includes('Tessaline Robotics |'))).toBe(false);
  });

  it('gives every section its 1-based page and carries no section over a page break', async () => {
    const { article, warnings } = await parseSample();
    expect(article.sections.map((section) => [section.heading, section.page])).toEqual([
      ['Overview of the year', 1],
      ['Financial results', 2],
      ['Outlook', 4],
    ]);
    expect(warnings).toContain('no text on page 3 (scanned or image-only; not read)');
    expect(article.pages).toBe(4);
  });

  it('rebuilds a table with a two-row header from text positions', async () => {
    const { article } = await parseSample();
    const results = article.sections[1]!;
    expect(results.tables).toEqual([
      {
        caption: 'Consolidated results (in millions)',
        headerRows: 2,
        rows: [
          ['', 'Year ended December 31', 'Year ended December 31'],
          ['', '2025', '2024'],
          ['Revenue', '1,250.4', '1,100.2'],
          ['Cost of sales', '(700.1)', '(650.0)'],
          ['Gross profit', '550.3', '450.2'],
        ],
      },
    ]);
    expect(results.paragraphs).toEqual(['Revenue grew by a little over a tenth on higher shipments of large welding cells.']);
  });

  it('takes title, author and creation date from the document information', async () => {
    const { article } = await parseSample();
    expect(article.title).toBe('Tessaline Robotics Annual Report 2025');
    expect(article.author).toBe('Investor Relations Team');
    expect(article.published).toBe('2026-02-20');
  });

  it('keeps figures that cannot form a table as aligned lines, not one run-on line', async () => {
    const bytes = await buildPdf({
      pages: [
        {
          lines: [
            ...column(72, 100, ['Shipments were steady through the year and the order book', 'grew in the second half as expected by the board.']),
            { text: 'Units shipped', x: 72, y: 150 },
            { text: '4,210', x: 300, y: 150 },
            ...column(72, 200, ['The company does not split shipments by region in this note.']),
          ],
        },
      ],
    });
    const outcome = await parsePdf(bytes, { extract: inThread });
    if (outcome.status !== 'ok') throw new Error(outcome.reason);
    const paragraphs = outcome.articles[0]!.sections.flatMap((section) => section.paragraphs);
    const figures = paragraphs.find((paragraph) => paragraph.includes('4,210'));
    expect(figures).toMatch(/^Units shipped {2,}4,210$/);
    expect(outcome.articles[0]!.sections.every((section) => section.tables === undefined)).toBe(true);
  });
});

describe('parsePdf errors', () => {
  it('refuses an encrypted PDF with a clear reason', async () => {
    const bytes = await buildPdf({ ...sampleReportSpec(), userPassword: 'secret' });
    const outcome = await parsePdf(bytes, { extract: inThread });
    expect(outcome).toMatchObject({ status: 'failed', code: 'unprocessable' });
    expect(outcome.status === 'failed' && outcome.reason).toMatch(/encrypted or password-protected/);
  });

  it('says a PDF without a text layer needs OCR', async () => {
    const bytes = await buildPdf({
      pages: [
        { lines: [], imageOnly: true },
        { lines: [], imageOnly: true },
      ],
    });
    const outcome = await parsePdf(bytes, { extract: inThread });
    expect(outcome).toEqual({ status: 'failed', code: 'unprocessable', reason: 'no text layer: this PDF needs OCR (its pages are images)' });
  });

  it('refuses a .pdf that is not a PDF and a damaged PDF', async () => {
    const notPdf = await parsePdf(new TextEncoder().encode('<html><body>hello</body></html>'), { extract: inThread });
    expect(notPdf).toEqual({ status: 'failed', code: 'unprocessable', reason: 'not a PDF: the file does not start with "%PDF-"' });
    const damaged = await parsePdf(new TextEncoder().encode(`%PDF-1.7\n${'garbage '.repeat(200)}`), { extract: inThread });
    expect(damaged).toMatchObject({ status: 'failed', code: 'unprocessable' });
    expect(damaged.status === 'failed' && damaged.reason).toMatch(/damaged/);
  });

  it('names the page and size limits it refuses', async () => {
    const bytes = await buildPdf(sampleReportSpec());
    const pages = await parsePdf(bytes, { extract: inThread, limits: { maxPages: 2 } });
    expect(pages).toEqual({ status: 'failed', code: 'unprocessable', reason: 'the PDF has 4 pages; the limit is 2 (COPILOT_PDF_MAX_PAGES)' });
    const size = await parsePdf(bytes, { extract: inThread, limits: { maxBytes: 1024 } });
    expect(size).toMatchObject({ status: 'failed', code: 'payload_too_large' });
    expect(size.status === 'failed' && size.reason).toMatch(/; the limit is 1 KB \(COPILOT_PDF_MAX_BYTES\)$/);
  });
});
