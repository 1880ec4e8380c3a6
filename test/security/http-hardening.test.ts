import { Agent } from 'node:http';
import { gzipSync, brotliCompressSync, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { createApp, type SecurityOptions } from '../../server/app.ts';
import { hostName, listenHostName } from '../../server/middleware/host-guard.ts';
import { createConversationStore } from '../../server/chat/conversations.ts';
import { createConversationsRouter } from '../../server/routes/conversations.ts';
import { createSearchRouter } from '../../server/routes/search.ts';
import { createFakeEmbedder } from '../helpers/fake-embedder.ts';
import { useApp } from '../helpers/http.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { rawRequest } from './raw-request.ts';

const tempDir = useTempDirs();
const start = useApp();
const KEY = 'test-server-key-0123456789';
const NOTE = 'Small caps rallied as rate-cut hopes grew through the afternoon session.';

async function boot(security: SecurityOptions = { rateLimit: false }, logger?: { lines: Record<string, unknown>[] }) {
  const embedder = createFakeEmbedder();
  const kb = await EmbeddedStore.open({ indexDir: tempDir(), embedder: { id: embedder.id, dim: embedder.dim } });
  const conversations = createConversationStore();
  const app = await start(
    createApp({
      kb,
      embedder,
      llm: { mode: 'offline' },
      security,
      routers: [
        { path: '/search', router: createSearchRouter({ kb, embedder, today: () => '2026-11-21' }) },
        { path: '/conversations', router: createConversationsRouter({ conversations }) },
      ],
      ...(logger ? { logger: { info: (fields) => logger.lines.push(fields), error: () => {} } } : {}),
    }),
  );
  return { app, kb, conversations };
}

/** Every upper/lower-case spelling of `word` (2^letters of them). */
function caseVariants(word: string): string[] {
  let variants = [''];
  for (const character of word) {
    const spellings = character.toLowerCase() === character.toUpperCase() ? [character] : [character.toLowerCase(), character.toUpperCase()];
    variants = variants.flatMap((prefix) => spellings.map((spelling) => prefix + spelling));
  }
  return variants;
}

async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += size) await Promise.all(items.slice(start, start + size).map(run));
}

