import express, { Router } from 'express';
import { z } from 'zod';
import type { KnowledgeStore } from '../../kb/store.ts';
import { DOCUMENT_LIMITS } from '../../ingest/document-limits.ts';
import type { Chunk, StoredArticle } from '../../kb/types.ts';
import { AppError } from '../../lib/errors.ts';
import type { Library } from '../library.ts';

export const ListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  q: z.string().max(200).optional(),
});

const DateInputSchema = z
  .string()
  .trim()
  .refine((value) => /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(value) && !Number.isNaN(Date.parse(value.slice(0, 10))), {
    message: 'expected a date as YYYY-MM-DD (or an ISO date-time)',
  })
  .transform((value) => value.slice(0, 10));

export const CreateArticleBodySchema = z
  .object({
    title: z.string().trim().min(1).max(500).optional(),
    text: z.string().max(DOCUMENT_LIMITS.maxTextChars, `at most ${DOCUMENT_LIMITS.maxTextChars} characters of text per upload`).optional(),
    html: z.string().max(DOCUMENT_LIMITS.maxHtmlChars, `at most ${DOCUMENT_LIMITS.maxHtmlChars} characters of HTML per upload`).optional(),
    url: z.string().trim().url().max(2_000).optional(),
    source: z.string().trim().min(1).max(200).optional(),
    published: DateInputSchema.optional(),
    tags: z.array(z.string().trim().min(1).max(80)).max(50).optional(),
  })
  .strict()
  .refine((body) => (body.text === undefined) !== (body.html === undefined), {
    message: 'send exactly one of `text` or `html`',
  })
  .refine((body) => (body.text ?? body.html ?? '').trim().length > 0, { message: 'the article text is empty' });

export interface ArticlesDeps {
  kb: KnowledgeStore;
  library: Library;
  bodyLimit?: string;
}

export function createArticlesRouter(deps: ArticlesDeps): Router {
  const router = Router();
  const { kb, library } = deps;

  router.get('/', async (request, response) => {
    const query = ListQuerySchema.parse(request.query);
    const { articles, total } = await kb.listArticles(query);
    response.json({ articles: articles.map(summarize), total });
  });

  router.get('/:id', async (request, response) => {
    const article = await kb.getArticle(request.params.id);
    if (!article) throw new AppError('not_found', `No article with id ${JSON.stringify(request.params.id.slice(0, 64))}.`);
    response.json(describeArticle(article, await kb.passagesOf(article.id)));
  });

  router.post('/', express.json({ limit: deps.bodyLimit ?? '6mb' }), async (request, response) => {
    const body = CreateArticleBodySchema.parse(request.body ?? {});
    const defaults = {
      ...(body.title ? { title: body.title } : {}),
      ...(body.url ? { url: body.url } : {}),
      ...(body.source ? { source: body.source } : {}),
      ...(body.published ? { published: body.published } : {}),
      ...(body.tags ? { tags: body.tags } : {}),
    };
    const result = await library.addArticle({
      content: body.html ?? body.text ?? '',
      format: body.html !== undefined ? 'html' : 'text',
      defaults,
      ...(body.url ? { origin: body.url } : {}),
    });
    response.status(201).json({ id: result.id, chunks: result.chunks, deduplicated: result.deduplicated, ...(result.warnings.length ? { warnings: result.warnings } : {}) });
  });

  router.delete('/:id', async (request, response) => {
    const removed = await library.deleteArticle(request.params.id);
    if (!removed) throw new AppError('not_found', `No article with id ${JSON.stringify(request.params.id.slice(0, 64))}.`);
    response.status(204).end();
  });

  return router;
}

/** An article with its text and passages, as `GET /api/articles/:id` and MCP's read_article give it. */
export function describeArticle(article: StoredArticle, chunks: Chunk[]) {
  return {
    ...summarize(article),
    ...(article.sentiment ? { sentiment: article.sentiment } : {}),
    ...(article.language ? { language: article.language } : {}),
    references: article.references,
    text: article.text,
    chunks: chunks.map((chunk) => ({
      id: chunk.id,
      ...(chunk.section ? { section: chunk.section } : {}),
      text: chunk.text,
      ...(chunk.page !== undefined ? { page: chunk.page } : {}),
      ...(chunk.table !== undefined ? { table: chunk.table } : {}),
    })),
  };
}

function summarize(article: StoredArticle) {
  return {
    id: article.id,
    title: article.title,
    ...(article.published ? { published: article.published } : {}),
    ...(article.source ? { source: article.source } : {}),
    ...(article.url ? { url: article.url } : {}),
    tags: article.tags,
    tickers: article.tickers,
    ...(article.sentiment ? { sentiment: article.sentiment } : {}),
    ...(article.financial ? { financial: article.financial } : {}),
  };
}
