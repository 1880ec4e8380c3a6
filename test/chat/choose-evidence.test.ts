import { describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { answerFromCells } from '../../server/chat/offline/answer-from-cells.ts';
import { comparableTerms, documentOutranks, documentStandingGap, passageWeightFit, sentenceAnswersBetter } from '../../server/chat/offline/choose-evidence.ts';
import { readQuestion } from '../../server/chat/offline/read-question.ts';
import { analyzeQuery } from '../../server/retrieval/query-understanding.ts';
import { loadPromptLibrary } from '../../server/prompts.ts';
import { runCompute } from '../../server/tools/definitions/compute.ts';
import { tableHit } from '../helpers/cell-hits.ts';

const prompts = loadPromptLibrary(join(resolve(import.meta.dirname, '../..'), 'prompts'));

type CellHits = Parameters<typeof answerFromCells>[1];

/** The cells stage over `hits`, computing for real, with or without a document fit. */
function answerWithFit(question: string, hits: CellHits, documentFit?: (hit: CellHits[number]) => number) {
  return answerFromCells(readQuestion(question), hits, {
    weight: () => 1,
    prompts,
    language: 'en',
    compute: async (args) => ({ result: runCompute(args), n: 99 }),
    citePassage: () => 0,
    ...(documentFit ? { documentFit } : {}),
  });
}

const sentence = (coverage: number, figures = 1, text = 'Federal income tax was $36.5 million in fiscal 2019.') => ({
  text,
  coverage,
  figures: new Set(Array.from({ length: figures }, (_, index) => 100 + index)),
});

describe('choosing between a table cell and a sentence', () => {
  it('keeps the cell unless a sentence repeats clearly more of the question', () => {
    const reading = readQuestion('What was the federal income tax in 2019?');
    expect(sentenceAnswersBetter({ reading, sentenceOutranks: false, cellCoverage: 0.4, sentence: sentence(0.5) })).toBe(false);
    expect(sentenceAnswersBetter({ reading, sentenceOutranks: false, cellCoverage: 0.4, sentence: sentence(0.7) })).toBe(true);
    expect(sentenceAnswersBetter({ reading, sentenceOutranks: false, cellCoverage: 0.4, sentence: undefined })).toBe(false);
  });

  it('computes a change between two named periods from the table, and quotes one the question leaves unplaced', () => {
    expect(
      sentenceAnswersBetter({
        reading: readQuestion('What was the change in rent expense from 2018 to 2019?'),
        sentenceOutranks: false,
        cellCoverage: 0.3,
        sentence: sentence(0.9),
      }),
    ).toBe(false);
    const unplaced = readQuestion('What was the increase in rent expense?');
    expect(sentenceAnswersBetter({ reading: unplaced, sentenceOutranks: false, cellCoverage: 0.3, sentence: sentence(0.9) })).toBe(true);
    expect(sentenceAnswersBetter({ reading: unplaced, sentenceOutranks: false, cellCoverage: 0.3, sentence: sentence(0.9, 0) })).toBe(false);
  });

  it('never lets a table row read as a sentence outweigh the cell answer', () => {
    const reading = readQuestion('What was the federal income tax in 2019?');
    expect(
      sentenceAnswersBetter({ reading, sentenceOutranks: false, cellCoverage: 0.1, sentence: sentence(0.9, 1, 'Federal | 2019: 36.5 | 2018: 30.1') }),
    ).toBe(false);
  });

  it('never replaces a ratio or a sum', () => {
    expect(
      sentenceAnswersBetter({
        reading: readQuestion('What is the sum of rent and rates in 2019?'),
        sentenceOutranks: false,
        cellCoverage: 0.1,
        sentence: sentence(1),
      }),
    ).toBe(false);
  });

  it("lets a sentence answer on a smaller lead when retrieval ranked its document above the cell answer's", () => {
    const reading = readQuestion('What was the federal income tax in 2019?');
    expect(sentenceAnswersBetter({ reading, sentenceOutranks: false, cellCoverage: 0.4, sentence: sentence(0.55) })).toBe(false);
    expect(sentenceAnswersBetter({ reading, sentenceOutranks: true, cellCoverage: 0.4, sentence: sentence(0.55) })).toBe(true);
    // Still a lead: a sentence that repeats hardly more of the question than the row does not replace it.
    expect(sentenceAnswersBetter({ reading, sentenceOutranks: true, cellCoverage: 0.4, sentence: sentence(0.45) })).toBe(false);
  });

  it('keeps the cell answer for two named periods however the documents rank', () => {
    const reading = readQuestion('What was the federal income tax in 2018 and 2019?');
    expect(sentenceAnswersBetter({ reading, sentenceOutranks: true, cellCoverage: 0.4, sentence: sentence(0.55) })).toBe(false);
  });

  it('quotes a change the question leaves unplaced on a smaller lead', () => {
    const unplaced = readQuestion('What was the increase in rent expense?');
    expect(sentenceAnswersBetter({ reading: unplaced, sentenceOutranks: false, cellCoverage: 0.3, sentence: sentence(0.42) })).toBe(true);
    expect(sentenceAnswersBetter({ reading: unplaced, sentenceOutranks: false, cellCoverage: 0.3, sentence: sentence(0.35) })).toBe(false);
  });
});

describe('which document retrieval ranked first', () => {
  const ranked = ['a', 'b', 'a', 'c'].map((id) => ({ article: { id } }));

  it('ranks a document where its first passage is', () => {
    expect(documentOutranks(ranked, 'a', ['b', 'c'])).toBe(true);
    expect(documentOutranks(ranked, 'b', ['c'])).toBe(true);
    expect(documentOutranks(ranked, 'b', ['a', 'c'])).toBe(false);
  });

  it('never outranks its own document, and ranks a document retrieval did not return last', () => {
    expect(documentOutranks(ranked, 'a', ['a'])).toBe(false);
    expect(documentOutranks(ranked, 'c', ['d'])).toBe(true);
    expect(documentOutranks(ranked, 'd', ['c'])).toBe(false);
  });

  it('says nothing without documents to compare with', () => {
    expect(documentOutranks(ranked, 'a', [])).toBe(false);
  });
});

describe('a passage weighs as its document does', () => {
  it('gives each passage the gap between its score and its document best, as a share of the top score', () => {
    const hits = [
      { score: 0.8, article: { id: 'a' } },
      { score: 0.6, article: { id: 'b' } },
      { score: 0.4, article: { id: 'a' } },
    ];
    const gap = documentStandingGap(hits);
    expect(gap(hits[0]!)).toBe(0);
    expect(gap(hits[1]!)).toBe(0);
    expect(gap(hits[2]!)).toBeCloseTo(0.5);
    // A passage the cells stage added (a sibling table of a retrieved document) weighs as that document.
    expect(gap({ score: 0.2, article: { id: 'b' } })).toBeCloseTo(0.5);
    expect(gap({ score: 0.2, article: { id: 'z' } })).toBe(0);
  });

  it('lets the table of the document retrieval put first win over a like-named row of a weaker document', async () => {
    const table = (rows: string[][]) => ({ headerRows: 1, rows: [['', '2019', '2018'], ...rows] });
    const first = tableHit('first', table([['Interest expense', '1,344', '723']]), 0.7);
    const weaker = tableHit('weaker', table([['Interest expense', '2,085', '3,343']]), 0.88);
    // The first document's own paragraph about the line is what retrieval ranked highest.
    const paragraph = {
      ...first,
      chunk: { ...first.chunk, id: 'first-text', ordinal: 1, text: 'Interest expense increased in 2019.', table: undefined },
      score: 0.99,
    };
    const hits = [paragraph, weaker, first];
    const question = 'What was the average interest expense?';
    expect((await answerWithFit(question, hits))?.lead).toContain('2,714');
    expect((await answerWithFit(question, hits, documentStandingGap(hits)))?.lead).toContain('1,033.5');
  });
});

describe('a table whose labels quote the question weighs more', () => {
  const question = 'What were the reserves and accruals in 2019?';
  // The quoted row sits under a parent row, which costs it against the bare reordered one.
  const quoted = tableHit(
    'quoted',
    {
      headerRows: 1,
      rows: [
        ['', '2019', '2018'],
        ['Deferred tax assets:', '', ''],
        ['Reserves and accruals', '50', '57'],
      ],
    },
    0.8,
  );
  const reordered = tableHit(
    'reordered',
    {
      headerRows: 1,
      rows: [
        ['', '2019', '2018'],
        ['Accruals and reserves', '7,870', '12,129'],
      ],
    },
    0.8,
  );
  const hits = [reordered, quoted];

  it('adds the share of the question its labels repeat word for word', () => {
    const weightOf = passageWeightFit(question, hits);
    expect(weightOf(quoted)).toBeCloseTo(0.4);
    expect(weightOf(reordered)).toBe(0);
  });

  it('lets the cells stage read the row the question quotes', async () => {
    expect((await answerWithFit(question, hits))?.lead).toContain('7,870');
    expect((await answerWithFit(question, hits, passageWeightFit(question, hits)))?.lead).toContain('50');
  });
});

describe('the terms a cell answer and a sentence are compared on', () => {
  it('leaves out the words that only say how to list the answer', () => {
    const analysis = analyzeQuery('What are the respective revenues in 2019 and 2018 respectively?', '2026-01-01');
    expect(analysis.terms.map(({ term }) => term)).toContain('respectively');
    expect(comparableTerms(analysis).terms.map(({ term }) => term)).toEqual(['revenues', '2019', '2018']);
    expect(comparableTerms(analysis).groups).toBe(analysis.groups);
  });
});
