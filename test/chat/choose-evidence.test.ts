import { describe, expect, it } from 'vitest';
import { documentOutranks, sentenceAnswersBetter } from '../../server/chat/offline/choose-evidence.ts';
import { readQuestion } from '../../server/chat/offline/read-question.ts';

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
