import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponsesObject } from 'zod-openapi';
import { CreateArticleBodySchema, ListQuerySchema, RemoveSamplesQuerySchema } from '../routes/articles.ts';
import { ConversationIdSchema } from '../chat/conversations.ts';
import { ChatBodySchema } from '../routes/chat.ts';
import { PlanBodySchema, RunBodySchema } from '../routes/research.ts';
import { SearchBodySchema } from '../routes/search.ts';
import { RunToolBodySchema } from '../routes/tools.ts';
import {
  ArticleListResponseSchema,
  ArticleResponseSchema,
  ChatResponseSchema,
  ConversationListResponseSchema,
  ConversationResponseSchema,
  CreatedArticleResponseSchema,
  ErrorResponseSchema,
  RemovedSamplesResponseSchema,
  HealthResponseSchema,
  PlanResponseSchema,
  ReportResponseSchema,
  SearchResponseSchema,
  ToolListResponseSchema,
  ToolRunResponseSchema,
} from './response-schemas.ts';

/**
 * Example request bodies, one per POST route. The description carries them, and a test parses
 * each with the route's live schema, so an example can never drift from what the route accepts.
 */
export const REQUEST_EXAMPLES = {
  '/api/articles': { title: 'My note', text: 'Operating margin widened to 21% as input costs eased.', tags: ['margins'] },
  '/api/search': { query: 'Russell 2000 52-week range', k: 3, filters: { from: '2026-01-01' } },
  '/api/chat': { message: 'How much did the Russell 2000 gain in January 2026?' },
  '/api/tools/{name}': { arguments: { symbol: 'Russell 2000', from: '2025-12-01', to: '2026-01-23', base: 'open' } },
  '/api/research/plan': { question: 'Compare small caps and large caps for 2026 on valuation, earnings and rates' },
  '/api/research/run': { question: 'Is the small-cap rally sustainable?', autoAccept: true },
} as const;

const STREAM_NOTE =
  'With `Accept: text/event-stream` the answer comes as Server-Sent Events instead: `retrieval`, `plan`, `step`, `tool`, `token`, then `done` ' +
  '(the JSON body) or `error` ({code, message}).';

const errors = (...statuses: number[]): ZodOpenApiResponsesObject =>
  Object.fromEntries(
    statuses.map((status) => [
      String(status),
      { description: ERROR_TEXT[status] ?? 'error', content: { 'application/json': { schema: ErrorResponseSchema } } },
    ]),
  );

const ERROR_TEXT: Record<number, string> = {
  400: 'invalid input (the message names the field)',
  401: 'an API key is required (COPILOT_API_KEY)',
  404: 'not found',
  403: 'refused by policy (a URL to a loopback or private address; the message names the rule)',
  413: 'the body is larger than the route allows',
  415: 'a fetched page of a type other than HTML, PDF or text',
  422: 'a document that cannot be read (encrypted PDF, no text layer, damaged, too many pages)',
  429: 'rate limited (see Retry-After)',
  502: 'the page to fetch could not be reached (offline, DNS, upstream error)',
  504: 'the page to fetch took longer than the limit',
};

function json(schema: z.ZodType, description = 'OK') {
  return { description, content: { 'application/json': { schema } } };
}

function post(
  summary: string,
  path: keyof typeof REQUEST_EXAMPLES,
  body: z.ZodType,
  ok: ZodOpenApiResponsesObject,
  extra: Partial<ZodOpenApiOperationObject> = {},
): ZodOpenApiOperationObject {
  return {
    summary,
    requestBody: { required: true, content: { 'application/json': { schema: body, example: REQUEST_EXAMPLES[path] } } },
    responses: { ...ok, ...errors(400, 401, 413, 429) },
    ...extra,
  };
}

const ConversationIdParams = z.object({ id: ConversationIdSchema.meta({ description: "Conversation id (the chat response's conversationId)" }) });
const ArticleIdParams = z.object({ id: z.string().meta({ description: 'Article id (16 hex characters)' }) });

