import { readComparison } from '../../../lib/comparison-words.ts';
import type { QueryAnalysis } from '../../retrieval/query-understanding.ts';
import type { TurnContext } from '../types.ts';

/**
 * What the question asks for, read with transparent rules (pure). The offline engine runs the
 * tools an intent needs and picks sentences that fit it.
 */
export type Metric = 'close' | 'performance' | 'extremes' | 'volatility' | 'moving_average' | 'range_52w' | 'ytd' | 'compare' | 'valuation';

export interface Intent {
  metrics: Metric[];
  explain: boolean;
  risks: boolean;
  /** Price series to compute on, in the order the question names them. */
  symbols: string[];
  period?: { from: string; to: string; named?: boolean; startsAtClose?: boolean };
  asOf?: string;
  window?: number;
  /** True when the question leans on the previous turn ("and the S&P 500?", "why?"). */
  followUp: boolean;
  /** Retrieval query: the question, plus the previous topic for a follow-up. */
  searchQuery: string;
  /** Words that find explanatory or risk passages; they widen retrieval but do not score relevance. */
  cueWords: string[];
}

const RULES: [Metric, RegExp][] = [
  ['close', /\b(?:close[ds]?|closing|settled?|finish(?:ed)?|level|trad(?:ed|ing) at|end(?:ed)? at)\b|收盘|收于|点位/i],
  [
    'performance',
    /\b(?:gain(?:ed|s)?|return(?:ed|s)?|rise|rose|risen|fall|fell|fallen|drop(?:ped)?|perform(?:ed|ance)?|up|down|change[ds]?|move[ds]?|rall(?:y|ied)|decline[ds]?|how much)\b|\bhow (?:did|has|have|is|was|were|are)\b[^?.]*\b(?:do|done|doing|fared?|faring)\b(?!\s+(?:about|with|to|for|that|it)\b)|涨|跌|表现|回报/i,
  ],
  ['volatility', /\bvolatil\w*|\bstandard deviation\b|\bswings?\b|波动/i],
  ['moving_average', /\bmoving average\b|\b\d+[- ]day (?:average|ma|sma|ema)\b|\b(?:sma|ema)\b|均线|移动平均/i],
  [
    'range_52w',
    /\b52[- ]week\b|\bannual range\b|\byearly range\b|\b12[- ]month (?:high|low|range)\b|\brecord (?:close|closing|high)\b|\ball[- ]time high\b|52周|历史新高/i,
  ],
  ['extremes', /\bhow (?:high|low)\b|\b(?:highest|lowest|peak(?:ed)?|bottom(?:ed)?|top(?:ped)?|trough)\b|最高|最低|高点|低点/i],
  ['ytd', /\bytd\b|year[- ]to[- ]date|\b(?:so far )?this year\b|\b(?:up|down) for the year\b|今年以来|年初至今/i],
  ['valuation', /\bp\/?e\b|price[- ]to[- ]earnings|\bpremium\b|\bdiscount\b|\bvaluations?\b|\bmultiples?\b|times (?:forward )?earnings|市盈率|溢价|折价|估值/i],
];

