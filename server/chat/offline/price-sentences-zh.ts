import { MARKET_ENTITIES } from '../../../lib/market-entities.ts';
import { renderPrompt, type PromptLibrary } from '../../prompts.ts';
import type { ToolResult } from '../../tools/types.ts';
import { formatNumber, formatSigned } from './number-text.ts';

/**
 * Computed price figures framed in Chinese for a Chinese question (pure): closes, returns over a
 * period with volatility and drawdown, and two series compared. The sentences are the templates in
 * `prompts/price-*-zh.md`; the figures are formatted exactly as the English sentences format them,
 * so the grounding check finds each one in the tool result it cites.
 */

/** Words the templates take as values: which way a figure moved, where a return is measured from. */
const WORDS = {
  up: '上涨',
  down: '下跌',
  ahead: '领先',
  behind: '落后',
  open: '开盘',
  close: '收盘',
  priorClose: '（前一交易日）收盘',
} as const;

interface SeriesName {
  name: string;
  yahooSymbol?: string;
  id?: string;
}

/**
 * "罗素2000（^RUT）": the entity's Chinese alias when the series is the entity's preferred measure
 * (the index, not an ETF that tracks it), else the series' own name. Names are data
 * (lib/market-entities.ts), not written here.
 */
export function chineseSeriesName(series: SeriesName): string {
  const entity = MARKET_ENTITIES.find((candidate) => candidate.symbols[0] === series.id);
  const alias = entity?.aliases.find((candidate) => /\p{Script=Han}/u.test(candidate));
  const name = alias ?? series.name;
  return series.yahooSymbol ? `${name}（${series.yahooSymbol}）` : name;
}

function seriesOf(result: ToolResult): SeriesName {
  const series = result.provenance.series?.[0];
  return series ? { name: series.name, yahooSymbol: series.yahooSymbol, id: series.id } : { name: String(result.name ?? '') };
}

/** "+186.93 点" for an index level, "+$4.12" for a fund price. */
function formatChange(change: number, unit: string | undefined): string {
  return unit === 'points' ? `${formatSigned(change)} 点` : `${change >= 0 ? '+' : '−'}$${formatNumber(Math.abs(change))}`;
}

/** The close of one session against the previous close (a `performance` result over that one session). */
export function describeCloseZh(prompts: PromptLibrary, result: ToolResult, n: number, asked: string): string {
  const data = result as ToolResult & {
    last: { price: number; date: string };
    base: { price: number; date: string };
    return_pct: number;
    point_change: number;
  };
  return renderPrompt(prompts, 'price-close.zh', {
    name: chineseSeriesName(seriesOf(result)),
    session: data.last.date,
    sessionNote: data.last.date === asked ? '' : renderPrompt(prompts, 'price-close-note.zh', { asOf: asked }),
    close: formatNumber(data.last.price),
    direction: data.return_pct >= 0 ? WORDS.up : WORDS.down,
    pct: formatNumber(Math.abs(data.return_pct)),
    points: formatSigned(data.point_change),
    baseClose: formatNumber(data.base.price),
    baseDate: data.base.date,
    cite: `[${n}]`,
  });
}

/** A return over a period, then its volatility and drawdown, then where the data stopped if it did. */
export function describePerformanceZh(prompts: PromptLibrary, result: ToolResult, n: number): string {
  const data = result as ToolResult & {
    base: { date: string; price: number; convention: string };
    last: { date: string; price: number };
    return_pct: number;
    point_change: number;
    point_unit?: string;
    daily_volatility_pct?: number | null;
    annualized_volatility_pct?: number | null;
    max_drawdown_pct?: number | null;
    sessions: number;
  };
  const convention = data.base.convention === 'open' ? WORDS.open : data.base.convention === 'close' ? WORDS.close : WORDS.priorClose;
  const change = formatChange(data.point_change, data.point_unit);
  const cite = `[${n}]`;
  const sentences = [
    renderPrompt(prompts, 'price-performance.zh', {
      name: chineseSeriesName(seriesOf(result)),
      basis: ` ${data.base.date}${convention === WORDS.priorClose ? '' : ' '}${convention}`,
      basePrice: formatNumber(data.base.price),
      lastDate: data.last.date,
      lastPrice: formatNumber(data.last.price),
      direction: data.return_pct >= 0 ? WORDS.up : WORDS.down,
      pct: formatNumber(Math.abs(data.return_pct)),
      change,
      sessions: String(data.sessions),
      cite,
    }),
  ];
  // A one-session window has no volatility: the tool says null.
  if (data.daily_volatility_pct != null) {
    sentences.push(
      renderPrompt(prompts, 'price-volatility.zh', {
        daily: formatNumber(data.daily_volatility_pct),
        annualized:
          data.annualized_volatility_pct != null ? renderPrompt(prompts, 'price-annualized.zh', { value: formatNumber(data.annualized_volatility_pct) }) : '',
        drawdown: data.max_drawdown_pct != null ? renderPrompt(prompts, 'price-drawdown.zh', { value: formatNumber(Math.abs(data.max_drawdown_pct)) }) : '',
        cite,
      }),
    );
  }
  if (result.provenance.note && result.provenance.sessions)
    sentences.push(renderPrompt(prompts, 'price-data-end.zh', { last: result.provenance.sessions.to, cite }));
  return sentences.join('');
}

