import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { isAppError } from '../../lib/errors.ts';
import type { ToolRegistry } from '../tools/registry.ts';
import type { ToolContext } from '../tools/types.ts';

/**
 * The copilot as a Model Context Protocol server: the knowledge base, every metric tool, the cited
 * chat and deep research, for any MCP client (desktop assistants, IDEs, agent frameworks). It holds
 * no logic of its own: each tool calls the same service the HTTP route calls, validated by the
 * same zod schema, so an MCP result carries the same citations and provenance as the API's.
 */
export const MCP_DEFAULTS = {
  name: 'investment-copilot',
  /** Articles listed as resources (the library can be larger; `search_knowledge_base` finds the rest). */
  resourceListLimit: 200,
};

/** What the MCP server needs from the copilot, built by the composition root. */
export interface McpBackend {
  version: string;
  search(body: unknown, signal: AbortSignal): Promise<unknown>;
  getArticle(id: string): Promise<Record<string, unknown> | undefined>;
  getPassage(chunkId: string): Promise<Record<string, unknown> | undefined>;
  listArticles(limit: number): Promise<{ id: string; title: string; published?: string }[]>;
  registry: ToolRegistry;
  toolContext: () => ToolContext;
  ask(body: unknown, signal: AbortSignal): Promise<unknown>;
  plan(body: unknown, signal: AbortSignal): Promise<unknown>;
  run(body: unknown, signal: AbortSignal): Promise<unknown>;
  /** Library writes; refused with a clear tool error unless the server allows them. */
  writes: { allowed: boolean; ingest(body: unknown): Promise<unknown>; remove(id: string): Promise<boolean> };
}

const IdSchema = z.object({ id: z.string().min(1).max(64).describe('An article id, as search results and article:// resources give it.') });
const PassageSchema = z.object({ chunkId: z.string().min(1).max(80).describe('A passage id (chunkId in search results and citations).') });
const PassthroughSchema = z.object({}).passthrough();

/**
 * Builds a server with every tool and the article resources registered. Input validation happens
 * twice on purpose: the SDK checks the advertised schema, and the service parses with the route's
 * own schema, so a client sees the same messages as the HTTP API gives.
 */
