import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { ingestPaths } from '../../ingest/pipeline.ts';
import { createWriteQueue } from '../../lib/write-queue.ts';
import { createApp } from '../../server/app.ts';
import { createChatService } from '../../server/chat/chat-service.ts';
import { createConversationStore } from '../../server/chat/conversations.ts';
import { createOfflineEngine } from '../../server/chat/offline-engine.ts';
import { createLibrary } from '../../server/library.ts';
import { createCopilotBackend, MCP_SCHEMAS, type CopilotServices } from '../../server/mcp/copilot-backend.ts';
import { createMcpServer } from '../../server/mcp/create-mcp-server.ts';
import { createMcpRouter } from '../../server/mcp/mcp-route.ts';
import { createToolRegistry } from '../../server/tools/registry.ts';
import { createFakeEmbedder } from '../helpers/fake-embedder.ts';
import { createTestResearch, prices, prompts, REPO, TODAY } from '../research/helpers.ts';

type ToolText = { content: { type: string; text: string }[]; isError?: boolean; structuredContent?: Record<string, any> };

// One knowledge base for the whole file (the write test commits to it), removed at the end.
const indexDir = mkdtempSync(join(tmpdir(), 'copilot-mcp-'));
afterAll(() => rmSync(indexDir, { recursive: true, force: true }));
let services: CopilotServices;

beforeAll(async () => {
  const embedder = createFakeEmbedder();
  const kb = await EmbeddedStore.open({ indexDir: indexDir, embedder: { id: embedder.id, dim: embedder.dim } });
  await ingestPaths([join(REPO, 'data/articles')], { kb, embedder });
  const registry = createToolRegistry();
  const toolContext = () => ({ prices, today: TODAY });
  const chat = createChatService({
    offline: createOfflineEngine({ kb, embedder, registry, toolContext, prompts }),
    conversations: createConversationStore(),
    prompts,
    today: () => TODAY,
  });
  services = {
    kb,
    embedder,
    registry,
    toolContext,
    chat,
    research: createTestResearch({ kb, embedder }),
    library: createLibrary({ kb, embedder, queue: createWriteQueue() }),
    today: () => TODAY,
    version: 'test',
    allowWrites: false,
  };
});

async function connect(allowWrites = false): Promise<Client> {
  const server = createMcpServer(createCopilotBackend({ ...services, allowWrites }), MCP_SCHEMAS);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'test', version: '1' });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return client;
}

