import express from 'express';
import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import { formatZodError } from '../error-handler.ts';
import type { ToolRegistry } from '../tools/registry.ts';
import type { ToolContext } from '../tools/types.ts';

export const RunToolBodySchema = z.object({
  arguments: z.record(z.string(), z.unknown()).default({}),
});

/**
 * `GET /` lists the tools with their JSON Schemas; `POST /:name` with `{arguments}` runs one and
 * answers `{result}`. Errors go to the app's central handler. When the client goes away, the
 * run's signal aborts, so a live price fetch stops with it.
 */
export function createToolsRouter(deps: { registry: ToolRegistry; context: () => ToolContext }): express.Router {
  const router = express.Router();

  router.get('/', (_request, response) => {
    response.json(deps.registry.list());
  });

  router.post('/:name', async (request, response, next) => {
    const aborter = new AbortController();
    const abortOnClose = () => {
      if (!response.writableEnded) aborter.abort();
    };
    response.on('close', abortOnClose);
    try {
      const body = RunToolBodySchema.safeParse(request.body ?? {});
      if (!body.success) throw new AppError('bad_request', `Request body must be {"arguments": {...}}: ${formatZodError(body.error)}`);
      const base = deps.context();
      const signal = base.signal ? AbortSignal.any([base.signal, aborter.signal]) : aborter.signal;
      const result = await deps.registry.run(request.params.name, body.data.arguments, { ...base, signal });
      response.json({ result });
    } catch (error) {
      next(error);
    } finally {
      response.off('close', abortOnClose);
    }
  });

  return router;
}
