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
 * What to do when a completion request fails (pure): which AppError it becomes, and whether a
 * retry may help. Decisions follow the SDK's error classes and HTTP statuses, never message text,
 * and no message repeats the upstream body (it may quote the request, which holds the articles).
 */
export const RETRY_DEFAULTS = {
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  /** A `retry-after` longer than this is not waited for: the offline engine answers instead. */
  maxRetryAfterMs: 20_000,
};

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

export interface RequestFailure {
  error: AppError;
  retryable: boolean;
  retryAfterMs?: number;
}

export function classifyRequestFailure(error: unknown): RequestFailure {
  if (error instanceof AppError) return { error, retryable: false };
  // A timeout is not retried: the per-request limit is already long, and the whole answer has a budget.
  if (error instanceof APIConnectionTimeoutError) {
    return { error: new AppError('timeout', 'The language model did not answer in time.', { cause: describeUpstreamError(error) }), retryable: false };
  }
  if (error instanceof APIUserAbortError) {
    return { error: new AppError('timeout', 'The request to the language model was cancelled.', { cause: describeUpstreamError(error) }), retryable: false };
  }
  if (error instanceof APIConnectionError) {
    return { error: new AppError('upstream_unavailable', 'The language model service could not be reached.', { cause: describeUpstreamError(error) }), retryable: true };
  }
  if (error instanceof RateLimitError) {
    return withRetryAfter(new AppError('rate_limited', 'The language model service is rate limiting requests.', { cause: describeUpstreamError(error) }), error.headers);
  }
  if (error instanceof AuthenticationError || error instanceof PermissionDeniedError) {
    return { error: new AppError('unauthorized', 'The language model service refused the configured API key.', { cause: describeUpstreamError(error) }), retryable: false };
  }
  if (error instanceof InternalServerError || (error instanceof APIError && (error.status === 408 || error.status === 409))) {
    return withRetryAfter(new AppError('upstream_unavailable', `The language model service failed (HTTP ${error.status}).`, { cause: describeUpstreamError(error) }), error.headers);
  }
  if (error instanceof APIError && error.status === undefined) {
    // An error event inside the stream: the service broke off the answer.
    return { error: new AppError('upstream_unavailable', 'The language model service broke off its reply.', { cause: describeUpstreamError(error) }), retryable: true };
  }
  if (error instanceof APIError) {
    // 400/404/422: a model name or request the service does not accept; retrying will not help.
    return { error: new AppError('upstream_unavailable', `The language model service rejected the request (HTTP ${error.status}).`, { cause: describeUpstreamError(error) }), retryable: false };
  }
  return { error: new AppError('upstream_unavailable', 'The language model service sent a reply that could not be read.', { cause: describeUpstreamError(error) }), retryable: true };
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

function withRetryAfter(error: AppError, headers: Headers | undefined): RequestFailure {
  const retryAfterMs = readRetryAfterMs(headers);
  return { error, retryable: true, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
}

/** `retry-after-ms` (OpenAI's), else `retry-after` in seconds or as an HTTP date. */
export function readRetryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const milliseconds = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const value = headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff (0.5 s, 1 s, 2 s … capped), unless the service said how long to wait. */
export function computeBackoffMs(attempt: number, retryAfterMs?: number, defaults = RETRY_DEFAULTS): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  return Math.min(defaults.maxDelayMs, defaults.baseDelayMs * 2 ** attempt);
}
