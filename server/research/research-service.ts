import type { KnowledgeStore } from '../../kb/store.ts';
import { hasCjk } from '../../kb/tokenize.ts';
import type { Embedder } from '../../ingest/embed/embedder.ts';
import { AppError, isAppError } from '../../lib/errors.ts';
import type { Citation, Source } from '../chat/types.ts';
import { renderPrompt, type PromptLibrary } from '../prompts.ts';
import { analyzeQuery } from '../retrieval/query-understanding.ts';
import type { ToolRegistry } from '../tools/registry.ts';
import type { ToolContext } from '../tools/types.ts';
import { createPriceSentences } from '../chat/offline/price-sentences.ts';
import { composeOfflineReport, describeConflict, REPORT_HEADINGS, REQUIRED_HEADINGS } from './compose-report.ts';
import { detectConflicts, type FigureConflict } from './conflicts.ts';
import { finishReport } from './finish-report.ts';
import { createPromptEchoGuard, sanitizeDraft } from '../output/answer-policy.ts';
import { OUTPUT_DEFAULTS, sanitizeAnswer } from '../output/sanitize-answer.ts';
import { pickPlanSeries, planResearchOffline } from './offline-planner.ts';
import { createTokenBudget, OPENAI_RESEARCH_DEFAULTS } from './openai-client.ts';
import type { GenerativePlanner } from './openai-planner.ts';
import type { GenerativeWriter } from './openai-writer.ts';
import { createPlanValidator, type PlanStep, type PlanValidator } from './plan-schema.ts';
import { createPlanStore, type PlanStore, type StoredPlan } from './plan-store.ts';
import { gatherPlanningContext } from './planning-context.ts';
import { buildReportSources, type ReportSources } from './report-sources.ts';
import { buildReportTitle } from './report-title.ts';
import { describeFindings, runPlanSteps, RUN_DEFAULTS } from './run-steps.ts';
import type { PlanResponse, ResearchEvent, ResearchFindings, RunResponse } from './types.ts';

/**
 * Deep research: plan (generative with the offline plan as fallback, or offline), let the user
 * edit, run the steps, write the report (generative with the offline composer as fallback), check
 * it like a chat answer, and number the references in code. Every stage reports progress.
 */
export const RESEARCH_DEFAULTS = {
  maxSteps: RUN_DEFAULTS.maxSteps,
  /** Steps of one run must finish within this; the report is written from what ran by then. */
  timeMs: RUN_DEFAULTS.timeMs,
  /** Planning (context search and the model) must finish within this. */
  planTimeMs: 60_000,
  /** Characters per streamed `token` event of the finished report. */
  tokenChars: 48,
  tokenBudget: OPENAI_RESEARCH_DEFAULTS.tokenBudget,
};

export interface ResearchServiceDeps {
  kb: KnowledgeStore;
  embedder: Embedder;
  registry: ToolRegistry;
  toolContext: () => Omit<ToolContext, 'signal'>;
  prompts: PromptLibrary;
  today: () => string;
  /** Set when a language model is configured: it plans and writes; the offline engine stands in on failure. */
  generative?: { planner: GenerativePlanner; writer: GenerativeWriter };
  store?: PlanStore;
  validator?: PlanValidator;
  now?: () => number;
  limits?: Partial<typeof RESEARCH_DEFAULTS>;
  log?: (entry: Record<string, unknown>) => void;
}

export type RunRequest = { planId: string; steps?: unknown } | { question: string; autoAccept: true };

export type PreparedRun = { kind: 'plan'; plan: StoredPlan; steps: PlanStep[] } | { kind: 'question'; question: string };

export interface ResearchService {
  plan(question: string, options: { signal: AbortSignal }): Promise<PlanResponse>;
  /** Checks a run request before anything streams: unknown plan → not_found, invalid edited steps → bad_request. */
  prepareRun(request: RunRequest): PreparedRun;
  run(prepared: PreparedRun, options: { signal: AbortSignal; onEvent?: (event: ResearchEvent) => void }): Promise<RunResponse>;
}

