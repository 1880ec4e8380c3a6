import type OpenAI from 'openai';
import { APIConnectionError, OpenAIError } from 'openai';
import type { ChatCompletionFunctionTool, ChatCompletionMessageParam, ChatCompletionToolChoiceOption } from 'openai/resources/chat/completions';
import type { KnowledgeStore } from '../../kb/store.ts';
import type { Embedder } from '../../ingest/embed/embedder.ts';
import { AppError, isAppError } from '../../lib/errors.ts';
import { formatZodError } from '../error-handler.ts';
import { promptVersion, renderPrompt, type PromptLibrary } from '../prompts.ts';
import { searchKnowledgeBase, type SearchHit } from '../retrieval/hybrid-search.ts';
import { analyzeQuery, type QueryAnalysis } from '../retrieval/query-understanding.ts';
import type { ToolRegistry } from '../tools/registry.ts';
import type { ToolContext } from '../tools/types.ts';
import { buildInitialMessages } from './openai/build-messages.ts';
import { classifyRequestFailure, TOOL_CALL_LIMITS } from './openai/request-policy.ts';
import {
  listSearchArticlesTool,
  mergeSearchFilters,
  SEARCH_ARTICLES_DEFAULT_K,
  SEARCH_ARTICLES_TOOL_NAME,
  SearchArticlesArgsSchema,
} from './openai/search-tool.ts';
import { formatSourceBlock } from './openai/source-blocks.ts';
import { createTurnAccumulator, type StreamedToolCall, type StreamedTurn } from './openai/stream-accumulator.ts';
import type { AnswerEngine, EngineDraft, EngineInput, Source, ToolCallRecord, TurnContext } from './types.ts';

/**
 * The generative engine: retrieve, then let the model answer with tools (OpenAI function calling),
 * streaming the final answer's tokens. Every passage and tool result becomes a numbered source; the
 * chat service checks the draft's markers and figures against them afterwards, as for any engine.
 */
export const OPENAI_ENGINE_DEFAULTS = {
  retrievalK: 8,
  /** Tool rounds before the model must answer without tools. */
  maxSteps: TOOL_CALL_LIMITS.rounds,
  /** A request that sends nothing for this long (before or between streamed chunks) has failed. */
  timeoutMs: 30_000,
  /** Retries of a failed request before anything streamed: the SDK's own policy (connection errors, 408/409/429/5xx, retry-after). */
  maxRetries: 2,
  /** Calls the model may make in one round; further ones are answered with an error. */
  maxToolCallsPerStep: TOOL_CALL_LIMITS.perRound,
};

export interface OpenAIEngineDeps {
  /** Built once by the composition root with apiKey/baseURL and shared; each request passes its `maxRetries`. */
  client: OpenAI;
  model: string;
  kb: KnowledgeStore;
  embedder: Embedder;
  registry: ToolRegistry;
  toolContext: () => Omit<ToolContext, 'signal'>;
  prompts: PromptLibrary;
  limits?: { maxSteps?: number; timeoutMs?: number; maxRetries?: number; maxTokens?: number };
}

interface ToolOutcome {
  record: ToolCallRecord;
  /** The tool message content the model reads. */
  content: string;
}

