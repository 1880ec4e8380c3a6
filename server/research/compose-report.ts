import type { Source } from '../chat/types.ts';
import { extractFigures } from '../chat/figures.ts';
import type { PriceSentences } from '../chat/offline/price-sentences.ts';
import type { ToolResult } from '../tools/types.ts';
import type { FigureConflict } from './conflicts.ts';
import type { Theme } from './offline-planner.ts';
import type { ReportSources } from './report-sources.ts';
import type { ResearchFindings } from './types.ts';

/**
 * The offline report writer (pure): composes the seed analyses' sections from a run's findings,
 * every sentence drawn from a retrieved passage or a computation and marked `[n]` with its source
 * in the report's source list. Headings come from the plan; the code around it finalizes the
 * draft (figure grounding, numbering) and writes the References.
 */
export const REPORT_HEADINGS = {
  analysis: 'Integrated Analysis',
  insights: 'Key Insights',
  risks: 'Risks & Opportunities',
  summary: 'Key Information Summary',
  references: 'References',
} as const;

export const REQUIRED_HEADINGS = [REPORT_HEADINGS.analysis, REPORT_HEADINGS.insights, REPORT_HEADINGS.risks, REPORT_HEADINGS.summary];

export const COMPOSE_DEFAULTS = { risksPerSide: 4, insights: 7 };

const THEME_LABELS: Record<Theme, string> = {
  performance: 'Performance',
  volatility: 'Volatility',
  valuation: 'Valuation',
  earnings: 'Earnings',
  rates: 'Rates',
  drivers: 'Drivers',
  risks: 'Risks',
  topic: 'Context',
};

const RISK_WORDS =
  /\b(?:risks?|headwinds?|vulnerab\w*|caution\w*|warn\w*|unprofitable|zombie|stretched|expensive|downside|could (?:stall|fade|reverse|falter|slow)|hawkish|concentrat\w*|sell-?off|correction|disappoint\w*|fragil\w*|pressure)\b/i;
const OPPORTUNITY_WORDS =
  /\b(?:opportunit\w*|upside|tailwinds?|catalysts?|targets?|cheap\w*|undervalued|benefit\w*|accelerat\w*|boost\w*|room to|re-?rat\w*|broaden\w*|discount)\b/i;

export interface ComposeInput {
  findings: ResearchFindings;
  report: ReportSources;
  conflicts: FigureConflict[];
  /** Price computations in words: the templates the chat answers with (prompts/price-*.md). */
  prices: PriceSentences;
}

/**
 * A table passage renders each row beside its column labels ("Revenue | 2025: 1,204 | 2024: …");
 * a sentence cut from it reads as a fragment in prose, so the report leaves it to the computations
 * and the Key Information Summary, which state figures in full.
 */
function isTableRendering(text: string): boolean {
  return /\s\|\s/.test(text);
}

export function composeOfflineReport(input: ComposeInput, defaults = COMPOSE_DEFAULTS): string {
  const { report } = input;
  const findings: ResearchFindings = {
    ...input.findings,
    steps: input.findings.steps.map((step) => ({ ...step, sentences: step.sentences.filter((sentence) => !isTableRendering(sentence.text)) })),
  };
  const n = (runSource: number) => report.map[runSource]!;
  const sections: string[] = [];

  // Integrated Analysis: one theme per step, in the plan's order.
  const analysis: string[] = [`## ${REPORT_HEADINGS.analysis}`];
  const valuationStep = findings.steps.find((step) => step.theme === 'valuation' && step.status === 'done');
  for (const step of findings.steps) {
    if (step.theme === 'risks' && step.computations.length === 0 && step.status === 'done') continue;
    // A step that found nothing, or did not run, gets no heading of its own: the summary's "Gaps"
    // line and the run's notes name it, so no section of the report is a placeholder.
    const found = step.computations.length + step.sentences.length + step.errors.length > 0 || (step === valuationStep && input.conflicts.length > 0);
    if (!found) continue;
    analysis.push(`### ${step.title}`);
    const parts: string[] = [];
    const computed = step.computations
      .map((computation) => describeComputation(report.sources[n(computation.source)]!, n(computation.source), input.prices))
      .filter(Boolean);
    if (computed.length > 0) parts.push(computed.join(' '));
    if (step === valuationStep) parts.push(...input.conflicts.map((conflict) => describeConflict(conflict)));
    if (step.sentences.length > 0) parts.push(step.sentences.map((sentence) => cite(sentence.text, n(sentence.source))).join(' '));
    for (const error of step.errors)
      parts.push(`_${error.tool ? `${error.tool} could not be computed` : 'The search failed'}: ${stripTrailingStop(error.message)}._`);
    analysis.push(...parts);
  }
  if (!valuationStep && input.conflicts.length > 0) analysis.push(`### Conflicting figures`, ...input.conflicts.map((conflict) => describeConflict(conflict)));
  sections.push(analysis.join('\n\n'));

  sections.push([`## ${REPORT_HEADINGS.insights}`, composeInsights(findings, report, input.conflicts, defaults).join('\n')].join('\n\n'));
  sections.push([`## ${REPORT_HEADINGS.risks}`, ...composeRisks(findings, report, defaults)].join('\n\n'));
  sections.push([`## ${REPORT_HEADINGS.summary}`, ...composeSummary(findings, report, input.conflicts)].join('\n\n'));
  return sections.join('\n\n');
}

