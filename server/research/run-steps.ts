import type { KnowledgeStore } from '../../kb/store.ts';
import type { Embedder } from '../../ingest/embed/embedder.ts';
import { AppError, isAppError } from '../../lib/errors.ts';
import type { Source } from '../chat/types.ts';
import { searchKnowledgeBase, SEARCH_DEFAULTS, type SearchHit } from '../retrieval/hybrid-search.ts';
import type { ToolRegistry } from '../tools/registry.ts';
import type { ToolContext } from '../tools/types.ts';
import { inferTheme } from './offline-planner.ts';
import type { PlanStep } from './plan-schema.ts';
import { normalizeSentence, selectSentences } from './select-sentences.ts';
import type { PublicFindings, ResearchEvent, ResearchFindings, StepFinding } from './types.ts';
import { sanitizeAnswer } from '../output/sanitize-answer.ts';

/**
 * Runs a plan's steps in order: each searches its query and runs its tools, and keeps what it
 * found with the sources it came from. Bounded by a step limit and a deadline; the client's signal
 * cancels the run. A failing tool or search is recorded in the step's findings and the run goes on;
 * a step the limits cut off is reported as skipped, never left silent.
 */
export const RUN_DEFAULTS = {
  k: 6,
  sentencesPerStep: 4,
  maxSteps: 8,
  /** Articles up to this many days after a measured period still describe it. */
  periodSlackDays: 45,
  /** Steps must finish within this; what ran by then is written up. */
  timeMs: 120_000,
};

export interface RunStepsDeps {
  kb: KnowledgeStore;
  embedder: Embedder;
  registry: ToolRegistry;
  toolContext: () => Omit<ToolContext, 'signal'>;
  /** Milliseconds clock, injected so tests can run out the time limit without waiting. */
  now: () => number;
}

export interface RunStepsOptions {
  today: string;
  /** The client's signal: aborting it cancels the run. */
  signal: AbortSignal;
  /** `now()` value after which no step starts, and a running one is cut short. */
  deadline: number;
  maxSteps: number;
  emit: (event: ResearchEvent) => void;
  tuning?: Partial<Pick<typeof RUN_DEFAULTS, 'k' | 'sentencesPerStep' | 'periodSlackDays'>>;
}

export async function runPlanSteps(steps: PlanStep[], deps: RunStepsDeps, options: RunStepsOptions): Promise<ResearchFindings> {
  const tuning = { ...RUN_DEFAULTS, ...options.tuning };
  const findings: ResearchFindings = { steps: [], sources: [], toolCalls: [] };
  const used = new Set<string>();
  const addSource = (source: Source): number => {
    const existing = findings.sources.findIndex((candidate) => sameSource(candidate, source));
    if (existing >= 0) return existing;
    return findings.sources.push(source) - 1;
  };

  for (const [index, step] of steps.entries()) {
    throwIfCancelled(options.signal);
    const finding: StepFinding = {
      stepId: step.id,
      title: step.title,
      query: step.query,
      theme: inferTheme(step),
      status: 'done',
      relevance: 'none',
      passages: [],
      sentences: [],
      computations: [],
      errors: [],
    };
    findings.steps.push(finding);
    const remaining = options.deadline - deps.now();
    if (index >= options.maxSteps || remaining <= 0) {
      finding.status = 'skipped';
      finding.reason = index >= options.maxSteps ? `step limit (${options.maxSteps}) reached` : 'time limit reached before this step';
      options.emit({ type: 'step', id: step.id, title: step.title, status: 'skipped', reason: finding.reason });
      continue;
    }
    options.emit({ type: 'step', id: step.id, title: step.title, status: 'started' });
    const timer = new AbortController();
    const timeout = setTimeout(() => timer.abort(), remaining);
    const signal = AbortSignal.any([options.signal, timer.signal]);
    try {
      for (const call of step.tools) {
        signal.throwIfAborted();
        try {
          const result = await deps.registry.run(call.name, call.arguments, { ...deps.toolContext(), signal });
          const source = addSource({ kind: 'data', tool: call.name, arguments: call.arguments, result });
          finding.computations.push({ source, tool: call.name, arguments: call.arguments, summary: result.summary });
          findings.toolCalls.push({ stepId: step.id, name: call.name, arguments: call.arguments, result });
          options.emit({ type: 'tool', stepId: step.id, name: call.name, arguments: call.arguments, result });
        } catch (error) {
          if (signal.aborted) throw error;
          const failure = {
            code: isAppError(error) ? error.code : 'internal',
            message: isAppError(error) ? error.message : `${call.name} failed unexpectedly`,
          };
          finding.errors.push({ tool: call.name, ...failure });
          findings.toolCalls.push({ stepId: step.id, name: call.name, arguments: call.arguments, result: null, error: failure });
          options.emit({ type: 'tool', stepId: step.id, name: call.name, arguments: call.arguments, result: { error: failure } });
        }
      }

      // A step that measures a period reads articles written during it (and shortly after) first.
      const period = measuredPeriod(step);
      let search = period
        ? await searchKnowledgeBase(deps.kb, deps.embedder, {
            query: step.query,
            k: tuning.k,
            today: options.today,
            signal,
            filters: { from: period.from, to: addDays(period.to, tuning.periodSlackDays) },
          })
        : undefined;
      if (!search || search.relevance === 'none')
        search = await searchKnowledgeBase(deps.kb, deps.embedder, { query: step.query, k: tuning.k, today: options.today, signal });
      finding.relevance = search.relevance;
      // As in chat: the top hit decides relevance; supporting passages need only a share of the threshold.
      const hits: SearchHit[] = search.relevance === 'none' ? [] : search.hits.filter((hit) => hit.score >= 0.6 * SEARCH_DEFAULTS.noneThreshold);
      for (const hit of hits) finding.passages.push({ source: addSource(toArticleSource(hit)), score: round(hit.score) });
      const selected = await selectSentences({
        kb: deps.kb,
        embedder: deps.embedder,
        query: step.query,
        today: options.today,
        theme: finding.theme,
        hits,
        limit: tuning.sentencesPerStep,
        used,
        signal,
      });
      for (const sentence of selected) {
        used.add(normalizeSentence(sentence.text));
        finding.sentences.push({ text: sentence.text, source: addSource(toArticleSource(sentence.hit)), score: sentence.score });
      }
    } catch (error) {
      throwIfCancelled(options.signal);
      if (timer.signal.aborted) finding.reason = 'time limit reached during this step; findings are partial';
      else finding.errors.push({ code: isAppError(error) ? error.code : 'internal', message: isAppError(error) ? error.message : 'the search failed' });
    } finally {
      clearTimeout(timeout);
    }
    options.emit({
      type: 'step',
      id: step.id,
      title: step.title,
      status: 'done',
      ...(finding.reason ? { reason: finding.reason } : {}),
      findings: describeFindings(finding, findings.sources),
    });
  }
  return findings;
}

