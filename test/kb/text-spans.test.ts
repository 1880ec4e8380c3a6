import { describe, expect, it } from 'vitest';
import { decodeUtf8Span, locateCodePointSpans, locateSpans } from '../../kb/text-spans.ts';

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

describe('decodeUtf8Span', () => {
  /** Every span of `text` decoded from its UTF-8 bytes equals the same slice of the string. */
  function expectEverySpan(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    for (let start = 0; start <= text.length; start += 1) {
      for (let end = start; end <= text.length; end += 1) {
        const decoded = decodeUtf8Span(bytes, start, end - start);
        const splitsPair = (at: number) => at > 0 && at < text.length && /[\uD800-\uDBFF]/.test(text[at - 1]!) && /[\uDC00-\uDFFF]/.test(text[at]!);
        if (splitsPair(start) || splitsPair(end)) expect(decoded).toBeUndefined();
        else expect(decoded).toBe(text.slice(start, end));
      }
    }
  }

  it('cuts ASCII text by offset', () => {
    expectEverySpan('Revenue rose 12% to $4.1bn.');
  });

  it('counts two- and three-byte characters as one unit and four-byte ones as two', () => {
    expectEverySpan('Net €1.2bn — “record”; 净利润 rose; 📈 up 5%, 𝔼 too.');
  });

  it('answers undefined for a span end inside a surrogate pair, past the end, or over bytes that are not UTF-8', () => {
    const text = 'a📈b';
    const bytes = Buffer.from(text, 'utf8');
    expect(decodeUtf8Span(bytes, 2, 1)).toBeUndefined();
    expect(decodeUtf8Span(bytes, 0, 2)).toBeUndefined();
    expect(decodeUtf8Span(bytes, 0, 5)).toBeUndefined();
    expect(decodeUtf8Span(Buffer.from('plain text'), 6, 10)).toBeUndefined();
    expect(decodeUtf8Span(Buffer.from([0x61, 0xe2, 0x82, 0x61]), 0, 1)).toBeUndefined();
  });

  it('agrees with decoding the whole text where a lone surrogate was stored (as U+FFFD)', () => {
    const text = 'ab\uD800cd';
    const bytes = Buffer.from(text, 'utf8');
    expect(decodeUtf8Span(bytes, 1, 3)).toBe(bytes.toString('utf8').slice(1, 4));
  });
});