function composeInsights(findings: ResearchFindings, report: ReportSources, conflicts: FigureConflict[], defaults: typeof COMPOSE_DEFAULTS): string[] {
  const bullets: string[] = [];
  for (const step of findings.steps) {
    if (step.status !== 'done' || step.theme === 'risks') continue;
    const label = extractFigures(step.title).length === 0 ? step.title : THEME_LABELS[step.theme];
    const computation = step.computations[0];
    const contrast = step.theme === 'volatility' ? contrastVolatility(findings, report) : undefined;
    if (contrast) {
      bullets.push(`- **${label}.** ${contrast}`);
    } else if (computation) {
      const first = splitSummary(report.sources[report.map[computation.source]!]!)[0];
      if (first) bullets.push(`- **${label}.** ${cite(first, report.map[computation.source]!)}`);
    } else if (step.sentences[0]) {
      bullets.push(`- **${label}.** ${cite(step.sentences[0].text, report.map[step.sentences[0].source]!)}`);
    }
  }
  for (const conflict of conflicts) {
    const low = conflict.values[0]!;
    const high = conflict.values.at(-1)!;
    const why = low.basis || high.basis ? ', depending on whether loss-making companies are counted' : '; the sources use different measures';
    bullets.push(
      `- **Conflicting figures.** Sources put the ${conflict.metric} anywhere from ${low.value}x ${markers(low.sources)} to ${high.value}x ${markers(high.sources)}${why}.`,
    );
  }
  return bullets.slice(0, defaults.insights + conflicts.length);
}

function composeRisks(findings: ResearchFindings, report: ReportSources, defaults: typeof COMPOSE_DEFAULTS): string[] {
  const risks: string[] = [];
  const opportunities: string[] = [];
  const seen = new Set<string>();
  const place = (text: string, source: number) => {
    if (seen.has(text)) return;
    const risk = RISK_WORDS.test(text);
    const opportunity = OPPORTUNITY_WORDS.test(text);
    if (risk && (!opportunity || risks.length <= opportunities.length) && risks.length < defaults.risksPerSide) risks.push(`- ${cite(text, source)}`);
    else if (opportunity && opportunities.length < defaults.risksPerSide) opportunities.push(`- ${cite(text, source)}`);
    else return;
    seen.add(text);
  };

  // Measured risk first: which series swung more over the same sessions.
  const contrast = contrastVolatility(findings, report);
  if (contrast) risks.push(`- ${contrast}`);
  const riskSteps = findings.steps.filter((step) => step.theme === 'risks');
  const others = findings.steps.filter((step) => step.theme !== 'risks');
  for (const step of [...riskSteps, ...others]) for (const sentence of step.sentences) place(sentence.text, report.map[sentence.source]!);
  // A risk step's sentences that carry no cue still belong here: the step searched for risks.
  for (const step of riskSteps) {
    for (const sentence of step.sentences) {
      if (seen.has(sentence.text) || risks.length >= defaults.risksPerSide) continue;
      risks.push(`- ${cite(sentence.text, report.map[sentence.source]!)}`);
      seen.add(sentence.text);
    }
  }
  return [
    // A heading with nothing under it is left out rather than filled with "none found"; a section
    // left empty is dropped when the report is finished.
    ...(risks.length > 0 ? ['**Risks**', risks.join('\n')] : []),
    ...(opportunities.length > 0 ? ['**Opportunities**', opportunities.join('\n')] : []),
  ];
}