/** The OpenAPI 3.1 description of the HTTP API, generated from the zod schemas the routes validate with. */
export function buildOpenApiDocument(options: { version: string; serverUrl?: string }) {
  const paths: ZodOpenApiPathsObject = {
    '/api/health': { get: { summary: 'Health, counts, embedder and answer engine', responses: { '200': json(HealthResponseSchema) } } },
    '/api/articles': {
      get: {
        summary: 'List articles (newest first)',
        requestParams: { query: ListQuerySchema },
        responses: { '200': json(ArticleListResponseSchema), ...errors(400, 401) },
      },
      post: post(
        'Add an article: text or HTML, a file ({name, contentBase64}: PDF, HTML, Markdown, text, JSON, parsed by type), or a URL alone to fetch. ' +
          'The same route takes multipart/form-data with the document in the field `file`.',
        '/api/articles',
        CreateArticleBodySchema,
        { '201': json(CreatedArticleResponseSchema, 'Created (or deduplicated)'), ...errors(403, 415, 422, 502, 504) },
      ),
      delete: {
        summary: 'Remove every bundled sample article (requires ?sample=true)',
        requestParams: { query: RemoveSamplesQuerySchema },
        responses: { '200': json(RemovedSamplesResponseSchema), ...errors(400, 401) },
      },
    },
    '/api/articles/{id}': {
      get: {
        summary: 'One article with its text and passages',
        requestParams: { path: ArticleIdParams },
        responses: { '200': json(ArticleResponseSchema), ...errors(401, 404) },
      },
      delete: {
        summary: 'Delete an article and its passages',
        requestParams: { path: ArticleIdParams },
        responses: { '204': { description: 'Deleted' }, ...errors(401, 404) },
      },
    },
    '/api/search': { post: post('Hybrid search over the knowledge base', '/api/search', SearchBodySchema, { '200': json(SearchResponseSchema) }) },
    '/api/chat': {
      post: post(
        'Ask a question: a cited answer',
        '/api/chat',
        ChatBodySchema,
        {
          '200': { ...json(ChatResponseSchema), content: { 'application/json': { schema: ChatResponseSchema }, 'text/event-stream': { schema: z.string() } } },
        },
        { description: STREAM_NOTE },
      ),
    },
    '/api/conversations': {
      get: { summary: 'Stored conversations, most recently updated first', responses: { '200': json(ConversationListResponseSchema), ...errors(401) } },
    },
    '/api/conversations/{id}': {
      get: {
        summary: 'One conversation with its answers',
        requestParams: { path: ConversationIdParams },
        responses: { '200': json(ConversationResponseSchema), ...errors(400, 401, 404) },
      },
      delete: {
        summary: 'Delete a conversation',
        requestParams: { path: ConversationIdParams },
        responses: { '204': { description: 'Deleted' }, ...errors(400, 401, 404) },
      },
    },
    '/api/tools': { get: { summary: 'The metric tools with JSON Schemas of their arguments', responses: { '200': json(ToolListResponseSchema) } } },
    '/api/tools/{name}': {
      post: post(
        'Run a metric tool',
        '/api/tools/{name}',
        RunToolBodySchema,
        { '200': json(ToolRunResponseSchema) },
        {
          requestParams: { path: z.object({ name: z.string().meta({ description: 'A tool name from GET /api/tools', example: 'performance' }) }) },
        },
      ),
    },
    '/api/research/plan': { post: post('Draft a research plan to review', '/api/research/plan', PlanBodySchema, { '200': json(PlanResponseSchema) }) },
    '/api/research/run': {
      post: post(
        'Run a reviewed plan, or plan and run at once',
        '/api/research/run',
        RunBodySchema,
        {
          '200': { description: 'The report', content: { 'application/json': { schema: ReportResponseSchema }, 'text/event-stream': { schema: z.string() } } },
        },
        { description: STREAM_NOTE },
      ),
    },
    '/mcp': {
      post: {
        summary: 'Model Context Protocol (streamable HTTP, stateless JSON-RPC)',
        description: 'The same tools over MCP: search, read, metric tools, ask, research. Needs the API key whenever one is set. Connect with an MCP client.',
        requestBody: { required: true, content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } },
        responses: {
          '200': { description: 'JSON-RPC response', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } },
          ...errors(401, 429),
        },
      },
      get: { summary: 'Not used: the endpoint is stateless', responses: { '405': { description: 'Method not allowed' } } },
      delete: { summary: 'Not used: the endpoint is stateless', responses: { '405': { description: 'Method not allowed' } } },
    },
    '/api/openapi.json': {
      get: {
        summary: 'This description',
        responses: { '200': { description: 'OpenAPI 3.1 document', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } } },
      },
    },
  };
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'investment-copilot',
      version: options.version,
      description: 'Cited answers from your own documents, computed market figures and deep research. Client mistakes answer 4xx `{error: {code, message}}`.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'COPILOT_API_KEY, when the server sets one' } } },
    security: [{}, { apiKey: [] }],
    paths,
  });
}
