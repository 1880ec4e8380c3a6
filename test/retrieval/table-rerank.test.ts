import { describe, expect, it } from 'vitest';
import type { FinancialMetadata, TableData } from '../../kb/types.ts';
import {
  createStemmer,
  fiscalYearFits,
  quotesLabel,
  readTableQuestion,
  rerankByTables,
  scoreMetadataFit,
  scoreTableFit,
  TABLE_RERANK_DEFAULTS,
  tableVerbatimFit,
  verbatimFit,
  type RerankCandidate,
} from '../../server/retrieval/table-rerank.ts';

const even = () => 1;

function table(rows: string[][], caption?: string): TableData {
  return { ...(caption ? { caption } : {}), headerRows: 1, rows };
}

function candidate(
  id: string,
  score: number,
  options: { table?: TableData; text?: string; articleId?: string; financial?: FinancialMetadata } = {},
): RerankCandidate {
  const text = options.text ?? (options.table ? options.table.rows.map((row) => row.join(' | ')).join('\n') : '');
  return {
    chunk: { id, articleId: options.articleId ?? id, text, ...(options.table ? { table: options.table } : {}) },
    article: { id: options.articleId ?? id, ...(options.financial ? { financial: options.financial } : {}) },
    score,
  };
}

const PENSIONS = table([
  ['', '2019', '2018'],
  ['Defined contribution schemes', '166', '178'],
  ['Defined benefit schemes', '57', '44'],
  ['Total', '223', '222'],
]);
const LEASES = table([
  ['', '2017', '2016'],
  ['Operating leases', '1,204', '1,150'],
  ['Other', '33', '29'],
  ['Total', '1,237', '1,179'],
]);

describe('readTableQuestion', () => {
  it('keeps the line-item words (stemmed), the years and the quoted figures apart', () => {
    const question = readTableQuestion('What was the change in defined contribution schemes above $1,204 from 2018 to 2019?');
    expect(question.words).toEqual(['defin', 'contribution', 'scheme', 'above']);
    expect(question.years).toEqual([2018, 2019]);
    expect(question.figures).toEqual([1204]);
  });

  it('reads "Russell 2000" as a name, neither a year nor a quoted figure', () => {
    const question = readTableQuestion('How did the Russell 2000 compare with revenue in 2019?');
    expect(question.years).toEqual([2019]);
    expect(question.figures).toEqual([]);
  });

  it('ignores one-digit numbers, which are ordinals and counts more often than figures', () => {
    expect(readTableQuestion('What are the 3 largest items in 2019?').figures).toEqual([]);
  });

  it('leaves out the words that only say how to list the answer', () => {
    expect(readTableQuestion('What are the respective revenues in 2019 and 2018?').words).toEqual(['revenue']);
    expect(readTableQuestion('What were the revenues in 2019 and 2018 respectively?').words).toEqual(['revenue']);
  });
});

