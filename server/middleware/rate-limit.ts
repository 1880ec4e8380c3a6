import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { AppError } from '../../lib/errors.ts';

export interface RateLimitOptions {
  windowMs: number;
  /** Requests per client (IP, after `trust proxy`) per window. */
  limit: number;
}

/**
 * Per-client limits on the expensive routes (chat, research, search, article uploads). Over the
 * limit: 429 with `Retry-After` and the usual `{error}` body, through the central handler.
 */
export function limitRequests(options: RateLimitOptions): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // Its check that a limiter is not made inside a request handler reads a new Error's stack, which
    // has Node parse the server bundle's 2 MB source map at start (~50 ms); ours are made with the app.
    validate: { creationStack: false },
    handler: (_request, response, next) => {
      const seconds = Math.max(1, Math.ceil(options.windowMs / 1000));
      if (!response.getHeader('Retry-After')) response.setHeader('Retry-After', String(seconds));
      next(new AppError('rate_limited', `Too many requests; try again in ${response.getHeader('Retry-After')} s.`));
    },
  });
}
