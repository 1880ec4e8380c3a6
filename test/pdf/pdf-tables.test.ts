import { describe, expect, it } from 'vitest';
import { parsePdf } from '../../ingest/pdf/parse-pdf.ts';
import { buildPdf, statementSpec } from '../helpers/build-pdf.ts';

async function parseStatement() {
  const outcome = await parsePdf(await buildPdf(statementSpec()));
  if (outcome.status !== 'ok') throw new Error(`expected ok, got ${outcome.status}: ${outcome.reason}`);
  return outcome.articles[0]!;
}

describe('PDF statement tables', () => {
  it('rebuilds a statement with a multi-row header, wrapped labels and a group heading into cells', async () => {
    const article = await parseStatement();
    const section = article.sections.find((candidate) => candidate.tables !== undefined)!;
    expect(section.page).toBe(2);
    expect(section.tables).toEqual([
      {
        caption: 'Consolidated statement of operations',
        headerRows: 3,
        rows: [
          ['', 'Year ended June 30', 'Year ended June 30'],
          ['', '2025', '2024'],
          ['(in millions)', '', ''],
          ['Net revenue', '2,480.0', '2,210.5'],
          ['Cost of goods sold', '1,390.2', '1,275.0'],
          ['Operating expenses:', '', ''],
          ['Selling, general and administrative expenses', '512.7', '480.3'],
          ['Research and development', '140.0', '118.4'],
          ['Operating income', '437.1', '336.8'],
          ['Income from equity-method investments, net of tax', '22.5', '18.0'],
          ['Net income', '350.6', '270.2'],
        ],
      },
    ]);
    expect(section.paragraphs).toEqual(['Net revenue rose on higher volumes of rye bread in Finland.']);
  });
});
