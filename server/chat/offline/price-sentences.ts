import type { ErrorCode } from '../../../lib/errors.ts';
import { MARKET_ENTITIES } from '../../../lib/market-entities.ts';
import { pluralize } from '../../../lib/pluralize.ts';
import { renderPrompt, type PromptLibrary } from '../../prompts.ts';
import type { SeriesProvenance, ToolResult } from '../../tools/types.ts';
import { formatNumber, formatSigned } from './number-text.ts';

/**
 * Computed price figures as sentences, in the question's language (pure). Every sentence is a
 * template in `prompts/price-*-{en,zh}.md`; the words the templates take as values (which way a
 * figure moved, where a return is measured from, how sessions are counted) are the table below.
 * Figures are formatted the same way in both languages, so the grounding check finds each one in
 * the tool result it cites.
 */
export type PriceLanguage = 'en' | 'zh';

type Convention = 'open' | 'close' | 'prior_close';

interface PriceWords {
  /** A one-day or year-to-date move. */
  up: string;
  down: string;
  /** A return over a period. */
  gained: string;
  lost: string;
  outperformed: string;
  underperformed: string;
  above: string;
  below: string;
  /** Where a return is measured from. */
  basis: Record<Convention, (date: string) => string>;
  sessions: (count: number) => string;
  /** The days a run of sessions covers: one date, or the first and the last. */
  days: (from: string, to: string) => string;
  points: string;
  list: string;
  kind: Record<'sma' | 'ema', string>;
  rangeBasis: Record<'intraday' | 'close', string>;
  measures: Record<'close' | 'performance' | 'comparison' | 'ytd' | 'movingAverage' | 'range', string>;
  /**
   * Why a tool failed, as the answer says it: English quotes the tool's own message (written for
   * users); Chinese words the reason from its code, so no English message lands in a Chinese answer.
   */
  failure: (code: ErrorCode, message: string) => string;
  /** Series named in a list: "the Nasdaq and the S&P 500". */
  names: (names: string[]) => string;
}

