import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  InternalServerError,
  PermissionDeniedError,
  RateLimitError,
} from 'openai';
import { AppError } from '../../../lib/errors.ts';

/**
 * What a failed completion request becomes (pure), after the OpenAI SDK has retried what its own
 * policy retries (connection errors, 408, 409, 429 and 5xx, honouring `retry-after`, with the
 * `maxRetries` each call passes): one AppError per SDK error class, never by message text, and no
 * message repeats the upstream body (it may quote the request, which holds the articles).
 */
/**
 * What one answer may ask of the tools, in one place. A model that obeys a hostile article can ask
 * for 50 calls with 66 KB of arguments each; beyond these limits calls are refused (the model is
 * told why) and not echoed to the client, and once the answer's budget is spent the model must
 * answer without tools.
 */
export const TOOL_CALL_LIMITS = {
  /** Rounds of tool calls before the model must answer. */
  rounds: 6,
  /** Calls run in one round. */
  perRound: 8,
  /** Calls run (and reported) in one answer, all rounds together. */
  perAnswer: 16,
  /** Characters of one call's JSON arguments; real calls need a few hundred. */
  argumentChars: 2_000,
  /** Characters of a tool name. */
  nameChars: 64,
};

export function classifyRequestFailure(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const cause = describeUpstreamError(error);
  if (error instanceof APIConnectionTimeoutError) return new AppError('timeout', 'The language model did not answer in time.', { cause });
  if (error instanceof APIUserAbortError) return new AppError('timeout', 'The request to the language model was cancelled.', { cause });
  if (error instanceof APIConnectionError) return new AppError('upstream_unavailable', 'The language model service could not be reached.', { cause });
  if (error instanceof RateLimitError) return new AppError('rate_limited', 'The language model service is rate limiting requests.', { cause });
  if (error instanceof AuthenticationError || error instanceof PermissionDeniedError) {
    return new AppError('unauthorized', 'The language model service refused the configured API key.', { cause });
  }
  if (error instanceof InternalServerError || (error instanceof APIError && (error.status === 408 || error.status === 409))) {
    return new AppError('upstream_unavailable', `The language model service failed (HTTP ${error.status}).`, { cause });
  }
  // An error event inside the stream: the service broke off the answer.
  if (error instanceof APIError && error.status === undefined)
    return new AppError('upstream_unavailable', 'The language model service broke off its reply.', { cause });
  // 400/404/422: a model name or request the service does not accept.
  if (error instanceof APIError)
    return new AppError('upstream_unavailable', `The language model service rejected the request (HTTP ${error.status}).`, { cause });
  return new AppError('upstream_unavailable', 'The language model service sent a reply that could not be read.', { cause });
}

/**
 * The cause kept on the AppError: class, status and request id only. The SDK's own message repeats
 * the upstream body, which can quote the request or a masked key, so it is left out of logs.
 */
export function describeUpstreamError(error: unknown): Error {
  if (!(error instanceof Error)) return new Error('non-error thrown by the OpenAI client');
  const status = error instanceof APIError && error.status !== undefined ? ` HTTP ${error.status}` : '';
  const requestId = error instanceof APIError && error.requestID ? ` request ${error.requestID}` : '';
  return new Error(`${error.constructor.name}${status}${requestId}`.trim());
}
