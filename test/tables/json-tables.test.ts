import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../ingest/parse/parse-document.ts';
import { readJsonTable } from '../../ingest/tables/json-table.ts';
import type { ParsedArticle } from '../../kb/types.ts';

function parseJson(value: unknown): { articles: ParsedArticle[]; warnings: string[] } {
  const outcome = parseDocument({ content: JSON.stringify(value), format: 'json' });
  if (outcome.status !== 'ok') throw new Error(`${outcome.status}: ${outcome.reason}`);
  return outcome;
}

const GRID = [
  ['', '2023', '2022'],
  ['Revenue', '1,204', '1,100'],
  ['Net loss', '(12)', '—'],
];

describe('JSON tables', () => {
  it('reads an array of rows, numbers and nulls included', () => {
    expect(
      readJsonTable([
        ['', 2023, 2022],
        ['Revenue', 1204.5, null],
      ]),
    ).toEqual({
      headerRows: 1,
      rows: [
        ['', '2023', '2022'],
        ['Revenue', '1204.5', ''],
      ],
    });
  });

  it('reads an array of records with the keys as the header row, in the order the document printed them', () => {
    const json = '[{"Segment": "Pumps", "2023": "1,204", "2022": "1,100"}, {"Segment": "Seals", "2023": "(12)", "2022": null, "note": "restated"}]';
    const outcome = parseDocument({ content: json, format: 'json' });
    expect(outcome.status === 'ok' ? outcome.articles[0]?.sections[0]?.tables : undefined).toEqual([
      {
        headerRows: 1,
        rows: [
          ['Segment', '2023', '2022', 'note'],
          ['Pumps', '1,204', '1,100', ''],
          ['Seals', '(12)', '', 'restated'],
        ],
      },
    ]);
  });

  it('reads {columns, rows}, {header, data} with several header rows, TableData itself and a {table} wrapper with a title', () => {
    expect(readJsonTable({ columns: ['', '2023', '2022'], rows: GRID.slice(1) })).toEqual({ headerRows: 1, rows: GRID });
    expect(readJsonTable({ columns: [{ name: 'Item' }, { name: 'Value' }], data: [{ Item: 'Cash', Value: 130 }] })).toEqual({
      headerRows: 1,
      rows: [
        ['Item', 'Value'],
        ['Cash', '130'],
      ],
    });
    expect(
      readJsonTable({
        header: [
          ['', 'Fiscal', ''],
          ['', '2023', '2022'],
        ],
        data: GRID.slice(1),
      }),
    ).toEqual({ headerRows: 2, rows: [['', 'Fiscal', ''], ...GRID] });
    expect(readJsonTable({ caption: 'Results (in millions)', headerRows: 1, rows: GRID })).toEqual({
      caption: 'Results (in millions)',
      headerRows: 1,
      rows: GRID,
    });
    expect(readJsonTable({ title: 'Results', table: GRID })).toEqual({ caption: 'Results', headerRows: 1, rows: GRID });
  });

  it('is not fooled by values that are no table', () => {
    expect(readJsonTable('text')).toBeUndefined();
    expect(readJsonTable({ rows: 'none' })).toBeUndefined();
    expect(readJsonTable([[{ nested: true }]])).toBeUndefined();
  });

  it("puts an article's tables after its text, reads paragraphs objects, and warns about an unreadable table", () => {
    const { articles, warnings } = parseJson({
      title: 'Harbor Pumps results',
      paragraphs: [{ text: 'Revenue rose on firm demand from utilities and builders.' }, 'Losses narrowed.'],
      tables: [{ caption: 'Results (in millions)', rows: GRID }, 'not a table'],
    });
    expect(articles[0]?.sections).toEqual([
      {
        paragraphs: ['Revenue rose on firm demand from utilities and builders.', 'Losses narrowed.'],
        tables: [{ caption: 'Results (in millions)', headerRows: 1, rows: GRID }],
      },
    ]);
    expect(warnings).toEqual(['skipped 1 table value(s) in no shape of rows, records or {columns, rows}']);
  });

  it('reads a JSON document that is itself a table as one article named by its caption', () => {
    const { articles } = parseJson({ caption: 'Segment revenue (in millions)', columns: ['', '2023', '2022'], rows: GRID.slice(1) });
    expect(articles).toHaveLength(1);
    expect(articles[0]?.title).toBe('Segment revenue (in millions)');
    expect(articles[0]?.sections[0]?.tables?.[0]?.rows).toEqual(GRID);
    expect(parseJson(GRID).articles[0]?.sections[0]?.tables?.[0]?.rows).toEqual(GRID);
  });
});
