import type { ErrorCode } from '../../../lib/errors.ts';
import type { PromptLibrary } from '../../prompts.ts';
import type { ToolContext } from '../../tools/types.ts';
import type { EngineInput } from '../types.ts';
import type { RunTool } from './evidence-ledger.ts';
import type { Intent } from './intent.ts';
import { MARKET_ENTITIES } from '../../../lib/market-entities.ts';
import { isWithinRange } from '../../market/sessions.ts';
import { createPriceSentences, type PriceMeasure, type SeriesName } from './price-sentences.ts';

/**
 * Stages 2–3 for questions about the bundled price series: plan the market tools the intent needs
 * (close, performance, comparison, year to date, moving average, 52-week range), run them, and
 * describe each result in one or two sentences cited as data, from the templates of
 * price-sentences.ts.
 */

/**
 * What the series the question names hold, read once: the latest session they all have (a
 * question about "now" is answered as of it), which of them carry opening prices, and the dates
 * each one covers (to say which series has no data for a period the question asks about).
 */
export interface HeldSeries {
  latest?: string;
  withOpen: Set<string>;
  available: Map<string, { series: SeriesName; from: string; to: string }>;
}

export async function inspectSeries(toolContext: () => Omit<ToolContext, 'signal'>, symbols: string[], signal: AbortSignal): Promise<HeldSeries> {
  let latest: string | undefined;
  const withOpen = new Set<string>();
  const available: HeldSeries['available'] = new Map();
  // The series that can stand in for one without data (an index's fund) are read too.
  for (const symbol of [...new Set([...symbols, ...symbols.flatMap(standInsFor)])]) {
    try {
      const series = await toolContext().prices.getSeries(symbol, {}, signal);
      const first = series.bars[0]?.date;
      const last = series.bars.at(-1)?.date;
      if (last && symbols.includes(symbol) && (!latest || last < latest)) latest = last;
      if (series.bars.some((bar) => bar.open !== undefined)) withOpen.add(symbol);
      if (first && last) available.set(symbol, { series: series.instrument, from: first, to: last });
    } catch {
      // An unknown symbol is reported by the tool call itself, with its message.
    }
  }
  return { ...(latest ? { latest } : {}), withOpen, available };
}