describe('scoreTableFit', () => {
  it('gives a row label the question names as a phrase the full label fit', () => {
    const fit = scoreTableFit(readTableQuestion('What were defined contribution schemes in 2019?'), candidate('a', 0.5, { table: PENSIONS }).chunk, even);
    expect(fit.label).toBe(1);
    expect(fit.coverage).toBe(1);
    expect(fit.period).toBe(1);
  });

  it('scores a label sharing one word of two lower than the whole phrase, weighted by rarity', () => {
    const question = readTableQuestion('What were defined benefit obligations?');
    const rare = (word: string) => (word === 'obligation' ? 3 : 1);
    const fit = scoreTableFit(question, candidate('a', 0.5, { table: PENSIONS }).chunk, rare);
    // "Defined benefit schemes" holds 2 of the 3 words, whose weights are 2 of 5; 2 of its 3 words are asked.
    expect(fit.label).toBeCloseTo((2 / 5) * (0.5 + 0.5 * (2 / 3)));
    expect(fit.coverage).toBeCloseTo(2 / 5);
  });

  it('counts the question years the headers name, not years elsewhere', () => {
    const fit = scoreTableFit(readTableQuestion('Operating leases in 2018 and 2017?'), candidate('a', 0.5, { table: LEASES }).chunk, even);
    expect(fit.period).toBe(0.5);
  });

  it('finds quoted figures in the cells, thousands separators or not', () => {
    const fit = scoreTableFit(readTableQuestion('Which year had leases of 1204 and 1,179?'), candidate('a', 0.5, { table: LEASES }).chunk, even);
    expect(fit.figure).toBe(1);
  });

  it('fits a prose passage by its best sentence', () => {
    const text = 'Revenue rose in the year. The defined benefit schemes were closed to new members in 2019.';
    const fit = scoreTableFit(readTableQuestion('When were defined benefit schemes closed in 2019?'), candidate('p', 0.5, { text }).chunk, even);
    expect(fit.label).toBe(1);
    expect(fit.period).toBe(1);
  });

  it('names a cell by its row and its column together', () => {
    const receivables = table([
      ['', 'Current', 'Due later'],
      ['Trade receivables', '120', '30'],
      ['Other', '15', '4'],
    ]);
    const fit = scoreTableFit(readTableQuestion('What were current trade receivables?'), candidate('a', 0.5, { table: receivables }).chunk, even);
    // No single label holds all three words (the row, named as a phrase, holds two); the cell under
    // "Current" in the "Trade receivables" row does.
    expect(fit.label).toBeCloseTo((2 / 3) * (1 + TABLE_RERANK_DEFAULTS.phraseBoost));
    expect(fit.cell).toBe(1);
  });

  it('fits a well-named row less when it lacks values for the years asked', () => {
    const goodwill = table([
      ['', '2019', '2018'],
      ['Goodwill', '410', '—'],
    ]);
    const fit = scoreTableFit(readTableQuestion('What was the change in goodwill from 2018 to 2019?'), candidate('a', 0.5, { table: goodwill }).chunk, even);
    expect(fit.label).toBe(1);
    expect(fit.cell).toBeCloseTo(1 - TABLE_RERANK_DEFAULTS.cellPeriod / 2);
  });

  it('does not let a row that says much more than asked fit fully, even when its column names the rest', () => {
    const fit = scoreTableFit(readTableQuestion('What were defined schemes in 2019?'), candidate('a', 0.5, { table: PENSIONS }).chunk, even);
    // "Defined contribution schemes" holds both asked words, but only 2 of its 3 words are asked.
    expect(fit.cell).toBeCloseTo(0.5 + 0.5 * (2 / 3));
  });

  it('gives a question without content words no fit', () => {
    const fit = scoreTableFit(readTableQuestion('What was it in 2019?'), candidate('a', 0.5, { table: PENSIONS }).chunk, even);
    expect(fit.label).toBe(0);
    expect(fit.cell).toBe(0);
    expect(fit.coverage).toBe(0);
  });
});

describe('scoreMetadataFit', () => {
  const financial: FinancialMetadata = { company: 'Harbor Tools', ticker: 'HBRT', fiscalYear: 2023, documentType: '10-K' };

  it('adds up company, fiscal year and document type named by the question', () => {
    expect(scoreMetadataFit(readTableQuestion('What was Harbor Tools revenue in 2023 according to its 10-K?'), financial)).toBeCloseTo(1);
    expect(scoreMetadataFit(readTableQuestion('What was HBRT revenue?'), financial)).toBeCloseTo(0.6);
    expect(scoreMetadataFit(readTableQuestion('What was revenue in 2023?'), financial)).toBeCloseTo(0.25);
  });

  it('does not match a name inside another word, and is zero without metadata', () => {
    expect(scoreMetadataFit(readTableQuestion('What did Harbor Toolsmiths report?'), financial)).toBe(0);
    expect(scoreMetadataFit(readTableQuestion('What was Harbor Tools revenue?'), undefined)).toBe(0);
  });
});

