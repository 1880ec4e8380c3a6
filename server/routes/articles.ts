import express, { Router, type Request, type RequestHandler } from 'express';
import multer from 'multer';
import { z } from 'zod';
import type { KnowledgeStore } from '../../kb/store.ts';
import { DOCUMENT_LIMITS } from '../../ingest/document-limits.ts';
import type { Chunk, StoredArticle } from '../../kb/types.ts';
import { AppError } from '../../lib/errors.ts';
import { isSampleArticle, listSampleArticles } from '../../lib/samples.ts';
import { FETCH_DEFAULTS } from '../../ingest/fetch/fetch-page.ts';
import { loadUrlDocument, type UrlFetchOptions } from '../../ingest/fetch/load-url.ts';
import { formatBytes } from '../../ingest/pdf/parse-pdf.ts';
import { createArticleFlagger } from '../article-flags.ts';
import type { Library } from '../library.ts';

export const ListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  q: z.string().max(200).optional(),
  sample: z.literal('true', { message: 'sample takes only `true` (list the bundled sample articles)' }).optional().meta({
    description: '`true` lists only the bundled sample articles (their `total` says whether any are left to remove)',
  }),
});

const DateInputSchema = z
  .string()
  .trim()
  .refine((value) => /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(value) && !Number.isNaN(Date.parse(value.slice(0, 10))), {
    message: 'expected a date as YYYY-MM-DD (or an ISO date-time)',
  })
  .transform((value) => value.slice(0, 10));

/** A file sent inside JSON: its name decides how it is parsed (.pdf .html .md .txt .json). */
const FileUploadSchema = z
  .object({
    name: z.string().trim().min(1).max(300),
    contentBase64: z
      .string()
      .min(1, 'file.contentBase64 is empty')
      .refine((value) => /^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(value), { message: 'file.contentBase64 is not base64' }),
  })
  .strict();

const MetadataFieldsSchema = z.object({
  title: z.string().trim().min(1).max(500).optional(),
  url: z.string().trim().url().max(2_000).optional(),
  source: z.string().trim().min(1).max(200).optional(),
  published: DateInputSchema.optional(),
  tags: z.array(z.string().trim().min(1).max(80)).max(50).optional(),
});

const MAX_TEXT_CHARS = 5_000_000;

export const CreateArticleBodySchema = MetadataFieldsSchema.extend({
  text: z.string().max(DOCUMENT_LIMITS.maxTextChars, `at most ${DOCUMENT_LIMITS.maxTextChars} characters of text per upload`).optional(),
  html: z.string().max(DOCUMENT_LIMITS.maxHtmlChars, `at most ${DOCUMENT_LIMITS.maxHtmlChars} characters of HTML per upload`).optional(),
  file: FileUploadSchema.optional(),
})
  .strict()
  .refine(
    (body) => {
      const contents = [body.text, body.html, body.file].filter((value) => value !== undefined).length;
      return contents === 1 || (contents === 0 && body.url !== undefined);
    },
    { message: 'send exactly one of `text`, `html` or `file` ({name, contentBase64}), or `url` alone to fetch the page' },
  )
  .refine((body) => body.file !== undefined || (body.text === undefined && body.html === undefined) || (body.text ?? body.html ?? '').trim().length > 0, {
    message: 'the article text is empty',
  });

/** The text fields beside a multipart upload's `file`; tags as one comma-separated field or repeated. */
const MultipartFieldsSchema = MetadataFieldsSchema.extend({
  tags: z
    .union([z.string(), z.array(z.string())])
    .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((tag) => tag.trim()).filter((tag) => tag.length > 0))
    .pipe(z.array(z.string().min(1).max(80)).max(50))
    .optional(),
}).strict();

type MetadataFields = z.infer<typeof MetadataFieldsSchema>;

function metadataDefaults(fields: MetadataFields) {
  return {
    ...(fields.title ? { title: fields.title } : {}),
    ...(fields.url ? { url: fields.url } : {}),
    ...(fields.source ? { source: fields.source } : {}),
    ...(fields.published ? { published: fields.published } : {}),
    ...(fields.tags ? { tags: fields.tags } : {}),
  };
}

function isMultipart(request: Request): boolean {
  return request.is('multipart/form-data') === 'multipart/form-data';
}

/** multer's failures as the API's errors: the size limit named, everything else a bad request. */
function multipartParser(maxBytes: number): RequestHandler {
  const parse = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: 1, fields: 20, fieldSize: 64 * 1024 } }).single('file');
  return (request, response, next) => {
    parse(request, response, (error: unknown) => {
      if (error === undefined || error === null) return next();
      if (error instanceof multer.MulterError) {
        if (error.code === 'LIMIT_FILE_SIZE') {
          return next(new AppError('payload_too_large', `The file is larger than the upload limit of ${formatBytes(maxBytes)} (COPILOT_PDF_MAX_BYTES).`));
        }
        return next(new AppError('bad_request', `Send one document in the multipart field \`file\` (${error.code}).`));
      }
      return next(new AppError('bad_request', 'The multipart body could not be read.'));
    });
  };
}

export interface ArticlesDeps {
  kb: KnowledgeStore;
  library: Library;
  bodyLimit?: string;
  /** Largest uploaded file (multipart, or base64 in JSON); default 32 MB, as COPILOT_PDF_MAX_BYTES. */
  uploadMaxBytes?: number;
  /** How `{url}` alone is fetched (SSRF policy, limits, DNS); default FETCH_DEFAULTS and no exempt hosts. */
  fetch?: UrlFetchOptions;
}

