import { describe, expect, it } from 'vitest';
import { locateCodePointSpans, locateSpans } from '../../kb/text-spans.ts';

describe('locateCodePointSpans', () => {
  it('counts characters, not UTF-16 units, so Postgres substr finds the same text', () => {
    const whole = 'Intro 🎄 line.\n\nSecond 𝔸 part here.\n\nThird.';
    const pieces = ['Second 𝔸 part here.', 'Third.'];
    const spans = locateCodePointSpans(whole, pieces);
    const characters = Array.from(whole);
    expect(spans.map((span) => characters.slice(span!.start, span!.start + span!.length).join(''))).toEqual(pieces);
    expect(spans[0]).toEqual({ start: 15, length: 19 });
  });

  it('finds overlapping and repeated pieces, and falls back to the start for pieces out of order', () => {
    const whole = 'One. Two. Three. One.';
    expect(locateCodePointSpans(whole, ['One. Two.', 'Two. Three.', 'One.'])).toEqual([
      { start: 0, length: 9 },
      { start: 5, length: 11 },
      { start: 17, length: 4 },
    ]);
    expect(locateCodePointSpans(whole, ['Three.', 'Two.'])).toEqual([
      { start: 10, length: 6 },
      { start: 5, length: 4 },
    ]);
  });

  it('leaves out pieces that are not verbatim spans, and empty ones', () => {
    expect(locateCodePointSpans('Revenue rose.', ['Revenue | 4,210', '', 'rose.'])).toEqual([undefined, undefined, { start: 8, length: 5 }]);
  });
});

describe('locateSpans', () => {
  it('counts UTF-16 units for text rebuilt in JavaScript', () => {
    const whole = '🎄 Holiday.\n\nStores.';
    const spans = locateSpans(whole, ['Stores.', 'missing']);
    expect(spans[0]).toEqual({ start: whole.indexOf('Stores.'), length: 7 });
    expect(spans[1]).toBeUndefined();
  });
});
