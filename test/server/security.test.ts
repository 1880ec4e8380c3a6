import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { createApp, type SecurityOptions } from '../../server/app.ts';
import { createSearchRouter } from '../../server/routes/search.ts';
import { createFakeEmbedder } from '../helpers/fake-embedder.ts';
import { useApp } from '../helpers/http.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const start = useApp();
const KEY = 'test-server-key-0123456789';

async function boot(security: SecurityOptions = { rateLimit: false }, healthChecks: (() => string | undefined)[] = []) {
  const embedder = createFakeEmbedder();
  const dir = tempDir();
  const kb = await EmbeddedStore.open({ indexDir: dir, embedder: { id: embedder.id, dim: embedder.dim } });
  const app = await start(
    createApp({
      kb,
      embedder,
      llm: { mode: 'offline' },
      security,
      healthChecks,
      routers: [{ path: '/search', router: createSearchRouter({ kb, embedder, today: () => '2026-11-21' }) }],
    }),
  );
  return { app, kb, dir };
}

describe('security', () => {
  it('sends a Content-Security-Policy without inline scripts or outside sources, and a request id', async () => {
    const { app } = await boot();
    const response = await fetch(`${app.url}/api/health`, { headers: { 'x-request-id': 'abc-123' } });
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("object-src 'none'");
    expect(response.headers.get('x-request-id')).toBe('abc-123');
    expect(response.headers.get('x-powered-by')).toBeNull();
    const generated = await fetch(`${app.url}/api/health`, { headers: { 'x-request-id': '<script>' } });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an oversized body with 413 and a clear message', async () => {
    const { app } = await boot();
    const response = await app.json('/api/search', { body: { query: 'x'.repeat(200_000) } });
    expect(response.status).toBe(413);
    expect(response.body.error).toMatchObject({ code: 'payload_too_large', message: expect.stringMatching(/larger than the limit/) });
  });

  it('limits each client on the expensive routes with 429 and Retry-After', async () => {
    const { app } = await boot({ rateLimit: { windowMs: 60_000, limit: 3 } });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let index = 0; index < 5; index += 1) {
      const response = await fetch(`${app.url}/api/search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'rates' }),
      });
      statuses.push(response.status);
      if (response.status === 429) {
        retryAfter = response.headers.get('retry-after');
        expect(await response.json()).toMatchObject({ error: { code: 'rate_limited' } });
      }
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // Cheap reads are not limited.
    expect((await app.json('/api/health')).status).toBe(200);
  });

  it('requires the server API key on every /api route when set', async () => {
    const { app } = await boot({ rateLimit: false, apiKey: KEY, apiKeyScope: 'all' });
    expect((await app.json('/api/health')).status).toBe(401);
    expect((await app.json('/api/health', { headers: { authorization: 'Bearer wrong-key-wrong-key' } })).status).toBe(401);
    const ok = await app.json('/api/health', { headers: { authorization: `Bearer ${KEY}` } });
    expect(ok.status).toBe(200);
    const denied = await app.json('/api/articles', { body: { text: 'A note about rates and small caps moving higher on the day.' } });
    expect(denied.status).toBe(401);
    expect(denied.body.error.message).toMatch(/Authorization: Bearer/);
    expect(JSON.stringify(denied.body)).not.toContain(KEY);
  });

  it('can keep reads open and require the key only for library writes', async () => {
    const { app, kb } = await boot({ rateLimit: false, apiKey: KEY, apiKeyScope: 'writes' });
    expect((await app.json('/api/health')).status).toBe(200);
    expect((await app.json('/api/search', { body: { query: 'rates' } })).status).toBe(200);
    expect((await app.json('/api/articles', { body: { text: 'A note about rates and small caps moving higher.' } })).status).toBe(401);
    expect((await kb.stats()).articles).toBe(0);
    const created = await app.json('/api/articles', {
      body: { text: 'A note about rates and small caps moving higher.' },
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(created.status).toBe(201);
    expect((await app.json(`/api/articles/${created.body.id}`, { method: 'DELETE' })).status).toBe(401);
  });

  it('checks ids before they reach anything: traversal attempts are plain 404s', async () => {
    const { app } = await boot();
    for (const path of ['/api/articles/..%2F..%2Fetc%2Fpasswd', '/api/articles/%2e%2e', '/api/articles/manifest.json', '/api/tools/..%2Fhealth']) {
      const response = await app.json(path);
      expect(response.status, path).toBe(404);
      expect(response.body.error.code).toBe('not_found');
    }
  });

  it('reports degraded health truthfully', async () => {
    const { app, dir } = await boot({ rateLimit: false }, [() => 'the language model provider failed 3 s ago']);
    const degraded = await app.json('/api/health');
    expect(degraded.body).toMatchObject({ status: 'degraded', issues: ['the language model provider failed 3 s ago'] });
    rmSync(dir, { recursive: true, force: true });
    expect((await app.json('/api/health')).body.issues).toEqual(expect.arrayContaining([expect.stringMatching(/database file is missing/)]));
  });
});
