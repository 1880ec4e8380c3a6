import type { Passage } from '../../kb/store.ts';
import type { StoredArticle } from '../../kb/types.ts';
import type { Relevance, SearchFilters } from '../retrieval/hybrid-search.ts';
import type { ToolResult } from '../tools/types.ts';

/** Something an answer may cite: a retrieved passage or a computed tool result. */
export type Source =
  | { kind: 'article'; chunk: Passage; article: StoredArticle; score: number }
  | { kind: 'data'; tool: string; arguments: unknown; result: ToolResult };

export interface ToolCallRecord {
  name: string;
  arguments: unknown;
  result: unknown;
  /** Set when the call failed; the error is shown to the model, not to the user as a fact. */
  error?: { code: string; message: string };
}

export interface Citation {
  n: number;
  kind: 'article' | 'data';
  articleId?: string;
  chunkId?: string;
  title: string;
  published?: string;
  url?: string;
  section?: string;
  /** 1-based page of a paged document (PDF) the cited passage comes from. */
  page?: number;
  /** The article's sentiment label and related tickers, as extracted at ingest. */
  sentiment?: string;
  tickers?: string[];
  /** The article belongs to the bundled sample corpus (shown as "sample article"). */
  sample?: boolean;
  snippet: string;
  /** For data citations: the tool, its arguments and the figures it computed. */
  tool?: string;
  arguments?: unknown;
  result?: unknown;
}

export interface Grounding {
  /** Figures found in the answer the engine produced. */
  figures: number;
  /** Of those, figures that a source cited by the same sentence contains. */
  grounded: number;
  /** Sentences removed because a figure in them was not in any source they cite. */
  removed: string[];
}

export interface ChatResponse {
  conversationId: string;
  mode: 'offline' | 'openai';
  answer: string;
  citations: Citation[];
  toolCalls: ToolCallRecord[];
  grounding: Grounding;
  relevance: Relevance;
  /** Two or three questions to ask next, built from what this answer found (server/chat/follow-ups.ts). */
  followUps: string[];
  /** The disclaimer that closes `answer`, so a client showing it once per conversation can strip it. */
  disclaimer: string;
  /** Set when the generative engine failed and the offline engine answered instead. */
  fallback?: { from: 'openai'; reason: string };
  promptId?: string;
}

export type ChatEvent =
  | { type: 'retrieval'; sources: { chunkId: string; articleId: string; title: string; score: number }[] }
  | { type: 'tool'; name: string; arguments: unknown; result: unknown }
  | { type: 'token'; text: string }
  | { type: 'done'; response: ChatResponse }
  | { type: 'error'; code: string; message: string };

export type EngineEvent = Extract<ChatEvent, { type: 'retrieval' | 'tool' | 'token' }>;

export interface ConversationTurn {
  question: string;
  answer: string;
  /** What the offline engine understood, so a follow-up can inherit entities and the period. */
  context?: TurnContext;
}

export interface TurnContext {
  symbols: string[];
  entityIds: string[];
  period?: { from: string; to: string; named?: boolean; startsAtClose?: boolean };
  asOf?: string;
  topic: string;
}

export interface EngineInput {
  question: string;
  history: ConversationTurn[];
  language: 'en' | 'zh';
  filters?: SearchFilters;
  today: string;
  signal: AbortSignal;
  emit: (event: EngineEvent) => void;
}

/** What an engine hands back before the server checks it: Markdown whose `[n]` index `sources`. */
export interface EngineDraft {
  text: string;
  sources: Source[];
  toolCalls: ToolCallRecord[];
  relevance: Relevance;
  context?: TurnContext;
  /** True when the engine streamed `token` events itself (the generative engine). */
  streamed?: boolean;
  promptId?: string;
}

export interface AnswerEngine {
  readonly mode: 'offline' | 'openai';
  answer(input: EngineInput): Promise<EngineDraft>;
}

/** How a source is named where it is cited: its title, and the page for a paged document ("10-K 2023, p. 47"). */
export function formatSourceLabel(title: string, page: number | undefined): string {
  return page === undefined ? title : `${title}, p. ${page}`;
}