export function createResearchService(deps: ResearchServiceDeps): ResearchService {
  const echoGuard = createPromptEchoGuard(deps.prompts);
  const limits = { ...RESEARCH_DEFAULTS, ...deps.limits };
  const now = deps.now ?? Date.now;
  const store = deps.store ?? createPlanStore({ now });
  const validator = deps.validator ?? createPlanValidator();

  async function makePlan(
    question: string,
    signal: AbortSignal,
    budget = createTokenBudget(limits.tokenBudget),
  ): Promise<{ plan: StoredPlan; fallback?: RunResponse['fallback'] }> {
    const today = deps.today();
    const planSignal = AbortSignal.any([signal, AbortSignal.timeout(limits.planTimeMs)]);
    const context = await gatherPlanningContext({ kb: deps.kb, embedder: deps.embedder, prices: deps.toolContext().prices }, question, today, planSignal);
    const draft = planResearchOffline(question, context);
    let steps = draft.steps;
    let mode: StoredPlan['mode'] = 'offline';
    let promptId: string | undefined;
    let fallback: RunResponse['fallback'];
    const notes = [...draft.notes];
    if (deps.generative) {
      try {
        const generated = await deps.generative.planner.plan({ question, context, draft, signal: planSignal, budget });
        steps = generated.steps;
        mode = 'openai';
        promptId = generated.promptId;
        if (generated.attempts > 1) notes.push("The language model's first plan failed validation; this is its corrected plan.");
      } catch (error) {
        if (signal.aborted) throw cancelled();
        const reason = isAppError(error) ? error.message : 'the language model could not plan';
        fallback = { from: 'openai', stage: 'plan', reason };
        notes.push(`The language model could not plan this question (${reason}); this is the offline plan.`);
        deps.log?.({ event: 'research.plan.fallback', reason });
      }
    }
    const plan = store.save({ question, steps, mode, notes, ...(promptId ? { promptId } : {}) });
    return { plan, ...(fallback ? { fallback } : {}) };
  }

  return {
    async plan(question, options) {
      const { plan } = await makePlan(question, options.signal);
      return toPlanResponse(plan);
    },

    prepareRun(request) {
      if ('question' in request) return { kind: 'question', question: request.question };
      const plan = store.get(request.planId);
      if (!plan) throw new AppError('not_found', `No research plan "${request.planId}": it never existed or expired. Ask for a new plan.`);
      if (request.steps === undefined) return { kind: 'plan', plan, steps: plan.steps };
      const validation = validator.validate(request.steps);
      if (!validation.ok)
        throw new AppError('bad_request', `The edited plan is invalid: ${validation.errors.join('; ')}`, { details: { errors: validation.errors } });
      return { kind: 'plan', plan, steps: validation.steps };
    },

    async run(prepared, options) {
      const signal = options.signal;
      const emit = (event: ResearchEvent) => {
        if (!signal.aborted) options.onEvent?.(event);
      };
      const budget = createTokenBudget(limits.tokenBudget);
      let fallback: RunResponse['fallback'];
      let plan: StoredPlan;
      let steps: PlanStep[];
      if (prepared.kind === 'question') {
        const made = await makePlan(prepared.question, signal, budget);
        plan = made.plan;
        steps = plan.steps;
        fallback = made.fallback;
      } else {
        plan = prepared.plan;
        steps = prepared.steps;
      }
      if (signal.aborted) throw cancelled();
      const edited = steps !== plan.steps;
      emit({ type: 'plan', plan: { ...toPlanResponse(plan), steps, ...(edited ? { notes: [...plan.notes, 'Running the edited plan.'] } : {}) } });

      const today = deps.today();
      const findings = await runPlanSteps(
        steps,
        { kb: deps.kb, embedder: deps.embedder, registry: deps.registry, toolContext: deps.toolContext, now },
        {
          today,
          signal,
          deadline: now() + limits.timeMs,
          maxSteps: limits.maxSteps,
          emit,
        },
      );
      if (signal.aborted) throw cancelled();

      const report = buildReportSources(findings.sources);
      const focus = pickPlanSeries(analyzeQuery(plan.question, today)).series.map((entry) => entry.entityId);
      const conflicts = detectConflicts(report.sources, focus);
      const language = hasCjk(plan.question) ? 'zh' : 'en';
      const offlineDraft = composeOfflineReport({ findings, report, conflicts, prices: createPriceSentences(deps.prompts, 'en') });
      let draft = offlineDraft;
      let mode: RunResponse['mode'] = 'offline';
      const promptIds = plan.promptId ? [plan.promptId] : [];
      const notes: string[] = [];
      if (deps.generative) {
        emit({ type: 'progress', stage: 'writing', message: 'Writing the report from the findings.' });
        try {
          const written = await deps.generative.writer.write({ question: plan.question, today, language, findings, report, conflicts, signal, budget });
          draft = completeDraft(written.draft, offlineDraft, conflicts);
          mode = 'openai';
          promptIds.push(written.promptId);
          if (written.truncated) notes.push('The report reached its length budget; sections it did not reach were composed offline.');
        } catch (error) {
          if (signal.aborted) throw cancelled();
          const reason = isAppError(error) ? error.message : 'the language model could not write the report';
          fallback = { from: 'openai', stage: 'write', reason };
          notes.push('The language model was unavailable, so this report was composed offline from the findings.');
          deps.log?.({ event: 'research.write.fallback', reason });
        }
      }
      emit({ type: 'progress', stage: 'checking', message: 'Checking every figure against its sources and numbering the references.' });
      const skipped = findings.steps.filter((step) => step.status === 'skipped');
      if (skipped.length > 0)
        notes.push(
          `${skipped.length === 1 ? 'One step was' : 'Some steps were'} not run: ${skipped.map((step) => `“${step.title}” (${step.reason})`).join('; ')}.`,
        );
      // The output layer, as for chat: whichever engine wrote the draft, no images, HTML or foreign links reach the report.
      const output = sanitizeDraft(draft, report.sources, { maxChars: OUTPUT_DEFAULTS.reportChars, echoGuard });
      if (output.removed.length > 0) deps.log?.({ event: 'research.output.filtered', mode, removed: output.removed });
      const { report: finished, grounding } = finishReport({
        title: sanitizeAnswer(buildReportTitle(plan.question, steps, findings), { allowedUrls: new Set(), maxChars: 300 }).text,
        draft: output.text,
        sources: report.sources,
        notes,
        disclaimer: renderPrompt(deps.prompts, `disclaimer.${language}`),
      });
      for (let index = 0; index < finished.markdown.length; index += limits.tokenChars)
        emit({ type: 'token', text: finished.markdown.slice(index, index + limits.tokenChars) });

      const numberOf = (reportSource: number) => citationNumber(report.sources[reportSource]!, finished.citations);
      const response: RunResponse = {
        planId: plan.planId,
        question: plan.question,
        mode,
        steps: steps.map((step, index) => {
          const finding = findings.steps[index]!;
          return {
            ...step,
            status: finding.status,
            ...(finding.reason ? { reason: finding.reason } : {}),
            findings: { ...describeFindings(finding, findings.sources), citations: stepCitations(finding, report, numberOf) },
          };
        }),
        report: finished,
        grounding,
        toolCalls: findings.toolCalls,
        conflicts: conflicts.map((conflict) => describeConflictForApi(conflict, numberOf)),
        notes: [...plan.notes, ...(edited ? ['Running the edited plan.'] : []), ...notes],
        ...(fallback ? { fallback } : {}),
        ...(promptIds.length > 0 ? { promptIds } : {}),
      };
      deps.log?.({
        event: 'research.run',
        mode,
        steps: steps.length,
        citations: finished.citations.length,
        figures: grounding.figures,
        grounded: grounding.grounded,
      });
      return response;
    },
  };
}

