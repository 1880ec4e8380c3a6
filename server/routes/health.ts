import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Router } from 'express';
import type { KnowledgeBase } from '../../kb/knowledge-base.ts';

/** A check returns a problem to report, or undefined when all is well. */
export type HealthCheck = () => string | undefined;

export interface HealthDeps {
  kb: KnowledgeBase;
  llm: { mode: 'offline' | 'openai'; model?: string };
  checks?: HealthCheck[];
}

/**
 * `status` is "ok" or "degraded" with the reasons in `issues`: an index missing on disk, or a
 * check from elsewhere (the LLM provider failing) that reports a problem. Always 200, so a
 * monitor can read the reasons.
 */
export function createHealthRouter(deps: HealthDeps): Router {
  const router = Router();
  router.get('/', (_request, response) => {
    const { articles, chunks } = deps.kb.stats();
    const issues: string[] = [];
    if (!existsSync(deps.kb.indexDir)) issues.push(`the index folder ${deps.kb.indexDir} is missing; restart to rebuild it`);
    else if (articles > 0 && !existsSync(join(deps.kb.indexDir, 'manifest.json'))) issues.push('the index on disk is missing its manifest; the next write will recreate it');
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
      generation: deps.kb.generation,
      ...(issues.length > 0 ? { issues } : {}),
    });
  });
  return router;
}
