import type { Response } from 'express';
import { statusForCode, toAppError } from './error-handler.ts';

/** Server-Sent Events over an Express response: `event: <name>` + one JSON `data:` line. */
export interface EventStream {
  send(event: string, data: unknown): void;
  end(): void;
  readonly closed: boolean;
}

export function openEventStream(response: Response): EventStream {
  response.status(200);
  response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  response.setHeader('Cache-Control', 'no-cache, no-transform');
  response.setHeader('Connection', 'keep-alive');
  // Proxies such as nginx buffer responses unless told not to.
  response.setHeader('X-Accel-Buffering', 'no');
  response.flushHeaders();
  let closed = false;
  response.on('close', () => {
    closed = true;
  });
  return {
    send(event, data) {
      if (closed || response.writableEnded) return;
      response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    end() {
      if (!response.writableEnded) response.end();
      closed = true;
    },
    get closed() {
      return closed;
    },
  };
}

export function wantsEventStream(accept: string | undefined): boolean {
  return typeof accept === 'string' && accept.includes('text/event-stream');
}

/** Ends a stream with an `error` event; an unexpected failure is reported without its details. */
export function sendStreamError(stream: EventStream, error: unknown): void {
  const appError = toAppError(error);
  const internal = statusForCode(appError.code) >= 500 && appError.code === 'internal';
  stream.send('error', { code: appError.code, message: internal ? 'Internal server error.' : appError.message });
}

/**
 * Runs the work behind a stream: its events go out as they happen, its result as `done`, a
 * failure as `error`; the stream ends either way.
 */
export async function streamWork<Result>(stream: EventStream, work: () => Promise<Result>): Promise<void> {
  try {
    stream.send('done', await work());
  } catch (error) {
    sendStreamError(stream, error);
  } finally {
    stream.end();
  }
}
