import { analyzeQuery, type QueryAnalysis } from '../retrieval/query-understanding.ts';
import type { PlanStep, PlannedToolCall } from './plan-schema.ts';

/**
 * The offline planner: a transparent rule set over the question's entities, period and intent
 * (pure). Every rule that fires leaves a note, so the user sees why each step is there before
 * accepting or editing the plan. A plan is always produced, whatever the question.
 */
export const OFFLINE_PLANNER_DEFAULTS = {
  /** Without a period in the question: about three months (≈ 60 sessions) up to the newest article. */
  defaultPeriodDays: 91,
  minSteps: 3,
  maxSteps: 8,
  /** The indexes a question names are all measured, up to this many (one comparison holds them). */
  maxSeries: 4,
};

export type Theme = 'performance' | 'volatility' | 'valuation' | 'earnings' | 'rates' | 'drivers' | 'risks' | 'topic';

/** What the planner knows besides the question, gathered by the service (see planning-context.ts). */
export interface PlanningContext {
  today: string;
  /** The newest article's date, never after today: the default period ends here. */
  asOf: string;
  /** The last session of the plan's price series on or before `asOf`, when known: periods end there at the latest. */
  dataEnd?: string;
  /** Pairs of multiples articles state, found by searching before planning: each fills a valuation_gap. */
  valuations?: {
    a: { name: string; value: number };
    b: { name: string; value: number };
    article: { title: string; published?: string };
  }[];
}

export interface DraftPlan {
  steps: PlanStep[];
  /** Why the plan looks the way it does: the period, the series, the themes. */
  notes: string[];
}

const THEME_CUES: [Exclude<Theme, 'performance' | 'risks' | 'topic'>, RegExp][] = [
  ['volatility', /\bvolatil\w*|\bdrawdowns?\b|\bswings?\b|\bcorrection\b|\bpullback\b|波动/i],
  ['valuation', /\bvaluations?\b|\bp\/?e\b|\bmultiples?\b|\bcheap\b|\bexpensive\b|\bdiscount\b|\bpremium\b|估值|市盈率/i],
  ['earnings', /\bearnings\b|\bprofits?\b|\bprofitab\w*|\bmargins?\b|\beps\b|\bfundamentals?\b|盈利|利润/i],
  ['rates', /\brates?\b|\bfed\b|\bfederal reserve\b|\byields?\b|\bmonetary\b|\bborrowing\b|\binflation\b|利率|降息|美联储/i],
  ['drivers', /\bwhy\b|\bdrivers?\b|\bdriving\b|\brotation\b|\bflows?\b|\bcatalysts?\b|原因|驱动/i],
];

/** Questions that ask whether something lasts, or ask for depth, get every theme. */
const DEEP =
  /\bsustainab\w*|\bdurable\b|\blast(?:s|ing)?\b(?!\s+(?:\d+\s+)?(?:weeks?|months?|years?|quarters?|sessions?|days?|close)\b)|\bcontinue\w*|\boutlook\b|\bgo deep\b|\bdeep dive\b|\bstill\b.*\b(?:buy|room)\b|\bover(?:heated|extended)\b|\bbubble\b|可持续|持续|前景/i;

const ALL_THEMES: Theme[] = ['performance', 'volatility', 'valuation', 'earnings', 'rates', 'drivers', 'risks'];
const DEFAULT_THEMES: Theme[] = ['performance', 'drivers', 'valuation', 'risks'];

export interface PlanSeries {
  entityId: string;
  symbol: string;
  name: string;
}

