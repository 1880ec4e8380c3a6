import { describe, expect, it } from 'vitest';
import { splitOf } from '../../bench/documents/dataset.ts';
import { containsOnBoundaries, figureMatches, judgeDocumentAnswer, readFigures } from '../../bench/documents/judge.ts';
import { renderContextMarkdown } from '../../bench/documents/render.ts';

describe('documents eval judge', () => {
  it('matches numbers scale-aware within 1%: 5.2 with scale million == 5,200,000 == "5.2 million"', () => {
    expect(figureMatches(readFigures('5.2 million')[0]!, 5.2, 'million')).toBe(true);
    expect(figureMatches(readFigures('5,200,000')[0]!, 5.2, 'million')).toBe(true);
    expect(figureMatches(readFigures('5.2')[0]!, 5.2, 'million')).toBe(true);
    expect(figureMatches(readFigures('5.25 million')[0]!, 5.2, 'million')).toBe(true);
    expect(figureMatches(readFigures('5.4 million')[0]!, 5.2, 'million')).toBe(false);
    expect(figureMatches(readFigures('−22.22%')[0]!, -22.22, 'percent')).toBe(true);
    expect(figureMatches(readFigures('87.4%')[0]!, 0.87, '')).toBe(true);
    expect(figureMatches(readFigures('+22.22%')[0]!, -22.22, 'percent')).toBe(false);
  });

  it('skips years and citation markers when reading the lead figure', () => {
    expect(readFigures('The change in Other from 2018 to 2019 was −12.6 million [0].').map((figure) => figure.value)).toEqual([-12.6]);
  });

  it('finds spans on word boundaries only ("20" is not in "Russell 2000")', () => {
    expect(containsOnBoundaries('The Russell 2000 rose', '20')).toBe(false);
    expect(containsOnBoundaries('Total sales were $1,496.5 million in 2019', '$1,496.5')).toBe(true);
    expect(containsOnBoundaries('Sales of 1,496.55', '1,496.5')).toBe(false);
  });

  it('reads a currency sign and its figure as one whether or not a space separates them', () => {
    expect(containsOnBoundaries('License revenue was $64,798 in 2019', '$ 64,798')).toBe(true);
    expect(containsOnBoundaries('License revenue was $ 64,798 in 2019', '$64,798')).toBe(true);
    expect(containsOnBoundaries('License revenue was $64,798 in 2019', '$ 64,79')).toBe(false);
    expect(containsOnBoundaries('License revenue was 64,798 in 2019', '$ 64,798')).toBe(false);
  });

  it('does not read a negative figure as the positive gold, but finds a figure after a hyphen between figures', () => {
    expect(containsOnBoundaries('The difference was −4,558 thousand', '4558')).toBe(false);
    expect(containsOnBoundaries('The difference was (−4,558)', '4,558')).toBe(false);
    expect(containsOnBoundaries('The difference was −4,558 thousand', '-4558')).toBe(true);
    expect(containsOnBoundaries('It ran over 2018-2019', '2019')).toBe(true);
    expect(containsOnBoundaries('The difference was 4,558 thousand', '4558')).toBe(true);
  });

  it('judges the lead for spans and arithmetic, the whole answer for multi-span, and flags refusals', () => {
    expect(
      judgeDocumentAnswer({ answer: -12.6, answerType: 'arithmetic', scale: 'million' }, 'The change was −12.6 million [0].\n\nFormula: 44.1 − 56.7'),
    ).toMatchObject({ correct: true, numeric: true });
    expect(judgeDocumentAnswer({ answer: ['2019'], answerType: 'span', scale: '' }, '2019 had the largest Total sales [0].')).toMatchObject({
      correct: true,
      exact: true,
    });
    expect(judgeDocumentAnswer({ answer: ['a', 'b c'], answerType: 'multi-span', scale: '' }, 'It lists a.\n\n- and b c')).toMatchObject({ correct: true });
    expect(judgeDocumentAnswer({ answer: 3, answerType: 'arithmetic', scale: '' }, 'I could not find anything about it in your knowledge base')).toMatchObject({
      correct: false,
      refused: true,
    });
  });

  it('splits contexts into halves deterministically', () => {
    expect(splitOf('3ffd9053-a45d-491c-957a-1b2fa0af0570')).toBe(splitOf('3ffd9053-a45d-491c-957a-1b2fa0af0570'));
    const halves = new Set(Array.from({ length: 40 }, (_, index) => splitOf(`context-${index}`)));
    expect(halves).toEqual(new Set(['tune', 'report']));
  });

  it('renders a context as a Markdown document with its table and paragraphs', () => {
    const markdown = renderContextMarkdown(
      {
        table: {
          uid: 'u',
          table: [
            ['', '2019'],
            ['Revenue', '$1|0'],
          ],
        },
        paragraphs: [
          { uid: 'p', order: 2, text: 'Second.' },
          { uid: 'q', order: 1, text: 'First.' },
        ],
        questions: [],
      },
      'Extract 1',
    );
    expect(markdown).toBe('# Extract 1\n\n|  | 2019 |\n| --- | --- |\n| Revenue | $1\\|0 |\n\nFirst.\n\nSecond.\n');
  });
});
