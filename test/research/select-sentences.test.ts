import { describe, expect, it } from 'vitest';
import { isReadableFinding, stripLeadLabel } from '../../server/research/select-sentences.ts';

describe("a research finding reads on its own, by the chat's shared rule (lib/reference-words.ts)", () => {
  it('keeps sentences that stand alone, in English and Chinese', () => {
    expect(isReadableFinding('Small caps rose 5.3% in January, their best start since 2019.')).toBe(true);
    expect(isReadableFinding('This year small caps led the market.')).toBe(true);
    expect(isReadableFinding('2026年1月罗素2000上涨5.3%。')).toBe(true);
  });

  it('drops back references, list introductions, questions and stand-ins for a subject named elsewhere', () => {
    for (const text of [
      'It rose 4% after that.',
      'Yet the rally faded in March.',
      'However, the gains were narrow.',
      'As noted above, margins widened.',
      'The drivers cited at the start of the year:',
      'Is the rally over?',
      "The index's close was a record.",
      '此外，利率仍是小盘股的双刃剑。',
      '推动这轮上涨的因素主要有三点：',
    ])
      expect(isReadableFinding(text), text).toBe(false);
  });

  it('reads a bold list label as noise when a full sentence follows it', () => {
    expect(stripLeadLabel('Valuation Risk: If earnings disappoint, the discount could widen.')).toBe('If earnings disappoint, the discount could widen.');
  });
});
