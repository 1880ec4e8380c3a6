import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildWebTestApp, REPO, type WebTestServer } from './app-factory.ts';
import { createStreamGate } from './stream-gate.ts';
import { createResearchService } from '../../server/research/research-service.ts';
import { createResearchRouter } from '../../server/routes/research.ts';

/**
 * The web UI in Debian's chromium, against the real offline engine over data/articles. Research
 * runs against the scripted contract router until server/routes/research.ts lands (see
 * app-factory.ts). Screenshots go to a temp folder, or to docs/ with UPDATE_SCREENSHOTS=1.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOT_DIR = process.env.UPDATE_SCREENSHOTS ? join(REPO, 'docs') : mkdtempSync(join(tmpdir(), 'copilot-shots-'));
const RUSSELL_CLOSE = 'What did the Russell 2000 close at on January 21, 2026?';

describe.skipIf(!existsSync(CHROMIUM) || !existsSync(join(REPO, 'web/vendor/marked.esm.js')))('web UI in a real browser', () => {
  const gate = createStreamGate();
  const scratch = mkdtempSync(join(tmpdir(), 'copilot-web-'));
  let copilot: WebTestServer;
  let server: Server;
  let baseUrl: string;
  let context: BrowserContext;
  let page: Page;
  let foreignRequests: string[];
  let pageErrors: string[];

  beforeAll(async () => {
    copilot = await buildWebTestApp({
      indexDir: join(scratch, 'index'),
      beforeChat: gate.middleware,
      researchRouter: (deps) => createResearchRouter({ research: createResearchService(deps) }),
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
    rmSync(scratch, { recursive: true, force: true });
  });

  async function openPage(path = '/', viewport = { width: 1100, height: 900 }): Promise<Page> {
    page = await context.newPage();
    await page.setViewportSize(viewport);
    foreignRequests = [];
    pageErrors = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(baseUrl)) foreignRequests.push(request.url());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(baseUrl + path);
    return page;
  }

  afterEach(async () => {
    // Offline and self-contained: no CDN, font or image from anywhere else, and no script errors.
    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page?.close();
  });

  const lastAnswer = () => page.locator('.msg-assistant').last();

  it('streams a cited answer token by token, then replaces it with the final answer and chips', async () => {
    await openPage();
    const examples = page.locator('.example');
    await expect.poll(() => examples.count()).toBeGreaterThan(0);
    expect(await examples.allTextContents()).toContain(RUSSELL_CLOSE);

    gate.arm();
    const question = page.getByRole('textbox', { name: 'Your question' });
    await question.fill(RUSSELL_CLOSE);
    await question.press('Enter');
    const streaming = lastAnswer().locator('.markdown.streaming');
    await streaming.filter({ hasText: /\S/ }).waitFor();
    const partial = (await streaming.textContent())!.trim();
    // Held mid-stream by the gate: part of the answer is on the page, the stop button is offered.
    expect(await lastAnswer().getAttribute('data-state')).toBeNull();
    await expect.poll(() => page.getByRole('button', { name: 'Stop' }).isVisible()).toBe(true);
    expect(partial.length).toBeGreaterThan(0);

    gate.release();
    await page.locator('.msg-assistant[data-state="done"]').waitFor();
    const answer = (await lastAnswer().locator('.markdown').first().textContent())!;
    expect(answer.startsWith(partial.slice(0, 16))).toBe(true);
    expect(answer).toContain('2,698.17');
    expect(answer).not.toMatch(/\[\d+\]/);
    expect(await lastAnswer().locator('.cite').count()).toBeGreaterThan(1);
    expect(await lastAnswer().locator('.sources li').count()).toBeGreaterThan(1);
    await lastAnswer().locator('.chart-card canvas').first().waitFor();
    expect(await page.getByRole('button', { name: 'Stop' }).isVisible()).toBe(false);
    await expect.poll(() => page.locator('.disclaimer').isVisible()).toBe(true);
    await page.setViewportSize({ width: 1100, height: 1250 });
    await lastAnswer().locator('.cite-article').first().hover();
    await page.getByRole('dialog', { name: /^Source/ }).waitFor();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'screenshot-chat.png') });
  });

  it('opens a data citation with its tool, arguments and figures, and an article citation that links to the passage', async () => {
    await openPage();
    await page.getByRole('textbox', { name: 'Your question' }).fill(RUSSELL_CLOSE);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('.msg-assistant[data-state="done"]').waitFor();

    const dataChip = lastAnswer().locator('.cite-data').first();
    await dataChip.click();
    const popover = page.getByRole('dialog', { name: /^Source \d+$/ });
    await popover.waitFor();
    expect(await dataChip.getAttribute('aria-expanded')).toBe('true');
    const dataText = await popover.textContent();
    expect(dataText).toContain('performance');
    expect(dataText).toContain('symbol RUT');
    expect(dataText).toContain('2,698.17');
    await page.keyboard.press('Escape');
    expect(await popover.isVisible()).toBe(false);
    expect(await dataChip.evaluate((element) => element === document.activeElement)).toBe(true);

    const articleChip = lastAnswer().locator('.cite-article').first();
    await articleChip.hover();
    await popover.waitFor();
    expect(await popover.textContent()).toMatch(/Russell 2000/);
    await articleChip.click();
    await popover.getByRole('link', { name: 'Open the article' }).click();
    await page.locator('.article-page h1').waitFor();
    expect(page.url()).toMatch(/#\/article\/[a-f0-9]{16}\?chunk=/);
    const highlighted = page.locator('.chunk-highlight');
    expect(await highlighted.count()).toBe(1);
    expect(await highlighted.isVisible()).toBe(true);
  });

  it('runs a deep research with the plan reviewed: edit, delete, reorder and add steps, then read the report', async () => {
    await openPage();
    const runBodies: unknown[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/research/run')) runBodies.push(JSON.parse(request.postData() ?? 'null'));
    });
    await page.getByRole('switch', { name: 'Deep research' }).check();
    const autoAccept = page.getByRole('switch', { name: 'Auto-accept plan' });
    expect(await autoAccept.isEnabled()).toBe(true);
    expect(await autoAccept.isChecked()).toBe(false);
    await page.getByRole('textbox', { name: 'Your question' }).fill('Is the small-cap rally of early 2026 justified by valuations?');
    await page.getByRole('textbox', { name: 'Your question' }).press('Enter');

    const plan = page.getByRole('form', { name: 'Research plan' });
    await plan.waitFor();
    const proposed = await plan.locator('.step-title').evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
    expect(proposed.length).toBeGreaterThanOrEqual(3);
    await plan.getByRole('textbox', { name: 'Step 2 title' }).fill('Valuation gap, S&P 500 vs Russell 2000');
    await plan.getByRole('button', { name: `Delete step ${proposed.length}` }).click();
    await plan.getByRole('button', { name: 'Move step 2 up' }).click();
    await plan.getByRole('button', { name: '+ Add step' }).click();
    await plan.getByRole('textbox', { name: `Step ${proposed.length} title` }).fill('Rate sensitivity');
    await plan.getByRole('textbox', { name: `Step ${proposed.length} search query` }).fill('Why are small caps more sensitive to Fed rate cuts?');
    await plan.getByRole('button', { name: 'Run research' }).click();

    const report = page.getByRole('article', { name: 'Research report' });
    await report.waitFor();
    const expectedTitles = ['Valuation gap, S&P 500 vs Russell 2000', proposed[0], ...proposed.slice(2, -1), 'Rate sensitivity'];
    const run = runBodies.at(-1) as { planId: string; steps: { id: string; title: string; query: string }[] };
    expect(run.planId).toEqual(expect.any(String));
    expect(run.steps.map((step) => step.title)).toEqual(expectedTitles);
    expect(run.steps.at(-1)).toMatchObject({ query: 'Why are small caps more sensitive to Fed rate cuts?' });

    expect(await page.locator('.progress-step').count()).toBe(expectedTitles.length);
    expect(await page.locator('.progress-step[data-status="done"]').count()).toBe(expectedTitles.length);
    expect(await report.locator('.report-title').textContent()).toMatch(/\S/);
    expect(await report.locator('.report-section h3').count()).toBeGreaterThan(0);
    const references = report.getByRole('region', { name: 'References' }).locator('li');
    expect(await references.count()).toBeGreaterThan(2);
    const chipNumbers = await report.locator('.cite').evaluateAll((chips) => chips.map((chip) => Number((chip as HTMLElement).dataset.n)));
    const referenceNumbers = await references.evaluateAll((items) => items.map((item) => Number((item as HTMLElement).dataset.n)));
    expect(chipNumbers.length).toBeGreaterThan(0);
    for (const n of chipNumbers) expect(referenceNumbers).toContain(n);
    expect(await report.textContent()).not.toMatch(/\[\d+\]/);
    await page.setViewportSize({ width: 1100, height: 1500 });
    await page.locator('.research').last().evaluate((card) => window.scrollTo({ top: card.getBoundingClientRect().top + window.scrollY - 70 }));
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'screenshot-research.png') });
  });

  it('runs the plan at once with auto-accept on, showing each step as it starts and finishes', async () => {
    await openPage();
    await page.getByRole('switch', { name: 'Deep research' }).check();
    await page.getByRole('switch', { name: 'Auto-accept plan' }).check();
    const runBodies: unknown[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/research/')) runBodies.push({ url: new URL(request.url()).pathname, body: JSON.parse(request.postData() ?? 'null') });
    });
    await page.getByRole('textbox', { name: 'Your question' }).fill('How strong was the small-cap rally?');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('article', { name: 'Research report' }).waitFor();
    expect(await page.getByRole('form', { name: 'Research plan' }).count()).toBe(0);
    expect(runBodies).toEqual([{ url: '/api/research/run', body: { question: 'How strong was the small-cap rally?', autoAccept: true } }]);
    const steps = await page.locator('.progress-step').count();
    expect(steps).toBeGreaterThan(0);
    expect(await page.locator('.progress-step[data-status="done"]').count()).toBe(steps);
  });

  it('uploads a pasted article, finds it by search, opens it, asks about it, and deletes it', async () => {
    await openPage('/#/library');
    await page.getByRole('button', { name: 'Add article' }).click();
    const form = page.getByRole('form', { name: 'Add an article' });
    await form.getByRole('textbox', { name: 'Article text or HTML' }).fill(
      'Quillmoor Analytics looked at the zinc market this week. Warehouse stocks of zinc fell for a ninth week, ' +
      'and the note argues that smelter cuts in 2026 leave the market short by about 180,000 tonnes.\n\n' +
      'The author expects the shortage to ease only once new mines open in the second half of the year.');
    await form.getByRole('textbox', { name: 'Title (optional)' }).fill('Quillmoor zinc shortage note');
    await form.getByRole('textbox', { name: 'Tags, comma separated (optional)' }).fill('metals, zinc');
    await form.getByRole('button', { name: 'Add to library' }).click();
    await page.locator('.notice-success').filter({ hasText: /Added, in \d+ chunk/ }).waitFor();

    await page.getByRole('searchbox', { name: 'Search articles' }).fill('quillmoor zinc');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const row = page.locator('.article-row').filter({ hasText: 'Quillmoor zinc shortage note' });
    await row.waitFor();
    expect(await row.locator('.tag').allTextContents()).toEqual(['metals', 'zinc']);
    await row.getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: 'Quillmoor zinc shortage note' }).waitFor();
    expect(await page.locator('.article-text').textContent()).toContain('180,000 tonnes');
    expect(await page.locator('.chunk').count()).toBeGreaterThan(0);

    const chatRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/chat')) chatRequests.push(request.postData() ?? '');
    });
    await page.getByRole('button', { name: 'Ask about this article' }).click();
    await page.locator('#chat-scope').filter({ hasText: 'Quillmoor zinc shortage note' }).waitFor();
    await page.getByRole('button', { name: /^Which figures does “Quillmoor zinc shortage note” report\?$/ }).click();
    await page.locator('.msg-assistant[data-state="done"]').waitFor();
    const articleId = /#\/article\/([a-f0-9]{16})/.exec((await lastAnswer().locator('.sources a').first().getAttribute('href'))!)![1];
    expect(JSON.parse(chatRequests[0]!).filters).toEqual({ articleIds: [articleId] });
    expect(await lastAnswer().textContent()).toContain('180,000');

    await page.goto(`${baseUrl}/#/article/${articleId}`);
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('button', { name: 'Delete permanently' }).click();
    await page.waitForURL(/#\/library$/);
    await page.getByRole('searchbox', { name: 'Search articles' }).fill('quillmoor zinc');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.locator('#library-summary').filter({ hasText: /^0 articles matching/ }).waitFor();
    expect(await page.locator('.article-row').count()).toBe(0);
  });

  it('renders an article containing <script> and <img onerror> inert, as text, in the article page and in answers', async () => {
    await openPage();
    const hostile = 'Tarnwick Metals flagged a hostile snippet in a supplier newsletter about cobalt prices.\n\n' +
      'The newsletter body held <script>window.__pwned = "script"</script> and <img src=x onerror="window.__pwned = \'img\'"> ' +
      'next to the claim that cobalt rose 12% in March 2026 at Tarnwick.\n\n[click me](javascript:window.__pwned=1) ![tracker](http://203.0.113.9/pixel.png)';
    const created = await page.evaluate(async (text) => {
      const response = await fetch('/api/articles', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Tarnwick cobalt <b>note</b>', text }) });
      return response.json();
    }, hostile);
    await page.goto(`${baseUrl}/#/article/${created.id}`);
    await page.locator('.article-page h1').waitFor();
    expect(await page.locator('.article-page h1').textContent()).toBe('Tarnwick cobalt <b>note</b>');
    expect(await page.locator('.article-text').textContent()).toContain('<script>window.__pwned = "script"</script>');
    expect(await page.locator('.article-text').textContent()).toContain('<img src=x onerror=');
    expect(await page.locator('.article-page img, .article-page script, .article-page b').count()).toBe(0);

    await page.getByRole('button', { name: 'Ask about this article' }).click();
    await page.getByRole('textbox', { name: 'Your question' }).fill('What did the newsletter say about cobalt at Tarnwick?');
    await page.getByRole('textbox', { name: 'Your question' }).press('Enter');
    await page.locator('.msg-assistant[data-state="done"]').waitFor();
    await lastAnswer().locator('.cite-article').first().click();
    await page.getByRole('dialog', { name: /^Source/ }).waitFor();

    // The Markdown path itself: raw HTML, images and javascript: links from a model never become live.
    // A string, not a function: vitest rewrites `import()` inside test functions for Node.
    const rendered = (await page.evaluate(`(async (markdown) => {
      const { renderMarkdown } = await import('/lib/markdown.js');
      const box = document.createElement('div');
      box.append(renderMarkdown(markdown, { citations: new Map([[0, { n: 0, kind: 'article', title: 't' }]]) }));
      document.body.append(box);
      const handlers = [...box.querySelectorAll('*')].flatMap((element) => element.getAttributeNames().filter((name) => name.startsWith('on')));
      const hrefs = [...box.querySelectorAll('[href], [src]')].map((element) => element.getAttribute('href') ?? element.getAttribute('src'));
      return { live: box.querySelectorAll('script, img, iframe, object, embed').length, handlers, hrefs, chips: box.querySelectorAll('button.cite').length, text: box.textContent };
    })(${JSON.stringify(`Cobalt rose [0]. <script>window.__pwned='md'</script> <img src=x onerror="window.__pwned='md-img'"> [x](javascript:window.__pwned=2) ![t](http://203.0.113.9/a.png) <a href="javascript:alert(1)" onclick="x()">y</a>`)})`)) as { live: number; handlers: string[]; hrefs: string[]; chips: number; text: string };
    expect(rendered.chips).toBe(1);
    expect(rendered).toMatchObject({ live: 0, handlers: [], hrefs: [] });
    expect(rendered.text).toContain('<script>');

    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  });

  it('shows a clear error with a retry when the server is unreachable, the provider fails or the stream is stopped', async () => {
    await openPage();
    await page.route('**/api/chat', (route) => route.abort('connectionrefused'));
    await page.getByRole('textbox', { name: 'Your question' }).fill(RUSSELL_CLOSE);
    await page.getByRole('textbox', { name: 'Your question' }).press('Enter');
    const alert = lastAnswer().getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Server unreachable');
    expect(await lastAnswer().locator('.spinner').count()).toBe(0);
    await page.unroute('**/api/chat');
    await alert.getByRole('button', { name: 'Retry' }).click();
    await page.locator('.msg-assistant[data-state="done"]').waitFor();
    expect(await lastAnswer().textContent()).toContain('2,698.17');

    await page.route('**/api/chat', (route) => route.fulfill({
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
      body: 'event: retrieval\ndata: {"sources":[]}\n\nevent: error\ndata: {"code":"upstream_unavailable","message":"The model provider did not answer in time."}\n\n',
    }));
    await page.getByRole('textbox', { name: 'Your question' }).fill('And the S&P 500?');
    await page.getByRole('textbox', { name: 'Your question' }).press('Enter');
    await page.locator('.msg-assistant[data-state="failed"]').waitFor();
    expect(await lastAnswer().getByRole('alert').textContent()).toMatch(/model provider failed.*did not answer in time/i);
    await page.unroute('**/api/chat');

    gate.arm();
    await page.getByRole('textbox', { name: 'Your question' }).fill(RUSSELL_CLOSE);
    await page.getByRole('textbox', { name: 'Your question' }).press('Enter');
    await lastAnswer().locator('.markdown.streaming').filter({ hasText: /\S/ }).waitFor();
    await page.getByRole('button', { name: 'Stop' }).click();
    await lastAnswer().locator('.msg-stopped').filter({ hasText: 'Stopped.' }).waitFor();
    gate.release();
    expect(await lastAnswer().getByRole('button', { name: 'Retry' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Send' }).isEnabled()).toBe(true);
  });

  it('is keyboard usable with labelled controls, and fits a phone-sized screen', async () => {
    await openPage('/', { width: 390, height: 844 });
    const question = page.getByRole('textbox', { name: 'Your question' });
    await question.focus();
    await page.keyboard.type('First line');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('second line');
    expect(await question.inputValue()).toBe('First line\nsecond line');
    expect(await page.locator('.msg').count()).toBe(0);

    const unnamed = async () => page.evaluate(() => Array.from(document.querySelectorAll('button, input, textarea, select, a[href]'))
      .filter((element) => (element as HTMLElement).offsetParent !== null)
      .filter((element) => {
        const labelled = element.getAttribute('aria-label') || element.getAttribute('aria-labelledby') ||
          ((element as HTMLInputElement).labels?.length ?? 0) > 0 || (element.textContent ?? '').trim();
        return !labelled;
      })
      .map((element) => element.outerHTML.slice(0, 80)));
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

    await question.fill(RUSSELL_CLOSE);
    await question.press('Enter');
    await page.locator('.msg-assistant[data-state="done"]').waitFor();
    expect(await unnamed()).toEqual([]);
    expect(await overflow()).toBeLessThanOrEqual(0);

    // Reach a citation chip with the keyboard and open it.
    const chip = lastAnswer().locator('.cite').first();
    await chip.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: /^Source/ }).waitFor();
    await page.keyboard.press('Escape');

    await page.goto(`${baseUrl}/#/library`);
    await page.locator('.article-row').first().waitFor();
    await page.getByRole('button', { name: 'Add article' }).click();
    expect(await unnamed()).toEqual([]);
    expect(await overflow()).toBeLessThanOrEqual(0);
  });
});