export function planResearchOffline(question: string, context: PlanningContext, defaults = OFFLINE_PLANNER_DEFAULTS): DraftPlan {
  const analysis = analyzeQuery(question, context.today);
  const notes: string[] = [];
  const series = pickSeries(analysis, notes);
  const period = pickPeriod(analysis, context, defaults, notes);

  const named = THEME_CUES.filter(([, cue]) => cue.test(question)).map(([theme]) => theme);
  let themes: Theme[];
  if (DEEP.test(question)) {
    themes = ALL_THEMES;
    notes.push('The question asks whether a move lasts, so the plan covers performance, volatility, valuation, earnings, rates, drivers and risks.');
  } else if (named.length > 0) {
    themes = ['performance', ...named, 'risks'];
    notes.push(`Themes named in the question: ${named.join(', ')}; performance and risks are always covered.`);
  } else {
    themes = DEFAULT_THEMES;
    notes.push('No theme named: the plan covers performance, drivers, valuation and risks.');
  }
  if (series.length === 0) {
    // Nothing to measure: the question itself leads, and valuation needs an index to be about.
    themes = [
      'topic',
      ...themes.filter((theme) => theme !== 'performance' && theme !== 'volatility' && (theme !== 'valuation' || named.includes('valuation'))),
    ];
    notes.push('The question names no index or fund, so no price series are computed.');
  }
  themes = [...new Set(themes)];

  const topic = describeTopic(analysis, series);
  const steps = themes.map((theme) => buildStep(theme, { series, period, topic, context, question }));
  // Every report has a risks section to fill; a short plan gets the drivers as well.
  for (const extra of ['drivers', 'risks'] as const) {
    if (steps.length < defaults.minSteps && !themes.includes(extra)) steps.push(buildStep(extra, { series, period, topic, context, question }));
  }
  return { steps: steps.slice(0, defaults.maxSteps).map((step, index) => ({ id: `s${index + 1}`, ...step })), notes };
}

/** The series a plan measures: the indexes the question names, with a benchmark when it names one. */
export function pickPlanSeries(analysis: QueryAnalysis): { series: PlanSeries[]; benchmarkAdded: boolean } {
  const series: PlanSeries[] = [];
  for (const entity of analysis.entities) {
    if (entity.kind !== 'index' || entity.symbols.length === 0) continue;
    const named = entity.symbols.find((symbol) => symbol.toLowerCase() === entity.matched.toLowerCase().replace(/^\^/, ''));
    series.push({ entityId: entity.id, symbol: named ?? entity.symbols[0]!, name: entity.name });
  }
  if (series.length !== 1) return { series: series.slice(0, OFFLINE_PLANNER_DEFAULTS.maxSeries), benchmarkAdded: false };
  // A move means little on its own: measure it against the broad market (or the market against small caps).
  const isBroad = series[0]!.entityId === 's&p-500';
  series.push(isBroad ? { entityId: 'russell-2000', symbol: 'RUT', name: 'Russell 2000' } : { entityId: 's&p-500', symbol: 'GSPC', name: 'S&P 500' });
  return { series, benchmarkAdded: true };
}

function pickSeries(analysis: QueryAnalysis, notes: string[]): PlanSeries[] {
  const { series, benchmarkAdded } = pickPlanSeries(analysis);
  if (benchmarkAdded) notes.push(`Benchmark added: the ${series[0]!.name} is measured against the ${series[1]!.name} (${series[1]!.symbol}).`);
  if (series.length >= 2) notes.push(`Series: ${series.map((entry) => `${entry.name} (${entry.symbol})`).join(' vs ')}.`);
  return series;
}

function pickPeriod(
  analysis: QueryAnalysis,
  context: PlanningContext,
  defaults: typeof OFFLINE_PLANNER_DEFAULTS,
  notes: string[],
): { from: string; to: string; label: string } {
  const limit = context.dataEnd && context.dataEnd < context.asOf ? context.dataEnd : context.asOf;
  const limitWords = limit === context.asOf ? 'the newest article' : 'the last session of the price data';
  const asked = analysis.dates.period;
  if (asked) {
    const to = asked.to < limit ? asked.to : limit;
    if (asked.from <= to) {
      notes.push(`Period from the question (${asked.label}): ${asked.from} to ${to}${to !== asked.to ? `, cut at ${limitWords}` : ''}.`);
      return { from: asked.from, to, label: asked.label };
    }
  }
  const to = analysis.dates.asOf && analysis.dates.asOf < limit ? analysis.dates.asOf : limit;
  const from = shiftDate(to, -defaults.defaultPeriodDays);
  notes.push(
    `No period in the question: the three months from ${from} to ${to}, ending at ${analysis.dates.asOf && to === analysis.dates.asOf ? 'the date asked about' : limitWords}.`,
  );
  return { from, to, label: 'the last three months' };
}

