import { describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { ingestDocument } from '../../ingest/pipeline.ts';
import { createApp } from '../../server/app.ts';
import { createSearchRouter } from '../../server/routes/search.ts';
import { createFakeEmbedder } from '../helpers/fake-embedder.ts';
import { useApp } from '../helpers/http.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const start = useApp();

function note(title: string, date: string, tags: string, tickers: string, paragraphs: string[]): string {
  return [title, '', date, '', tags, '', `Related Stocks: ${tickers}`, '', ...paragraphs.flatMap((p) => [p, ''])].join('\n');
}

async function boot() {
  const embedder = createFakeEmbedder();
  const kb = await EmbeddedStore.open({ indexDir: tempDir(), embedder: { id: embedder.id, dim: embedder.dim } });
  const docs = [
    note('Small caps run', 'January 12, 2026', '#small_cap #rates', '$IWM', [
      'The Russell 2000 beat the S&P 500 for a seventh straight session as small caps rallied on rate-cut hopes.',
      'Small caps carry more floating-rate debt, so lower policy rates cut their interest bills faster than those of large caps.',
      'The Russell 2000 forward P/E on profitable companies sits near 20 times earnings.',
      'Small caps also benefit when merger activity picks up, since acquirers pay premiums for smaller targets.',
    ]),
    note('Chip equipment upgrade', 'January 23, 2026', '#semiconductors', '$AMAT', [
      'Deutsche Bank upgraded Applied Materials to Buy with a $395 target, citing wafer equipment demand.',
    ]),
    note('Fed outlook', 'December 20, 2025', '#rates #federal_reserve', '$SPY', [
      'The Federal Reserve may hold the policy rate at 3.5 to 3.75 percent through 2026, which would disappoint small caps.',
    ]),
  ];
  for (const [index, content] of docs.entries()) await ingestDocument({ content, format: 'text', origin: `/notes/${index}.txt` }, { kb, embedder });
  const app = await start(
    createApp({
      kb,
      embedder,
      llm: { mode: 'offline' },
      routers: [{ path: '/search', router: createSearchRouter({ kb, embedder, today: () => '2026-11-21' }) }],
    }),
  );
  return { app, kb };
}

describe('POST /api/search', () => {
  it('returns hybrid results with the contract fields and a thresholdable score', async () => {
    const { app } = await boot();
    const { status, body } = await app.json('/api/search', { body: { query: 'Applied Materials upgrade price target', k: 3 } });
    expect(status).toBe(200);
    expect(body.results[0]).toMatchObject({
      title: 'Chip equipment upgrade',
      published: '2026-01-23',
      chunkId: expect.any(String),
      articleId: expect.any(String),
      text: expect.stringContaining('$395'),
    });
    expect(body.results[0].score).toBeGreaterThan(0.35);
    expect(body.relevance).not.toBe('none');
    const scores = body.results.map((result: { score: number }) => result.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('expands tickers into names: AMAT finds Applied Materials, RUT finds Russell 2000 passages', async () => {
    const { app } = await boot();
    expect((await app.json('/api/search', { body: { query: 'AMAT', k: 1 } })).body.results[0].title).toBe('Chip equipment upgrade');
    const rut = await app.json('/api/search', { body: { query: 'RUT floating-rate debt', k: 1 } });
    expect(rut.body.results[0].text).toContain('floating-rate debt');
    expect(rut.body.query.symbols).toEqual(['RUT', 'IWM']);
  });

  it('filters by tickers, tags and dates', async () => {
    const { app } = await boot();
    const byTicker = await app.json('/api/search', { body: { query: 'rates', filters: { tickers: ['spy'] } } });
    expect(byTicker.body.results.map((r: { title: string }) => r.title)).toEqual(['Fed outlook']);
    const byTag = await app.json('/api/search', { body: { query: 'rates small caps', filters: { tags: ['#federal_reserve'] } } });
    expect(new Set(byTag.body.results.map((r: { title: string }) => r.title))).toEqual(new Set(['Fed outlook']));
    const byDate = await app.json('/api/search', { body: { query: 'rates small caps', filters: { from: '2026-01-01', to: '2026-01-31' } } });
    expect(byDate.body.results.every((r: { published: string }) => r.published >= '2026-01-01' && r.published <= '2026-01-31')).toBe(true);
    expect(byDate.body.results.length).toBeGreaterThan(0);
  });

  it('keeps one article from filling every slot while other articles are relevant', async () => {
    const { app } = await boot();
    const { body } = await app.json('/api/search', { body: { query: 'small caps rates', k: 4 } });
    const titles = body.results.map((r: { title: string }) => r.title);
    expect(titles.filter((title: string) => title === 'Small caps run').length).toBeLessThanOrEqual(2);
    expect(titles).toContain('Fed outlook');
  });

  it('says nothing is relevant for an unrelated question', async () => {
    const { app } = await boot();
    const { body } = await app.json('/api/search', { body: { query: 'ibuprofen side effects', k: 5 } });
    expect(body.relevance).toBe('none');
  });

  it('answers bad requests with 400 and a clear message', async () => {
    const { app } = await boot();
    const cases: [unknown, RegExp][] = [
      [{}, /query/],
      [{ query: '' }, /query/],
      [{ query: 'x'.repeat(2_001) }, /2,000/],
      [{ query: 'ok', k: 0 }, /k/],
      [{ query: 'ok', k: 51 }, /k/],
      [{ query: 'ok', k: 2.5 }, /k/],
      [{ query: 'ok', filters: { from: '2026-02-01', to: '2026-01-01' } }, /from/],
      [{ query: 'ok', filters: { tickers: 'IWM' } }, /tickers/],
      [{ query: 'ok', filters: { unknown: 1 } }, /unknown|Unrecognized/i],
    ];
    for (const [body, message] of cases) {
      const response = await app.json('/api/search', { body });
      expect(response.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(response.body.error.message).toMatch(message);
    }
  });
});