export const RemoveSamplesQuerySchema = z
  .object({ sample: z.literal('true', { message: 'only the sample articles can be removed together: send DELETE /api/articles?sample=true' }) })
  .strict();

export function createArticlesRouter(deps: ArticlesDeps): Router {
  const router = Router();
  const { kb, library } = deps;

  router.get('/', async (request, response) => {
    const { sample, ...query } = ListQuerySchema.parse(request.query);
    if (sample) {
      // Samples are told apart by where they came from, which no store indexes: filter here.
      const samples = (await kb.listArticles(query.q ? { q: query.q } : {})).articles.filter((article) => isSampleArticle(article));
      response.json({ articles: samples.slice(query.offset, query.offset + query.limit).map(summarize), total: samples.length });
      return;
    }
    const { articles, total } = await kb.listArticles(query);
    response.json({ articles: articles.map(summarize), total });
  });

  router.get('/:id', async (request, response) => {
    const article = await kb.getArticle(request.params.id);
    if (!article) throw new AppError('not_found', `No article with id ${JSON.stringify(request.params.id.slice(0, 64))}.`);
    response.json(describeArticle(article, await kb.passagesOf(article.id)));
  });

  const uploadMaxBytes = deps.uploadMaxBytes ?? 32 * 1024 * 1024;
  // A file in JSON travels as base64 (4 bytes per 3), so the JSON limit grows with the upload limit.
  const jsonLimit = Math.max(parseByteLimit(deps.bodyLimit ?? '6mb'), Math.ceil((uploadMaxBytes * 4) / 3) + 64 * 1024);
  const jsonParser = express.json({ limit: jsonLimit });
  const multipart = multipartParser(uploadMaxBytes);
  const parseBody: RequestHandler = (request, response, next) =>
    isMultipart(request) ? multipart(request, response, next) : jsonParser(request, response, next);

  router.post('/', parseBody, async (request, response) => {
    let input: Parameters<Library['addArticle']>[0];
    if (isMultipart(request)) {
      const fields = MultipartFieldsSchema.parse(request.body ?? {});
      if (request.file === undefined) throw new AppError('bad_request', 'Send the document in the multipart field `file`.');
      input = {
        content: new Uint8Array(request.file.buffer),
        filename: request.file.originalname,
        defaults: metadataDefaults(fields),
        ...(fields.url ? { origin: fields.url } : {}),
      };
    } else {
      rejectOversizedText(request.body);
      const body = CreateArticleBodySchema.parse(request.body ?? {});
      const defaults = metadataDefaults(body);
      const origin = body.url ? { origin: body.url } : {};
      if (body.text === undefined && body.html === undefined && body.file === undefined && body.url !== undefined) {
        const { url, ...fields } = body;
        input = await loadUrlDocument(url, metadataDefaults(fields), deps.fetch ?? { policy: { ...FETCH_DEFAULTS, allowHosts: [] } });
      } else if (body.file !== undefined) {
        const bytes = Buffer.from(body.file.contentBase64, 'base64');
        if (bytes.byteLength > uploadMaxBytes) {
          throw new AppError('payload_too_large', `The file is larger than the upload limit of ${formatBytes(uploadMaxBytes)} (COPILOT_PDF_MAX_BYTES).`);
        }
        input = { content: new Uint8Array(bytes), filename: body.file.name, defaults, ...origin };
      } else {
        input = { content: body.html ?? body.text ?? '', format: body.html !== undefined ? 'html' : 'text', defaults, ...origin };
      }
    }
    const result = await library.addArticle(input);
    response
      .status(201)
      .json({ id: result.id, chunks: result.chunks, deduplicated: result.deduplicated, ...(result.warnings.length ? { warnings: result.warnings } : {}) });
  });

  // Removes the bundled sample articles in one step (the only bulk delete: `?sample=true` is required).
  router.delete('/', async (request, response) => {
    RemoveSamplesQuerySchema.parse(request.query);
    const ids = (await listSampleArticles(kb)).map((article) => article.id);
    for (const id of ids) await library.deleteArticle(id);
    response.json({ removed: ids.length });
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
    ...(article.author ? { author: article.author } : {}),
    ...(article.pages ? { pages: article.pages } : {}),
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

const flagArticle = createArticleFlagger();

function summarize(article: StoredArticle) {
  const { flags, flaggedSentences } = flagArticle(article);
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
    ...(isSampleArticle(article) ? { sample: true } : {}),
    // Sentences addressed to an AI (prompt injection): never used as evidence, shown as a warning.
    ...(flags.length > 0 ? { flags, flaggedSentences } : {}),
  };
}

/** The JSON limit admits a base64 file; text sent as text keeps its own limit, a 413 that names it. */
function rejectOversizedText(body: unknown): void {
  if (typeof body !== 'object' || body === null) return;
  for (const field of ['text', 'html'] as const) {
    const value = (body as Record<string, unknown>)[field];
    if (typeof value === 'string' && value.length > MAX_TEXT_CHARS) {
      throw new AppError('payload_too_large', `\`${field}\` is longer than the limit of ${MAX_TEXT_CHARS.toLocaleString('en-US')} characters.`);
    }
  }
}

/** Express-style sizes ("6mb", "100kb") as bytes. */
function parseByteLimit(limit: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(limit.trim());
  if (match === null) return 6 * 1024 * 1024;
  const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(match[2] ?? 'b').toLowerCase() as 'b' | 'kb' | 'mb' | 'gb'];
  return Math.round(Number(match[1]) * unit);
}
