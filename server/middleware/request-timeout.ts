import type { RequestHandler } from 'express';
import { AppError } from '../../lib/errors.ts';

/**
 * A request that has not started answering after `ms` gets a 504 and its work is told to stop
 * (through `response.locals.signal`). Streams are exempt once their headers are out: they have
 * their own bounds and report progress as they go.
 */
export function requestTimeout(ms: number): RequestHandler {
  return (_request, response, next) => {
    const controller = new AbortController();
    response.locals.signal = controller.signal;
    const timer = setTimeout(() => {
      if (response.headersSent) return;
      controller.abort();
      next(new AppError('timeout', `The request took longer than ${Math.round(ms / 1000)} s.`));
    }, ms);
    timer.unref();
    response.on('close', () => clearTimeout(timer));
    next();
  };
}