/** "The Russell 2000 moved more day to day than the S&P 500 …", from two performance computations. */
function contrastVolatility(findings: ResearchFindings, report: ReportSources): string | undefined {
  const measured = findings.steps
    .flatMap((step) => step.computations)
    .filter((computation) => computation.tool === 'performance')
    .map((computation) => ({
      n: report.map[computation.source]!,
      result: (report.sources[report.map[computation.source]!] as Extract<Source, { kind: 'data' }>).result,
    }))
    .filter(({ result }) => typeof result.daily_volatility_pct === 'number');
  if (measured.length < 2) return undefined;
  const [a, b] = measured as [(typeof measured)[0], (typeof measured)[0]];
  const [higher, lower] = (a.result.daily_volatility_pct as number) >= (b.result.daily_volatility_pct as number) ? [a, b] : [b, a];
  return `The ${String(higher.result.name)} moved more day to day than the ${String(lower.result.name)} over the same sessions: daily volatility of ${(higher.result.daily_volatility_pct as number).toFixed(2)}% [${higher.n}] against ${(lower.result.daily_volatility_pct as number).toFixed(2)}% [${lower.n}].`;
}

function composeSummary(findings: ResearchFindings, report: ReportSources, conflicts: FigureConflict[]): string[] {
  const rows: string[] = [];
  const seen = new Set<string>();
  for (const step of findings.steps) {
    for (const computation of step.computations) {
      const index = report.map[computation.source]!;
      // A return already listed (by a comparison over the same sessions) is not listed twice.
      for (const row of summaryRows(report.sources[index] as Extract<Source, { kind: 'data' }>, index)) {
        const key = row.replace(/\[\d+\]/g, '');
        if (seen.has(key)) continue;
        seen.add(key);
        rows.push(row);
      }
    }
  }
  for (const conflict of conflicts) {
    for (const entry of conflict.values) {
      rows.push(`| ${conflict.metric}${entry.basis ? ` (${describeBasis(entry.basis)})` : ''} | ${entry.value}x | ${markers(entry.sources)} |`);
    }
  }
  const parts: string[] = [];
  if (rows.length > 0) parts.push(['| Measure | Figure | Source |', '| --- | --- | --- |', ...rows].join('\n'));
  for (const conflict of conflicts) {
    parts.push(
      `**Conflict:** the ${conflict.metric} differs across sources (${conflict.values.map((entry) => `${entry.value}x ${markers(entry.sources)}`).join(', ')}); the figures are shown side by side rather than reconciled.`,
    );
  }
  const gaps = findings.steps.filter((step) => step.status === 'skipped' || (step.sentences.length === 0 && step.computations.length === 0));
  if (gaps.length > 0) parts.push(`Gaps: ${gaps.map((step) => `“${step.title}” (${step.status === 'skipped' ? 'not run' : 'nothing found'})`).join('; ')}.`);
  return parts;
}

function summaryRows(source: Extract<Source, { kind: 'data' }>, n: number): string[] {
  const result = source.result as ToolResult & Record<string, any>;
  const span = result.provenance.sessions ? `${result.provenance.sessions.from} to ${result.provenance.sessions.to}` : '';
  if (source.tool === 'compare') {
    const rows = (result.performance as { name: string; return_pct: number; daily_volatility_pct: number | null }[]).map(
      (entry) => `| ${entry.name} return, ${span} | ${signed(entry.return_pct)}% | [${n}] |`,
    );
    const daily = result.daily as { a: string; b: string; sessions_compared: number; sessions_a_beat_b: number };
    for (const relative of result.relative as { a: string; b: string; pp: number }[])
      rows.push(`| ${relative.a} minus ${relative.b} | ${signed(relative.pp)} percentage points | [${n}] |`);
    rows.push(`| Sessions ${daily.a} beat ${daily.b} | ${daily.sessions_a_beat_b} of ${daily.sessions_compared} | [${n}] |`);
    return rows;
  }
  if (source.tool === 'performance') {
    const rows = [`| ${result.name} return, ${span} | ${signed(result.return_pct)}% | [${n}] |`];
    if (typeof result.daily_volatility_pct === 'number') rows.push(`| ${result.name} daily volatility | ${result.daily_volatility_pct.toFixed(2)}% | [${n}] |`);
    if (typeof result.max_drawdown_pct === 'number')
      rows.push(`| ${result.name} largest drawdown | ${Math.abs(result.max_drawdown_pct).toFixed(2)}% | [${n}] |`);
    return rows;
  }
  if (source.tool === 'valuation_gap') {
    const a = result.a as { label: string; value: number };
    const b = result.b as { label: string; value: number };
    return [
      `| ${a.label} vs ${b.label} | ${a.value} vs ${b.value}: ${Math.abs(result.premium_pct).toFixed(2)}% ${result.premium_pct >= 0 ? 'premium' : 'discount'} | [${n}] |`,
    ];
  }
  return [`| ${source.tool} | ${escapeCell(result.summary)} | [${n}] |`];
}

