import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOT_DIR = process.env.UPDATE_SCREENSHOTS ? join(REPO, 'docs') : mkdtempSync(join(tmpdir(), 'copilot-shots-'));
const RUSSELL_CLOSE = 'What did the Russell 2000 close at on January 21, 2026?';
/** The offline engine's refusal, up to its topic slot: what a non-answer starts with. */
const REFUSAL = readFileSync(join(REPO, 'prompts/no-answer-en.md'), 'utf8').split('---').slice(2).join('---').trim().split('{{')[0]!.trim();

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
      researchRouter: (deps) => createResearchRouter({ research: createResearchService(deps), conversations: deps.conversations }),
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
      acceptDownloads: true,
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
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
    // The next test starts in English, whatever this one chose.
    await page?.evaluate(() => localStorage.removeItem('copilot.language')).catch(() => {});
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
    // Each chart follows the part of the report that first cites its computation, never the references.
    const placements = await report.locator('.charts').evaluateAll((charts) =>
      charts.map((chart) => {
        const cites = String((chart as HTMLElement).dataset.cites ?? '')
          .split(' ')
          .filter(Boolean);
        const before = chart.previousElementSibling;
        const cited = new Set(Array.from(before?.querySelectorAll('.cite') ?? []).map((chip) => (chip as HTMLElement).dataset.n));
        return { cites, citedBefore: cites.every((n) => cited.has(n)), inSection: Boolean(chart.closest('.report-section')) };
      }),
    );
    expect(placements.length).toBeGreaterThan(0);
    for (const placement of placements) expect(placement).toMatchObject({ citedBefore: true, inSection: true });
    await page.setViewportSize({ width: 1100, height: 1500 });
    await page
      .locator('.research')
      .last()
      .evaluate((card) => window.scrollTo({ top: card.getBoundingClientRect().top + window.scrollY - 70 }));
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

    // The report is part of the conversation: a reload shows it again, with its references.
    await page.waitForURL(/#\/chat\/[\w-]{8,64}$/);
    const title = await page.locator('.report-title').textContent();
    const references = await page.getByRole('region', { name: 'References' }).locator('li').count();
    await page.reload();
    const report = page.getByRole('article', { name: 'Research report' });
    await report.waitFor();
    expect(await report.locator('.report-title').textContent()).toBe(title);
    expect(await report.getByRole('region', { name: 'References' }).locator('li').count()).toBe(references);
    expect(await page.locator('.msg-user').allTextContents()).toEqual(['How strong was the small-cap rally?']);
    expect(await page.locator('.history-item[aria-current], .history-item .history-link[aria-current]').count()).toBe(1);
    expect(await report.getByRole('button', { name: 'Export Markdown' }).isVisible()).toBe(true);
  });

  it('uploads a pasted article, finds it by search, opens it, asks about it, and deletes it', async () => {
    await openPage('/#/library');
    await page.getByRole('button', { name: 'Add article' }).click();
    const form = page.getByRole('form', { name: 'Add an article' });
    await form
      .getByRole('textbox', { name: 'Article text or HTML' })
      .fill(
        'Quillmoor Analytics looked at the zinc market this week. Warehouse stocks of zinc fell for a ninth week, ' +
          'and the note argues that smelter cuts in 2026 leave the market short by about 180,000 tonnes.\n\n' +
          'The author expects the shortage to ease only once new mines open in the second half of the year.',
      );
    await form.getByRole('textbox', { name: 'Title (optional)' }).fill('Quillmoor zinc shortage note');
    await form.getByRole('textbox', { name: 'Tags, comma separated (optional)' }).fill('metals, zinc');
    await form.getByRole('button', { name: 'Add to library' }).click();
    await page
      .locator('.notice-success')
      .filter({ hasText: /Added, in \d+ chunk/ })
      .waitFor();

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
    await page
      .locator('#library-summary')
      .filter({ hasText: /^0 articles matching/ })
      .waitFor();
    expect(await page.locator('.article-row').count()).toBe(0);
  });

  it('renders an article containing <script> and <img onerror> inert, as text, in the article page and in answers', async () => {
    await openPage();
    const hostile =
      'Tarnwick Metals flagged a hostile snippet in a supplier newsletter about cobalt prices.\n\n' +
      'The newsletter body held <script>window.__pwned = "script"</script> and <img src=x onerror="window.__pwned = \'img\'"> ' +
      'next to the claim that cobalt rose 12% in March 2026 at Tarnwick.\n\n[click me](javascript:window.__pwned=1) ![tracker](http://203.0.113.9/pixel.png)';
    const created = await page.evaluate(async (text) => {
      const response = await fetch('/api/articles', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Tarnwick cobalt <b>note</b>', text }),
      });
      return response.json();
    }, hostile);
    await page.goto(`${baseUrl}/#/article/${created.id}`);
    await page.locator('.article-page h1').waitFor();
    // Titles are stored as plain text (issue 14, finding 7): the markup is gone, not rendered.
    expect(await page.locator('.article-page h1').textContent()).toBe('Tarnwick cobalt note');
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
    })(${JSON.stringify(`Cobalt rose [0]. <script>window.__pwned='md'</script> <img src=x onerror="window.__pwned='md-img'"> [x](javascript:window.__pwned=2) ![t](http://203.0.113.9/a.png) <a href="javascript:alert(1)" onclick="x()">y</a>`)})`)) as {
      live: number;
      handlers: string[];
      hrefs: string[];
      chips: number;
      text: string;
    };
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

    await page.route('**/api/chat', (route) =>
      route.fulfill({
        status: 200,
        headers: { 'content-type': 'text/event-stream' },
        body: 'event: retrieval\ndata: {"sources":[]}\n\nevent: error\ndata: {"code":"upstream_unavailable","message":"The model provider did not answer in time."}\n\n',
      }),
    );
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

    const unnamed = async () =>
      page.evaluate(() =>
        Array.from(document.querySelectorAll('button, input, textarea, select, a[href]'))
          .filter((element) => (element as HTMLElement).offsetParent !== null)
          .filter((element) => {
            const labelled =
              element.getAttribute('aria-label') ||
              element.getAttribute('aria-labelledby') ||
              ((element as HTMLInputElement).labels?.length ?? 0) > 0 ||
              (element.textContent ?? '').trim();
            return !labelled;
          })
          .map((element) => element.outerHTML.slice(0, 80)),
      );
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

  async function ask(question: string): Promise<void> {
    const done = await page.locator('.msg-assistant[data-state="done"]').count();
    await page.getByRole('textbox', { name: 'Your question' }).fill(question);
    await page.getByRole('textbox', { name: 'Your question' }).press('Enter');
    await expect.poll(() => page.locator('.msg-assistant[data-state="done"]').count(), { timeout: 60_000 }).toBe(done + 1);
  }

  it('answers every example card of the landing page with a cited answer, not a refusal', async () => {
    await openPage();
    const cards = page.locator('.example');
    await expect.poll(() => cards.count()).toBeGreaterThan(1);
    const questions = await cards.allTextContents();
    for (const [index, question] of questions.entries()) {
      await page.getByRole('button', { name: 'New chat' }).click();
      await page.locator('.example').nth(index).click();
      await page.locator('.msg-assistant[data-state="done"]').waitFor({ timeout: 60_000 });
      const answer = (await lastAnswer().locator('.markdown').first().textContent())!;
      expect(answer.startsWith(REFUSAL), `${question} → ${answer.slice(0, 120)}`).toBe(false);
      expect(await lastAnswer().locator('.cite').count(), question).toBeGreaterThan(0);
      expect(await lastAnswer().locator('.sources li').count(), question).toBeGreaterThan(0);
      // For a person to look at (docs/ keeps only the curated screenshots).
      if (!process.env.UPDATE_SCREENSHOTS) {
        await page.evaluate(() => window.scrollTo({ top: document.documentElement.scrollHeight }));
        await page.screenshot({ path: join(SCREENSHOT_DIR, `example-card-${index + 1}.png`) });
      }
    }
  });

  it('keeps a conversation across a reload: listed in the sidebar, reopened, continued, then deleted', async () => {
    await openPage();
    const chatBodies: { conversationId?: string }[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/chat')) chatBodies.push(JSON.parse(request.postData() ?? '{}'));
    });
    await ask(RUSSELL_CLOSE);
    await page.waitForURL(/#\/chat\/[\w-]{8,64}$/);
    const id = /#\/chat\/([\w-]+)$/.exec(page.url())![1]!;
    const item = page.locator(`.history-item[data-id="${id}"]`);
    await item.waitFor();
    expect(await item.locator('.history-title').textContent()).toBe(RUSSELL_CLOSE);

    await page.reload();
    await page.locator('.msg-assistant[data-state="done"]').waitFor();
    expect(await page.locator('.msg-user').allTextContents()).toEqual([RUSSELL_CLOSE]);
    expect(await lastAnswer().textContent()).toContain('2,698.17');
    expect(await lastAnswer().locator('.cite').count()).toBeGreaterThan(1);
    await lastAnswer().locator('.chart-card canvas').first().waitFor();
    expect(await page.locator(`.history-item[data-id="${id}"] [aria-current="page"]`).count()).toBe(1);

    await ask('And the S&P 500 on the same day?');
    expect(chatBodies.at(-1)?.conversationId).toBe(id);
    expect(await page.locator('.msg-user').count()).toBe(2);

    await page.getByRole('button', { name: 'New chat' }).click();
    expect(await page.locator('.msg').count()).toBe(0);
    expect(page.url()).toMatch(/#\/chat$/);
    await page.locator(`.history-item[data-id="${id}"] .history-link`).click();
    await expect.poll(() => page.locator('.msg-assistant[data-state="done"]').count()).toBe(2);
    expect(await page.locator(`.history-item[data-id="${id}"] .history-meta`).textContent()).toMatch(/2 questions$/);

    await item.getByRole('button', { name: `Delete conversation “${RUSSELL_CLOSE}”` }).click();
    await item.waitFor({ state: 'detached' });
    expect(await page.locator('.msg').count()).toBe(0);
    expect(page.url()).toMatch(/#\/chat$/);
    expect(await page.evaluate(async (gone) => (await fetch(`/api/conversations/${gone}`)).status, id)).toBe(404);
  });

  it('copies and exports an answer as Markdown with its references, and prints one answer alone', async () => {
    await openPage();
    await ask(RUSSELL_CLOSE);
    await ask('What do my articles say about small caps?');
    const first = page.locator('.msg-assistant').first();

    await first.getByRole('button', { name: 'Copy' }).click();
    await first.locator('.action-feedback').filter({ hasText: 'Copied' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied.startsWith(`## ${RUSSELL_CLOSE}\n\n`)).toBe(true);
    expect(copied).toContain('2,698.17');
    expect(copied).toMatch(/\[0\]/);
    expect(copied).toMatch(/### Sources\n\n- \[0\] /);
    expect(copied).toMatch(/computed with `performance`/);
    expect(copied).toMatch(/not investment advice/);
    expect(copied.match(/not investment advice/g)).toHaveLength(1);

    const [download] = await Promise.all([page.waitForEvent('download'), first.getByRole('button', { name: 'Export Markdown' }).click()]);
    expect(download.suggestedFilename()).toBe('what-did-the-russell-2000-close-at-on-january-21-2026.md');
    expect(readFileSync((await download.path())!, 'utf8')).toBe(copied);

    // The print dialog itself is the browser's; what it prints is the print stylesheet's job.
    await page.evaluate(() => {
      window.print = () => {};
    });
    await first.getByRole('button', { name: 'Print / PDF' }).click();
    await page.emulateMedia({ media: 'print' });
    expect(await first.isVisible()).toBe(true);
    expect(await page.locator('.msg-user').first().isVisible()).toBe(true);
    expect(await lastAnswer().isVisible()).toBe(false);
    for (const selector of ['.topbar', '.composer', '.history', '.answer-actions'])
      expect(await page.locator(selector).first().isVisible(), selector).toBe(false);
    expect(await page.locator('.print-disclaimer').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    expect(await page.locator('.print-disclaimer').isVisible()).toBe(false);
    // The disclaimer shows once in the view, under the input, not under each answer.
    expect(await page.locator('.msg-assistant').filter({ hasText: 'not investment advice' }).count()).toBe(0);
    expect(await page.locator('.disclaimer').count()).toBe(1);
  });

  it('offers two or three follow-up questions under the latest answer and asks one when clicked', async () => {
    await openPage();
    await ask(RUSSELL_CLOSE);
    const chips = lastAnswer().locator('.follow-up');
    const count = await chips.count();
    expect(count).toBeGreaterThanOrEqual(2);
    expect(count).toBeLessThanOrEqual(3);
    const suggestions = await chips.allTextContents();
    for (const suggestion of suggestions) expect(suggestion).toMatch(/Russell 2000/);
    await chips.first().click();
    await expect.poll(() => page.locator('.msg-assistant[data-state="done"]').count(), { timeout: 60_000 }).toBe(2);
    expect(await page.locator('.msg-user').last().textContent()).toBe(suggestions[0]);
    expect(await lastAnswer().locator('.cite').count()).toBeGreaterThan(0);
    expect(await page.locator('.msg-assistant').first().locator('.follow-ups').count()).toBe(0);
  });

  it('switches the interface to Chinese and back, remembers it across a reload, and still shows the server’s answer', async () => {
    await openPage();
    await page.getByRole('button', { name: 'Switch the interface to Chinese' }).click();
    await page.getByRole('link', { name: '对话' }).waitFor();
    expect(await page.getByRole('link', { name: '文章库' }).isVisible()).toBe(true);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.getByRole('textbox', { name: '您的问题' }).getAttribute('placeholder')).toBe('询问您的文章或行情数据…');
    expect(await page.locator('#disclaimer').textContent()).toMatch(/不构成投资建议/);
    expect(await page.locator('.examples-heading').textContent()).toBe('试着问');

    await page.reload();
    await page.getByRole('button', { name: '发送' }).waitFor();
    const question = '罗素2000在2026年1月21日收盘是多少？';
    const expected = await page.evaluate(async (message) => {
      const response = await fetch('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message }) });
      return (await response.json()) as { answer: string; disclaimer: string };
    }, question);
    await page.getByRole('textbox', { name: '您的问题' }).fill(question);
    await page.getByRole('button', { name: '发送' }).click();
    await page.locator('.msg-assistant[data-state="done"]').waitFor();
    const firstLine = expected.answer
      .split('\n')[0]!
      .replace(/\s*\[\d+\]/g, '')
      .replace(/\*\*/g, '')
      .trim();
    expect((await lastAnswer().locator('.markdown').first().textContent())!.replace(/\s*\d+(?=[。.]|$)/gm, '')).toContain(firstLine.slice(0, 12));
    expect(await lastAnswer().getByRole('button', { name: '复制' }).isVisible()).toBe(true);
    expect(await lastAnswer().locator('.sources-heading').textContent()).toBe('来源');
    // A computed source is titled in the interface's language, from its provenance.
    expect(await lastAnswer().locator('.source-data .source-text > span').first().textContent()).toMatch(
      /^计算：Russell 2000 \(prices\/RUT\.csv\) 的 performance，/,
    );

    await page.getByRole('button', { name: '将界面切换为英文' }).click();
    await page.getByRole('link', { name: 'Chat', exact: true }).waitFor();
    await expect.poll(() => lastAnswer().locator('.sources-heading').textContent()).toBe('Sources');
    expect(await lastAnswer().locator('.source-data .source-text > span').first().textContent()).toMatch(
      /^Computed: performance of Russell 2000 \(prices\/RUT\.csv\), /,
    );
    expect(await page.evaluate(() => localStorage.getItem('copilot.language'))).toBe('en');
  });

  it('shows an article’s sentiment and related tickers in the library, on its page and on its citations', async () => {
    await openPage();
    const text = [
      'Copper Miners Rally as Smelter Fees Collapse',
      '',
      '#copper #mining',
      'Bullish',
      'US Stock',
      'March 9, 2026',
      '',
      'Related Stocks',
      '',
      'FCX',
      '--',
      'SCCO',
      '--',
      '',
      'Copper miners extended their rally this week after treatment charges at Asian smelters fell to a record low, which leaves more of the metal price with the miners.',
      '',
      'Tallowmere expects the squeeze on smelters to last until new concentrate supply arrives late in 2026, which keeps miner margins wide for now.',
    ].join('\n');
    const created = await page.evaluate(async (body) => {
      const response = await fetch('/api/articles', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Copper Miners Rally as Smelter Fees Collapse', source: 'Tallowmere Desk', text: body }),
      });
      return (await response.json()) as { id: string };
    }, text);

    await page.goto(`${baseUrl}/#/library`);
    const row = page.locator('.article-row').filter({ hasText: 'Copper Miners Rally' });
    await row.waitFor();
    expect(await row.locator('.sentiment').textContent()).toMatch(/bullish$/);
    expect(await row.locator('.tag-ticker').allTextContents()).toEqual(['FCX', 'SCCO']);
    await page.getByRole('button', { name: 'Switch the interface to Chinese' }).click();
    await page
      .locator('#library-summary')
      .filter({ hasText: /篇文章/ })
      .waitFor();
    expect(await row.locator('.sentiment').textContent()).toMatch(/看涨$/);
    await page.setViewportSize({ width: 1100, height: 1300 });
    await page.evaluate(() => window.scrollTo({ top: 0 }));
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'screenshot-library-zh.png') });
    await page.getByRole('button', { name: '将界面切换为英文' }).click();

    await page.goto(`${baseUrl}/#/article/${created.id}`);
    await page.locator('.article-page h1').waitFor();
    expect(await page.locator('.article-page .sentiment').textContent()).toMatch(/bullish$/);
    await page.getByRole('button', { name: 'Ask about this article' }).click();
    await page.getByRole('textbox', { name: 'Your question' }).fill('Why did copper miners rally this week?');
    await page.getByRole('textbox', { name: 'Your question' }).press('Enter');
    await page.locator('.msg-assistant[data-state="done"]').waitFor();
    await lastAnswer().locator('.cite-article').first().click();
    const popover = page.getByRole('dialog', { name: /^Source/ });
    await popover.waitFor();
    expect(await popover.locator('.sentiment').textContent()).toMatch(/bullish$/);
    expect(await popover.locator('.tag-ticker').allTextContents()).toEqual(['FCX', 'SCCO']);
    await page.keyboard.press('Escape');
    await page.evaluate(async (id) => fetch(`/api/articles/${id}`, { method: 'DELETE' }), created.id);
  });

  it('draws a comparison as one chart indexed to 100, beside the conversation list', async () => {
    // A tidy sidebar for the screenshot: earlier tests' conversations go, three topics come.
    await openPage();
    await page.evaluate(async () => {
      const { conversations } = (await (await fetch('/api/conversations')).json()) as { conversations: { id: string }[] };
      await Promise.all(conversations.map((item) => fetch(`/api/conversations/${item.id}`, { method: 'DELETE' })));
      for (const message of ['What risks to small caps do my articles mention?', 'What did the Nasdaq Composite close at on January 21, 2026?']) {
        await fetch('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message }) });
      }
    });
    await page.reload();
    await expect.poll(() => page.locator('.history-item').count()).toBe(2);
    await page.setViewportSize({ width: 1280, height: 1330 });
    await ask('How did the Russell 2000 compare with the S&P 500 in January 2026?');
    const charts = lastAnswer().locator('.chart-card');
    expect(await charts.count()).toBe(1);
    expect(await charts.locator('figcaption').textContent()).toBe('Russell 2000 vs S&P 500, indexed to 100');
    await charts.locator('canvas').waitFor();
    expect(await charts.locator('.u-legend .u-series').count()).toBe(3);
    expect(await page.locator('.history-item').count()).toBe(3);
    expect(await lastAnswer().locator('.follow-up').count()).toBeGreaterThanOrEqual(2);
    await page.evaluate(() => window.scrollTo({ top: document.documentElement.scrollHeight }));
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'screenshot-conversations.png') });
  });

  it('labels the bundled samples in the library, the article page and citations, and removes them all in one step', async () => {
    await openPage('/#/library');
    const notice = page.locator('.samples-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/The library includes \d+ sample articles bundled with the copilot/);
    const sampleRows = page.locator('.article-row').filter({ has: page.locator('.sample-badge') });
    await expect.poll(() => sampleRows.count()).toBeGreaterThan(1);
    expect(await sampleRows.first().locator('.sample-badge').textContent()).toBe('sample article');

    await sampleRows.first().locator('.article-link').click();
    await page.locator('.article-page h1').waitFor();
    expect(await page.locator('.article-page .sample-badge').textContent()).toBe('sample article');

    await page.goto(`${baseUrl}/#/chat`);
    await ask(RUSSELL_CLOSE);
    expect(await lastAnswer().locator('.sources .sample-badge').count()).toBeGreaterThan(0);
    await lastAnswer().locator('.cite-article').first().click();
    const popover = page.getByRole('dialog', { name: /^Source/ });
    await popover.waitFor();
    expect(await popover.locator('.sample-badge').textContent()).toBe('sample article');
    await page.keyboard.press('Escape');

    try {
      await page.goto(`${baseUrl}/#/library`);
      await notice.getByRole('button', { name: 'Remove sample articles' }).click();
      await notice.getByRole('button', { name: 'Keep them' }).click();
      await notice.getByRole('button', { name: 'Remove sample articles' }).click();
      await notice.getByRole('button', { name: 'Remove them' }).click();
      await notice
        .getByRole('status')
        .filter({ hasText: /^Removed \d+ sample articles\.$/ })
        .waitFor();
      await expect.poll(() => page.locator('.article-row .sample-badge').count()).toBe(0);
      const left = await page.evaluate(async () => (await (await fetch('/api/articles?sample=true')).json()) as { total: number });
      expect(left.total).toBe(0);
      await page.reload();
      await page
        .locator('#library-summary')
        .filter({ hasText: /librar/ })
        .waitFor();
      expect(await notice.isHidden()).toBe(true);
    } finally {
      await copilot.restoreSamples();
    }
  });
});
