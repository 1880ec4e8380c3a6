import type { PromptLibrary } from '../../prompts.ts';
import { pluralize } from '../../tools/format.ts';
import type { ToolContext, ToolResult } from '../../tools/types.ts';
import type { EngineInput } from '../types.ts';
import type { RunTool } from './evidence-ledger.ts';
import type { Intent } from './intent.ts';
import { formatNumber, formatSigned } from './number-text.ts';
import { describeCloseZh, describeCompareZh, describePerformanceZh, describeYtdZh } from './price-sentences-zh.ts';
import { citeEach } from './sentence-text.ts';

/**
 * Stages 2–3 for questions about the bundled price series: plan the market tools the intent needs
 * (close, performance, comparison, year to date, moving average, 52-week range), run them, and
 * describe each result in one or two sentences cited as data.
 */

/**
 * What the series the question names hold, read once: the latest session they all have (a
 * question about "now" is answered as of it) and which of them carry opening prices.
 */
export async function inspectSeries(
  toolContext: () => Omit<ToolContext, 'signal'>,
  symbols: string[],
  signal: AbortSignal,
): Promise<{ latest?: string; withOpen: Set<string> }> {
  let latest: string | undefined;
  const withOpen = new Set<string>();
  for (const symbol of symbols) {
    try {
      const series = await toolContext().prices.getSeries(symbol, {}, signal);
      const last = series.bars.at(-1)?.date;
      if (last && (!latest || last < latest)) latest = last;
      if (series.bars.some((bar) => bar.open !== undefined)) withOpen.add(symbol);
    } catch {
      // An unknown symbol is reported by the tool call itself, with its message.
    }
  }
  return { ...(latest ? { latest } : {}), withOpen };
}

/**
 * A day past the end of the data becomes the last session (the answer names the session it used).
 * A period running past the end is left to the tools: they stop at the last session and their
 * result says so ("the data end at the session of …"), which the answer quotes.
 */
export function clampToData(intent: Intent, latest: string | undefined): Intent {
  if (!latest) return intent;
  const clamp = (date: string) => (date > latest ? latest : date);
  return { ...intent, ...(intent.asOf ? { asOf: clamp(intent.asOf) } : {}) };
}

/**
 * Where a return starts: two dates the user gave ("from December 1") start at that session's open,
 * as the articles measure; a calendar span (Q1, YTD, 2025) starts at the close before it, as
 * performance tables do; "from the end of 2025" starts at that close. Series without opens use closes.
 */
function baseFor(intent: Intent, symbol: string, withOpen: Set<string>): 'open' | 'close' | 'prior_close' {
  if (intent.period?.named) return 'prior_close';
  if (intent.period?.startsAtClose) return 'close';
  return withOpen.has(symbol) ? 'open' : 'prior_close';
}