const WORDS: Record<PriceLanguage, PriceWords> = {
  en: {
    up: 'up',
    down: 'down',
    gained: 'gained',
    lost: 'lost',
    outperformed: 'outperformed',
    underperformed: 'underperformed',
    above: 'above',
    below: 'below',
    basis: {
      open: (date) => `the open of ${date}`,
      close: (date) => `the close of ${date}`,
      prior_close: (date) => `the close of ${date}, the session before`,
    },
    sessions: (count) => pluralize(count, 'session'),
    days: (from, to) => (from === to ? from : `${from} to ${to}`),
    points: 'points',
    list: ', ',
    kind: { sma: 'simple', ema: 'exponential' },
    rangeBasis: { intraday: 'intraday', close: 'on closes' },
    measures: {
      close: 'close',
      performance: 'performance',
      comparison: 'comparison',
      ytd: 'year-to-date return',
      movingAverage: 'moving average',
      range: '52-week range',
    },
    failure: (_code, message) => message,
    names: (names) => (names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`),
  },
  zh: {
    up: '上涨',
    down: '下跌',
    gained: '上涨',
    lost: '下跌',
    outperformed: '跑赢',
    underperformed: '跑输',
    above: '高于',
    below: '低于',
    basis: {
      open: (date) => `${date} 开盘`,
      close: (date) => `${date} 收盘`,
      prior_close: (date) => `${date}（前一交易日）收盘`,
    },
    sessions: (count) => `${count} 个交易日`,
    days: (from, to) => (from === to ? from : `${from} 至 ${to}`),
    points: '点',
    list: '，',
    kind: { sma: '简单', ema: '指数' },
    rangeBasis: { intraday: '盘中', close: '收盘' },
    measures: { close: '收盘价', performance: '涨跌幅', comparison: '对比', ytd: '年初至今涨跌幅', movingAverage: '移动平均线', range: '52 周区间' },
    failure: (code) => CHINESE_FAILURES[code] ?? CHINESE_FAILURES.internal!,
    names: (names) => names.join('、'),
  },
};

/** The reasons a price tool fails, by error code (lib/errors.ts), in Chinese. */
const CHINESE_FAILURES: Partial<Record<ErrorCode, string>> = {
  bad_request: '请求的日期或参数超出了现有数据的范围',
  not_found: '找不到该代码的行情数据',
  upstream_unavailable: '行情数据源暂时无法访问',
  timeout: '获取行情数据超时',
  internal: '计算出错',
};

export type PriceMeasure = keyof PriceWords['measures'];

export interface PriceSentences {
  describeClose(result: ToolResult, n: number, asked: string): string;
  describePerformance(result: ToolResult, n: number): string;
  describeExtremes(result: ToolResult, n: number): string;
  describeCompare(result: ToolResult, n: number): string;
  describeYtd(result: ToolResult, n: number): string;
  describeMovingAverage(result: ToolResult, n: number): string;
  describeRange(result: ToolResult, n: number): string;
  describeFailure(measure: PriceMeasure, symbol: string, failure: { error: string; code: ErrorCode }): string;
  /** A series asked about with no data for the period, and the dates its data cover. */
  describeNoData(series: SeriesName, period: { from: string; to: string }, available: { from: string; to: string }): string;
  /** A comparison narrowed to the series that have data. */
  describeMeasuredOnly(series: SeriesName[]): string;
  /** A series measured in place of one without data (an index through the fund that tracks it). */
  describeStandIn(series: SeriesName, standIn: SeriesName): string;
}

export interface SeriesName {
  name: string;
  yahooSymbol?: string;
  id?: string;
  basis?: string;
  unit?: string;
}

/**
 * "罗素2000（^RUT）": the entity's Chinese alias when the series is the entity's preferred measure
 * (the index, not an ETF that tracks it), else the series' own name. Names are data
 * (lib/market-entities.ts), not written here.
 */
export function chineseSeriesName(series: SeriesName): string {
  return series.yahooSymbol ? `${chineseShortName(series)}（${series.yahooSymbol}）` : chineseShortName(series);
}

function chineseShortName(series: SeriesName): string {
  const entity = MARKET_ENTITIES.find((candidate) => candidate.symbols[0] === series.id);
  return entity?.aliases.find((candidate) => /\p{Script=Han}/u.test(candidate)) ?? series.name;
}

/** The series as a sentence names it: in full where it is introduced, short where it is named again. */
function fullName(language: PriceLanguage, series: SeriesName): string {
  if (language === 'zh') return chineseSeriesName(series);
  if (!series.yahooSymbol) return series.name;
  return series.basis ? `${series.name} (${series.yahooSymbol}, ${series.basis})` : `${series.name} (${series.yahooSymbol})`;
}

function shortName(language: PriceLanguage, series: SeriesName): string {
  return language === 'zh' ? chineseShortName(series) : series.name;
}

function seriesOf(result: ToolResult, symbol?: string): SeriesName {
  const all = result.provenance.series ?? [];
  const series = symbol === undefined ? all[0] : all.find((candidate) => candidate.id === symbol);
  if (!series) return { name: symbol ?? String(result.name ?? '') };
  return describeSeries(series);
}

function describeSeries(series: SeriesProvenance): SeriesName {
  return { name: series.name, yahooSymbol: series.yahooSymbol, id: series.id, basis: series.basis, unit: series.unit };
}

/** A price: index levels as numbers, fund prices in dollars. */
function formatPrice(value: number, unit: string | undefined): string {
  return unit === 'USD' ? `$${formatNumber(value)}` : formatNumber(value);
}

/** "+186.93 points" for an index level, "+$4.12" for a fund price. */
function formatChange(words: PriceWords, change: number, unit: string | undefined): string {
  return unit === 'USD' ? `${change >= 0 ? '+' : '−'}$${formatNumber(Math.abs(change))}` : `${formatSigned(change)} ${words.points}`;
}

/**
 * Which series stopped at the end of its data, when the tool noted that the request ran past it:
 * the one whose file ends at the last session used.
 */
function stoppedAtDataEnd(result: ToolResult): { series: SeriesName; last: string } | undefined {
  const sessions = result.provenance.sessions;
  if (!result.provenance.note || !sessions) return undefined;
  const stopped = (result.provenance.series ?? []).find((series) => series.available.to === sessions.to);
  return stopped ? { series: describeSeries(stopped), last: sessions.to } : undefined;
}

interface DatedPrice {
  date: string;
  price: number;
}

export function createPriceSentences(prompts: PromptLibrary, language: PriceLanguage): PriceSentences {
  const words = WORDS[language];
  const render = (id: string, values: Record<string, string>) => renderPrompt(prompts, `${id}.${language}`, values);
  const dataEnd = (result: ToolResult, cite: string): string[] => {
    const stopped = stoppedAtDataEnd(result);
    return stopped ? [render('price-data-end', { name: shortName(language, stopped.series), last: stopped.last, cite })] : [];
  };
  const sentences = (parts: string[]) => parts.join(language === 'zh' ? '' : ' ');

  return {
    /** The close of one session against the previous close (a `performance` result over that one session). */
    describeClose(result, n, asked) {
      const data = result as ToolResult & { last: DatedPrice; base: DatedPrice; return_pct: number; point_change: number };
      const series = seriesOf(result);
      const note = data.last.date === asked ? '' : render('price-close-note', { asOf: asked });
      return render('price-close', {
        name: fullName(language, series),
        session: data.last.date,
        // English sets the note apart with a space; Chinese brackets need none.
        sessionNote: note && language === 'en' ? ` ${note}` : note,
        close: formatPrice(data.last.price, series.unit),
        direction: data.return_pct >= 0 ? words.up : words.down,
        pct: formatNumber(Math.abs(data.return_pct)),
        change: formatChange(words, data.point_change, series.unit),
        baseClose: formatPrice(data.base.price, series.unit),
        baseDate: data.base.date,
        cite: `[${n}]`,
      });
    },

    /** A return over a period, then its volatility and drawdown, then where the data stopped if it did. */
    describePerformance(result, n) {
      const data = result as ToolResult & {
        base: DatedPrice & { convention: Convention };
        last: DatedPrice;
        return_pct: number;
        point_change: number;
        daily_volatility_pct?: number | null;
        annualized_volatility_pct?: number | null;
        max_drawdown_pct?: number | null;
        max_drawdown?: { peak: { date: string }; trough: { date: string } };
        sessions: number;
      };
      const series = seriesOf(result);
      const cite = `[${n}]`;
      const parts = [
        render('price-performance', {
          name: fullName(language, series),
          direction: data.return_pct >= 0 ? words.gained : words.lost,
          pct: formatNumber(Math.abs(data.return_pct)),
          change: formatChange(words, data.point_change, series.unit),
          basis: words.basis[data.base.convention](data.base.date),
          basePrice: formatPrice(data.base.price, series.unit),
          lastDate: data.last.date,
          lastPrice: formatPrice(data.last.price, series.unit),
          sessions: words.sessions(data.sessions),
          cite,
        }),
      ];
      // A one-session window has no volatility: the tool says null.
      if (data.daily_volatility_pct != null) {
        parts.push(
          render('price-volatility', {
            daily: formatNumber(data.daily_volatility_pct),
            annualized: data.annualized_volatility_pct != null ? render('price-annualized', { value: formatNumber(data.annualized_volatility_pct) }) : '',
            drawdown:
              data.max_drawdown_pct != null && data.max_drawdown
                ? render('price-drawdown', {
                    value: formatNumber(Math.abs(data.max_drawdown_pct)),
                    from: data.max_drawdown.peak.date,
                    to: data.max_drawdown.trough.date,
                  })
                : '',
            cite,
          }),
        );
      }
      return sentences([...parts, ...dataEnd(result, cite)]);
    },

    /** The highest and lowest closes inside the period, and the intraday extremes when the series has them. */
    describeExtremes(result, n) {
      const data = result as ToolResult & { highest_close?: DatedPrice; lowest_close?: DatedPrice; intraday_high?: DatedPrice; intraday_low?: DatedPrice };
      if (!data.highest_close || !data.lowest_close) return '';
      const unit = seriesOf(result).unit;
      const intraday =
        data.intraday_high && data.intraday_low
          ? render('price-extremes-intraday', {
              high: formatPrice(data.intraday_high.price, unit),
              highDate: data.intraday_high.date,
              low: formatPrice(data.intraday_low.price, unit),
              lowDate: data.intraday_low.date,
            })
          : '';
      return render('price-extremes', {
        high: formatPrice(data.highest_close.price, unit),
        highDate: data.highest_close.date,
        low: formatPrice(data.lowest_close.price, unit),
        lowDate: data.lowest_close.date,
        intraday,
        cite: `[${n}]`,
      });
    },

    /**
     * Series over the same sessions, led by the answer: by how many percentage points the first
     * beat (or trailed) the second, then each return, the spread to any further series, and in how
     * many sessions the first's daily return was the higher, with its streaks.
     */
    describeCompare(result, n) {
      const data = result as ToolResult & {
        performance: { symbol: string; name: string; return_pct: number }[];
        relative: { a: string; b: string; pp: number }[];
        daily: {
          a: string;
          b: string;
          sessions_compared: number;
          sessions_a_beat_b: number;
          current_streak: { sessions: number; from?: string; to?: string };
          longest_streak: { sessions: number; from?: string; to?: string };
        };
      };
      const sessions = result.provenance.sessions;
      const cite = `[${n}]`;
      const [first, ...others] = data.relative;
      if (!first) return '';
      const spread = (pair: { a: string; b: string; pp: number }, name: typeof fullName) => ({
        a: name(language, seriesOf(result, pair.a)),
        b: name(language, seriesOf(result, pair.b)),
        direction: pair.pp >= 0 ? words.outperformed : words.underperformed,
        spread: formatNumber(Math.abs(pair.pp)),
        cite,
      });
      const streak = (id: 'price-streak-current' | 'price-streak-longest', run: { sessions: number; from?: string; to?: string }) =>
        run.sessions > 0 && run.from && run.to ? render(id, { sessions: words.sessions(run.sessions), dates: words.days(run.from, run.to) }) : '';
      const parts = [
        render('price-compare', {
          ...spread(first, fullName),
          from: sessions?.from ?? '',
          to: sessions?.to ?? '',
          returns: data.performance
            .map((entry) => `${shortName(language, seriesOf(result, entry.symbol))} ${formatSigned(entry.return_pct)}%`)
            .join(words.list),
        }),
        ...others.map((pair) => render('price-compare-spread', spread(pair, shortName))),
        render('price-compare-days', {
          a: shortName(language, seriesOf(result, data.daily.a)),
          b: shortName(language, seriesOf(result, data.daily.b)),
          wins: String(data.daily.sessions_a_beat_b),
          sessions: words.sessions(data.daily.sessions_compared),
          current: data.daily.current_streak.sessions > 0 ? streak('price-streak-current', data.daily.current_streak) : render('price-streak-none', {}),
          longest: streak('price-streak-longest', data.daily.longest_streak),
          cite,
        }),
      ];
      return sentences([...parts, ...dataEnd(result, cite)]);
    },

    /** The year-to-date return (a `ytd` result), then where the data stopped if it did. */
    describeYtd(result, n) {
      const data = result as ToolResult & { year: number; base: DatedPrice; last: DatedPrice; return_pct: number; point_change: number };
      const series = seriesOf(result);
      const cite = `[${n}]`;
      const sentence = render('price-ytd', {
        name: fullName(language, series),
        year: String(data.year),
        direction: data.return_pct >= 0 ? words.up : words.down,
        pct: formatNumber(Math.abs(data.return_pct)),
        change: formatChange(words, data.point_change, series.unit),
        priorYear: String(data.year - 1),
        basePrice: formatPrice(data.base.price, series.unit),
        baseDate: data.base.date,
        lastPrice: formatPrice(data.last.price, series.unit),
        lastDate: data.last.date,
        cite,
      });
      return sentences([sentence, ...dataEnd(result, cite)]);
    },

    /** A moving average as of a session and how far the close is above or below it. */
    describeMovingAverage(result, n) {
      const data = result as ToolResult & { kind: 'sma' | 'ema'; window: number; as_of: string; value: number; close: number; distance_pct: number };
      const series = seriesOf(result);
      const cite = `[${n}]`;
      const sentence = render('price-moving-average', {
        name: fullName(language, series),
        window: String(data.window),
        kind: words.kind[data.kind],
        asOf: data.as_of,
        value: formatPrice(data.value, series.unit),
        close: formatPrice(data.close, series.unit),
        distance: formatNumber(Math.abs(data.distance_pct)),
        position: data.distance_pct >= 0 ? words.above : words.below,
        cite,
      });
      return sentences([sentence, ...dataEnd(result, cite)]);
    },

    /** The 52-week range and where the close sits in it, then the closing high and low (a "record close"). */
    describeRange(result, n) {
      const data = result as ToolResult & {
        as_of: string;
        last_close: number;
        high_close: DatedPrice;
        low_close: DatedPrice;
        high_intraday?: DatedPrice;
        low_intraday?: DatedPrice;
        range_basis: 'intraday' | 'close';
        position_pct: number;
        below_high_pct: number;
      };
      const series = seriesOf(result);
      const cite = `[${n}]`;
      const price = (value: number) => formatPrice(value, series.unit);
      const high = data.high_intraday ?? data.high_close;
      const low = data.low_intraday ?? data.low_close;
      const parts = [
        render('price-range', {
          name: fullName(language, series),
          basis: words.rangeBasis[data.range_basis],
          asOf: data.as_of,
          low: price(low.price),
          lowDate: low.date,
          high: price(high.price),
          highDate: high.date,
          close: price(data.last_close),
          position: formatNumber(data.position_pct),
          below: data.below_high_pct > 0 ? render('price-range-below', { pct: formatNumber(data.below_high_pct) }) : '',
          cite,
        }),
        render('price-range-close', {
          high: price(data.high_close.price),
          highDate: data.high_close.date,
          low: price(data.low_close.price),
          lowDate: data.low_close.date,
          cite,
        }),
      ];
      return sentences([...parts, ...dataEnd(result, cite)]);
    },

    describeFailure(measure, symbol, failure) {
      return render('price-failed', { measure: words.measures[measure], symbol, reason: words.failure(failure.code, failure.error) });
    },

    describeNoData(series, period, available) {
      return render('price-no-data', { name: fullName(language, series), from: period.from, to: period.to, first: available.from, last: available.to });
    },

    describeStandIn(series, standIn) {
      return render('price-stand-in', { name: shortName(language, series), standIn: shortName(language, standIn) });
    },

    describeMeasuredOnly(series) {
      return render('price-measured-only', { names: words.names(series.map((one) => shortName(language, one))) });
    },
  };
}
