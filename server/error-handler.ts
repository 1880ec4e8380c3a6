import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { AppError, type ErrorCode } from '../lib/errors.ts';

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  embedder_mismatch: 500,
  index_corrupt: 500,
  internal: 500,
  upstream_unavailable: 502,
  timeout: 504,
};

export function statusForCode(code: ErrorCode): number {
  return STATUS_BY_CODE[code];
}

/** A readable one-line summary of a zod failure: `k: Too big: expected number to be <=50`. */
export function formatZodError(error: ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

/** Normalises anything thrown into an AppError; unknown errors become a generic `internal`. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) return new AppError('bad_request', formatZodError(error));
  if (isBodyParserError(error)) {
    if (error.type === 'entity.too.large') {
      return new AppError('payload_too_large', `Request body is larger than the limit of ${error.limit ?? 'this route'} bytes.`);
    }
    if (error.type === 'entity.parse.failed') return new AppError('bad_request', 'Request body is not valid JSON.');
    if (error.type === 'encoding.unsupported') {
      return new AppError('unsupported_media_type', 'Unsupported Content-Encoding: send the body uncompressed, or compressed once with gzip, deflate or br.');
    }
    if (error.type === 'charset.unsupported') return new AppError('unsupported_media_type', 'Request body must be UTF-8 JSON.');
    return new AppError('bad_request', 'Request body could not be read.');
  }
  if (isDecompressionError(error)) {
    return new AppError('bad_request', 'Request body could not be decompressed: it does not match its Content-Encoding (gzip, deflate or br).');
  }
  return new AppError('internal', 'Internal server error.', { cause: error });
}

interface BodyParserError {
  type: string;
  limit?: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { type?: unknown }).type === 'string' &&
    typeof (error as { status?: unknown }).status === 'number'
  );
}

/**
 * body-parser hands zlib's own stream errors through with a 400 status but no `type`: gzip and
 * deflate raise `Z_*` codes, brotli `ERR__ERROR_FORMAT_*` ones. They are the client's corrupt body.
 */
function isDecompressionError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { status, code } = error as { status?: unknown; code?: unknown };
  return status === 400 && typeof code === 'string' && /^(?:Z_|ERR__ERROR_)/.test(code);
}

export interface ErrorLogger {
  error(object: Record<string, unknown>, message: string): void;
}

/** The one place an error becomes a response: `{error: {code, message}}`, never a stack. */
export function errorHandler(logger?: ErrorLogger): ErrorRequestHandler {
  return (error, _request, response, _next) => {
    const appError = toAppError(error);
    const status = statusForCode(appError.code);
    if (status >= 500) logger?.error({ err: appError.cause ?? appError, code: appError.code }, appError.message);
    if (response.headersSent) {
      response.end();
      return;
    }
    response.status(status).json({ error: { code: appError.code, message: appError.message } });
  };
}

export const notFoundHandler: RequestHandler = (request, _response, next) => {
  next(new AppError('not_found', `No route for ${request.method} ${request.path}.`));
};
