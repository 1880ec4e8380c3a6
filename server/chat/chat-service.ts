import { hasCjk } from '../../kb/tokenize.ts';
import { AppError, isAppError } from '../../lib/errors.ts';
import { renderPrompt, type PromptLibrary } from '../prompts.ts';
import type { SearchFilters } from '../retrieval/hybrid-search.ts';
import type { ConversationStore } from './conversations.ts';
import { finalizeAnswer } from './finalize-answer.ts';
import { createPromptEchoGuard, createSourceCounter, sanitizeDraft } from '../output/answer-policy.ts';
import { createStreamingSanitizer, OUTPUT_DEFAULTS } from '../output/sanitize-answer.ts';
import { buildFollowUps } from './follow-ups.ts';
import type { AnswerEngine, ChatEvent, ChatResponse, EngineDraft, EngineEvent } from './types.ts';

export const CHAT_DEFAULTS = {
  /** A whole answer, tools and retries included, must finish within this. */
  timeoutMs: 90_000,
  /** Characters per streamed `token` event when the answer is composed at once (offline engine). */
  tokenChars: 24,
};

export interface ChatRequest {
  message: string;
  conversationId?: string;
  filters?: SearchFilters;
}

export interface ChatServiceDeps {
  /** The generative engine when a key is configured, else undefined. */
  primary?: AnswerEngine;
  offline: AnswerEngine;
  conversations: ConversationStore;
  prompts: PromptLibrary;
  today: () => string;
  timeoutMs?: number;
  log?: (entry: Record<string, unknown>) => void;
}

export interface ChatService {
  ask(request: ChatRequest, options: { signal: AbortSignal; onEvent?: (event: ChatEvent) => void }): Promise<ChatResponse>;
}

/** Provider failures that the offline engine can stand in for; anything else is a real error. */
function canFallBack(error: unknown): boolean {
  return isAppError(error) && ['upstream_unavailable', 'timeout', 'rate_limited', 'unauthorized'].includes(error.code);
}

export function createChatService(deps: ChatServiceDeps): ChatService {
  const echoGuard = createPromptEchoGuard(deps.prompts);
  return {
    async ask(request, options) {
      const conversation = deps.conversations.open(request.conversationId);
      const language = hasCjk(request.message) ? 'zh' : 'en';
      const timeout = AbortSignal.timeout(deps.timeoutMs ?? CHAT_DEFAULTS.timeoutMs);
      const signal = AbortSignal.any([options.signal, timeout]);
      // Streamed text goes through the output layer too, released a line or sentence at a time.
      const retrieved = createSourceCounter();
      const tokens = createStreamingSanitizer({ maxChars: OUTPUT_DEFAULTS.answerChars, echoGuard, sourceCount: retrieved.count }, (text) => {
        if (!signal.aborted) options.onEvent?.({ type: 'token', text });
      });
      const emit = (event: EngineEvent) => {
        if (signal.aborted) return;
        retrieved.observe(event);
        if (event.type === 'token') tokens.push(event.text);
        else options.onEvent?.(event);
      };
      const input = {
        question: request.message,
        history: conversation.history,
        language,
        today: deps.today(),
        signal,
        emit,
        ...(request.filters ? { filters: request.filters } : {}),
      } as const;

      let draft: EngineDraft;
      let mode: ChatResponse['mode'] = deps.primary?.mode ?? deps.offline.mode;
      let fallback: ChatResponse['fallback'];
      try {
        draft = await (deps.primary ?? deps.offline).answer(input);
      } catch (error) {
        if (options.signal.aborted) throw new AppError('timeout', 'The client went away.');
        if (timeout.aborted && !deps.primary) throw new AppError('timeout', 'The answer took too long; try a narrower question.');
        if (!deps.primary || !(canFallBack(error) || timeout.aborted)) throw error;
        const reason = isAppError(error) ? error.message : 'the language model did not answer in time';
        deps.log?.({ event: 'chat.fallback', reason });
        fallback = { from: 'openai', reason };
        mode = 'offline';
        draft = await deps.offline.answer({ ...input, signal: options.signal });
      }

      const output = sanitizeDraft(draft.text, draft.sources, { maxChars: OUTPUT_DEFAULTS.answerChars, echoGuard });
      if (output.removed.length > 0) deps.log?.({ event: 'chat.output.filtered', mode, removed: output.removed });
      const finalized = finalizeAnswer(output.text, draft.sources);
      const notes: string[] = [];
      if (fallback)
        notes.push(
          language === 'zh'
            ? '（语言模型暂不可用，本回答由离线引擎根据您的文章生成。）'
            : '_The language model was unavailable, so this answer was composed offline from your articles._',
        );
      if (finalized.grounding.removed.length > 0) {
        notes.push(
          language === 'zh'
            ? `（已删除 ${finalized.grounding.removed.length} 处无法在引用来源中核实的数字陈述。）`
            : `_Removed ${finalized.grounding.removed.length} statement(s) whose figures could not be verified against the cited sources._`,
        );
      }
      const disclaimer = renderPrompt(deps.prompts, `disclaimer.${language}`);
      const answer = [finalized.answer, ...notes, disclaimer].filter(Boolean).join('\n\n');

      if (!draft.streamed || fallback) {
        for (let index = 0; index < answer.length; index += CHAT_DEFAULTS.tokenChars) {
          emit({ type: 'token', text: answer.slice(index, index + CHAT_DEFAULTS.tokenChars) });
        }
      } else {
        // The generative engine streamed the raw draft; the checked notes and disclaimer follow.
        emit({ type: 'token', text: `\n\n${[...notes, disclaimer].join('\n\n')}` });
      }
      tokens.flush();

      const response: ChatResponse = {
        conversationId: conversation.id,
        mode,
        answer,
        citations: finalized.citations,
        toolCalls: draft.toolCalls,
        grounding: finalized.grounding,
        relevance: draft.relevance,
        followUps: buildFollowUps({
          language,
          ...(draft.context ? { context: draft.context } : {}),
          toolCalls: draft.toolCalls,
          citations: finalized.citations,
        }),
        disclaimer,
        ...(fallback ? { fallback } : {}),
        ...(draft.promptId ? { promptId: draft.promptId } : {}),
      };
      await deps.conversations.append(conversation.id, {
        question: request.message,
        answer: finalized.answer,
        ...(draft.context ? { context: draft.context } : {}),
        shown: {
          mode,
          answer,
          // Spread copies: the stored form keeps every field a later version adds to these types.
          citations: response.citations.map((citation) => ({ ...citation })),
          toolCalls: response.toolCalls.map((call) => ({ ...call })),
          grounding: response.grounding,
          followUps: response.followUps,
          disclaimer,
          ...(fallback ? { fallback } : {}),
        },
      });
      deps.log?.({
        event: 'chat.answer',
        mode,
        promptId: draft.promptId,
        citations: response.citations.length,
        figures: response.grounding.figures,
        grounded: response.grounding.grounded,
      });
      return response;
    },
  };
}
