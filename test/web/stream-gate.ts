import type { RequestHandler, Response } from 'express';

/**
 * Holds a streamed answer after its first `token` event until the test releases it, so a test can
 * see the partial answer on the page without relying on timing. Armed for one request at a time.
 */
export function createStreamGate() {
  let armed = false;
  let holding = false;
  let held: Response | undefined;
  const queue: (() => void)[] = [];

  const middleware: RequestHandler = (_request, response, next) => {
    if (!armed) return next();
    armed = false;
    held = response;
    const write = response.write.bind(response) as (...args: unknown[]) => boolean;
    const end = response.end.bind(response) as (...args: unknown[]) => Response;
    response.write = ((...args: unknown[]) => {
      if (holding) {
        queue.push(() => write(...args));
        return true;
      }
      const result = write(...args);
      if (String(args[0]).startsWith('event: token')) holding = true;
      return result;
    }) as Response['write'];
    response.end = ((...args: unknown[]) => {
      if (holding) {
        queue.push(() => end(...args));
        return response;
      }
      return end(...args);
    }) as Response['end'];
    next();
  };

  return {
    middleware,
    arm() {
      armed = true;
    },
    release() {
      holding = false;
      const response = held;
      held = undefined;
      for (const flush of queue.splice(0)) if (response && !response.destroyed) flush();
    },
  };
}
