import type { PromptLibrary } from '../../prompts.ts';
import type { ToolContext } from '../../tools/types.ts';
import type { EngineInput } from '../types.ts';
import type { RunTool } from './evidence-ledger.ts';
import type { Intent } from './intent.ts';
import { createPriceSentences, type PriceMeasure } from './price-sentences.ts';

/**
 * Stages 2–3 for questions about the bundled price series: plan the market tools the intent needs
 * (close, performance, comparison, year to date, moving average, 52-week range), run them, and
 * describe each result in one or two sentences cited as data, from the templates of
 * price-sentences.ts.
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
  // Every computed figure is framed by the templates of the question's language (prompts/price-*.md).
  const describe = createPriceSentences(prompts, input.language === 'zh' ? 'zh' : 'en');
  let periodMeasured = false;
  const symbols = intent.symbols.slice(0, 3);
  const comparing = intent.metrics.includes('compare') && symbols.length >= 2;
  const failed = (measure: PriceMeasure, symbol: string, error: string) => sentences.push(describe.describeFailure(measure, symbol, error));

  for (const metric of intent.metrics) {
    if (metric === 'valuation') continue;
    if (symbols.length === 0) break;
    if (metric === 'close' && intent.asOf) {
      for (const symbol of symbols) {
        const history = await runTool('price_history', { symbol, from: shiftDate(intent.asOf, -10), to: intent.asOf });
        if ('error' in history) {
          failed('close', symbol, history.error);
          continue;
        }
        const sessions = (history.result.sessions as { date: string }[] | undefined) ?? [];
        const session = sessions.at(-1)?.date;
        if (!session) continue;
        const day = await runTool('performance', { symbol, from: session, to: session, base: 'prior_close' });
        if ('error' in day) failed('close', symbol, day.error);
        else sentences.push(describe.describeClose(day.result, day.n, intent.asOf));
      }
    }
    if ((metric === 'performance' || metric === 'volatility') && intent.period && !comparing) {
      // One performance run states the return, the volatility and the drawdown: never run twice.
      if (periodMeasured) continue;
      periodMeasured = true;
      for (const symbol of symbols) {
        const run = await runTool('performance', { symbol, from: intent.period.from, to: intent.period.to, base: baseFor(intent, symbol, withOpen) });
        if ('error' in run) {
          failed('performance', symbol, run.error);
          continue;
        }
        sentences.push(describe.describePerformance(run.result, run.n));
        if (EXTREMES.test(input.question)) sentences.push(describe.describeExtremes(run.result, run.n));
      }
    }
    if (metric === 'compare' && comparing) {
      // Without a period, "is it beating the S&P 500?" is read over the month to the day asked about.
      const to = intent.period?.to ?? intent.asOf ?? input.today;
      const from = intent.period?.from ?? shiftDate(to, -30);
      const base = intent.period ? compareBase(intent, symbols, withOpen) : 'prior_close';
      const run = await runTool('compare', { symbols, from, to, base });
      if ('error' in run) failed('comparison', symbols.join(', '), run.error);
      else sentences.push(describe.describeCompare(run.result, run.n));
    }
    if (metric === 'ytd') {
      for (const symbol of symbols) {
        const run = await runTool('ytd', { symbol, ...(intent.asOf ? { asOf: intent.asOf } : intent.period ? { asOf: intent.period.to } : {}) });
        if ('error' in run) failed('ytd', symbol, run.error);
        else sentences.push(describe.describeYtd(run.result, run.n));
      }
    }
    if (metric === 'moving_average') {
      for (const symbol of symbols) {
        const asOf = intent.asOf ?? intent.period?.to;
        const run = await runTool('moving_average', { symbol, window: intent.window ?? 20, ...(asOf ? { asOf } : {}) });
        if ('error' in run) failed('movingAverage', symbol, run.error);
        else sentences.push(describe.describeMovingAverage(run.result, run.n));
      }
    }
    if (metric === 'range_52w') {
      for (const symbol of symbols) {
        const asOf = intent.asOf ?? intent.period?.to;
        const run = await runTool('range_52w', { symbol, ...(asOf ? { asOf } : {}) });
        if ('error' in run) failed('range', symbol, run.error);
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
