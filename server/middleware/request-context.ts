import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

export interface RequestLogger {
  info(object: Record<string, unknown>, message: string): void;
}

const REQUEST_ID = /^[\w.-]{1,64}$/;

/**
 * Gives every request an id (the client's `x-request-id` when it is sane, else a new one), echoes
 * it in the response, and logs one structured line when the response ends. Only the path is
 * logged, never the query string or the body (they may hold user text), nor any header.
 */
export function requestContext(logger?: RequestLogger): RequestHandler {
  return (request, response, next) => {
    const incoming = request.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    response.locals.requestId = id;
    response.setHeader('x-request-id', id);
    const started = process.hrtime.bigint();
    response.on('close', () => {
      logger?.info(
        {
          requestId: id,
          method: request.method,
          path: request.path,
          status: response.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
          aborted: !response.writableFinished,
        },
        'request',
      );
    });
    next();
  };
}