export async function computeLead(intent: Intent, input: EngineInput, runTool: RunTool, withOpen: Set<string>, prompts: PromptLibrary): Promise<string[]> {
  const sentences: string[] = [];
  // A Chinese question gets its computed figures framed in Chinese (prompts/price-*-zh.md).
  const zh = input.language === 'zh';
  let periodMeasured = false;
  const symbols = intent.symbols.slice(0, 3);
  const failed = (what: string, error: string) => sentences.push(`I could not compute ${what}: ${error}`);

  for (const metric of intent.metrics) {
    if (metric === 'valuation') continue;
    if (symbols.length === 0) break;
    if (metric === 'close' && intent.asOf) {
      for (const symbol of symbols) {
        const history = await runTool('price_history', { symbol, from: shiftDate(intent.asOf, -10), to: intent.asOf });
        if ('error' in history) {
          failed(`the close of ${symbol} on ${intent.asOf}`, history.error);
          continue;
        }
        const sessions = (history.result.sessions as { date: string }[] | undefined) ?? [];
        const session = sessions.at(-1)?.date;
        if (!session) continue;
        const day = await runTool('performance', { symbol, from: session, to: session, base: 'prior_close' });
        if ('error' in day) {
          failed(`the close of ${symbol} on ${session}`, day.error);
          continue;
        }
        const result = day.result as ToolResult & {
          name: string;
          last: { price: number };
          base: { price: number; date: string };
          return_pct: number;
          point_change: number;
        };
        if (zh) {
          sentences.push(describeCloseZh(prompts, result, day.n, intent.asOf));
          continue;
        }
        const moved = result.return_pct >= 0 ? 'up' : 'down';
        const sessionNote = session === intent.asOf ? '' : ` (the last session on or before ${intent.asOf})`;
        sentences.push(
          `${displayName(result)} closed at ${formatNumber(result.last.price)} on ${session}${sessionNote}, ${moved} ${formatNumber(Math.abs(result.return_pct))}% ` +
            `(${formatSigned(result.point_change)} points) from the previous close of ${formatNumber(result.base.price)} on ${result.base.date} [${day.n}].`,
        );
      }
    }
    if ((metric === 'performance' || metric === 'volatility') && intent.period && !(intent.metrics.includes('compare') && symbols.length >= 2)) {
      // One performance run states the return, the volatility and the drawdown: never run twice.
      if (periodMeasured) continue;
      periodMeasured = true;
      for (const symbol of symbols) {
        const run = await runTool('performance', { symbol, from: intent.period.from, to: intent.period.to, base: baseFor(intent, symbol, withOpen) });
        if ('error' in run) {
          failed(`the performance of ${symbol} from ${intent.period.from} to ${intent.period.to}`, run.error);
          continue;
        }
        sentences.push(zh ? describePerformanceZh(prompts, run.result, run.n) : describePerformance(run.result, run.n));
        if (EXTREMES.test(input.question)) sentences.push(describeExtremes(run.result, run.n));
      }
    }
    if (metric === 'compare' && intent.period && symbols.length >= 2) {
      const run = await runTool('compare', { symbols: symbols.slice(0, 2), from: intent.period.from, to: intent.period.to });
      if ('error' in run) failed(`the comparison of ${symbols.join(' and ')}`, run.error);
      else sentences.push(zh ? describeCompareZh(prompts, run.result, run.n) : citeEach(run.result.summary, run.n));
    }
    if (metric === 'compare' && !intent.period && symbols.length >= 2) {
      const to = intent.asOf ?? input.today;
      const run = await runTool('compare', { symbols: symbols.slice(0, 2), from: shiftDate(to, -30), to });
      if (!('error' in run)) sentences.push(citeEach(`Over the month to ${to}: ${run.result.summary}`, run.n));
    }
    if (metric === 'ytd') {
      for (const symbol of symbols) {
        const run = await runTool('ytd', { symbol, ...(intent.asOf ? { asOf: intent.asOf } : intent.period ? { asOf: intent.period.to } : {}) });
        if ('error' in run) failed(`the year-to-date return of ${symbol}`, run.error);
        else sentences.push(zh ? describeYtdZh(prompts, run.result, run.n) : citeEach(run.result.summary, run.n));
      }
    }
    if (metric === 'moving_average') {
      for (const symbol of symbols) {
        const asOf = intent.asOf ?? intent.period?.to;
        const run = await runTool('moving_average', { symbol, window: intent.window ?? 20, ...(asOf ? { asOf } : {}) });
        if ('error' in run) failed(`the moving average of ${symbol}`, run.error);
        else sentences.push(citeEach(run.result.summary, run.n));
      }
    }
    if (metric === 'range_52w') {
      for (const symbol of symbols) {
        const asOf = intent.asOf ?? intent.period?.to;
        const run = await runTool('range_52w', { symbol, ...(asOf ? { asOf } : {}) });
        if ('error' in run) failed(`the 52-week range of ${symbol}`, run.error);
        else sentences.push(citeEach(run.result.summary, run.n), describeCloseHighLow(run.result, run.n));
      }
    }
  }
  return sentences;
}