export function createOpenAIEngine(deps: OpenAIEngineDeps): AnswerEngine {
  const limits = { ...OPENAI_ENGINE_DEFAULTS, ...deps.limits };
  const promptId = promptVersion(deps.prompts, 'system');
  const listings = [listSearchArticlesTool(), ...deps.registry.list()];
  const tools: ChatCompletionFunctionTool[] = listings.map((listing) => ({
    type: 'function',
    function: { name: listing.name, description: listing.description, parameters: listing.parameters },
  }));
  const toolNames = listings.map((listing) => listing.name);

  async function answer(input: EngineInput): Promise<EngineDraft> {
    const previous = input.history.at(-1)?.context;
    const own = analyzeQuery(input.question, input.today);
    // A follow-up that names no instrument ("and its volatility?") is searched with the question it follows.
    const isFollowUp = previous !== undefined && own.entities.length === 0;

    const search = await searchKnowledgeBase(deps.kb, deps.embedder, {
      query: isFollowUp ? `${input.question} ${previous.topic}` : input.question,
      k: OPENAI_ENGINE_DEFAULTS.retrievalK,
      today: input.today,
      signal: input.signal,
      ...(input.filters ? { filters: input.filters } : {}),
    });
    const context = buildTurnContext(input.question, own, previous);
    // Below the relevance floor the passages are noise the model might pad its answer with.
    const sources: Source[] = search.relevance === 'none' ? [] : search.hits.map(toArticleSource);
    input.emit({
      type: 'retrieval',
      sources: sources.flatMap((source) =>
        source.kind === 'article' ? [{ chunkId: source.chunk.id, articleId: source.article.id, title: source.article.title, score: source.score }] : [],
      ),
    });

    const messages = buildInitialMessages({
      prompts: deps.prompts,
      question: input.question,
      language: input.language,
      today: input.today,
      toolNames,
      history: input.history,
      sources,
      ...(search.relevance === 'none' ? { noPassages: { symbols: context.symbols } } : {}),
    });
    const toolCalls: ToolCallRecord[] = [];
    let text = '';

    for (let step = 0; ; step += 1) {
      const final = step >= limits.maxSteps || toolCalls.length >= TOOL_CALL_LIMITS.perAnswer;
      if (final) messages.push({ role: 'user', content: renderPrompt(deps.prompts, 'tool-budget') });
      // Text of an earlier round (a preamble before its tool calls) was streamed already; keep it apart.
      let separator = text.trim() ? '\n\n' : '';
      const turn = await requestTurn(messages, final ? 'none' : 'auto', step, input, (delta) => {
        input.emit({ type: 'token', text: separator + delta });
        text += separator + delta;
        separator = '';
      });
      if (final || turn.toolCalls.length === 0) break;

      messages.push({
        role: 'assistant',
        content: turn.content || null,
        // Oversized arguments are not sent back to the model either (they would grow every later request).
        tool_calls: turn.toolCalls.map((call) => ({
          id: call.id,
          type: 'function',
          function: {
            name: call.name.slice(0, TOOL_CALL_LIMITS.nameChars),
            arguments: call.arguments.length > TOOL_CALL_LIMITS.argumentChars ? '{}' : call.arguments,
          },
        })),
      });
      for (const [position, rawCall] of turn.toolCalls.entries()) {
        const call = { ...rawCall, name: rawCall.name.slice(0, TOOL_CALL_LIMITS.nameChars) };
        // Calls beyond the round's or the answer's budget are refused to the model and not reported to the client.
        const overBudget = position >= limits.maxToolCallsPerStep || toolCalls.length >= TOOL_CALL_LIMITS.perAnswer;
        const outcome = overBudget
          ? failedCall(
              call.name,
              {},
              'bad_request',
              `At most ${limits.maxToolCallsPerStep} tool calls per round and ${TOOL_CALL_LIMITS.perAnswer} per answer; answer with what you have.`,
            )
          : call.arguments.length > TOOL_CALL_LIMITS.argumentChars
            ? failedCall(
                call.name,
                { omitted: `${call.arguments.length} characters` },
                'bad_request',
                `Tool arguments are limited to ${TOOL_CALL_LIMITS.argumentChars} characters.`,
              )
            : await runToolCall(call, input, sources);
        if (input.signal.aborted) throw abortedError();
        messages.push({ role: 'tool', tool_call_id: call.id, content: outcome.content });
        if (overBudget) continue;
        toolCalls.push(outcome.record);
        input.emit({
          type: 'tool',
          name: outcome.record.name,
          arguments: outcome.record.arguments,
          result: outcome.record.error ? { error: outcome.record.error } : outcome.record.result,
        });
      }
    }

    if (!text.trim()) throw new AppError('upstream_unavailable', 'The language model returned an empty answer.');
    return { text: text.trim(), sources, toolCalls, relevance: search.relevance, streamed: true, promptId, context };
  }

  /**
   * One completion round; `onText` sees the content deltas as they arrive. The SDK retries a request
   * that failed before its stream began; once tokens reached the client nothing is retried (it
   * would repeat them): the failure goes to the chat service, whose offline engine answers instead.
   */
  async function requestTurn(
    messages: ChatCompletionMessageParam[],
    toolChoice: ChatCompletionToolChoiceOption,
    step: number,
    input: EngineInput,
    onText: (delta: string) => void,
  ): Promise<StreamedTurn> {
    try {
      return await streamTurn(messages, toolChoice, step, input.signal, onText);
    } catch (error) {
      if (input.signal.aborted) throw abortedError();
      throw classifyRequestFailure(error);
    }
  }

  async function streamTurn(
    messages: ChatCompletionMessageParam[],
    toolChoice: ChatCompletionToolChoiceOption,
    step: number,
    signal: AbortSignal,
    onText: (delta: string) => void,
  ): Promise<StreamedTurn> {
    // The SDK's own timeout stops at the response headers; this one also covers a stalled stream.
    const idle = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => idle.abort(), limits.timeoutMs);
    };
    const timedOut = () => idle.signal.aborted && !signal.aborted;
    const timeoutError = () => new AppError('timeout', `The language model sent nothing for ${Math.round(limits.timeoutMs / 100) / 10} s.`);
    const accumulator = createTurnAccumulator(`call_${step}`);
    arm();
    try {
      const stream = await deps.client.chat.completions.create(
        {
          model: deps.model,
          messages,
          tools,
          tool_choice: toolChoice,
          stream: true,
          ...(limits.maxTokens === undefined ? {} : { max_completion_tokens: limits.maxTokens }),
        },
        { signal: AbortSignal.any([signal, idle.signal]), maxRetries: limits.maxRetries },
      );
      const chunks = stream[Symbol.asyncIterator]();
      for (;;) {
        arm();
        let next: IteratorResult<unknown>;
        try {
          next = await chunks.next();
        } catch (error) {
          // A broken connection or unreadable event mid-stream: a connection failure, whatever raised it.
          throw error instanceof OpenAIError
            ? error
            : new APIConnectionError({ message: 'The reply stream broke off.', ...(error instanceof Error ? { cause: error } : {}) });
        }
        if (next.done) break;
        const delta = accumulator.push(next.value);
        if (delta) onText(delta);
      }
    } catch (error) {
      if (timedOut()) throw timeoutError();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    // The SDK ends an aborted stream quietly instead of throwing.
    if (timedOut()) throw timeoutError();
    signal.throwIfAborted();
    const turn = accumulator.result();
    if (!turn.content && turn.toolCalls.length === 0) {
      throw new APIConnectionError({ message: 'The reply stream ended without an answer.' });
    }
    return turn;
  }

  async function runToolCall(call: StreamedToolCall, input: EngineInput, sources: Source[]): Promise<ToolOutcome> {
    let args: unknown;
    try {
      args = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
    } catch {
      return failedCall(
        call.name,
        call.arguments,
        'bad_request',
        `The arguments for ${call.name || 'this tool'} are not valid JSON; send one JSON object matching its parameters.`,
      );
    }
    try {
      if (call.name === SEARCH_ARTICLES_TOOL_NAME) return await runSearchTool(args, input, sources);
      const result = await deps.registry.run(call.name, args, { ...deps.toolContext(), signal: input.signal });
      const source: Source = { kind: 'data', tool: call.name, arguments: args, result };
      sources.push(source);
      return {
        record: { name: call.name, arguments: args, result },
        content: renderPrompt(deps.prompts, 'sources', { sources: formatSourceBlock(sources.length - 1, source) }),
      };
    } catch (error) {
      if (input.signal.aborted) throw abortedError();
      // The model reads the error and may correct itself; only AppError messages are written for readers.
      return isAppError(error)
        ? failedCall(call.name, args, error.code, error.message)
        : failedCall(call.name, args, 'internal', `${call.name} failed unexpectedly; answer without it.`);
    }
  }

  async function runSearchTool(args: unknown, input: EngineInput, sources: Source[]): Promise<ToolOutcome> {
    const parsed = SearchArticlesArgsSchema.safeParse(args);
    if (!parsed.success)
      return failedCall(SEARCH_ARTICLES_TOOL_NAME, args, 'bad_request', `Invalid arguments for ${SEARCH_ARTICLES_TOOL_NAME}: ${formatZodError(parsed.error)}`);
    const filters = mergeSearchFilters(input.filters, parsed.data);
    const search = await searchKnowledgeBase(deps.kb, deps.embedder, {
      query: parsed.data.query,
      k: parsed.data.k ?? SEARCH_ARTICLES_DEFAULT_K,
      today: input.today,
      signal: input.signal,
      ...(filters ? { filters } : {}),
    });
    const hits = search.relevance === 'none' ? [] : search.hits;
    const added: number[] = [];
    const already: number[] = [];
    for (const hit of hits) {
      const known = sources.findIndex((source) => source.kind === 'article' && source.chunk.id === hit.chunk.id);
      if (known >= 0) already.push(known);
      else added.push(sources.push(toArticleSource(hit)) - 1);
    }
    const parts: string[] = [];
    if (added.length > 0) parts.push(renderPrompt(deps.prompts, 'sources', { sources: added.map((n) => formatSourceBlock(n, sources[n]!)).join('\n\n') }));
    if (already.length > 0) parts.push(`Also matched, already given above: sources ${already.join(', ')}.`);
    if (parts.length === 0) parts.push('No relevant passages matched this search.');
    const result = {
      relevance: search.relevance,
      passages: [...added, ...already]
        .sort((a, b) => a - b)
        .map((n) => {
          const source = sources[n] as Extract<Source, { kind: 'article' }>;
          return { n, chunkId: source.chunk.id, articleId: source.article.id, title: source.article.title };
        }),
    };
    return { record: { name: SEARCH_ARTICLES_TOOL_NAME, arguments: parsed.data, result }, content: parts.join('\n\n') };
  }

  return { mode: 'openai', answer };
}