describe('fiscalYearFits', () => {
  it('fits a document of an asked year, or one that states no year, and not one known to be about another year', () => {
    expect(fiscalYearFits(2019, [2018, 2019])).toBe(true);
    expect(fiscalYearFits(undefined, [2019])).toBe(true);
    expect(fiscalYearFits(2017, [2018, 2019])).toBe(false);
  });

  it('never fits a question that asks no year', () => {
    expect(fiscalYearFits(2019, [])).toBe(false);
    expect(fiscalYearFits(undefined, [])).toBe(false);
  });

  it('scores the year part of the metadata fit for a document that states no fiscal year', () => {
    expect(scoreMetadataFit(readTableQuestion('What was revenue in 2019?'), { documentType: 'annual-report' })).toBeCloseTo(0.25);
    expect(scoreMetadataFit(readTableQuestion('What was revenue in 2019?'), { fiscalYear: 2016 })).toBe(0);
  });
});

describe('verbatimFit', () => {
  const stemmer = createStemmer();

  it('counts the question words held by a label the question repeats word for word', () => {
    const question = readTableQuestion('What was the cost of revenues of the services segment in 2019?');
    expect(question.words).toEqual(['cost', 'revenue', 'service', 'segment']);
    expect(verbatimFit(question, ['Cost of revenues', 'Research and development'], even, stemmer)).toBeCloseTo(0.5);
  });

  it('gives nothing for a label whose wording differs, however close its stems', () => {
    const question = readTableQuestion('What was the average cost of revenues between 2017 and 2019?');
    expect(verbatimFit(question, ['Cost of revenue', 'Revenue cost'], even, stemmer)).toBe(0);
  });

  it('reads a label without its footnote marks and parenthetical notes', () => {
    const question = readTableQuestion('How much is the change in disposals between 2018 and 2019?');
    expect(verbatimFit(question, ['Disposals (Note (c))'], even, stemmer)).toBeGreaterThan(0);
    expect(verbatimFit(question, ['Disposals/Settlements'], even, stemmer)).toBe(0);
  });

  it('takes a label the question capitalises differently as another label', () => {
    const capitalised = readTableQuestion('What is the percentage change of Total Revenue from 2018 to 2019?');
    expect(verbatimFit(capitalised, ['Total Revenue'], even, stemmer)).toBeCloseTo(1);
    expect(verbatimFit(capitalised, ['Total revenue'], even, stemmer)).toBe(0);
    const lower = readTableQuestion('What is the percentage change of total revenue from 2018 to 2019?');
    expect(verbatimFit(lower, ['Total Revenue'], even, stemmer)).toBeCloseTo(1);
    expect(verbatimFit(lower, ['Total revenue'], even, stemmer)).toBeCloseTo(1);
  });
});

describe('quotesLabel', () => {
  const words = (text: string) => text.split(' ');

  it('finds a label standing in the question in order and next to each other', () => {
    expect(quotesLabel(words('what were the deferred tax assets'), words('Deferred tax assets'))).toBe(true);
    expect(quotesLabel(words('what were the tax deferred assets'), words('Deferred tax assets'))).toBe(false);
    expect(quotesLabel(words('what were the assets'), [])).toBe(false);
  });

  it('asks a capital only where the question writes one inside its sentence', () => {
    expect(quotesLabel(words('what were Other Assets in 2019'), words('Other assets'))).toBe(false);
    expect(quotesLabel(words('what were Other Assets in 2019'), words('Other Assets'))).toBe(true);
    // The question's first word is capitalised by the sentence, not by the label it may quote.
    expect(quotesLabel(words('Revenue in 2019'), words('revenue'))).toBe(true);
  });
});

describe('tableVerbatimFit', () => {
  it('reads the labels of a passage table, its figures aside, and nothing of prose', () => {
    const question = readTableQuestion('What were the reserves and accruals in 2019?');
    const quoted = candidate('quoted', 0.5, {
      table: table([
        ['', '2019', '2018'],
        ['Reserves and accruals', '50', '57'],
      ]),
    });
    const reordered = candidate('reordered', 0.5, {
      table: table([
        ['', '2019', '2018'],
        ['Accruals and reserves', '7,870', '12,129'],
      ]),
    });
    expect(tableVerbatimFit(question, quoted.chunk, even)).toBe(1);
    expect(tableVerbatimFit(question, reordered.chunk, even)).toBe(0);
    expect(tableVerbatimFit(question, candidate('prose', 0.5, { text: 'Reserves and accruals were 50 in 2019.' }).chunk, even)).toBe(0);
  });
});