/** Computation results as report sentences, every sentence marked with the computation. */
function describeComputation(source: Source, n: number, prices: PriceSentences): string {
  if (source.kind !== 'data') return '';
  const priced = describePrice(source, n, prices);
  const sentences = priced ? [priced] : splitSummary(source).map((sentence) => cite(sentence, n));
  return sentences.join(' ');
}

/** A conflict named as such, its values side by side with their sources; the reason when the passages give one. */
export function describeConflict(conflict: FigureConflict): string {
  const values = conflict.values.map((entry) => `${entry.value}x ${markers(entry.sources)}${entry.basis ? ` (${describeBasis(entry.basis)})` : ''}`);
  const lead = `**Conflicting figures: ${conflict.metric}.** The sources do not agree, and this report does not pick one: ${joinList(values)}.`;
  const without = conflict.values.find((entry) => entry.basis === 'profitable-only');
  const withLosses = conflict.values.find((entry) => entry.basis === 'includes-loss-makers');
  const reading =
    without && withLosses
      ? `Where a source says which companies it counts, the reading without loss-making members (${without.value}x ${markers(without.sources)}) sits below the one that keeps them (${withLosses.value}x ${markers(withLosses.sources)}), so both can be right at once.`
      : 'The passages do not all say which companies or which earnings year each figure uses, so read them as different measures rather than one number.';
  const explanation = conflict.explanation ? ` ${cite(conflict.explanation.text, conflict.explanation.source)}` : '';
  return `${lead} ${reading}${explanation}`;
}

function describeBasis(basis: string): string {
  return basis === 'includes-loss-makers' ? 'loss-making companies included' : 'profitable companies only';
}

/** A price tool's result in the chat's own words (led by the answer: a spread, a return); other tools say their summary. */
function describePrice(source: Extract<Source, { kind: 'data' }>, n: number, prices: PriceSentences): string | undefined {
  switch (source.tool) {
    case 'compare':
      return prices.describeCompare(source.result, n);
    case 'performance':
      return prices.describePerformance(source.result, n);
    case 'ytd':
      return prices.describeYtd(source.result, n);
    case 'moving_average':
      return prices.describeMovingAverage(source.result, n);
    case 'range_52w':
      return prices.describeRange(source.result, n);
    default:
      return undefined;
  }
}

/** Tool summaries hold several sentences; each is marked so each is grounded on its own. */
function splitSummary(source: Source): string[] {
  if (source.kind !== 'data') return [];
  return source.result.summary
    .split(/(?<=[.!?])\s+(?=[A-Z(])/)
    .map((sentence) => sentence.trim())
    .filter(Boolean);
}

/** Puts the marker before the sentence's closing punctuation: "… rose 2% [3]." */
export function cite(sentence: string, n: number): string {
  const match = /^(.*?)([.!?。！？]*)$/s.exec(sentence.trim())!;
  return `${match[1]} [${n}]${match[2] || '.'}`;
}

function markers(sources: number[]): string {
  return sources
    .slice(0, 3)
    .map((source) => `[${source}]`)
    .join('');
}

function joinList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(2)}`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '/').replace(/\n/g, ' ');
}

function stripTrailingStop(text: string): string {
  return text.replace(/[.!?]+$/, '');
}