/** Two series over the same sessions: both returns, the spread between them, and the daily wins. */
export function describeCompareZh(prompts: PromptLibrary, result: ToolResult, n: number): string {
  const data = result as ToolResult & {
    performance: { symbol: string; name: string; return_pct: number }[];
    relative: { a: string; b: string; pp: number }[];
    daily: { a: string; b: string; sessions_compared: number; sessions_a_beat_b: number };
  };
  const bySymbol = new Map((result.provenance.series ?? []).map((series) => [series.id, series]));
  const nameOf = (symbol: string, fallback: string) => {
    const series = bySymbol.get(symbol);
    return chineseSeriesName(series ? { name: series.name, yahooSymbol: series.yahooSymbol, id: series.id } : { name: fallback });
  };
  const shortName = (symbol: string) => chineseSeriesName({ name: bySymbol.get(symbol)?.name ?? symbol, id: symbol });
  const spread = data.relative[0]!;
  const sessions = result.provenance.sessions;
  const cite = `[${n}]`;
  const sentences = [
    renderPrompt(prompts, 'price-compare.zh', {
      from: sessions?.from ?? '',
      to: sessions?.to ?? '',
      returns: data.performance.map((entry) => `${nameOf(entry.symbol, entry.name)} ${formatSigned(entry.return_pct)}%`).join('，'),
      a: shortName(spread.a),
      b: shortName(spread.b),
      direction: spread.pp >= 0 ? WORDS.ahead : WORDS.behind,
      spread: formatNumber(Math.abs(spread.pp)),
      cite,
    }),
    renderPrompt(prompts, 'price-compare-days.zh', {
      a: shortName(data.daily.a),
      b: shortName(data.daily.b),
      wins: String(data.daily.sessions_a_beat_b),
      sessions: String(data.daily.sessions_compared),
      cite,
    }),
  ];
  if (result.provenance.note && sessions) sentences.push(renderPrompt(prompts, 'price-data-end.zh', { last: sessions.to, cite }));
  return sentences.join('');
}

/** The year-to-date return (a `ytd` result), then where the data stopped if it did. */
export function describeYtdZh(prompts: PromptLibrary, result: ToolResult, n: number): string {
  const data = result as ToolResult & {
    year: number;
    base: { date: string; price: number };
    last: { date: string; price: number };
    return_pct: number;
    point_change: number;
    point_unit?: string;
  };
  const cite = `[${n}]`;
  const sentence = renderPrompt(prompts, 'price-ytd.zh', {
    name: chineseSeriesName(seriesOf(result)),
    year: String(data.year),
    direction: data.return_pct >= 0 ? WORDS.up : WORDS.down,
    pct: formatNumber(Math.abs(data.return_pct)),
    change: formatChange(data.point_change, data.point_unit),
    priorYear: String(data.year - 1),
    basePrice: formatNumber(data.base.price),
    baseDate: data.base.date,
    lastPrice: formatNumber(data.last.price),
    lastDate: data.last.date,
    cite,
  });
  return result.provenance.note ? sentence + renderPrompt(prompts, 'price-data-end.zh', { last: data.last.date, cite }) : sentence;
}
