import type OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import { classifyRequestFailure } from '../chat/openai/request-policy.ts';

/**
 * One completion request for the research planner and writer: non-streaming, with the chat's
 * failure policy (the SDK's retries, errors by class, no upstream text in messages), a per-request
 * time limit, and a token budget shared by a whole plan or run.
 */
export const OPENAI_RESEARCH_DEFAULTS = {
  timeoutMs: 60_000,
  maxRetries: 2,
  /** Tokens a whole run may use (planning and writing, prompts included). */
  tokenBudget: 40_000,
  planMaxTokens: 2_000,
  writeMaxTokens: 4_000,
};

export interface TokenBudget {
  remaining(): number;
  spend(tokens: number): void;
}

export function createTokenBudget(total: number): TokenBudget {
  let left = total;
  return {
    remaining: () => Math.max(0, left),
    spend: (tokens) => {
      left -= tokens;
    },
  };
}

export interface ResearchModel {
  client: OpenAI;
  model: string;
  limits?: Partial<typeof OPENAI_RESEARCH_DEFAULTS>;
}

// Only what is used from the reply.
const CompletionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable().optional() }), finish_reason: z.string().nullable().optional() })).min(1),
  usage: z.object({ total_tokens: z.number() }).optional(),
});

export interface CompletionRequest {
  messages: ChatCompletionMessageParam[];
  maxTokens: number;
  responseFormat?: ChatCompletionCreateParamsNonStreaming['response_format'];
  budget: TokenBudget;
  signal: AbortSignal;
}

export async function requestCompletion(model: ResearchModel, request: CompletionRequest): Promise<{ content: string; truncated: boolean }> {
  const limits = { ...OPENAI_RESEARCH_DEFAULTS, ...model.limits };
  const promptTokens = Math.ceil(JSON.stringify(request.messages).length / 4);
  const maxTokens = Math.min(request.maxTokens, request.budget.remaining() - promptTokens);
  if (maxTokens < 200) throw new AppError('rate_limited', 'The token budget for this research run is spent.');

  const timeout = AbortSignal.timeout(limits.timeoutMs);
  try {
    const reply = await model.client.chat.completions.create(
      {
        model: model.model,
        messages: request.messages,
        max_completion_tokens: maxTokens,
        ...(request.responseFormat ? { response_format: request.responseFormat } : {}),
      },
      { signal: AbortSignal.any([request.signal, timeout]), maxRetries: limits.maxRetries },
    );
    const parsed = CompletionSchema.safeParse(reply);
    if (!parsed.success) throw new AppError('upstream_unavailable', 'The language model sent a reply that could not be read.');
    const content = parsed.data.choices[0]!.message.content ?? '';
    request.budget.spend(parsed.data.usage?.total_tokens ?? promptTokens + Math.ceil(content.length / 4));
    return { content, truncated: parsed.data.choices[0]!.finish_reason === 'length' };
  } catch (error) {
    if (request.signal.aborted) throw new AppError('timeout', 'The research run was cancelled.');
    if (timeout.aborted) throw new AppError('timeout', `The language model did not answer within ${Math.round(limits.timeoutMs / 1000)} s.`);
    throw classifyRequestFailure(error);
  }
}
