import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeAnswer, keepStandingSentences } from '../../server/chat/offline/compose-answer.ts';
import type { Intent } from '../../server/chat/offline/intent.ts';
import { speaksOfPeriod, type Candidate } from '../../server/chat/offline/select-sentences.ts';
import { loadPromptLibrary } from '../../server/prompts.ts';
import type { SearchHit } from '../../server/retrieval/hybrid-search.ts';
import { introducesNext, leansOnPrevious, standsAlone } from '../../lib/reference-words.ts';

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

  it('reads phrases that point back from inside a sentence ("as noted above", "such charges", "the latter", "the same period")', () => {
    for (const sentence of [
      'Margins improved, as noted above, on lower input costs.',
      'As noted, the fund closed to new investors.',
      'Revenue rose 4% over the same period.',
      'The company recorded such charges in every quarter.',
      'The latter grew faster than expected.',
      'Analysts expect the former to recover first.',
    ]) {
      expect(leansOnPrevious(sentence), sentence).toBe(true);
    }
  });

  it('reads Chinese openings that point back (尽管如此, 同日, 这, 该, 但, 此外) and lets dated or named openings stand', () => {
    for (const sentence of [
      '尽管如此，第一季度指数仍微涨0.6%。',
      '同日另一指数下跌9.1%。',
      '这意味着估值差距缩小。',
      '该指数年初至今上涨16.3%。',
      '但涨幅随后回吐。',
      '此外，资金持续流入。',
    ]) {
      expect(leansOnPrevious(sentence), sentence).toBe(true);
    }
    for (const sentence of ['3月30日，指数收于2,414.01点。', '这一年小盘股上涨12%。', '小盘股在5月创下新高。', '“小盘股仍然便宜”，策略师说。']) {
      expect(leansOnPrevious(sentence), sentence).toBe(false);
    }
  });

  it('lets "such as", a self-dated "same period" and a sourced "as noted by" stand on their own', () => {
    for (const sentence of [
      'Costs such as freight and labour rose.',
      'Revenue rose 4% compared with the same period last year.',
      'Sales fell from the same period of 2025.',
      'Revenue was flat versus the same quarter a year earlier.',
      'Margins narrowed, as noted by several analysts, on higher wages.',
    ]) {
      expect(leansOnPrevious(sentence), sentence).toBe(false);
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

describe('a point dropped as a fragment is replaced by the next best that stands alone (composeAnswer)', () => {
  const prompts = loadPromptLibrary(join(resolve(import.meta.dirname, '../..'), 'prompts'));
  const hit = {
    chunk: { id: 'c1', articleId: 'a1', text: '', position: 0 },
    article: { id: 'a1', title: 'A note', published: '2026-03-02' },
    score: 0.9,
  } as unknown as SearchHit;
  const candidate = (text: string, previous?: string) =>
    ({ text, hit, score: 1, coverage: 0, words: new Set<string>(), figures: new Set<number>(), ...(previous ? { previous } : {}) }) as Candidate;
  const intent = { metrics: ['performance'], explain: false, risks: false, symbols: ['RUT'], followUp: false, searchQuery: '', cueWords: [] } as Intent;

  it('shows the limit of points, taking the best standing reserve for each one dropped (a list introduction, a list row, a back reference) and never a leaning reserve', () => {
    const sentences = [
      candidate('Small caps led the market in the spring on falling rates.'),
      candidate('The drivers cited at the start of the year still frame the debate:'),
      candidate('Rating: upgraded to Buy · Price target: $395'),
      candidate('Small-cap value fund (XYZ): -3.6%'),
      candidate('Such moves rarely last beyond a quarter.', 'A sentence not shown.'),
      candidate('It then fell back in May.', 'Another sentence not shown.'),
      candidate('The index set a record close in late January on broad buying.'),
    ];
    const text = composeAnswer(
      { question: 'How did small caps do?', intent, language: 'en', lead: ['The index gained 5% [0].'], sentences, limit: 2, relevant: [], topic: '' },
      { prompts, cite: () => 1 },
    );
    const points = text.split('\n').filter((line) => line.startsWith('- '));
    expect(points).toEqual([
      '- Small caps led the market in the spring on falling rates [1].',
      '- The index set a record close in late January on broad buying [1].',
    ]);
  });
});

describe('sentences about the period asked (speaksOfPeriod)', () => {
  const half = { from: '2026-01-01', to: '2026-06-30' };
  it('keeps a dated article’s sentence naming an asked year, or naming none and published during the period or soon after', () => {
    expect(speaksOfPeriod('Small caps gained 22% in the first half of 2026.', '2026-07-01', half)).toBe(true);
    expect(speaksOfPeriod('The fund was down 2.3% for the half.', '2026-07-01', half)).toBe(true);
    expect(speaksOfPeriod('It was the best start since 2021.', '2026-07-01', half)).toBe(true);
    // An index name holding a figure is not a year; neither is a level or a multiple.
    expect(speaksOfPeriod('The Russell 2000 closed the half at a record.', '2026-07-01', half)).toBe(true);
    expect(speaksOfPeriod('3月30日，罗素2000收于2,414.01点。', '2026-07-01', half)).toBe(true);
    expect(speaksOfPeriod('The index ended near 2025 points.', '2026-07-01', half)).toBe(true);
  });

  it('rejects a sentence naming only other years, or naming none in an article from another time', () => {
    expect(speaksOfPeriod('Small caps lagged in 2025.', '2026-07-01', half)).toBe(false);
    expect(speaksOfPeriod('The Russell 2000 lagged in 2025.', '2026-07-01', half)).toBe(false);
    expect(speaksOfPeriod('The fund was down 2.3% for the half.', '2025-07-01', half)).toBe(false);
    expect(speaksOfPeriod('The fund was down 2.3% for the half.', '2026-11-02', half)).toBe(false);
  });

  it('does not judge undated documents or questions without a period', () => {
    expect(speaksOfPeriod('Revenue rose in 2018.', undefined, half)).toBe(true);
    expect(speaksOfPeriod('Revenue rose in 2018.', '2026-07-01', undefined)).toBe(true);
  });
});

describe('a labelled point in Chinese', () => {
  it('stands as a point when its value is a clause, and is a list row or an introduction when short or ending in a colon', () => {
    expect(introducesNext('季节性因素：12月为了实现税务亏损而被抛售的小盘股，往往在1月被重新买回。')).toBe(false);
    expect(introducesNext('评级：买入')).toBe(true);
    expect(introducesNext('推动这轮上涨的因素主要有三点：')).toBe(true);
  });
});

describe('one rule for whether a quoted sentence stands alone (chat answers and research findings)', () => {
  it('rejects a sentence leaning on the one before or introducing the one after, and a subject stand-in only when asked', () => {
    expect(standsAlone('Small caps rose 5% in January.')).toBe(true);
    expect(standsAlone('It rose 4% after that.')).toBe(false);
    expect(standsAlone('Yet the rally faded in March.')).toBe(false);
    expect(standsAlone('The drivers still frame the debate:')).toBe(false);
    expect(standsAlone('此外，利率仍是小盘股的双刃剑。')).toBe(false);
    expect(standsAlone('This year small caps led.')).toBe(true);
    expect(standsAlone("The index's close was a record.")).toBe(true);
    expect(standsAlone("The index's close was a record.", { subjectStandIns: true })).toBe(false);
    expect(standsAlone('The indexer rebuilt overnight.', { subjectStandIns: true })).toBe(true);
  });
});
