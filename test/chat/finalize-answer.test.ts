import { describe, expect, it } from 'vitest';
import type { Passage } from '../../kb/store.ts';
import type { StoredArticle } from '../../kb/types.ts';
import { extractFigures, isFigureHeld } from '../../server/chat/figures.ts';
import { finalizeAnswer, splitSentences } from '../../server/chat/finalize-answer.ts';
import type { Source } from '../../server/chat/types.ts';
import type { ToolResult } from '../../server/tools/types.ts';

function articleSource(id: string, text: string): Source {
  const article: StoredArticle = {
    id,
    title: `Article ${id}`,
    text,
    sections: [{ paragraphs: [text] }],
    tags: [],
    tickers: [],
    references: [],
    contentHash: id,
    origins: [],
    ingestedAt: '2026-01-01T00:00:00Z',
    chunkIds: [`${id}-0`],
    published: '2026-01-21',
  };
  const chunk: Passage = { id: `${id}-0`, articleId: id, ordinal: 0, text };
  return { kind: 'article', chunk, article, score: 0.8 };
}

const dataSource: Source = {
  kind: 'data',
  tool: 'performance',
  arguments: { symbol: 'RUT', from: '2025-12-01', to: '2026-01-23', base: 'open' },
  result: {
    return_pct: 7.5312,
    point_change: 186.93,
    summary: 'Russell 2000: +7.53%.',
    provenance: { conventions: ['from the open'], source: 'local' },
  } as ToolResult,
};

describe('figures', () => {
  it('finds quantities and skips dates, years, index names, markers and small counts', () => {
    const figures = extractFigures(
      'On January 21, 2026 the Russell 2000 closed at 2,698.17 [0], up 1.35% versus the S&P 500 in Q1 2026, with 3 drivers and an 18x P/E.',
    );
    expect(figures.map((figure) => figure.text)).toEqual(['2,698.17', '1.35%', '18x']);
  });

  it('holds a rounded figure when the source has the precise one', () => {
    expect(isFigureHeld({ text: '7.5%', value: 7.5, decimals: 1 }, [7.5312])).toBe(true);
    expect(isFigureHeld({ text: '72%', value: 72, decimals: 0 }, [72.22])).toBe(true);
    expect(isFigureHeld({ text: '7.6%', value: 7.6, decimals: 1 }, [7.5312])).toBe(false);
  });

  it('reads the scale word and the percent sign a figure is written with', () => {
    expect(extractFigures('Sales were $1.5 billion, costs €320m and the margin 12.5%.')).toEqual([
      { text: '$1.5 billion', value: 1.5, decimals: 1, scale: 1e9 },
      { text: '€320m', value: 320, decimals: 0, scale: 1e6 },
      { text: '12.5%', value: 12.5, decimals: 1, percent: true },
    ]);
  });

  it('holds a figure stated in another scale than its source: billions against a table in millions, thousands against millions', () => {
    const [billions] = extractFigures('$1.5 billion');
    expect(isFigureHeld(billions!, [1496.5])).toBe(true);
    const [thousands] = extractFigures('2,500 thousand');
    expect(isFigureHeld(thousands!, [2.5])).toBe(true);
    const [millions] = extractFigures('1,496.5 million');
    expect(isFigureHeld(millions!, [1_496_500])).toBe(true);
  });

  it('holds a percentage against a fraction and a fraction against a percentage', () => {
    expect(isFigureHeld(extractFigures('45%')[0]!, [0.45])).toBe(true);
    expect(isFigureHeld(extractFigures('a ratio of 0.45')[0]!, [45])).toBe(true);
  });

  it('still rejects a figure that is neither a source number nor one in another scale', () => {
    expect(isFigureHeld(extractFigures('$1.7 billion')[0]!, [1496.5])).toBe(false);
    expect(isFigureHeld(extractFigures('2,600 thousand')[0]!, [2.5])).toBe(false);
    expect(isFigureHeld(extractFigures('38%')[0]!, [0.45, 45])).toBe(false);
    expect(isFigureHeld(extractFigures('1,234')[0]!, [1.234])).toBe(false);
  });
});

