import { join, resolve } from 'node:path';
import { request as httpRequest } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { ingestDocument } from '../../ingest/pipeline.ts';
import { createApp } from '../../server/app.ts';
import { createChatService } from '../../server/chat/chat-service.ts';
import { createConversationStore } from '../../server/chat/conversations.ts';
import { createOfflineEngine } from '../../server/chat/offline-engine.ts';
import { createPriceStore } from '../../server/market/price-store.ts';
import { loadPromptLibrary } from '../../server/prompts.ts';
import { createChatRouter } from '../../server/routes/chat.ts';
import { createSearchRouter } from '../../server/routes/search.ts';
import { createToolsRouter } from '../../server/routes/tools.ts';
import { createToolRegistry } from '../../server/tools/registry.ts';
import { createFakeEmbedder } from '../helpers/fake-embedder.ts';
import { useApp, type RunningApp } from '../helpers/http.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const REPO = resolve(import.meta.dirname, '../..');
const tempDir = useTempDirs();
const start = useApp();

/** A small deterministic generator (mulberry32), so a failing case can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WEIRD_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\u0007\u001b[31m',
  '罗素2000指数',
  '📈📉💥',
  'a'.repeat(3_000),
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  '${process.exit()}',
  '(?:a+)+$',
  '\ud800',
  'NaN',
  '-1',
  '1e309',
];
const WEIRD_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1e309 === Infinity ? 1e308 : 0,
  3.7,
  [],
  {},
  [[[[[]]]]],
  { __proto__: { polluted: true } },
  ...WEIRD_STRINGS,
];

/** Deeply nested JSON text, built as text (stringifying a deep value would overflow the test's own stack). */
function deepJson(depth: number): string {
  return `${'{"query":['.repeat(depth)}1${']}'.repeat(depth)}`;
}

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)]!;
}

/** Sends raw bytes (possibly invalid UTF-8 or invalid JSON) and returns the status, or 0 on a dropped connection. */
function sendRaw(app: RunningApp, method: string, path: string, body: Buffer | undefined, contentType: string): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const url = new URL(app.url);
    const request = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: { 'content-type': contentType, ...(body ? { 'content-length': body.length } : {}) },
        timeout: 20_000,
      },
      (response) => {
        response.resume();
        response.on('end', () => resolvePromise(response.statusCode ?? 0));
      },
    );
    request.on('timeout', () => reject(new Error(`timeout on ${method} ${path}`)));
    request.on('error', reject);
    if (body) request.write(body);
    request.end();
  });
}

describe('fuzzing every route with malformed requests', () => {
  let app: RunningApp;
  let kb: EmbeddedStore;

  beforeAll(async () => {
    const embedder = createFakeEmbedder();
    kb = await EmbeddedStore.open({ indexDir: tempDir(), embedder: { id: embedder.id, dim: embedder.dim } });
    await ingestDocument(
      {
        content: 'Small caps note\n\nJanuary 21, 2026\n\nThe Russell 2000 closed at a record as rate-cut hopes lifted small companies.',
        format: 'text',
        origin: '/seed.txt',
      },
      { kb, embedder },
    );
    const prompts = loadPromptLibrary(join(REPO, 'prompts'));
    const prices = createPriceStore({ dataDir: join(REPO, 'data') });
    const registry = createToolRegistry();
    const toolContext = () => ({ prices, today: '2026-11-21' });
    const offline = createOfflineEngine({ kb, embedder, registry, toolContext, prompts });
    const chat = createChatService({ offline, conversations: createConversationStore(), prompts, today: () => '2026-11-21' });
    app = await start(
      createApp({
        kb,
        embedder,
        llm: { mode: 'offline' },
        security: { rateLimit: false },
        routers: [
          { path: '/search', router: createSearchRouter({ kb, embedder, today: () => '2026-11-21' }) },
          { path: '/tools', router: createToolsRouter({ registry, context: toolContext }) },
          { path: '/chat', router: createChatRouter({ chat }) },
        ],
      }),
    );
  });

  it('answers 400 malformed requests with no 5xx, no hang and no write to the knowledge base', async () => {
    const next = random(20261121);
    const generation = await kb.version();
    const articles = (await kb.stats()).articles;
    const routes: [string, string][] = [
      ['POST', '/api/search'],
      ['POST', '/api/chat'],
      ['POST', '/api/tools/performance'],
      ['POST', '/api/tools/calculator'],
      ['POST', '/api/tools/nope'],
      ['POST', '/api/articles'],
      ['GET', '/api/articles'],
      ['GET', '/api/articles/x'],
      ['DELETE', '/api/articles/zzzz'],
      ['GET', '/api/tools'],
      ['GET', '/api/health'],
    ];
    const bodies: (() => Buffer)[] = [
      () => Buffer.from(JSON.stringify(pick(next, WEIRD_VALUES))),
      () => Buffer.from(JSON.stringify({ query: pick(next, WEIRD_VALUES), k: pick(next, WEIRD_VALUES), filters: pick(next, WEIRD_VALUES) })),
      () => Buffer.from(JSON.stringify({ message: pick(next, WEIRD_VALUES), conversationId: pick(next, WEIRD_VALUES) })),
      () =>
        Buffer.from(
          JSON.stringify({
            arguments: {
              symbol: pick(next, WEIRD_VALUES),
              from: pick(next, WEIRD_VALUES),
              to: pick(next, WEIRD_VALUES),
              expression: pick(next, WEIRD_STRINGS),
              window: pick(next, WEIRD_VALUES),
            },
          }),
        ),
      () =>
        Buffer.from(
          JSON.stringify({
            text: pick(next, WEIRD_VALUES),
            html: pick(next, WEIRD_VALUES),
            tags: pick(next, WEIRD_VALUES),
            published: pick(next, WEIRD_VALUES),
          }),
        ),
      () => Buffer.from(deepJson(5_000)),
      () => Buffer.from('{"query": "unterminated'),
      () => Buffer.concat([Buffer.from('{"query": "'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"}')]),
      () => Buffer.from(`{"query": "${'\\u0000'.repeat(50)}"}`),
      () => Buffer.alloc(300_000, 0x61),
    ];
    const statuses = new Map<number, number>();
    for (let index = 0; index < 400; index += 1) {
      const [method, path] = pick(next, routes);
      const body = method === 'GET' || method === 'DELETE' ? undefined : pick(next, bodies)();
      const contentType = next() < 0.9 ? 'application/json' : pick(next, ['text/plain', 'application/json; charset=latin1', 'multipart/form-data']);
      const status = await sendRaw(app, method, path, body, contentType);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      expect(status, `${method} ${path} ${body?.subarray(0, 80).toString('latin1')}`).toBeGreaterThanOrEqual(200);
      expect(status, `${method} ${path} ${body?.subarray(0, 80).toString('latin1')}`).toBeLessThan(500);
    }
    expect([...statuses.keys()].some((status) => status >= 400)).toBe(true);
    // Nothing malformed was written, and the server still answers a normal request.
    expect(await kb.version()).toBe(generation);
    expect((await kb.stats()).articles).toBe(articles);
    const healthy = await app.json('/api/search', { body: { query: 'Russell 2000 record' } });
    expect(healthy.status).toBe(200);
    expect(healthy.body.results.length).toBeGreaterThan(0);
  });
});