function toPlanResponse(plan: StoredPlan): PlanResponse {
  return {
    planId: plan.planId,
    question: plan.question,
    steps: plan.steps,
    mode: plan.mode,
    notes: plan.notes,
    expiresAt: new Date(plan.expiresAt).toISOString(),
    ...(plan.promptId ? { promptId: plan.promptId } : {}),
  };
}

/**
 * A generative draft must have the four sections; one it left out (or left empty) is taken from the offline
 * composition (the same source numbers), and detected conflicts are named even if the model did not.
 */
export function completeDraft(generated: string, offline: string, conflicts: FigureConflict[]): string {
  const mine = splitDraft(generated);
  const fallback = splitDraft(offline);
  const parts = REQUIRED_HEADINGS.map((heading) => {
    const section = mine.get(heading) || fallback.get(heading) || '';
    return `## ${heading}\n\n${section}`;
  });
  if (conflicts.length > 0 && !/conflict/i.test(generated)) {
    const index = REQUIRED_HEADINGS.indexOf(REPORT_HEADINGS.summary);
    parts[index] += `\n\n${conflicts.map((conflict) => describeConflict(conflict)).join('\n\n')}`;
  }
  return parts.join('\n\n');
}

function splitDraft(draft: string): Map<string, string> {
  const sections = new Map<string, string>();
  let heading: string | undefined;
  let lines: string[] = [];
  const flush = () => {
    if (heading !== undefined) sections.set(heading, lines.join('\n').trim());
  };
  for (const line of draft.split('\n')) {
    const match = /^##\s+(.+?)\s*$/.exec(line);
    if (match) {
      flush();
      heading = REQUIRED_HEADINGS.find((known) => known.toLowerCase() === match[1]!.replace(/[*_]/g, '').toLowerCase()) ?? match[1]!;
      lines = [];
    } else if (heading !== undefined) {
      lines.push(line);
    }
  }
  flush();
  return sections;
}

/** "Russell 2000 vs S&P 500: Is the small-cap rally sustainable?" — names from what was computed, never a figure. */
function citationNumber(source: Source, citations: Citation[]): number | undefined {
  const found = citations.find((citation) =>
    source.kind === 'article'
      ? citation.kind === 'article' && citation.articleId === source.article.id
      : citation.kind === 'data' && citation.tool === source.tool && JSON.stringify(citation.arguments) === JSON.stringify(source.arguments),
  );
  return found?.n;
}

function stepCitations(finding: ResearchFindings['steps'][number], report: ReportSources, numberOf: (reportSource: number) => number | undefined): number[] {
  const runSources = [
    ...finding.computations.map((item) => item.source),
    ...finding.sentences.map((item) => item.source),
    ...finding.passages.map((item) => item.source),
  ];
  const numbers = runSources.map((source) => numberOf(report.map[source]!)).filter((n): n is number => n !== undefined);
  return [...new Set(numbers)].sort((a, b) => a - b);
}

function describeConflictForApi(conflict: FigureConflict, numberOf: (reportSource: number) => number | undefined): RunResponse['conflicts'][number] {
  return {
    metric: conflict.metric,
    values: conflict.values.map((entry) => ({
      value: `${entry.value}x`,
      citations: [...new Set(entry.sources.map(numberOf).filter((n): n is number => n !== undefined))],
      ...(entry.basis ? { basis: entry.basis } : {}),
    })),
  };
}

function cancelled(): AppError {
  return new AppError('timeout', 'The research run was cancelled.');
}
