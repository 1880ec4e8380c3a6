import { describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { createApp } from '../../server/app.ts';
import { createRequestActivity } from '../../server/middleware/request-activity.ts';
import { createFakeEmbedder } from '../helpers/fake-embedder.ts';
import { useApp } from '../helpers/http.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const start = useApp();

async function boot(dir = tempDir()) {
  const embedder = createFakeEmbedder();
  const kb = await EmbeddedStore.open({ indexDir: dir, embedder: { id: embedder.id, dim: embedder.dim } });
  const app = await start(createApp({ kb, embedder, llm: { mode: 'offline' } }));
  return { app, kb, dir, embedder };
}

/** What a fresh process opening the same folder sees. */
async function reopen(dir: string) {
  const embedder = createFakeEmbedder();
  const store = await EmbeddedStore.open({ indexDir: dir, embedder: { id: embedder.id, dim: embedder.dim } });
  try {
    return await store.stats();
  } finally {
    await store.close();
  }
}

const ARTICLE_TEXT = [
  'Small caps take the lead',
  '',
  'January 21, 2026',
  '',
  '#small_cap #russell_2000',
  '',
  'Market recap',
  '',
  'The Russell 2000 finished the session at a record 2,698.17, a gain of 1.35% that beat every large-cap benchmark. Traders pointed to rate-cut hopes and a rotation out of crowded technology names.',
  '',
  'What comes next',
  '',
  'Strategists expect the earnings season to decide whether the move lasts. Small companies carry more floating-rate debt, so cheaper money helps them first.',
].join('\n');

describe('article routes', () => {
  it('reports health with counts, the embedder and the engine mode', async () => {
    const { app } = await boot();
    const { status, body } = await app.json('/api/health');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', articles: 0, chunks: 0, embedder: { id: 'fake:bow-v1', dim: 16 }, llm: { mode: 'offline' } });
    expect(body).not.toHaveProperty('warm');
  });

  it('reports whether the server has warmed up since its start, when the server says, and counts requests in flight', async () => {
    const embedder = createFakeEmbedder();
    const kb = await EmbeddedStore.open({ indexDir: tempDir(), embedder: { id: embedder.id, dim: embedder.dim } });
    let warm = false;
    const activity = createRequestActivity();
    const app = await start(createApp({ kb, embedder, llm: { mode: 'offline' }, activity, warm: () => warm }));
    expect((await app.json('/api/health')).body).toMatchObject({ status: 'ok', warm: false });
    warm = true;
    expect((await app.json('/api/health')).body).toMatchObject({ status: 'ok', warm: true });
    expect(activity.inFlight()).toBe(0);
  });

  it('adds an article, lists it, shows it with its chunks, deduplicates a resend and deletes it', async () => {
    const { app, dir } = await boot();
    const created = await app.json('/api/articles', { body: { text: ARTICLE_TEXT, source: 'Desk notes', tags: ['small caps'] } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.stringMatching(/^[a-f0-9]{16}$/), deduplicated: false });
    expect(created.body.chunks).toBeGreaterThanOrEqual(1);
    const id = created.body.id as string;

    const list = await app.json('/api/articles');
    expect(list.body.total).toBe(1);
    expect(list.body.articles[0]).toMatchObject({ id, title: 'Small caps take the lead', published: '2026-01-21', source: 'Desk notes' });

    const shown = await app.json(`/api/articles/${id}`);
    expect(shown.status).toBe(200);
    expect(shown.body.text).toContain('2,698.17');
    expect(shown.body.chunks.length).toBe(created.body.chunks);
    expect(shown.body.chunks.map((c: { section?: string }) => c.section)).toContain('Market recap');

    const again = await app.json('/api/articles', { body: { text: ARTICLE_TEXT, source: 'Desk notes', tags: ['small caps'] } });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ id, deduplicated: true });
    expect((await app.json('/api/articles')).body.total).toBe(1);

    // Committed: a fresh process sees it.
    expect((await reopen(dir)).articles).toBe(1);

    expect((await app.json(`/api/articles/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await app.json(`/api/articles/${id}`)).status).toBe(404);
    expect((await app.json(`/api/articles/${id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await reopen(dir)).articles).toBe(0);
  });

  it('ingests HTML bodies without their page chrome', async () => {
    const { app } = await boot();
    const html = `<html><head><title>Rates and small caps | Desk</title></head><body>
      <nav>Home Markets Login</nav><div class="cookie-banner">We use cookies</div>
      <article><h1>Rates and small caps</h1><p>Lower borrowing costs help smaller firms that rely on bank loans with floating rates.</p>
      <h2>Outlook</h2><p>Futures price about two quarter-point cuts in 2026, which would ease interest bills for the Russell 2000.</p></article>
      <footer>Copyright Desk. Not investment advice.</footer></body></html>`;
    const created = await app.json('/api/articles', { body: { html } });
    expect(created.status).toBe(201);
    const shown = await app.json(`/api/articles/${created.body.id}`);
    expect(shown.body.title).toBe('Rates and small caps');
    expect(shown.body.text).not.toMatch(/cookies|Login|Copyright/);
  });

  it('parses an uploaded Markdown file as Markdown, as the web UI sends it (base64 with its name)', async () => {
    const { app } = await boot();
    const markdown =
      '---\ntitle: Zinc desk note\n---\n\n# Zinc desk note\n\n## Supply\n\nSmelters in the north idled two lines after power prices doubled over the winter.\n';
    const created = await app.json('/api/articles', { body: { file: { name: 'zinc.md', contentBase64: Buffer.from(markdown).toString('base64') } } });
    expect(created.status).toBe(201);
    const shown = await app.json(`/api/articles/${created.body.id}`);
    expect(shown.body.title).toBe('Zinc desk note');
    // Headings become sections, not literal "#" text.
    expect(shown.body.text).not.toMatch(/^#|\n#|---/);
    expect(shown.body.chunks.map((chunk: { section?: string }) => chunk.section)).toContain('Supply');
  });

  it('rejects bad bodies with 4xx {error:{code,message}} and writes nothing', async () => {
    const { app, kb } = await boot();
    const cases: [unknown, number][] = [
      [{}, 400],
      [{ text: 'a', html: '<p>b</p>' }, 400],
      [{ text: '   ' }, 400],
      [{ text: 'ok text here', published: 'yesterday' }, 400],
      [{ text: 'ok text here', url: 'not a url' }, 400],
      [{ text: 'ok text here', tags: 'one' }, 400],
      [{ text: 42 }, 400],
      [{ text: 'ok', extra: true }, 400],
      ['{"text": ', 400],
      [{ text: 'x'.repeat(7 * 1024 * 1024) }, 413],
    ];
    for (const [body, status] of cases) {
      const response = await app.json('/api/articles', { body });
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(response.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    }
    expect(await kb.stats()).toEqual({ articles: 0, chunks: 0 });
    expect(await kb.version()).toBe(0);
  });

  it('paginates and filters the article list', async () => {
    const { app } = await boot();
    for (const [title, date] of [
      ['Alpha rally note', '2026-01-10'],
      ['Beta rates note', '2026-01-12'],
      ['Gamma rally wrap', '2026-01-14'],
    ]) {
      const body = {
        title,
        published: date,
        text: `${title}. The index moved on the day as traders weighed ${title.toLowerCase()} and fresh data on jobs and prices.`,
      };
      expect((await app.json('/api/articles', { body })).status).toBe(201);
    }
    const page = await app.json('/api/articles?limit=2&offset=0');
    expect(page.body.total).toBe(3);
    expect(page.body.articles.map((a: { title: string }) => a.title)).toEqual(['Gamma rally wrap', 'Beta rates note']);
    const filtered = await app.json('/api/articles?q=rally');
    expect(filtered.body.total).toBe(2);
    expect((await app.json('/api/articles?limit=0')).status).toBe(400);
    expect((await app.json('/api/articles?offset=-1')).status).toBe(400);
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const { app } = await boot();
    const response = await app.json('/api/nope');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
  });
});
