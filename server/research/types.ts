import type { Citation, Grounding, Source, ToolCallRecord } from '../chat/types.ts';
import type { Relevance } from '../retrieval/hybrid-search.ts';
import type { Theme } from './offline-planner.ts';
import type { PlanStep } from './plan-schema.ts';

/** What one step found, each item pointing into the run's source list. */
export interface StepFinding {
  stepId: string;
  title: string;
  query: string;
  theme: Theme;
  status: 'done' | 'skipped';
  /** Why a step was skipped or cut short (step limit, time limit). */
  reason?: string;
  relevance: Relevance;
  passages: { source: number; score: number }[];
  sentences: { text: string; source: number; score: number }[];
  computations: { source: number; tool: string; arguments: unknown; summary: string }[];
  errors: { tool?: string; code: string; message: string }[];
}

export interface ResearchFindings {
  steps: StepFinding[];
  /** Every passage retrieved (one per chunk) and every computation (one per tool and arguments). */
  sources: Source[];
  toolCalls: (ToolCallRecord & { stepId: string })[];
}

/** A step's findings as clients see them: articles and computations by id, not by internal index. */
export interface PublicFindings {
  query: string;
  relevance: Relevance;
  passages: { articleId: string; chunkId: string; title: string; published?: string; score: number }[];
  sentences: { text: string; articleId: string; chunkId: string }[];
  computations: { tool: string; arguments: unknown; summary: string }[];
  errors: { tool?: string; code: string; message: string }[];
  /** Reference numbers of the report that came from this step (set once the report is written). */
  citations?: number[];
}

export interface PlanResponse {
  planId: string;
  question: string;
  steps: PlanStep[];
  mode: 'offline' | 'openai';
  /** Why the plan looks as it does, and any fallback from the generative planner. */
  notes: string[];
  expiresAt: string;
  promptId?: string;
}

export interface ReportSection {
  heading: string;
  markdown: string;
}

export interface ResearchReport {
  title: string;
  markdown: string;
  sections: ReportSection[];
  citations: Citation[];
}

export interface RunResponse {
  planId: string;
  question: string;
  mode: 'offline' | 'openai';
  steps: (PlanStep & { status: StepFinding['status']; reason?: string; findings: PublicFindings })[];
  report: ResearchReport;
  grounding: Grounding;
  toolCalls: (ToolCallRecord & { stepId: string })[];
  /** Conflicting figures the report names (metric, values, reference numbers). */
  conflicts: { metric: string; values: { value: string; citations: number[]; basis?: string }[] }[];
  notes: string[];
  fallback?: { from: 'openai'; stage: 'plan' | 'write'; reason: string };
  promptIds?: string[];
}

export type ResearchEvent =
  | { type: 'plan'; plan: PlanResponse }
  | { type: 'step'; id: string; title: string; status: 'started' | 'done' | 'skipped'; reason?: string; findings?: PublicFindings }
  | { type: 'tool'; stepId: string; name: string; arguments: unknown; result: unknown }
  | { type: 'progress'; stage: 'writing' | 'checking'; message: string }
  | { type: 'token'; text: string }
  | { type: 'done'; response: RunResponse }
  | { type: 'error'; code: string; message: string };
