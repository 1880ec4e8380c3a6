import { describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { createApp } from '../../server/app.ts';
import { createFakeEmbedder } from '../helpers/fake-embedder.ts';
import { useApp } from '../helpers/http.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const start = useApp();

const REPORT = `<html><body><article><h1>Harbor Tools annual results</h1>
<p>Company: Harbor Tools Inc.</p>
<p>Revenue rose in every segment as the order book filled through the second half of the year.</p>
<h2>Segment results</h2>
<table><caption>Net sales by segment ($ in millions)</caption>
<thead><tr><th></th><th colspan="2">Years ended December 31,</th></tr><tr><th></th><th>2023</th><th>2022</th></tr></thead>
<tbody><tr><td>Machining</td><td>1,204</td><td>1,100</td></tr><tr><td>Services</td><td>(12)</td><td>—</td></tr></tbody></table>
</article></body></html>`;

describe('tables through ingest, the knowledge base and the article API', () => {
  it('stores a table passage with its rows and serves it, and the financial metadata, from the article API, also after a reload', async () => {
    const dir = tempDir();
    const embedder = createFakeEmbedder();
    const kb = await EmbeddedStore.open({ indexDir: dir, embedder: { id: embedder.id, dim: embedder.dim } });
    const app = await start(createApp({ kb, embedder, llm: { mode: 'offline' } }));
    const created = await app.json('/api/articles', { method: 'POST', body: { html: REPORT } });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;

    const expectedTable = {
      caption: 'Net sales by segment ($ in millions)',
      headerRows: 2,
      rows: [
        ['', 'Years ended December 31,', 'Years ended December 31,'],
        ['', '2023', '2022'],
        ['Machining', '1,204', '1,100'],
        ['Services', '(12)', '—'],
      ],
    };
    const { body } = await app.json(`/api/articles/${id}`);
    const chunks = (body as { chunks: { section?: string; text: string; table?: unknown }[] }).chunks;
    const tablePassage = chunks.find((chunk) => chunk.table !== undefined);
    expect(tablePassage).toEqual({
      id: expect.any(String),
      section: 'Segment results',
      text: [
        'Net sales by segment ($ in millions)',
        'Years ended December 31,',
        '2023 | 2022',
        'Machining | Years ended December 31, 2023: 1,204 | Years ended December 31, 2022: 1,100',
        'Services | Years ended December 31, 2023: (12)',
      ].join('\n'),
      table: expectedTable,
    });
    expect(chunks.some((chunk) => chunk.text.includes('Company: Harbor Tools Inc.'))).toBe(true);
    expect((body as { financial?: unknown }).financial).toEqual({ company: 'Harbor Tools Inc.' });
    const list = await app.json('/api/articles');
    expect((list.body as { articles: { financial?: unknown }[] }).articles[0]?.financial).toEqual({ company: 'Harbor Tools Inc.' });

    const reopened = await EmbeddedStore.open({ indexDir: dir, embedder: { id: embedder.id, dim: embedder.dim } });
    expect((await reopened.passagesOf(id)).find((chunk) => chunk.table !== undefined)?.table).toEqual(expectedTable);
  });
});
