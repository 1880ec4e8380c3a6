import { describe, expect, it } from 'vitest';
import { leadWithSpan, moveAnsweringFirst } from '../../server/chat/offline/compose-answer.ts';
import { asksForDescription, clauseAfter, extractSpan, nearestFigure, readSpanKind, spanFit } from '../../server/chat/offline/extract-span.ts';

describe('reading which kind of span answers a question', () => {
  it('tells reasons, compositions, methods, amounts and dates apart', () => {
    expect(readSpanKind('Why did freight costs rise in the second half?')).toBe('reason');
    expect(readSpanKind('What drove the decline in service margin?')).toBe('reason');
    expect(readSpanKind('What does accrued liabilities consist of?')).toBe('composition');
    expect(readSpanKind('What is included in other operating income?')).toBe('composition');
    expect(readSpanKind('How is adjusted free cash flow calculated?')).toBe('method');
    expect(readSpanKind('How much was the goodwill impairment in 2020?')).toBe('amount');
    expect(readSpanKind('When did the group complete the disposal?')).toBe('date');
    expect(readSpanKind('Which segment had the highest margin?')).toBeUndefined();
  });

  it('does not read a line item named "attributable to" as a question for a reason', () => {
    expect(readSpanKind('What was the net loss attributable to minority holders in 2018?')).not.toBe('reason');
    expect(asksForDescription('What was the net loss attributable to minority holders in 2018?')).toBe(false);
    expect(asksForDescription('What was the increase in rent expense primarily due to?')).toBe(true);
  });
});

describe('cutting the answering span out of a sentence', () => {
  it('takes the clause after the earliest connective, the longest one at that place', () => {
    const sentence = 'Distribution costs fell by 4% primarily due to lower fuel prices and fewer returned parcels.';
    expect(extractSpan('Why did distribution costs fall?', sentence)).toBe('lower fuel prices and fewer returned parcels');
    expect(clauseAfter(['due to', 'primarily due to'], sentence)).toBe('lower fuel prices and fewer returned parcels');
  });

  it('prefers an earlier connective to a longer later one, and never matches inside a word', () => {
    const connectives = ['because', 'primarily as a result of'];
    expect(clauseAfter(connectives, 'Sales rose because demand grew, primarily as a result of new stores.')).toBe(
      'demand grew, primarily as a result of new stores',
    );
    // "because" inside "becauseway" is no connective; the later whole phrase is.
    expect(clauseAfter(connectives, 'The becauseway brand sold more primarily as a result of new stores.')).toBe('new stores');
    // The same list again, now with a different sentence: nothing carried over from the last match.
    expect(clauseAfter(connectives, 'No connective here at all.')).toBeUndefined();
    expect(clauseAfter(connectives, 'Sales fell because of weak demand.')).toBe('of weak demand');
    expect(clauseAfter(['because of', 'because'], 'Sales fell because of weak demand.')).toBe('weak demand');
  });

  it('reads what an item consists of', () => {
    expect(
      extractSpan(
        'What does prepaid and other assets consist of?',
        'Prepaid and other assets consist primarily of prepaid insurance, deposits and software licences.',
      ),
    ).toBe('prepaid insurance, deposits and software licences');
  });

  it('reads how a measure is calculated', () => {
    expect(extractSpan('How is net leverage calculated?', 'Net leverage is calculated as net borrowings divided by twelve-month adjusted earnings.')).toBe(
      'net borrowings divided by twelve-month adjusted earnings',
    );
  });

  it('picks the figure the question words stand beside, with its currency and scale', () => {
    const sentence = 'Marketing spend was $12.4 million in 2019, while travel expense reached $3.1 million in the same year.';
    expect(nearestFigure('How much was the travel expense in 2019?', sentence)).toBe('$3.1 million');
    expect(nearestFigure('How much was marketing spend in 2019?', sentence)).toBe('$12.4 million');
  });

  it('never takes a year, the day of a date or a note number for an amount', () => {
    expect(nearestFigure('How many stores were opened?', 'As of June 30, 2019, and as set out in Note 7, we opened 42 stores.')).toBe('42 stores');
    expect(nearestFigure('What was the rate at the year end?', 'The rate as at 31st December was unchanged.')).toBeUndefined();
  });

  it('leaves the sentence whole when nothing can be cut with confidence', () => {
    expect(extractSpan('Which segment had the highest margin?', 'The retail segment had a margin of 12%.')).toBeUndefined();
    expect(extractSpan('Why did costs fall?', 'Costs fell in the year.')).toBeUndefined();
    expect(extractSpan('How much was rent in 2021?', 'Rent | 2021: 1.5 | 2020: 1.4')).toBeUndefined();
  });
});

describe('a lead that answers with the span', () => {
  it('puts the span first and keeps the cited sentence beside it', () => {
    const cited = 'Travel expense reached $3.1 million in 2019 [2].';
    expect(leadWithSpan('How much was the travel expense in 2019?', cited)).toBe(`**$3.1 million** — ${cited}`);
  });

  it('shows the sentence alone when the span is most of it', () => {
    const cited = 'The increase was due to higher volumes across every region and channel [0].';
    expect(leadWithSpan('Why did revenue increase?', 'Revenue rose [0].')).toBe('Revenue rose [0].');
    expect(leadWithSpan('Why did revenue increase?', cited)).toBe(`**higher volumes across every region and channel** — ${cited}`);
  });
});

describe('choosing the sentence that leads', () => {
  it('prefers a sentence that states the method over one that introduces a table', () => {
    const sentences = [
      { text: 'The leverage ratio is calculated as follows:' },
      { text: 'Adjusted leverage excludes lease liabilities.' },
      { text: 'Net leverage is calculated by dividing net borrowings by adjusted earnings.' },
    ];
    moveAnsweringFirst('How is net leverage calculated?', sentences);
    expect(sentences.map((sentence) => sentence.text)).toEqual([
      'Net leverage is calculated by dividing net borrowings by adjusted earnings.',
      'The leverage ratio is calculated as follows:',
      'Adjusted leverage excludes lease liabilities.',
    ]);
  });

  it('leaves amounts and dates to the ranking: most sentences of a report hold one', () => {
    const question = 'How much was invested in the logistics venture?';
    expect(spanFit(question, 'The group invested 500 million in the venture.')).toBe(0);
    expect(readSpanKind('When is goodwill considered impaired?')).toBeUndefined();
    expect(readSpanKind('When was the plan approved?')).toBe('date');
  });

  it('keeps the ranking when no sentence can be cut', () => {
    const sentences = [{ text: 'Margins held steady.' }, { text: 'Volumes were flat.' }];
    moveAnsweringFirst('Which segment grew fastest?', sentences);
    expect(sentences[0]!.text).toBe('Margins held steady.');
  });
});
