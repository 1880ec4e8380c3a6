import { describe, expect, it } from 'vitest';
import { findDates, findLatestDate, parseDateValue, readDateline } from '../../ingest/parse/dates.ts';
import { detectLanguage } from '../../ingest/parse/language.ts';
import { readReferenceLine, readReferenceSection } from '../../ingest/parse/references.ts';
import { mergeTags, readTagLine, splitKeywords } from '../../ingest/parse/tags.ts';
import { extractTickers, isTickerSymbol, mergeTickers, readTickerLine } from '../../ingest/parse/tickers.ts';

describe('dates', () => {
  it.each([
    ['January 22, 2026', '2026-01-22'],
    ['Jan 22, 2026', '2026-01-22'],
    ['Sept. 3, 2025', '2025-09-03'],
    ['22 January 2026', '2026-01-22'],
    ['2026年1月22日', '2026-01-22'],
    ['lunes, 12 de enero de 2026, 7:49 pm ET', '2026-01-12'],
    ['2026-01-22', '2026-01-22'],
    ['3 février 2026', '2026-02-03'],
  ])('reads %s as %s', (text, iso) => {
    expect(findDates(text).map((mention) => mention.iso)).toEqual([iso]);
  });

  it('rejects impossible calendar days and bare years', () => {
    expect(findDates('February 30, 2026 and 2026-13-01 and the year 2026')).toEqual([]);
  });

  it('finds every date in order without double-counting overlaps', () => {
    const text = 'From December 1, 2025 through 2026-01-23 and again on 25 January 2026.';
    expect(findDates(text).map((mention) => mention.iso)).toEqual(['2025-12-01', '2026-01-23', '2026-01-25']);
    expect(findLatestDate(text)).toBe('2026-01-25');
  });

  it('reads metadata timestamps and prose dates alike', () => {
    expect(parseDateValue('2026-02-03T14:05:00Z')).toBe('2026-02-03');
    expect(parseDateValue('Tue, 03 Feb 2026 14:05:00 GMT')).toBe('2026-02-03');
    expect(parseDateValue('soon')).toBeUndefined();
  });

  it('measures how much label a dateline carries besides its date', () => {
    expect(readDateline('lunes, 12 de enero de 2026, 7:49 pm ET4 min de lectura')).toEqual({ iso: '2026-01-12', labelWords: 0, framed: true });
    expect(readDateline('January 23, 2026 | Market Analysis Report')).toEqual({ iso: '2026-01-23', labelWords: 3, framed: true });
    expect(readDateline('By the Harbor desk · Feb 1, 2026')).toEqual({ iso: '2026-02-01', labelWords: 3, framed: true });
    expect(readDateline('Markets on January 5, 2026: what moved')).toEqual({ iso: '2026-01-05', labelWords: 3, framed: false });
    expect(readDateline('No date on this line')).toBeUndefined();
  });
});

describe('tickers', () => {
  it('takes cashtags, parenthesised symbols and symbol lists, in order of first appearance', () => {
    const text = 'Applied Materials (AMAT) beat estimates; value ETFs (including IJS, SPSM, and SFLO) drew inflows while $IWM lagged. AMAT again (AMAT).';
    expect(extractTickers(text)).toEqual(['AMAT', 'IJS', 'SPSM', 'SFLO', 'IWM']);
  });

  it('ignores acronyms, enumerations and mixed parentheticals', () => {
    const text =
      'Output (GDP) grew, the CEO spoke, growth at a reasonable price (GARP) is back, see option (A), the (FOMC) met, (Q4) results, (S&P 500) and (AI, chips) themes, price-to-earnings (P/E).';
    expect(extractTickers(text)).toEqual([]);
  });

  it('accepts exchange-prefixed symbols', () => {
    expect(extractTickers('Procter & Gamble (NYSE: PG) and NASDAQ: SPOT')).toEqual(['PG', 'SPOT']);
  });

  it('reads widget lines and merges lists without duplicates', () => {
    expect(readTickerLine('NYT')).toBe('NYT');
    expect(readTickerLine('AMAT +1.25%')).toBe('AMAT');
    expect(readTickerLine('ETF')).toBeUndefined();
    expect(readTickerLine('Key Insights')).toBeUndefined();
    expect(isTickerSymbol('USD')).toBe(false);
    expect(mergeTickers(['iwm', 'SPY'], ['$SPY', 'IJS'])).toEqual(['IWM', 'SPY', 'IJS']);
  });
});

describe('tags', () => {
  it('reads a line made only of hashtags, without the #', () => {
    expect(readTagLine('#small_cap #russell_2000 #Market_Rotation')).toEqual(['small_cap', 'russell_2000', 'market_rotation']);
    expect(readTagLine('#新能源车 #价格战')).toEqual(['新能源车', '价格战']);
  });

  it('does not take a markdown heading or prose with a hashtag as a tag line', () => {
    expect(readTagLine('# Weekly notes')).toBeUndefined();
    expect(readTagLine('We discussed #rates today')).toBeUndefined();
  });

  it('splits keyword lists and deduplicates', () => {
    expect(splitKeywords('Small caps, Russell 2000; rates')).toEqual(['small_caps', 'russell_2000', 'rates']);
    expect(mergeTags(['Rates', '#rates'], ['fed'])).toEqual(['rates', 'fed']);
  });
});

describe('references', () => {
  it('reads numbered entries and keeps other lines apart', () => {
    expect(readReferenceLine('[3] Brokerage Notes - Credit Survey')).toEqual({ n: 3, text: 'Brokerage Notes - Credit Survey' });
    expect(readReferenceLine('2. Exchange data')).toEqual({ n: 2, text: 'Exchange data' });
    const { references, leftover } = readReferenceSection(['[0] First source', 'A note about sources.', '[1] Second source']);
    expect(references.map((entry) => entry.n)).toEqual([0, 1]);
    expect(leftover).toEqual(['A note about sources.']);
  });
});

describe('language', () => {
  it('tells Chinese, English and Spanish apart', () => {
    expect(detectLanguage('今年一季度,多家整车厂再次下调入门车型售价,价格竞争从低端车型蔓延到中高端市场。')).toBe('zh');
    expect(detectLanguage('The shares of large producers moved faster than the metal itself.')).toBe('en');
    expect(detectLanguage('Los precios del cobre subieron por cuarta sesión y las acciones de las mineras con ellos.')).toBe('es');
  });

  it('calls an English body with a few Chinese words English', () => {
    expect(detectLanguage('Utility shares gained this week while the broad market slipped, a risk-off pattern (避险).')).toBe('en');
  });
});
