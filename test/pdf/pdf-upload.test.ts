import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { extractPdfText } from '../../ingest/pdf/extract-pdf-text.ts';
import type { PdfTextExtractor } from '../../ingest/pdf/parse-pdf.ts';
import { ingestPaths } from '../../ingest/pipeline.ts';
import { createApp } from '../../server/app.ts';
import { createSearchRouter } from '../../server/routes/search.ts';
import { buildPdf, sampleReportSpec } from '../helpers/build-pdf.ts';
import { createFakeEmbedder } from '../helpers/fake-embedder.ts';
import { useApp } from '../helpers/http.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const start = useApp();
const inThread: PdfTextExtractor = (bytes, limits) => extractPdfText(bytes, limits);

async function boot(limits: { maxBytes?: number } = {}) {
  const embedder = createFakeEmbedder();
  const kb = await EmbeddedStore.open({ indexDir: tempDir(), embedder: { id: embedder.id, dim: embedder.dim } });
  const app = await start(
    createApp({
      kb,
      embedder,
      llm: { mode: 'offline' },
      security: { rateLimit: false },
      pdf: { limits, extract: inThread },
      routers: [{ path: '/search', router: createSearchRouter({ kb, embedder, today: () => '2026-11-21' }) }],
    }),
  );
  return { app, kb };
}

function multipart(file: Buffer, name: string, fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  form.append('file', new Blob([new Uint8Array(file)], { type: 'application/pdf' }), name);
  return form;
}

describe('PDF uploads', () => {
  it('takes a multipart PDF and keeps the page of every passage in the article and in search', async () => {
    const { app } = await boot();
    const response = await fetch(`${app.url}/api/articles`, {
      method: 'POST',
      body: multipart(await buildPdf(sampleReportSpec()), 'report.pdf', { tags: 'robotics, annual' }),
    });
    const created = (await response.json()) as { id: string; chunks: number };
    expect(response.status).toBe(201);
    const article = await app.json(`/api/articles/${created.id}`);
    expect(article.body).toMatchObject({
      title: 'Tessaline Robotics Annual Report 2025',
      author: 'Investor Relations Team',
      pages: 4,
      tags: ['robotics', 'annual'],
    });
    const pages = (article.body.chunks as { page?: number }[]).map((chunk) => chunk.page);
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.every((page) => page !== undefined && [1, 2, 4].includes(page))).toBe(true);
    const search = await app.json('/api/search', { body: { query: 'service centre Rotterdam engineers', k: 3 } });
    expect(search.body.results[0]).toMatchObject({ articleId: created.id, page: 4, section: 'Outlook' });
  });

  it('takes a PDF as base64 in JSON', async () => {
    const { app } = await boot();
    const bytes = await buildPdf(sampleReportSpec());
    const created = await app.json('/api/articles', { body: { file: { name: 'report.pdf', contentBase64: bytes.toString('base64') }, source: 'IR site' } });
    expect(created.status).toBe(201);
    const article = await app.json(`/api/articles/${created.body.id}`);
    expect(article.body.source).toBe('IR site');
  });

  it('parses an uploaded Markdown file as Markdown, whatever the route', async () => {
    const { app } = await boot();
    const markdown =
      '# Dock workers vote on a new contract\n\nThe union said members would vote next week on a deal that raises pay over four years.\n\n## What changes\n\nOvertime rules are simplified and night shifts pay a larger premium.\n';
    const created = await app.json('/api/articles', { body: { file: { name: 'contract.md', contentBase64: Buffer.from(markdown).toString('base64') } } });
    expect(created.status).toBe(201);
    const article = await app.json(`/api/articles/${created.body.id}`);
    expect(article.body.title).toBe('Dock workers vote on a new contract');
    expect(article.body.text).not.toContain('#');
    expect((article.body.chunks as { section?: string }[]).some((chunk) => chunk.section === 'What changes')).toBe(true);
  });

  it('refuses encrypted, image-only and fake PDFs with 422 and stores nothing', async () => {
    const { app, kb } = await boot();
    const encrypted = await buildPdf({ ...sampleReportSpec(), userPassword: 'secret' });
    const scanned = await buildPdf({ pages: [{ lines: [], imageOnly: true }] });
    const cases: [Buffer, RegExp][] = [
      [encrypted, /encrypted or password-protected/],
      [scanned, /no text layer: this PDF needs OCR/],
      [Buffer.from('just some words'), /not a PDF/],
    ];
    for (const [bytes, message] of cases) {
      const response = await fetch(`${app.url}/api/articles`, { method: 'POST', body: multipart(bytes, 'upload.pdf') });
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(response.status).toBe(422);
      expect(body.error.code).toBe('unprocessable');
      expect(body.error.message).toMatch(message);
    }
    expect(await kb.stats()).toEqual({ articles: 0, chunks: 0 });
  });

  it('answers 413 naming the limit for a file over the upload limit, multipart or JSON', async () => {
    const { app, kb } = await boot({ maxBytes: 2_000 });
    const bytes = await buildPdf(sampleReportSpec());
    const response = await fetch(`${app.url}/api/articles`, { method: 'POST', body: multipart(bytes, 'report.pdf') });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/COPILOT_PDF_MAX_BYTES/);
    const json = await app.json('/api/articles', { body: { file: { name: 'report.pdf', contentBase64: bytes.toString('base64') } } });
    expect(json.status).toBe(413);
    expect((await kb.stats()).articles).toBe(0);
  });

  it('rejects a multipart body without a file and a JSON file that is not base64', async () => {
    const { app } = await boot();
    const form = new FormData();
    form.append('title', 'No file here');
    const response = await fetch(`${app.url}/api/articles`, { method: 'POST', body: form });
    expect(response.status).toBe(400);
    const json = await app.json('/api/articles', { body: { file: { name: 'a.pdf', contentBase64: '*** not base64 ***' } } });
    expect(json.status).toBe(400);
    expect(json.body.error.message).toMatch(/base64/);
  });
});

describe('PDF files in npm run ingest', () => {
  it('ingests a .pdf found in a folder and reports a broken one as failed with its reason', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'report.pdf'), await buildPdf(sampleReportSpec()));
    writeFileSync(join(dir, 'broken.pdf'), 'not really a pdf');
    const embedder = createFakeEmbedder();
    const kb = await EmbeddedStore.open({ indexDir: join(tempDir(), 'index'), embedder: { id: embedder.id, dim: embedder.dim } });
    const summary = await ingestPaths([dir], { kb, embedder, pdf: { extract: inThread } });
    expect(summary.added).toBe(1);
    expect(summary.failed).toEqual([{ path: join(dir, 'broken.pdf'), reason: 'not a PDF: the file does not start with "%PDF-"' }]);
    const stored = (await Promise.all((await kb.listArticles()).articles.map((article) => kb.passagesOf(article.id)))).flat();
    expect(new Set(stored.map((chunk) => chunk.page))).toEqual(new Set([1, 2, 4]));
  });
});