/** A step's findings by article, passage and computation, as the API and events show them. */
/** Longer than any sentence the selector keeps (70 words); a bound, not a cut. */
const FINDING_SENTENCE_CHARS = 2_000;

export function describeFindings(finding: StepFinding, sources: Source[]): PublicFindings {
  const article = (index: number) => sources[index] as Extract<Source, { kind: 'article' }>;
  return {
    query: finding.query,
    relevance: finding.relevance,
    passages: finding.passages.map(({ source, score }) => {
      const { chunk, article: stored } = article(source);
      return { articleId: stored.id, chunkId: chunk.id, title: stored.title, ...(stored.published ? { published: stored.published } : {}), score };
    }),
    // Streamed to any client as the step's output: through the output layer like the report they
    // feed (a passage stored with markup in it keeps its words, not its images, HTML or links).
    sentences: finding.sentences.map(({ text, source }) => ({
      text: sanitizeAnswer(text, { allowedUrls: new Set(), maxChars: FINDING_SENTENCE_CHARS }).text,
      articleId: article(source).article.id,
      chunkId: article(source).chunk.id,
    })),
    computations: finding.computations.map(({ tool, arguments: args, summary }) => ({ tool, arguments: args, summary })),
    errors: finding.errors,
  };
}

/** The span a step's tools measure (earliest `from` to latest `to`), if any tool takes dates. */
export function measuredPeriod(step: PlanStep): { from: string; to: string } | undefined {
  const froms = step.tools
    .map((call) => call.arguments.from)
    .filter((value): value is string => typeof value === 'string')
    .sort();
  const tos = step.tools
    .map((call) => call.arguments.to)
    .filter((value): value is string => typeof value === 'string')
    .sort();
  if (froms.length === 0 || tos.length === 0) return undefined;
  return { from: froms[0]!, to: tos.at(-1)! };
}

function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new AppError('timeout', 'The research run was cancelled.');
}

function toArticleSource(hit: SearchHit): Source {
  return { kind: 'article', chunk: hit.chunk, article: hit.article, score: hit.score };
}

function sameSource(a: Source, b: Source): boolean {
  if (a.kind === 'article' && b.kind === 'article') return a.chunk.id === b.chunk.id;
  if (a.kind === 'data' && b.kind === 'data') return a.tool === b.tool && JSON.stringify(a.arguments) === JSON.stringify(b.arguments);
  return false;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
