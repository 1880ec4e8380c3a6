/**
 * One error type for the whole copilot. `code` is stable and machine-readable; `message` tells the
 * user what to do. The HTTP layer maps codes to statuses in one place (server/error-handler.ts).
 */
export const ERROR_CODES = [
  'bad_request',
  'not_found',
  'payload_too_large',
  'unsupported_media_type',
  /** Well-formed request, content that cannot be used (an encrypted PDF, a page with no text). */
  'unprocessable',
  'conflict',
  'rate_limited',
  'unauthorized',
  'forbidden',
  'embedder_mismatch',
  'index_corrupt',
  'upstream_unavailable',
  'timeout',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options?.details;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
