import { Router } from 'express';
import type { KnowledgeStore } from '../../kb/store.ts';

/** A check returns a problem to report, or undefined when all is well. */
export type HealthCheck = () => string | undefined;

export interface HealthDeps {
  kb: KnowledgeStore;
  llm: { mode: 'offline' | 'openai'; model?: string };
  checks?: HealthCheck[];
  /** False while the server still warms up after its start (it answers meanwhile, the first requests a little slower). */
  warm?: () => boolean;
}

/**
 * `status` is "ok" or "degraded" with the reasons in `issues`: a problem the store reports (its
 * database file missing), or a check from elsewhere (the LLM provider failing). Always 200, so a
 * monitor can read the reasons.
 */
export function createHealthRouter(deps: HealthDeps): Router {
  const router = Router();
  router.get('/', async (_request, response) => {
    const { articles, chunks } = await deps.kb.stats();
    const issues: string[] = [...((await deps.kb.health?.()) ?? [])];
    for (const check of deps.checks ?? []) {
      const issue = check();
      if (issue) issues.push(issue);
    }
    response.json({
      status: issues.length === 0 ? 'ok' : 'degraded',
      articles,
      chunks,
      embedder: { id: deps.kb.embedder.id, dim: deps.kb.embedder.dim },
      llm: deps.llm.mode === 'openai' ? { mode: 'openai', model: deps.llm.model } : { mode: 'offline' },
      store: deps.kb.backend,
      version: await deps.kb.version(),
      ...(deps.warm ? { warm: deps.warm() } : {}),
      ...(issues.length > 0 ? { issues } : {}),
    });
  });
  return router;
}
