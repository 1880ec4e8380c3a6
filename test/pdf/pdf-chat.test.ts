import { join, resolve } from 'node:path';
import type { Express } from 'express';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { createLocalEmbedder } from '../../ingest/embed/local-embedder.ts';
import { createApp } from '../../server/app.ts';
import { createChatService } from '../../server/chat/chat-service.ts';
import { createConversationStore } from '../../server/chat/conversations.ts';
import { createOfflineEngine } from '../../server/chat/offline-engine.ts';
import { createPriceStore } from '../../server/market/price-store.ts';
import { loadPromptLibrary } from '../../server/prompts.ts';
import { createChatRouter } from '../../server/routes/chat.ts';
import { createToolRegistry } from '../../server/tools/registry.ts';
import { buildPdf, statementSpec } from '../helpers/build-pdf.ts';
import { type RunningApp, useApp } from '../helpers/http.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

/** A PDF statement uploaded through the API, then asked about through the chat API (offline engine). */
const REPO = resolve(import.meta.dirname, '../..');
const TODAY = '2026-11-21';
const tempDir = useTempDirs();
const start = useApp();
let server: Express;
let app: RunningApp;
let articleId: string | undefined;

beforeAll(async () => {
  const embedder = await createLocalEmbedder({ cacheDir: join(REPO, '.cache/word-vectors') });
  const kb = await EmbeddedStore.open({ indexDir: join(tempDir(), 'index'), embedder: { id: embedder.id, dim: embedder.dim } });
  const prompts = loadPromptLibrary(join(REPO, 'prompts'));
  const prices = createPriceStore({ dataDir: join(REPO, 'data') });
  const offline = createOfflineEngine({ kb, embedder, registry: createToolRegistry(), toolContext: () => ({ prices, today: TODAY }), prompts });
  const chat = createChatService({ offline, conversations: createConversationStore(), prompts, today: () => TODAY });
  server = createApp({
    kb,
    embedder,
    llm: { mode: 'offline' },
    security: { rateLimit: false },
    routers: [{ path: '/chat', router: createChatRouter({ chat }) }],
  });
});

beforeEach(async () => {
  app = await start(server);
  if (articleId !== undefined) return;
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(await buildPdf(statementSpec()))], { type: 'application/pdf' }), 'quarry-hill-2025.pdf');
  const response = await fetch(`${app.url}/api/articles`, { method: 'POST', body: form });
  expect(response.status).toBe(201);
  articleId = ((await response.json()) as { id: string }).id;
});

interface ChatReply {
  answer: string;
  citations: { n: number; kind: string; articleId?: string; page?: number; arguments?: { inputs?: { source?: string }[] } }[];
}

async function ask(message: string): Promise<ChatReply> {
  const reply = await app.json('/api/chat', { body: { message } });
  expect(reply.status).toBe(200);
  return reply.body as ChatReply;
}

const lead = (answer: string) => answer.split(/\n\s*\n/)[0]!;

describe('questions answered from a PDF table through the chat API', () => {
  it('computes a change from the statement, from cells of the passage printed on page 2, and cites that page', async () => {
    const reply = await ask('What was the percentage change in net revenue from 2024 to 2025?');
    // (2,480.0 − 2,210.5) / 2,210.5
    expect(lead(reply.answer)).toMatch(/12\.19%/);
    const inputs = reply.citations.flatMap((citation) => citation.arguments?.inputs ?? []);
    expect(inputs.length).toBe(2);
    const article = await app.json(`/api/articles/${articleId}`);
    const pages = new Map((article.body.chunks as { id: string; page?: number }[]).map((chunk) => [chunk.id, chunk.page]));
    expect(inputs.map((input) => pages.get(input.source ?? ''))).toEqual([2, 2]);
    // The formula line cites that passage, with its page.
    const cited = reply.citations.filter((citation) => citation.articleId === articleId);
    expect(cited.map((citation) => citation.page)).toEqual([2]);
  });

  it.each([
    ['What was net income in 2025?', /350\.6/],
    // The label wraps onto a second line in the PDF, the figures on the second.
    ['What were selling, general and administrative expenses in 2025?', /512\.7/],
    // The label wraps onto a second line, the figures on the first.
    ['What was income from equity-method investments, net of tax, in 2024?', /18\.0/],
  ])('%s (cited with its page)', async (question, figure) => {
    const reply = await ask(question);
    expect(lead(reply.answer)).toMatch(figure);
    const cited = reply.citations.filter((citation) => citation.articleId === articleId);
    expect(cited.length).toBeGreaterThan(0);
    expect(cited.map((citation) => citation.page)).toEqual(cited.map(() => 2));
  });
});
