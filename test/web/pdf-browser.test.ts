import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FETCH_DEFAULTS } from '../../ingest/fetch/fetch-page.ts';
import { buildPdf, statementSpec } from '../helpers/build-pdf.ts';
import { buildWebTestApp, REPO, type WebTestServer } from './app-factory.ts';

/**
 * The library's "add from link" box and a PDF upload through the UI, in Debian's chromium: the
 * linked page is fetched from a local server (allowed by the fetch setting, as an intranet would
 * be), the PDF's passages show their page in the article view and in the citation popover.
 * Screenshots go to a temp folder.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOT_DIR = mkdtempSync(join(tmpdir(), 'copilot-pdf-shots-'));

const STORY = `<!doctype html><html><head><title>Barley harvest runs late in the north | Fieldnote Daily</title></head><body>
<nav><a href="/">Home</a> <a href="/login">Sign in</a></nav>
<main><article><h1>Barley harvest runs late in the north</h1>
<p>Wet weather held combines in their sheds for most of August, and growers in the northern valleys now expect to finish the barley harvest three weeks later than usual.</p>
<p>Maltsters said the late grain should still meet brewing grade, although drying costs will eat into the margin that farmers had hoped to keep this season.</p>
</article></main><footer>Copyright 2026 Fieldnote Daily. Subscribe to our newsletter.</footer></body></html>`;

describe.skipIf(!existsSync(CHROMIUM) || !existsSync(join(REPO, 'web/vendor/marked.esm.js')))('PDFs and links in the library, in a real browser', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'copilot-pdf-web-'));
  let pages: Server;
  let origin: string;
  let copilot: WebTestServer;
  let server: Server;
  let baseUrl: string;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    pages = createServer((request, response) => {
      if (request.url === '/story') response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(STORY);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
    copilot = await buildWebTestApp({
      indexDir: join(scratch, 'index'),
      fetch: { policy: { ...FETCH_DEFAULTS, allowHosts: ['127.0.0.1'], timeoutMs: 5_000 } },
    });
    server = await new Promise<Server>((resolve) => {
      const listening = copilot.app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    mkdirSync(join(scratch, 'profile'));
    context = await chromium.launchPersistentContext(join(scratch, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1100, height: 900 },
    });
  });

  afterAll(async () => {
    await context?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    pages?.closeAllConnections();
    await new Promise((resolve) => (pages ? pages.close(resolve) : resolve(undefined)));
    rmSync(scratch, { recursive: true, force: true });
  });

  async function openLibraryForm(): Promise<void> {
    page = await context.newPage();
    pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${baseUrl}/#/library`);
    await page.getByRole('button', { name: 'Add article' }).click();
  }

  afterEach(async () => {
    expect(pageErrors).toEqual([]);
    await page?.close();
  });

  const form = () => page.getByRole('form', { name: 'Add an article' });

  async function addAndOpen(): Promise<void> {
    await form().getByRole('button', { name: 'Add to library' }).click();
    const added = page.locator('.notice-success').filter({ hasText: /Added, in \d+ chunk/ });
    await added.waitFor({ timeout: 30_000 });
    await added.getByRole('link', { name: 'Open it' }).click();
    await page.locator('.article-page h1').waitFor();
  }

  it('adds a web page from a link: the server fetches it and keeps the story, not the page chrome', async () => {
    await openLibraryForm();
    await form()
      .getByRole('textbox', { name: /add from a link/ })
      .fill(`${origin}/story`);
    await addAndOpen();
    expect(await page.locator('.article-page h1').textContent()).toBe('Barley harvest runs late in the north');
    const text = (await page.locator('.article-text').textContent()) ?? '';
    expect(text).toContain('three weeks later than usual');
    expect(text).not.toMatch(/Sign in|Subscribe to our newsletter/);
  });

  it('uploads a PDF: the article view shows each passage’s page, and an answer’s citation names the page', async () => {
    await openLibraryForm();
    const bytes = await buildPdf(statementSpec());
    await form().getByLabel(/^File/).setInputFiles({ name: 'quarry-hill-2025.pdf', mimeType: 'application/pdf', buffer: bytes });
    await addAndOpen();
    expect(await page.locator('.article-page h1').textContent()).toBe('Quarry Hill Foods Annual Report 2025');
    await page.getByText(/^Chunks \(\d+\)$/).click();
    await page.locator('.chunk-meta').first().waitFor({ state: 'visible' });
    const metas = await page.locator('.chunk-meta').allTextContents();
    expect(metas.some((meta) => / · p\. 2 · Results of operations$/.test(meta))).toBe(true);
    expect(metas.some((meta) => / · p\. 1\b/.test(meta))).toBe(true);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'pdf-article.png'), fullPage: true });

    await page.getByRole('button', { name: 'Ask about this article' }).click();
    await page.locator('#chat-scope').filter({ hasText: 'Quarry Hill Foods Annual Report 2025' }).waitFor();
    const question = page.getByRole('textbox', { name: 'Your question' });
    await question.fill('What was net income in 2025?');
    await question.press('Enter');
    const answer = page.locator('.msg-assistant[data-state="done"]').last();
    await answer.waitFor({ timeout: 30_000 });
    expect(await answer.locator('.markdown').first().textContent()).toContain('350.6');
    await answer.locator('.cite-article').first().click();
    const popover = page.getByRole('dialog', { name: /^Source \d+$/ });
    await popover.waitFor();
    expect(await popover.textContent()).toContain('Quarry Hill Foods Annual Report 2025, p. 2');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'pdf-citation.png') });
  });
});
