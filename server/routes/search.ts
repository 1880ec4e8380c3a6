import { Router } from 'express';
import { z } from 'zod';
import type { KnowledgeStore } from '../../kb/store.ts';
import type { Embedder } from '../../ingest/embed/embedder.ts';
import { AppError } from '../../lib/errors.ts';
import { searchKnowledgeBase, type SearchHit } from '../retrieval/hybrid-search.ts';

const DateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((value) => !Number.isNaN(Date.parse(value)), 'not a real date');
const SymbolListSchema = z.array(z.string().trim().min(1).max(20)).max(50);

export const SearchFiltersSchema = z
  .object({
    tickers: SymbolListSchema.optional(),
    tags: z.array(z.string().trim().min(1).max(80)).max(50).optional(),
    from: DateSchema.optional(),
    to: DateSchema.optional(),
    articleIds: z
      .array(z.string().regex(/^[a-f0-9]{16}$/, 'expected an article id (16 hex characters)'))
      .max(100)
      .optional(),
  })
  .strict()
  .refine((filters) => !filters.from || !filters.to || filters.from <= filters.to, { message: '`from` must not be after `to`' });

export const SearchBodySchema = z
  .object({
    query: z.string().trim().min(1, 'query must not be empty').max(2_000, 'query must be at most 2,000 characters'),
    k: z.number().int().min(1).max(50).default(8),
    filters: SearchFiltersSchema.optional(),
    mode: z.enum(['hybrid', 'lexical', 'vector']).default('hybrid'),
  })
  .strict();

export interface SearchRouteDeps {
  kb: KnowledgeStore;
  embedder: Embedder;
  today: () => string;
}

export function serializeHit(hit: SearchHit) {
  return {
    chunkId: hit.chunk.id,
    articleId: hit.article.id,
    title: hit.article.title,
    ...(hit.article.published ? { published: hit.article.published } : {}),
    ...(hit.chunk.section ? { section: hit.chunk.section } : {}),
    ...(hit.chunk.page ? { page: hit.chunk.page } : {}),
    text: hit.chunk.text,
    score: Math.round(hit.score * 10_000) / 10_000,
  };
}

export function createSearchRouter(deps: SearchRouteDeps): Router {
  const router = Router();
  router.post('/', async (request, response) => {
    if (request.body === undefined) throw new AppError('bad_request', 'Send a JSON body: {"query": "...", "k": 8}.');
    const body = SearchBodySchema.parse(request.body);
    const result = await searchKnowledgeBase(deps.kb, deps.embedder, {
      query: body.query,
      k: body.k,
      mode: body.mode,
      today: deps.today(),
      ...(body.filters ? { filters: body.filters } : {}),
    });
    response.json({
      results: result.hits.map(serializeHit),
      relevance: result.relevance,
      query: {
        language: result.analysis.language,
        entities: result.analysis.entities.map(({ id, name, matched }) => ({ id, name, matched })),
        symbols: result.analysis.symbols,
        dates: result.analysis.dates.dates.map(({ date, text }) => ({ date, text })),
        ...(result.analysis.dates.period ? { period: result.analysis.dates.period } : {}),
        ...(result.analysis.dates.asOf ? { asOf: result.analysis.dates.asOf } : {}),
      },
    });
  });
  return router;
}