const call = async (client: Client, name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as ToolText;

describe('MCP server (in process, through the SDK client)', () => {
  it('lists the knowledge-base, metric, chat and research tools with JSON Schemas from the zod definitions', async () => {
    const client = await connect();
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    for (const tool of services.registry.list()) expect(names).toContain(tool.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'search_knowledge_base',
        'read_article',
        'read_passage',
        'ask_copilot',
        'propose_research_plan',
        'run_research_plan',
        'ingest_article',
        'delete_article',
      ]),
    );
    const search = tools.find((tool) => tool.name === 'search_knowledge_base')!;
    expect(search.inputSchema.properties).toHaveProperty('query');
    expect(search.inputSchema.required).toContain('query');
    expect(search.annotations?.readOnlyHint).toBe(true);
  });

  it('searches, then reads the found passage and its article, with the same fields as the HTTP API', async () => {
    const client = await connect();
    const found = await call(client, 'search_knowledge_base', { query: 'small caps Russell 2000', k: 3 });
    expect(found.isError).toBeFalsy();
    const results = found.structuredContent!.results as { chunkId: string; articleId: string; title: string }[];
    expect(results.length).toBeGreaterThan(0);
    const passage = await call(client, 'read_passage', { chunkId: results[0]!.chunkId });
    expect(passage.structuredContent).toMatchObject({ chunkId: results[0]!.chunkId, articleId: results[0]!.articleId, title: results[0]!.title });
    const article = await call(client, 'read_article', { id: results[0]!.articleId });
    expect(article.structuredContent!.chunks.map((chunk: { id: string }) => chunk.id)).toContain(results[0]!.chunkId);
  });

  it('runs every metric tool through the registry with provenance', async () => {
    const client = await connect();
    const result = await call(client, 'performance', { symbol: 'Russell 2000', from: '2026-01-02', to: '2026-01-30' });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ symbol: 'RUT', base: { date: '2025-12-31' }, last: { date: '2026-01-30' } });
    expect(result.structuredContent!.provenance.conventions.length).toBeGreaterThan(0);
    expect(typeof result.structuredContent!.summary).toBe('string');
  });

  it('answers with the cited chat and drafts and runs a research plan', async () => {
    const client = await connect();
    const answer = await call(client, 'ask_copilot', { message: 'What did the Russell 2000 return in January 2026?' });
    expect(answer.isError).toBeFalsy();
    expect(answer.structuredContent).toHaveProperty('answer');
    expect(Array.isArray(answer.structuredContent!.citations)).toBe(true);
    const plan = await call(client, 'propose_research_plan', { question: 'Compare small caps and large caps in 2026' });
    expect(plan.structuredContent!.steps.length).toBeGreaterThanOrEqual(3);
    const report = await call(client, 'run_research_plan', { planId: plan.structuredContent!.planId });
    expect(report.isError).toBeFalsy();
    expect(report.structuredContent!.report.markdown).toContain('References');
  });

  it('gives bad arguments and unknown ids a tool error, not a crash, and keeps serving', async () => {
    const client = await connect();
    const empty = await call(client, 'search_knowledge_base', { query: '' });
    expect(empty.isError).toBe(true);
    const badTool = await call(client, 'performance', { symbol: 'Russell 2000', from: 'yesterday' });
    expect(badTool.isError).toBe(true);
    expect(badTool.content[0]!.text).toMatch(/bad_request|from/);
    const missing = await call(client, 'read_article', { id: '0000000000000000' });
    expect(missing.isError).toBe(true);
    expect(missing.content[0]!.text).toMatch(/^not_found/);
    const badRun = await call(client, 'run_research_plan', { planId: 'no-such-plan' });
    expect(badRun.isError).toBe(true);
    expect((await call(client, 'search_knowledge_base', { query: 'rates' })).isError).toBeFalsy();
  });

  it('refuses writes unless the server allows them, and writes when it does', async () => {
    const before = (await services.kb.stats()).articles;
    const readOnly = await connect(false);
    const refused = await call(readOnly, 'ingest_article', { title: 'MCP note', text: 'Operating margin widened to 21% on lower input costs.' });
    expect(refused.isError).toBe(true);
    expect(refused.content[0]!.text).toMatch(/COPILOT_MCP_WRITES/);
    expect((await call(readOnly, 'delete_article', { id: (await services.kb.listArticles({ limit: 1 })).articles[0]!.id })).isError).toBe(true);
    expect((await services.kb.stats()).articles).toBe(before);

    const writable = await connect(true);
    const added = await call(writable, 'ingest_article', { title: 'MCP note', text: 'Operating margin widened to 21% on lower input costs.' });
    expect(added.isError).toBeFalsy();
    expect((await services.kb.stats()).articles).toBe(before + 1);
    expect((await call(writable, 'delete_article', { id: added.structuredContent!.id })).isError).toBeFalsy();
    expect((await services.kb.stats()).articles).toBe(before);
  });

  it('lists and reads articles as article:// resources', async () => {
    const client = await connect();
    const { resources } = await client.listResources();
    expect(resources.length).toBe((await services.kb.stats()).articles);
    const read = await client.readResource({ uri: resources[0]!.uri });
    const body = JSON.parse(String((read.contents[0] as { text: string }).text));
    expect(`article://${body.id}`).toBe(resources[0]!.uri);
    expect(body.text.length).toBeGreaterThan(0);
  });
});

describe('MCP over streamable HTTP at /mcp', () => {
  let server: Server;
  let base: string;
  const key = 'k'.repeat(24);
  beforeAll(async () => {
    const app = createApp({
      kb: services.kb,
      embedder: services.embedder,
      llm: { mode: 'offline' },
      security: { apiKey: key, rateLimit: false },
      mcp: createMcpRouter({ createServer: () => createMcpServer(createCopilotBackend(services), MCP_SCHEMAS) }),
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('serves tools to the SDK client behind the API key', async () => {
    const client = new Client({ name: 'http-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThan(10);
    const result = (await client.callTool({ name: 'range_52w', arguments: { symbol: 'S&P 500', asOf: '2026-01-23' } })) as ToolText;
    expect(result.isError).toBeFalsy();
    await client.close();
  });

  it('answers 401 without the key and 405 to GET', async () => {
    const denied = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
    });
    expect(denied.status).toBe(401);
    const get = await fetch(`${base}/mcp`, { headers: { authorization: `Bearer ${key}` } });
    expect(get.status).toBe(405);
  });
});