describe('finding 2: the `writes` key scope matches the router, whatever the case or trailing slash', () => {
  it('refuses every spelling of POST /api/articles and DELETE /api/articles/:id without the key', async () => {
    const { app, kb } = await boot({ rateLimit: false, apiKey: KEY, apiKeyScope: 'writes' });
    const created = await app.json('/api/articles', { body: { text: NOTE }, headers: { authorization: `Bearer ${KEY}` } });
    expect(created.status).toBe(201);
    const id: string = created.body.id;

    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    // Every spelling of each segment, with and without a trailing slash.
    const spellings = [...caseVariants('api').map((api) => `/${api}/articles`), ...caseVariants('articles').map((articles) => `/API/${articles}`)];
    const paths = spellings.flatMap((path) => [path, `${path}/`]);
    expect(paths).toHaveLength(2 * (8 + 256));
    const statuses = new Map<number, number>();
    await inBatches(paths, 32, async (path) => {
      const response = await fetchWith(agent, app.url, 'POST', path, JSON.stringify({ text: `${NOTE} ${path}` }));
      statuses.set(response, (statuses.get(response) ?? 0) + 1);
    });
    expect(Object.fromEntries(statuses)).toEqual({ 401: paths.length });
    const deletes = [...caseVariants('articles').map((articles) => `/api/${articles}/`), ...caseVariants('api').map((api) => `/${api}/ARTICLES/`)].flatMap(
      (prefix) => [`${prefix}${id}`, `${prefix}${id}/`],
    );
    await inBatches(deletes, 32, async (path) => {
      expect(await fetchWith(agent, app.url, 'DELETE', path), path).toBe(401);
    });
    agent.destroy();
    expect((await kb.stats()).articles).toBe(1);

    // The spellings really reach the library route: with the key, one of them deletes.
    const removed = await app.json(`/API/Articles/${id}/`, { method: 'DELETE', headers: { authorization: `Bearer ${KEY}` } });
    expect(removed.status).toBe(204);
    expect((await kb.stats()).articles).toBe(0);
  });

  it('refuses every spelling of DELETE /api/conversations/:id without the key, and lists conversations without it', async () => {
    const { app, conversations } = await boot({ rateLimit: false, apiKey: KEY, apiKeyScope: 'writes' });
    const { id } = conversations.open(undefined);
    await conversations.append(id, { question: 'How did small caps do?', answer: 'They rose.' });
    expect((await app.json('/api/conversations')).body.conversations).toHaveLength(1);
    expect((await app.json(`/API/Conversations/${id}/`)).status).toBe(200);

    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    // Every spelling of `api`; of the 8,192 spellings of `conversations`, an evenly spread eighth
    // of a percent plus the all-upper one (every letter flips in some of them).
    const segments = caseVariants('conversations').filter((_, index, all) => index % 61 === 0 || index === all.length - 1);
    const prefixes = [...caseVariants('api').map((api) => `/${api}/conversations/`), ...segments.map((segment) => `/API/${segment}/`)];
    const deletes = prefixes.flatMap((prefix) => [`${prefix}${id}`, `${prefix}${id}/`]);
    expect(deletes.length).toBeGreaterThan(250);
    const statuses = new Map<number, number>();
    await inBatches(deletes, 64, async (path) => {
      const status = await fetchWith(agent, app.url, 'DELETE', path);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
    // A write method on the collection itself is refused too, before the router says it has no such route.
    for (const method of ['DELETE', 'POST', 'PUT', 'PATCH']) expect(await fetchWith(agent, app.url, method, '/Api/Conversations'), method).toBe(401);
    agent.destroy();
    expect(Object.fromEntries(statuses)).toEqual({ 401: deletes.length });
    expect(conversations.get(id)).toBeDefined();

    const removed = await app.json(`/API/CONVERSATIONS/${id}/`, { method: 'DELETE', headers: { authorization: `Bearer ${KEY}` } });
    expect(removed.status).toBe(204);
    expect(conversations.get(id)).toBeUndefined();
  });

  it('keeps reads open in the `writes` scope and guards every /api spelling in the `all` scope', async () => {
    const open = await boot({ rateLimit: false, apiKey: KEY, apiKeyScope: 'writes' });
    expect((await open.app.json('/API/HEALTH/')).status).toBe(200);
    expect((await open.app.json('/api/Search', { body: { query: 'rates' } })).status).toBe(200);
    const all = await boot({ rateLimit: false, apiKey: KEY, apiKeyScope: 'all' });
    for (const path of ['/API/health', '/Api/Health/', '/api/search', '/API/SEARCH/']) {
      expect((await all.app.json(path)).status, path).toBe(401);
    }
  });
});

function fetchWith(agent: Agent, baseUrl: string, method: string, path: string, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(baseUrl);
    import('node:http').then(({ request }) => {
      const outgoing = request(
        { agent, host: url.hostname, port: url.port, method, path, headers: body ? { 'content-type': 'application/json' } : {} },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    }, reject);
  });
}

describe('finding 5: DNS rebinding and cross-origin writes', () => {
  it('serves only the loopback names, IP literals and configured hosts', async () => {
    const { app, kb } = await boot({ rateLimit: false, allowedHosts: ['copilot.example.com'] });
    const port = new URL(app.url).port;
    for (const host of [
      `localhost:${port}`,
      `127.0.0.1:${port}`,
      `[::1]:${port}`,
      `LOCALHOST:${port}`,
      'copilot.example.com',
      `Copilot.Example.com.:${port}`,
      '192.168.1.20:3000',
    ]) {
      expect((await rawRequest(app.url, { path: '/api/health', headers: { host } })).status, host).toBe(200);
    }
    for (const host of ['evil.example', `evil.example:${port}`, 'localhost.evil.example', 'copilot.example.com.evil.example', '127.0.0.1.nip.io']) {
      const response = await rawRequest(app.url, { path: '/api/health', headers: { host } });
      expect(response.status, host).toBe(403);
      expect(response.body.error).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/COPILOT_ALLOWED_HOSTS/) });
    }
    const upload = await rawRequest(app.url, {
      method: 'POST',
      path: '/api/articles',
      headers: { host: 'evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ text: NOTE }),
    });
    expect(upload.status).toBe(403);
    expect((await rawRequest(app.url, { path: '/', headers: { host: 'evil.example' } })).status).toBe(403);
    expect((await kb.stats()).articles).toBe(0);
  });

  it('refuses a browser write from another origin with 403 and a code, and accepts same-origin and non-browser writes', async () => {
    const { app, kb } = await boot();
    const host = new URL(app.url).host;
    const post = (headers: Record<string, string>) =>
      rawRequest(app.url, {
        method: 'POST',
        path: '/api/articles',
        headers: { host, 'content-type': 'text/plain', ...headers },
        body: JSON.stringify({ text: NOTE }),
      });
    const refused: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { origin: 'http://localhost:1' },
      { 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of refused) {
      const response = await post(headers);
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(response.body.error.code).toBe('forbidden');
    }
    const crossDelete = await rawRequest(app.url, { method: 'DELETE', path: '/api/articles/abc', headers: { host, origin: 'https://evil.example' } });
    expect(crossDelete.status).toBe(403);
    expect((await kb.stats()).articles).toBe(0);
    // A cross-origin read (a GET) is not refused by this check: the browser's same-origin policy keeps its answer from the page.
    expect((await rawRequest(app.url, { path: '/api/health', headers: { host, origin: 'https://evil.example' } })).status).toBe(200);
    const sameOrigin = await rawRequest(app.url, {
      method: 'POST',
      path: '/api/articles',
      headers: { host, origin: app.url, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
      body: JSON.stringify({ text: NOTE }),
    });
    expect(sameOrigin.status).toBe(201);
    expect((await app.json('/api/articles', { body: { text: `${NOTE} Again.` } })).status).toBe(201);
  });

  it('reads host names from Host headers and listen addresses', () => {
    expect(hostName('Example.COM:8080')).toBe('example.com');
    expect(hostName('[::1]:3000')).toBe('[::1]');
    expect(hostName('copilot.lan.')).toBe('copilot.lan');
    expect(listenHostName('0.0.0.0')).toBeUndefined();
    expect(listenHostName('::')).toBeUndefined();
    expect(listenHostName('::1')).toBe('[::1]');
    expect(listenHostName('copilot.local')).toBe('copilot.local');
  });
});