export function createMcpServer(backend: McpBackend, schemas: McpSchemas): McpServer {
  const server = new McpServer({ name: MCP_DEFAULTS.name, version: backend.version }, { capabilities: { logging: {} } });

  server.registerTool(
    'search_knowledge_base',
    {
      title: 'Search the knowledge base',
      description:
        'Hybrid (BM25 + vector) search over the ingested articles and filings. Returns passages with chunkId, articleId, title, date, page and score; filter by tickers, tags, dates or article ids.',
      inputSchema: schemas.search,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args, extra) => respond(() => backend.search(args, extra.signal)),
  );
  server.registerTool(
    'read_article',
    {
      title: 'Read an article',
      description: 'The full text, metadata and passages of one article by id.',
      inputSchema: IdSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args) => respond(async () => (await backend.getArticle(args.id)) ?? notFound(`No article with id ${JSON.stringify(args.id)}.`)),
  );
  server.registerTool(
    'read_passage',
    {
      title: 'Read a passage',
      description: 'One passage (chunk) by id, with its article, section and page: what a citation points at.',
      inputSchema: PassageSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args) => respond(async () => (await backend.getPassage(args.chunkId)) ?? notFound(`No passage with id ${JSON.stringify(args.chunkId)}.`)),
  );
  for (const tool of backend.registry.definitions()) {
    server.registerTool(
      tool.name,
      { description: tool.description, inputSchema: asObjectSchema(tool.schema), annotations: { readOnlyHint: true } },
      (args, extra) => respond(() => backend.registry.run(tool.name, args, { ...backend.toolContext(), signal: extra.signal })),
    );
  }
  server.registerTool(
    'ask_copilot',
    {
      title: 'Ask the copilot',
      description:
        'Asks a financial question; the answer is Markdown with [n] markers, each resolved in `citations` to a retrieved passage or a computed tool result. Pass conversationId for a follow-up.',
      inputSchema: schemas.chat,
      annotations: { readOnlyHint: true },
    },
    (args, extra) => respond(() => backend.ask(args, extra.signal)),
  );
  server.registerTool(
    'propose_research_plan',
    {
      title: 'Propose a research plan',
      description:
        'Drafts a 3–8 step deep-research plan (searches and tool calls) for a question; review or edit the steps, then run it with run_research_plan.',
      inputSchema: schemas.plan,
      annotations: { readOnlyHint: true },
    },
    (args, extra) => respond(() => backend.plan(args, extra.signal)),
  );
  server.registerTool(
    'run_research_plan',
    {
      title: 'Run a research plan',
      description:
        'Runs a plan into a structured, cited report: {planId, steps?} for a proposed (optionally edited) plan, or {question, autoAccept: true} to plan and run at once.',
      inputSchema: PassthroughSchema,
      annotations: { readOnlyHint: true },
    },
    (args, extra) => respond(() => backend.run(args, extra.signal)),
  );
  server.registerTool(
    'ingest_article',
    {
      title: 'Add an article to the library',
      description: 'Adds a document ({title?, text | html | url, source?, published?, tags?}). Only when the server allows writes (COPILOT_MCP_WRITES=true).',
      inputSchema: PassthroughSchema,
      annotations: { readOnlyHint: false, destructiveHint: false },
    },
    (args) => respond(() => (backend.writes.allowed ? backend.writes.ingest(args) : writesOff())),
  );
  server.registerTool(
    'delete_article',
    {
      title: 'Delete an article',
      description: 'Removes an article and its passages by id. Only when the server allows writes (COPILOT_MCP_WRITES=true).',
      inputSchema: IdSchema,
      annotations: { readOnlyHint: false, destructiveHint: true },
    },
    (args) =>
      respond(async () => {
        if (!backend.writes.allowed) return writesOff();
        return (await backend.writes.remove(args.id)) ? { deleted: args.id } : notFound(`No article with id ${JSON.stringify(args.id)}.`);
      }),
  );

  server.registerResource(
    'article',
    new ResourceTemplate('article://{id}', {
      list: async () => ({
        resources: (await backend.listArticles(MCP_DEFAULTS.resourceListLimit)).map((article) => ({
          uri: `article://${article.id}`,
          name: article.title,
          mimeType: 'application/json',
          ...(article.published ? { description: `published ${article.published}` } : {}),
        })),
      }),
    }),
    { title: 'Library articles', description: 'Each article of the knowledge base with its text and passages.', mimeType: 'application/json' },
    async (uri, variables) => {
      const id = String(variables.id ?? '');
      const article = await backend.getArticle(id);
      if (!article) throw new ToolFailure('not_found', `No article with id ${JSON.stringify(id)}.`);
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(article) }] };
    },
  );
  return server;
}

/** The HTTP routes' request schemas, passed in so the MCP tools validate exactly as the API does. */
export interface McpSchemas {
  search: z.ZodObject;
  chat: z.ZodObject;
  plan: z.ZodObject;
}

class ToolFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function notFound(message: string): never {
  throw new ToolFailure('not_found', message);
}

function writesOff(): never {
  throw new ToolFailure(
    'forbidden',
    'This server is read-only over MCP: library writes are off. Start it with COPILOT_MCP_WRITES=true to allow ingest_article and delete_article.',
  );
}

/** MCP tool arguments are always an object; a tool whose schema is not one gets a permissive wrapper. */
function asObjectSchema(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodObject ? schema : PassthroughSchema;
}

/**
 * Runs a tool body and shapes the result: JSON text (what every client shows) plus the same object
 * as structured content. Client mistakes and known failures become tool errors with their code
 * (the model can read and correct them); anything else is reported without internals.
 */
async function respond(work: () => Promise<unknown>): Promise<CallToolResult> {
  try {
    const value = await work();
    const structured = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { result: value };
    return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: structured };
  } catch (error) {
    const known = error instanceof ToolFailure || isAppError(error) || error instanceof z.ZodError;
    const code = error instanceof ToolFailure || isAppError(error) ? error.code : error instanceof z.ZodError ? 'bad_request' : 'internal';
    const message =
      error instanceof z.ZodError
        ? z.prettifyError(error)
        : known && error instanceof Error
          ? error.message
          : 'The copilot failed to run this tool; see the server log.';
    return { isError: true, content: [{ type: 'text', text: `${code}: ${message}` }] };
  }
}
