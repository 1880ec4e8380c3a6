import type { RequestHandler } from 'express';

/**
 * Which requests are in flight, so that work the server does for itself while it already listens
 * (the warm-up after a start: server/main.ts) runs only between users' requests, never ahead of one.
 */
export interface RequestActivity {
  /** Mounted first: counts a request from its arrival until its response finishes or its connection closes. */
  middleware: RequestHandler;
  /**
   * Resolves once no request is in flight, or when `signal` aborts. Checked after the event loop's
   * next poll, so a request whose bytes have already arrived is read and counted first.
   */
  idle(signal?: AbortSignal): Promise<void>;
  inFlight(): number;
}

export function createRequestActivity(): RequestActivity {
  let inFlight = 0;
  let waiters: (() => void)[] = [];
  const wake = () => {
    if (inFlight > 0 || waiters.length === 0) return;
    const woken = waiters;
    waiters = [];
    for (const resolve of woken) resolve();
  };
  return {
    middleware(_request, response, next) {
      inFlight += 1;
      let counted = true;
      const done = () => {
        if (!counted) return;
        counted = false;
        inFlight -= 1;
        wake();
      };
      // `close` follows `finish`, and also ends a request whose client went away mid-answer.
      response.once('finish', done);
      response.once('close', done);
      next();
    },
    idle(signal) {
      return new Promise((resolve) => {
        setImmediate(() => {
          if (inFlight === 0 || signal?.aborted) return resolve();
          const waiter = () => {
            signal?.removeEventListener('abort', waiter);
            waiters = waiters.filter((other) => other !== waiter);
            resolve();
          };
          waiters.push(waiter);
          signal?.addEventListener('abort', waiter, { once: true });
        });
      });
    },
    inFlight: () => inFlight,
  };
}
