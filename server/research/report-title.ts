import { inferTheme, type Theme } from './offline-planner.ts';
import type { PlanStep } from './plan-schema.ts';
import type { ResearchFindings } from './types.ts';

/** How a theme reads in a title; the performance and risk steps every plan has go unnamed. */
const THEME_WORDS: Partial<Record<Theme, string>> = {
  volatility: 'volatility',
  valuation: 'valuation',
  earnings: 'earnings',
  rates: 'rates',
  drivers: 'drivers',
};

/**
 * A report's title, from its plan (pure): what was measured, which themes the steps covered and
 * over which period, e.g. "Russell 2000 vs S&P 500: valuation, earnings and rates, 2026-05-22 to
 * 2026-08-21". Without a series to measure, the question's own words lead.
 */
export function buildReportTitle(question: string, steps: Pick<PlanStep, 'title' | 'query' | 'tools'>[], findings: ResearchFindings): string {
  const measured = findings.steps
    .flatMap((step) => step.computations)
    .find((computation) => computation.tool === 'compare' || computation.tool === 'performance');
  const source = measured ? findings.sources[measured.source] : undefined;
  let subject: string | undefined;
  let period: string | undefined;
  if (source?.kind === 'data') {
    const performance = source.result.performance as { name: string }[] | undefined;
    subject = performance ? performance.map((entry) => entry.name).join(' vs ') : typeof source.result.name === 'string' ? source.result.name : undefined;
    const sessions = source.result.provenance.sessions;
    if (sessions) period = `${sessions.from} to ${sessions.to}`;
  }
  const themes = [...new Set(steps.map((step) => THEME_WORDS[inferTheme(step)]).filter((word): word is string => word !== undefined))];
  const covered = themes.length === 0 ? 'performance and risks' : themes.length === 1 ? themes[0]! : `${themes.slice(0, -1).join(', ')} and ${themes.at(-1)}`;
  if (!subject) {
    const topic = question
      .trim()
      .replace(/\s+/g, ' ')
      .replace(/[?？!！。.]+$/u, '');
    return topic.length <= 120 ? topic : `${topic.slice(0, 117)}…`;
  }
  return `${subject}: ${covered}${period ? `, ${period}` : ''}`;
}
