import { describe, expect, it } from 'vitest';
import { keepStandingSentences } from '../../server/chat/offline/compose-answer.ts';
import { leansOnPrevious } from '../../lib/reference-words.ts';

describe('sentences that lean on the one before them (lib/reference-words.ts)', () => {
  it('reads back references, "the answer" and continuing connectives as leaning on the sentence before', () => {
    for (const sentence of [
      'The answer, at least for the first half of the year, is no.',
      'This increase was due to higher sales volumes.',
      'That extends a long pattern of weak returns.',
      'It would also end a decade of underperformance.',
      'These gains were concentrated in two sectors.',
      'His argument is that valuations are stretched.',
      'But the rally faded in March.',
      'However, margins narrowed.',
      '“It is not over,” the strategist said.',
    ]) {
      expect(leansOnPrevious(sentence), sentence).toBe(true);
    }
  });

  it('lets sentences that name their subject, the calendar or an extraposed "it" stand on their own', () => {
    for (const sentence of [
      'The Russell 2000 ended June at a record.',
      'This year small caps gained 12%.',
      'That quarter the index fell 4%.',
      'It is likely that the central bank cuts rates twice.',
      'It remains to be seen whether earnings recover.',
      'So far the index has held its gains.',
      'Small caps are more sensitive to interest rates.',
    ]) {
      expect(leansOnPrevious(sentence), sentence).toBe(false);
    }
  });
});

describe('supporting points that read on their own', () => {
  const sentence = (text: string, previous?: string) => ({ text, ...(previous ? { previous } : {}) });

  it('drops a point that leans on a sentence not shown, keeps one whose antecedent is shown and puts it right after it', () => {
    const question = sentence('Did small caps beat large caps in the first half?');
    const answer = sentence('The answer, at least for the first half, is no.', 'Did small caps beat large caps in the first half?');
    const stranded = sentence('It would also end a decade of large-cap leadership.', 'A win this year would be the first since 2016.');
    const antecedent = sentence('Revenue rose 8% in 2019.');
    const other = sentence('Margins held steady across the period.');
    const dependent = sentence('This increase was due to higher sales volumes.', 'Revenue rose 8% in 2019.');
    expect(keepStandingSentences([dependent, other, stranded, antecedent], 0).map((kept) => kept.text)).toEqual([other.text, antecedent.text, dependent.text]);
    expect(keepStandingSentences([answer, question], 0).map((kept) => kept.text)).toEqual([question.text, answer.text]);
  });

  it('keeps the answering sentence as chosen, leaning or not, and drops a chain whose first link is missing', () => {
    const lead = sentence('This increase was due to higher sales volumes.', 'Revenue rose 8% in 2019.');
    const first = sentence('That left the segment short of capacity.', 'A sentence not shown.');
    const second = sentence('It then raised prices.', first.text);
    expect(keepStandingSentences([lead, first, second], 1)).toEqual([lead]);
  });
});
