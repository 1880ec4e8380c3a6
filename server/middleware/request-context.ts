import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

export interface RequestLogger {
  info(object: Record<string, unknown>, message: string): void;
}

const REQUEST_ID = /^[\w.-]{1,64}$/;

/**
 * Gives every request an id (the client's `x-request-id` when it is sane, else a new one), echoes
 * it in the response, and logs one line when the response ends, with the full path. Only the path is
 * logged, never the query string or the body (they may hold user text), nor any header.
 */
export function requestContext(logger?: RequestLogger): RequestHandler {
  return (request, response, next) => {
    const incoming = request.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    response.locals.requestId = id;
    response.setHeader('x-request-id', id);
    const started = process.hrtime.bigint();
    // Read now: routers mounted below rewrite `request.url` (and so `path`) to their own remainder.
    const path = request.path;
    response.on('close', () => {
      const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
      const aborted = !response.writableFinished;
      logger?.info(
        { requestId: id, method: request.method, path, status: response.statusCode, ms, aborted },
        `${request.method} ${path.slice(0, 200)} ${response.statusCode} ${ms} ms${aborted ? ' (client went away)' : ''}`,
      );
    });
    next();
  };
}