const EXPLAIN = /\b(?:why|what(?:'s| is| are) (?:driving|behind)|drivers?|reasons?|causes?|explain|because|what drove|catalysts?)\b|为什么|原因|驱动/i;
const RISKS = /\b(?:risks?|downside|threats?|could go wrong|headwinds?|vulnerab\w*|danger|worr(?:y|ies))\b|风险|隐患/i;
const FOLLOW_UP = /^\s*(?:and|what about|how about|same for|also|then|so)\b|\bsame period\b|\bthat period\b|^\s*why\??\s*$|^\s*(?:那|还有|同期|为什么)/i;

export function readIntent(question: string, analysis: QueryAnalysis, previous: TurnContext | undefined): Intent {
  let metrics = RULES.filter(([, pattern]) => pattern.test(question)).map(([metric]) => metric);
  const explain = EXPLAIN.test(question);
  const risks = RISKS.test(question);
  const followUp = previous !== undefined && (FOLLOW_UP.test(question) || (analysis.entities.length === 0 && question.trim().split(/\s+/).length <= 4));

  let symbols = pickSymbols(analysis);
  const comparison = readComparison(question);
  const asked = analysis.dates.period;
  let period: Intent['period'] = asked
    ? { from: asked.from, to: asked.to, ...(asked.named ? { named: true } : {}), ...(asked.startsAtClose ? { startsAtClose: true } : {}) }
    : undefined;
  let asOf = analysis.dates.asOf;
  if (followUp && previous) {
    if (!period && !asOf) {
      period = previous.period;
      asOf = previous.asOf;
    }
    if (symbols.length === 0) symbols = previous.symbols;
    else if (comparison && symbols.length === 1 && previous.symbols.length > 0 && !previous.symbols.includes(symbols[0]!)) {
      // "and versus the Nasdaq?": the last answer's series against the one named now.
      symbols = [previous.symbols[0]!, symbols[0]!];
    } else if (previous.symbols.length > 0 && /\b(?:and|what about|how about)\b|同期/i.test(question) && metrics.length === 0) {
      // "and the S&P 500 over the same period?": the new series, measured like the last answer.
      metrics = ['performance'];
    }
  }

  // Highs and lows within a period come with the period's performance figures.
  if (metrics.includes('extremes')) {
    metrics = metrics.filter((metric) => metric !== 'extremes');
    if (period && !metrics.includes('range_52w') && !metrics.includes('performance')) metrics.push('performance');
  }
  // A move on one day ("how much did it fall on January 20?") is that session's change.
  if (metrics.includes('performance') && !period && asOf) {
    metrics = metrics.filter((metric) => metric !== 'performance');
    const measured = metrics.some((metric) => ['ytd', 'moving_average', 'range_52w', 'compare'].includes(metric));
    if (!metrics.includes('close') && !measured) metrics.push('close');
  }
  // A record or peak "as of late August" is read from the 52-week range, not a return.
  if (metrics.includes('range_52w') && period?.named && !/\b(?:gain|return|perform|how much)/i.test(question)) {
    asOf = period.to;
    period = undefined;
    metrics = metrics.filter((metric) => metric !== 'performance');
  }
  // "up"/"down" alone are weak; they make a performance question only with a period to measure.
  if (metrics.includes('performance') && !period && !/\b(?:gain|return|perform|how much|change)/i.test(question)) {
    metrics = metrics.filter((metric) => metric !== 'performance');
  }
  if (metrics.includes('close') && !asOf && !period) metrics = metrics.filter((metric) => metric !== 'close');
  if (metrics.includes('volatility') && !metrics.includes('performance') && period) metrics.push('performance');
  if (comparison && symbols.length >= 2) {
    if (metrics.includes('volatility')) {
      // "how volatile was it versus the S&P 500": each series' own volatility, measured the same way.
      if (period && !metrics.includes('performance')) metrics.push('performance');
    } else if (period || (comparison === 'relative' && !metrics.includes('valuation') && !explain)) {
      // Two series set against each other: one comparison states both returns and leads with the
      // spread, so neither is measured again on its own (a year to date over the same span included).
      // "Why did small caps beat large caps?" names no period: it asks for the reasons the articles
      // give, not for a spread over whatever month the data end on, which may well say the opposite.
      metrics = [...metrics.filter((metric) => metric !== 'performance' && !(metric === 'ytd' && period)), 'compare'];
    }
  } else if (comparison === 'relative' && symbols.length === 1 && period && !metrics.includes('performance')) {
    // "Did small caps outperform?" names one side only: its own return over the period.
    metrics.push('performance');
  }
  // A year-to-date question over the year-to-date span is answered once, by the year-to-date return
  // (or by the period's performance when it also asks how volatile the year was).
  if (metrics.includes('ytd') && metrics.includes('performance') && period && isYearToDate(period)) {
    metrics = metrics.filter((metric) => metric !== (metrics.includes('volatility') ? 'ytd' : 'performance'));
  }
  if (metrics.includes('close') && period && !analysis.dates.asOf) {
    metrics = metrics.filter((metric) => metric !== 'close');
    if (!metrics.includes('performance')) metrics.push('performance');
  }
  // "20-day", "50-session"; in Chinese only before the average ("50日均线"), as "21日" is also a date.
  const windowMatch = /\b(\d{1,3})[- ](?:day|session)\b|(\d{1,3})\s*(?:日|天|个交易日)(?=\s*(?:均线|移动平均|平均))/i.exec(question);
  const window = windowMatch ? Number(windowMatch[1] ?? windowMatch[2]) : undefined;

  // Drivers and risks are written with a small vocabulary of their own; searching with it finds
  // the passages that explain rather than the ones that merely repeat the question's words.
  const cueWords = explain
    ? ['drivers', 'driving', 'driven', 'reasons', 'factors', 'causal', 'catalysts', 'tailwinds']
    : risks
      ? ['risks', 'risk', 'threaten', 'vulnerable', 'headwinds', 'caution']
      : [];
  const searchQuery = `${followUp && previous ? `${previous.topic} ` : ''}${question}`;
  return {
    metrics: [...new Set(metrics)],
    explain,
    risks,
    symbols,
    ...(period ? { period } : {}),
    ...(asOf ? { asOf } : {}),
    ...(window ? { window } : {}),
    followUp,
    searchQuery,
    cueWords,
  };
}

/** A span from the first day of a year to a day in that year: the period a year to date covers. */
function isYearToDate(period: { from: string; to: string }): boolean {
  return period.from.endsWith('-01-01') && period.from.slice(0, 4) === period.to.slice(0, 4);
}

/**
 * One series per named entity: the index level unless the question named the ETF itself
 * ("IWM" is measured on IWM, "Russell 2000" on ^RUT).
 */
function pickSymbols(analysis: QueryAnalysis): string[] {
  const symbols: string[] = [];
  for (const entity of analysis.entities) {
    if (entity.symbols.length === 0) continue;
    const named = entity.symbols.find((symbol) => symbol.toLowerCase() === entity.matched.toLowerCase().replace(/^\^/, ''));
    symbols.push(named ?? entity.symbols[0]!);
  }
  return [...new Set(symbols)];
}
