import { Router } from 'express';
import type { KnowledgeBase } from '../../kb/knowledge-base.ts';

export interface HealthDeps {
  kb: KnowledgeBase;
  llm: { mode: 'offline' | 'openai'; model?: string };
}

export function createHealthRouter(deps: HealthDeps): Router {
  const router = Router();
  router.get('/', (_request, response) => {
    const { articles, chunks } = deps.kb.stats();
    response.json({
      status: 'ok',
      articles,
      chunks,
      embedder: { id: deps.kb.embedder.id, dim: deps.kb.embedder.dim },
      llm: deps.llm.mode === 'openai' ? { mode: 'openai', model: deps.llm.model } : { mode: 'offline' },
      generation: deps.kb.generation,
    });
  });
  return router;
}