describe('finalizeAnswer', () => {
  it('keeps a computed figure and a rescaled input, and removes a figure no cited source holds', () => {
    const table = articleSource('t', '(in millions) | 2019 | 2018\nTotal sales | 1,496.5 | 1,202.9');
    const computed: Source = {
      kind: 'data',
      tool: 'compute',
      arguments: { operation: 'change' },
      result: { value: 293.6, summary: 'Total sales (2019) − Total sales (2018) = 293.6', provenance: { conventions: [], source: 'input' } } as ToolResult,
    };
    const result = finalizeAnswer('Total sales rose by $293.6 million [1] to $1.5 billion [0]. They were $1.9 billion in 2017 [0].', [table, computed]);
    expect(result.answer).toBe('Total sales rose by $293.6 million [0] to $1.5 billion [1].');
    expect(result.grounding.removed).toEqual(['They were $1.9 billion in 2017 [0].']);
  });

  const sources = [articleSource('a', 'The Russell 2000 closed at a record 2,698.17 on January 21.'), dataSource];

  it('quotes a cited passage as inert text: no markup, image or foreign link in its snippet', () => {
    const hostile = articleSource(
      'h',
      'Rates matter for small caps <img src=x onerror="alert(1)"> ![p](https://evil.example/p.png) as [the data](javascript:alert(2)) and https://evil.example/leak show.',
    );
    const [citation] = finalizeAnswer('Rates matter for small caps [0].', [hostile]).citations;
    expect(citation!.snippet).toContain('Rates matter for small caps');
    expect(citation!.snippet).toContain('the data');
    expect(citation!.snippet).not.toMatch(/<img|onerror|evil\.example|javascript:|!\[/);
  });

  it('renumbers markers in order of first use and gives each exactly one citation', () => {
    const result = finalizeAnswer('It gained 7.53% [1]. It closed at 2,698.17 [0]. Again the gain [1].', sources);
    expect(result.answer).toBe('It gained 7.53% [0]. It closed at 2,698.17 [1]. Again the gain [0].');
    expect(result.citations.map((citation) => [citation.n, citation.kind])).toEqual([
      [0, 'data'],
      [1, 'article'],
    ]);
    expect(result.citations[1]).toMatchObject({ articleId: 'a', chunkId: 'a-0', title: 'Article a', published: '2026-01-21' });
    expect(result.citations[0]).toMatchObject({ tool: 'performance', snippet: 'Russell 2000: +7.53%.' });
    expect(result.grounding).toEqual({ figures: 2, grounded: 2, removed: [] });
  });

  it('removes markers that point at no source', () => {
    const result = finalizeAnswer('Small caps led the market [7]. They closed at a record [0].', sources);
    expect(result.answer).toBe('Small caps led the market. They closed at a record [0].');
    expect(result.citations).toHaveLength(1);
  });

  it('removes a sentence whose figure no cited source holds, and counts it', () => {
    const result = finalizeAnswer('The index closed at 2,698.17 [0]. Analysts see 3,400 by June [0]. It rose 7.53% [1].', sources);
    expect(result.answer).toBe('The index closed at 2,698.17 [0]. It rose 7.53% [1].');
    expect(result.grounding).toMatchObject({ figures: 3, grounded: 2, removed: ['Analysts see 3,400 by June [0].'] });
  });

  it('does not accept a figure from a source the sentence does not cite', () => {
    const result = finalizeAnswer('It rose 7.53% [0].', sources);
    expect(result.answer).toBe('');
    expect(result.grounding.removed).toEqual(['It rose 7.53% [0].']);
  });

  it('keeps uncited sentences without figures and drops bullets left empty', () => {
    const result = finalizeAnswer('Small caps led.\n- Seen 9,999 [0].\n- A record close [0].', sources);
    expect(result.answer).toBe('Small caps led.\n- A record close [0].');
  });

  it('splits sentences without breaking numbers or abbreviations and keeps trailing markers', () => {
    expect(splitSentences('The U.S. index rose 1.35% [0]. It hit 2,698.17. Next')).toEqual(['The U.S. index rose 1.35% [0]. ', 'It hit 2,698.17. ', 'Next']);
  });
});

describe('figures next to month names', () => {
  it('does not read a year after a month as a day plus a number', () => {
    expect(extractFigures('the 18.9% fall of February-April 2025 and the high of November 2021').map((figure) => figure.text)).toEqual(['18.9%']);
  });
});