const EXTREMES = /\bhow (?:high|low)\b|\b(?:highest|lowest|peak(?:ed)?|bottom(?:ed)?|top(?:ped)?|trough)\b|最高|最低|高点|低点/i;

/** The highest and lowest points inside the period, on closes and intraday. */
function describeExtremes(result: ToolResult, n: number): string {
  const data = result as ToolResult & {
    highest_close?: { date: string; price: number };
    lowest_close?: { date: string; price: number };
    intraday_high?: { date: string; price: number };
    intraday_low?: { date: string; price: number };
  };
  const parts: string[] = [];
  if (data.highest_close) parts.push(`the highest close was ${formatNumber(data.highest_close.price)} on ${data.highest_close.date}`);
  if (data.intraday_high) parts.push(`the intraday high ${formatNumber(data.intraday_high.price)} on ${data.intraday_high.date}`);
  if (data.lowest_close) parts.push(`the lowest close ${formatNumber(data.lowest_close.price)} on ${data.lowest_close.date}`);
  if (data.intraday_low) parts.push(`the intraday low ${formatNumber(data.intraday_low.price)} on ${data.intraday_low.date}`);
  return parts.length > 0 ? `Within the period, ${parts.join(', ')} [${n}].` : '';
}

function describePerformance(result: ToolResult, n: number): string {
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
  const verb = data.return_pct >= 0 ? 'gained' : 'lost';
  const basis =
    data.base.convention === 'open'
      ? `the open of ${data.base.date}`
      : data.base.convention === 'close'
        ? `the close of ${data.base.date}`
        : `the close of ${data.base.date}, the session before`;
  const unit = data.point_unit === 'points' ? ' points' : '';
  const points = data.point_unit === 'points' ? formatNumber(Math.abs(data.point_change)) : `$${formatNumber(Math.abs(data.point_change))}`;
  let sentence =
    `${displayName(result)} ${verb} ${formatNumber(Math.abs(data.return_pct))}% (${data.return_pct >= 0 ? '+' : '−'}${points}${unit}) from ${basis} ` +
    `(${formatNumber(data.base.price)}) to the close of ${data.last.date} (${formatNumber(data.last.price)}), over ${pluralize(data.sessions, 'session')} [${n}].`;
  // A one-session window has no volatility: the tool says null.
  if (data.daily_volatility_pct != null) {
    sentence +=
      ` Its daily volatility (sample standard deviation of daily returns) was ${formatNumber(data.daily_volatility_pct)}%` +
      (data.annualized_volatility_pct != null ? `, about ${formatNumber(data.annualized_volatility_pct)}% annualized` : '') +
      (data.max_drawdown_pct != null ? `, with a maximum drawdown of ${formatNumber(Math.abs(data.max_drawdown_pct))}%` : '') +
      ` [${n}].`;
  }
  // The tool's note: where the data stopped when the period ran past it, or which file it used.
  if (result.provenance.note) sentence += ` ${result.provenance.note.replace(/\.$/, '')} [${n}].`;
  return sentence;
}

/** The 52-week closing high and low (the "record close" a question asks about), beside the intraday range. */
function describeCloseHighLow(result: ToolResult, n: number): string {
  const data = result as ToolResult & {
    high_close?: { date: string; price: number };
    low_close?: { date: string; price: number };
    last_close?: number;
    below_high_pct?: number;
  };
  if (!data.high_close || !data.low_close) return '';
  const below =
    data.below_high_pct !== undefined
      ? `; the last close of ${formatNumber(data.last_close ?? 0)} is ${formatNumber(data.below_high_pct)}% below the high`
      : '';
  return `On closing prices, the 52-week high is ${formatNumber(data.high_close.price)} (${data.high_close.date}) and the low ${formatNumber(data.low_close.price)} (${data.low_close.date})${below} [${n}].`;
}

function displayName(result: ToolResult): string {
  const series = result.provenance.series?.[0];
  if (!series) return String(result.name ?? 'The series');
  return `The ${series.name} (${series.yahooSymbol}, ${series.basis})`;
}

export function shiftDate(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