/** Other series that measure the same market as `symbol`, preferred first (lib/market-entities.ts). */
function standInsFor(symbol: string): string[] {
  return MARKET_ENTITIES.find((entity) => entity.symbols[0] === symbol)?.symbols.slice(1) ?? [];
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

export async function computeLead(intent: Intent, input: EngineInput, runTool: RunTool, held: HeldSeries, prompts: PromptLibrary): Promise<string[]> {
  const sentences: string[] = [];
  const { withOpen } = held;
  // Every computed figure is framed by the templates of the question's language (prompts/price-*.md).
  const describe = createPriceSentences(prompts, input.language === 'zh' ? 'zh' : 'en');
  let periodMeasured = false;
  const symbols = intent.symbols.slice(0, 3);
  const comparing = intent.metrics.includes('compare') && symbols.length >= 2;
  const failed = (measure: PriceMeasure, symbol: string, failure: { error: string; code: ErrorCode }) =>
    sentences.push(describe.describeFailure(measure, symbol, failure));
  // A series whose data do not reach the period: the answer names it and the dates it covers,
  // instead of the tool's error, and measures what it can without it.
  const lacking = (symbol: string, from: string, to: string) => {
    const range = held.available.get(symbol);
    return range !== undefined && (from > range.to || to < range.from || !isWithinRange(range, from));
  };
  /** Says the series has no data for the period; returns the series measured in its place, if one has. */
  const noData = (symbol: string, from: string, to: string): string | undefined => {
    const range = held.available.get(symbol)!;
    sentences.push(describe.describeNoData(range.series, { from, to }, range));
    const standIn = standInsFor(symbol).find((candidate) => held.available.has(candidate) && !lacking(candidate, from, to));
    if (standIn) sentences.push(describe.describeStandIn(range.series, held.available.get(standIn)!.series));
    return standIn;
  };
  const measurePerformance = async (symbol: string, from: string, to: string, base: 'open' | 'close' | 'prior_close', standInAllowed = true) => {
    const run = await runTool('performance', { symbol, from, to, base });
    if (!('error' in run)) return run;
    if (!lacking(symbol, from, to)) {
      failed('performance', symbol, run);
      return undefined;
    }
    const standIn = noData(symbol, from, to);
    if (!standIn || !standInAllowed) return undefined;
    return measurePerformance(standIn, from, to, intent.period ? baseFor(intent, standIn, withOpen) : 'prior_close', false);
  };

  for (const metric of intent.metrics) {
    if (metric === 'valuation') continue;
    if (symbols.length === 0) break;
    if (metric === 'close' && intent.asOf) {
      for (const symbol of symbols) {
        const history = await runTool('price_history', { symbol, from: shiftDate(intent.asOf, -10), to: intent.asOf });
        if ('error' in history) {
          failed('close', symbol, history);
          continue;
        }
        const sessions = (history.result.sessions as { date: string }[] | undefined) ?? [];
        const session = sessions.at(-1)?.date;
        if (!session) continue;
        const day = await runTool('performance', { symbol, from: session, to: session, base: 'prior_close' });
        if ('error' in day) failed('close', symbol, day);
        else sentences.push(describe.describeClose(day.result, day.n, intent.asOf));
      }
    }
    if ((metric === 'performance' || metric === 'volatility') && intent.period && !comparing) {
      // One performance run states the return, the volatility and the drawdown: never run twice.
      if (periodMeasured) continue;
      periodMeasured = true;
      for (const symbol of symbols) {
        const run = await measurePerformance(symbol, intent.period.from, intent.period.to, baseFor(intent, symbol, withOpen));
        if (!run) continue;
        sentences.push(describe.describePerformance(run.result, run.n));
        if (EXTREMES.test(input.question)) sentences.push(describe.describeExtremes(run.result, run.n));
      }
    }
    if (metric === 'compare' && comparing) {
      // Without a period, "is it beating the S&P 500?" is read over the month to the day asked
      // about, or to the last session the data hold when today is past them.
      const to = intent.period?.to ?? intent.asOf ?? (held.latest && held.latest < input.today ? held.latest : input.today);
      const from = intent.period?.from ?? shiftDate(to, -30);
      const base = (measured: string[]) => (intent.period ? compareBase(intent, measured, withOpen) : 'prior_close');
      const run = await runTool('compare', { symbols, from, to, base: base(symbols) });
      if (!('error' in run)) {
        sentences.push(describe.describeCompare(run.result, run.n));
        continue;
      }
      // One series without data for the period fails the comparison as a whole: the others are
      // still answered, stated as the only ones measured, after the one that could not be.
      const missing = symbols.filter((symbol) => lacking(symbol, from, to));
      if (missing.length === 0) {
        failed('comparison', symbols.join(', '), run);
        continue;
      }
      // A series without data is replaced by one that tracks it where there is one (said so).
      const replaced = new Map(missing.map((symbol) => [symbol, noData(symbol, from, to)]));
      const measured = symbols.flatMap((symbol) => (replaced.has(symbol) ? (replaced.get(symbol) ?? []) : [symbol]));
      if (measured.length === 0) continue;
      if ([...replaced.values()].some((standIn) => !standIn)) {
        sentences.push(describe.describeMeasuredOnly(measured.map((symbol) => held.available.get(symbol)?.series ?? ({ name: symbol } satisfies SeriesName))));
      }
      if (measured.length >= 2) {
        const narrowed = await runTool('compare', { symbols: measured, from, to, base: base(measured) });
        if ('error' in narrowed) failed('comparison', measured.join(', '), narrowed);
        else sentences.push(describe.describeCompare(narrowed.result, narrowed.n));
      } else {
        const alone = await measurePerformance(measured[0]!, from, to, intent.period ? baseFor(intent, measured[0]!, withOpen) : 'prior_close');
        if (alone) sentences.push(describe.describePerformance(alone.result, alone.n));
      }
    }
    if (metric === 'ytd') {
      for (const symbol of symbols) {
        const run = await runTool('ytd', { symbol, ...(intent.asOf ? { asOf: intent.asOf } : intent.period ? { asOf: intent.period.to } : {}) });
        if ('error' in run) failed('ytd', symbol, run);
        else sentences.push(describe.describeYtd(run.result, run.n));
      }
    }
    if (metric === 'moving_average') {
      for (const symbol of symbols) {
        const asOf = intent.asOf ?? intent.period?.to;
        const run = await runTool('moving_average', { symbol, window: intent.window ?? 20, ...(asOf ? { asOf } : {}) });
        if ('error' in run) failed('movingAverage', symbol, run);
        else sentences.push(describe.describeMovingAverage(run.result, run.n));
      }
    }
    if (metric === 'range_52w') {
      for (const symbol of symbols) {
        const asOf = intent.asOf ?? intent.period?.to;
        const run = await runTool('range_52w', { symbol, ...(asOf ? { asOf } : {}) });
        if ('error' in run) failed('range', symbol, run);
        else sentences.push(describe.describeRange(run.result, run.n));
      }
    }
  }
  return sentences.filter((sentence) => sentence.length > 0);
}

/** One base for every series compared: from the open only when each of them has opens to start from. */
function compareBase(intent: Intent, symbols: string[], withOpen: Set<string>): 'open' | 'close' | 'prior_close' {
  const bases = new Set(symbols.map((symbol) => baseFor(intent, symbol, withOpen)));
  return bases.size === 1 ? [...bases][0]! : 'prior_close';
}

const EXTREMES = /\bhow (?:high|low)\b|\b(?:highest|lowest|peak(?:ed)?|bottom(?:ed)?|top(?:ped)?|trough)\b|最高|最低|高点|低点/i;

export function shiftDate(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