function describeTopic(analysis: QueryAnalysis, series: PlanSeries[]): string {
  if (series.length > 0) return series[0]!.name;
  return analysis.entities[0]?.name ?? analysis.query.replace(/[?？!！。.]+\s*$/, '').slice(0, 200);
}

interface StepInput {
  series: PlanSeries[];
  period: { from: string; to: string; label: string };
  topic: string;
  context: PlanningContext;
  question: string;
}

function buildStep(theme: Theme, input: StepInput): Omit<PlanStep, 'id'> {
  const [first, second] = input.series;
  const pair = first && second ? input.series.map((entry) => entry.name).join(' vs ') : input.topic;
  const names = input.series.map((entry) => entry.name).join(' ');
  const { from, to } = input.period;
  switch (theme) {
    case 'performance': {
      const tools: PlannedToolCall[] =
        first && second
          ? [{ name: 'compare', arguments: { symbols: input.series.map((entry) => entry.symbol), from, to } }]
          : first
            ? [{ name: 'performance', arguments: { symbol: first.symbol, from, to } }]
            : [];
      return { title: `Performance: ${pair}`, query: `${names} performance returns record rally ${input.period.label}`, tools };
    }
    case 'volatility':
      return {
        title: 'Volatility and drawdowns',
        query: `${input.topic} volatility pullback correction drawdown sell-off`,
        tools: input.series.map((entry) => ({ name: 'performance', arguments: { symbol: entry.symbol, from, to } })),
      };
    case 'valuation': {
      const tools: PlannedToolCall[] = (input.context.valuations ?? []).map((found) => ({
        name: 'valuation_gap',
        arguments: { a: { label: `${found.a.name} P/E`, value: found.a.value }, b: { label: `${found.b.name} P/E`, value: found.b.value } },
      }));
      return { title: `Valuation: ${pair} multiples`, query: `${names} forward P/E valuation multiple discount premium loss-making companies`, tools };
    }
    case 'earnings':
      return { title: 'Earnings and profitability', query: `${input.topic} earnings growth forecast profitability unprofitable companies`, tools: [] };
    case 'rates':
      return { title: 'Rates and the Fed', query: `Federal Reserve rate cuts interest rates ${input.topic} floating-rate debt borrowing costs`, tools: [] };
    case 'drivers':
      return { title: 'Drivers and flows', query: `${input.topic} rally drivers rotation fund flows catalysts`, tools: [] };
    case 'risks':
      return { title: 'Risks and opportunities', query: `${input.topic} risks headwinds could fade reverse upside opportunities`, tools: [] };
    case 'topic':
      return { title: 'What the articles say', query: input.question.slice(0, 500), tools: [] };
  }
}

/** The theme a step serves, read from its title and query (edited and added steps included). */
export function inferTheme(step: Pick<PlanStep, 'title' | 'query' | 'tools'>): Theme {
  const title = step.title.toLowerCase();
  const text = `${step.title} ${step.query}`;
  if (/\brisks?\b|opportunit|headwind/.test(title)) return 'risks';
  if (step.tools.some((call) => call.name === 'valuation_gap')) return 'valuation';
  for (const [theme, cue] of THEME_CUES) if (cue.test(title)) return theme;
  if (/\bperform|\breturn|\brall(?:y|ies)\b|\bcompar/.test(title) || step.tools.some((call) => call.name === 'compare')) return 'performance';
  for (const [theme, cue] of THEME_CUES) if (cue.test(text)) return theme;
  if (/\brisks?\b/i.test(text)) return 'risks';
  return 'topic';
}

function shiftDate(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