function failedCall(name: string, args: unknown, code: string, message: string): ToolOutcome {
  return {
    record: { name, arguments: args, result: null, error: { code, message } },
    content: JSON.stringify({ error: { code, message } }),
  };
}

function abortedError(): AppError {
  return new AppError('timeout', 'The answer was cancelled or ran out of time.');
}

function toArticleSource(hit: SearchHit): Source {
  return { kind: 'article', chunk: hit.chunk, article: hit.article, score: hit.score };
}

/**
 * What this turn was about, so a follow-up ("and its volatility?") inherits the instruments and
 * period, whichever engine answers it next.
 */
export function buildTurnContext(question: string, own: QueryAnalysis, previous: TurnContext | undefined): TurnContext {
  const inherit = previous !== undefined && own.entities.length === 0;
  const symbols = inherit && own.symbols.length === 0 ? previous.symbols : own.symbols;
  const entityIds = inherit ? previous.entityIds : own.entities.map((entity) => entity.id);
  const period = own.dates.period ?? (inherit ? previous.period : undefined);
  const asOf = own.dates.asOf ?? (inherit ? previous.asOf : undefined);
  return {
    symbols,
    entityIds,
    topic: question,
    ...(period ? { period: { from: period.from, to: period.to } } : {}),
    ...(asOf ? { asOf } : {}),
  };
}