describe('rerankByTables', () => {
  it('puts the table whose rows and periods the question names above a similar table ranked higher', () => {
    const reranked = rerankByTables(
      readTableQuestion('What were defined contribution schemes in 2019?'),
      [candidate('leases', 0.6, { table: LEASES }), candidate('pensions', 0.5, { table: PENSIONS })],
      even,
    );
    expect(reranked.map((hit) => hit.chunk.id)).toEqual(['pensions', 'leases']);
  });

  it('puts the table with a cell named by row and column above one that names only the row', () => {
    const byRegion = table([
      ['', 'Domestic', 'Overseas'],
      ['Revenue', '700', '300'],
    ]);
    const byYear = table([
      ['', '2019', '2018'],
      ['Revenue', '1,000', '900'],
    ]);
    const reranked = rerankByTables(
      readTableQuestion('What was overseas revenue?'),
      [candidate('by year', 0.6, { table: byYear }), candidate('by region', 0.5, { table: byRegion })],
      even,
    );
    expect(reranked.map((hit) => hit.chunk.id)).toEqual(['by region', 'by year']);
  });

  it('keeps the top score, so callers can still threshold it', () => {
    const reranked = rerankByTables(
      readTableQuestion('What were defined contribution schemes in 2019?'),
      [candidate('leases', 0.6, { table: LEASES }), candidate('pensions', 0.5, { table: PENSIONS })],
      even,
    );
    expect(reranked[0]!.score).toBeCloseTo(0.6);
    expect(reranked[1]!.score).toBeLessThan(0.6);
  });

  it('lifts the paragraphs of the document whose table fits', () => {
    const reranked = rerankByTables(
      readTableQuestion('What were defined contribution schemes in 2019?'),
      [
        candidate('other prose', 0.5, { text: 'Leases are recognised on the balance sheet.' }),
        candidate('pension prose', 0.45, { text: 'Contributions are charged as they fall due.', articleId: 'pension report' }),
        candidate('pension table', 0.3, { table: PENSIONS, articleId: 'pension report' }),
      ],
      even,
    );
    expect(reranked.at(-1)!.chunk.id).toBe('other prose');
  });

  it('prefers the document whose metadata names the company asked about', () => {
    const reranked = rerankByTables(
      readTableQuestion('What was Harbor Tools operating leases total?'),
      [candidate('other', 0.55, { table: LEASES }), candidate('harbor', 0.5, { table: LEASES, financial: { company: 'Harbor Tools' } })],
      even,
    );
    expect(reranked[0]!.chunk.id).toBe('harbor');
  });

  it('leaves candidates beyond the pool in their order below it', () => {
    const many = Array.from({ length: TABLE_RERANK_DEFAULTS.pool + 2 }, (_, index) =>
      candidate(`c${index}`, 0.9 - index * 0.01, { text: 'Nothing relevant here.' }),
    );
    const reranked = rerankByTables(readTableQuestion('What were defined contribution schemes?'), many, even);
    expect(reranked.slice(-2).map((hit) => hit.chunk.id)).toEqual([`c${TABLE_RERANK_DEFAULTS.pool}`, `c${TABLE_RERANK_DEFAULTS.pool + 1}`]);
    expect(reranked).toHaveLength(many.length);
  });

  it('returns a single candidate as it is', () => {
    const one = [candidate('a', 0.4, { table: PENSIONS })];
    expect(rerankByTables(readTableQuestion('Defined benefit schemes?'), one, even)).toEqual(one);
  });
});

describe('rerankByTables without item words', () => {
  it('keeps the fused order when the question has no words to look for (a Chinese question)', () => {
    const hits = [candidate('a', 0.6, { text: 'Nothing about years.' }), candidate('b', 0.5, { table: PENSIONS })];
    expect(rerankByTables(readTableQuestion('2019年的养老金是多少？'), hits, even)).toEqual(hits);
  });
});