describe('finding 6: compressed bodies', () => {
  const body = JSON.stringify({ query: 'small caps' });
  const cases: { encoding: string; payload: Buffer; status: number }[] = [
    { encoding: 'gzip', payload: Buffer.from('not gzip at all'), status: 400 },
    { encoding: 'deflate', payload: Buffer.from('not deflate'), status: 400 },
    { encoding: 'br', payload: Buffer.from('not brotli, not at all'), status: 400 },
    { encoding: 'gzip', payload: gzipSync(body).subarray(0, 12), status: 400 },
    { encoding: 'zstd', payload: Buffer.from(body), status: 415 },
    { encoding: 'gzip, gzip', payload: gzipSync(gzipSync(body)), status: 415 },
    { encoding: 'x-custom', payload: Buffer.from(body), status: 415 },
  ];

  it('answers a corrupt or unsupported Content-Encoding with 400 or 415 and a clear message on every JSON route', async () => {
    const { app } = await boot();
    for (const path of ['/api/search', '/api/articles']) {
      for (const { encoding, payload, status } of cases) {
        const response = await rawRequest(app.url, {
          method: 'POST',
          path,
          headers: { 'content-type': 'application/json', 'content-encoding': encoding },
          body: payload,
        });
        expect(response.status, `${path} ${encoding}`).toBe(status);
        expect(response.body.error.message).toMatch(/Content-Encoding/);
      }
    }
    // The server still serves, and a correctly compressed body is read.
    for (const [encoding, payload] of [
      ['gzip', gzipSync(body)],
      ['deflate', deflateSync(body)],
      ['br', brotliCompressSync(body)],
    ] as const) {
      const response = await rawRequest(app.url, {
        method: 'POST',
        path: '/api/search',
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
        body: payload,
      });
      expect(response.status, encoding).toBe(200);
    }
  });

  it('limits the decompressed size, not the compressed one (a gzip bomb is a 413)', async () => {
    const { app } = await boot();
    const bomb = gzipSync(JSON.stringify({ query: 'x'.repeat(5_000_000) }));
    expect(bomb.length).toBeLessThan(100_000);
    const response = await rawRequest(app.url, {
      method: 'POST',
      path: '/api/search',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: bomb,
    });
    expect(response.status).toBe(413);
  });
});

describe('finding 9: request logs', () => {
  it('logs the full path of every request, successful or not, in one line', async () => {
    const lines: Record<string, unknown>[] = [];
    const { app } = await boot({ rateLimit: false }, { lines });
    await app.json('/api/search', { body: { query: 'rates' } });
    await app.json('/api/health');
    await app.json('/api/articles/missing');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lines.map((line) => `${line.method} ${line.path} ${line.status}`)).toEqual([
      'POST /api/search 200',
      'GET /api/health 200',
      'GET /api/articles/missing 404',
    ]);
  });
});
