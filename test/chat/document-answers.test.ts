import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { createLocalEmbedder } from '../../ingest/embed/local-embedder.ts';
import { ingestDocument } from '../../ingest/pipeline.ts';
import { createCellFinder, type CellFinder } from '../../server/cells/cell-finder.ts';
import { createChatService, type ChatService } from '../../server/chat/chat-service.ts';
import { createConversationStore } from '../../server/chat/conversations.ts';
import { createOfflineEngine } from '../../server/chat/offline-engine.ts';
import { createPriceStore } from '../../server/market/price-store.ts';
import { loadPromptLibrary } from '../../server/prompts.ts';
import { createToolRegistry } from '../../server/tools/registry.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

/**
 * The offline engine over a small annual report written for this test (an invented company, our
 * own figures): each operation and standard ratio is checked against figures computed by hand.
 */
const REPO = resolve(import.meta.dirname, '../..');
const TODAY = '2026-11-21';
const tempDir = useTempDirs();
let chat: ChatService;
let finder: CellFinder;

const REPORT = `# Harbor Lane Tools annual report 2023

Harbor Lane Tools makes hand tools for professional builders. Fiscal 2023 was a year of steady demand and better pricing.

| (in millions) | FY2023 | FY2022 |
| --- | --- | --- |
| Revenue | 1,200.0 | 1,000.0 |
| Cost of sales | 700.0 | 640.0 |
| Gross profit | 500.0 | 360.0 |
| Operating income | 240.0 | 150.0 |
| Net income | 180.0 | 100.0 |
| Cash and cash equivalents | 150.0 | 120.0 |
| Accounts receivable | 200.0 | 180.0 |
| Inventories | 250.0 | 260.0 |
| Total current assets | 600.0 | 560.0 |
| Total assets | 2,000.0 | 1,800.0 |
| Total current liabilities | 400.0 | 420.0 |
| Total debt | 500.0 | 550.0 |
| Total shareholders' equity | 1,000.0 | 900.0 |

Management expects the new warehouse in Ohio to shorten delivery times for builders across the Midwest.
`;

beforeAll(async () => {
  const embedder = await createLocalEmbedder({ cacheDir: join(REPO, '.cache/word-vectors') });
  const kb = await EmbeddedStore.open({ indexDir: join(tempDir(), 'index'), embedder: { id: embedder.id, dim: embedder.dim } });
  await ingestDocument({ content: REPORT, filename: 'harbor-lane-2023.md', origin: 'harbor-lane-2023.md' }, { kb, embedder });
  const prompts = loadPromptLibrary(join(REPO, 'prompts'));
  const prices = createPriceStore({ dataDir: join(REPO, 'data') });
  const offline = createOfflineEngine({ kb, embedder, registry: createToolRegistry(), toolContext: () => ({ prices, today: TODAY }), prompts });
  chat = createChatService({ offline, conversations: createConversationStore(), prompts, today: () => TODAY });
  finder = createCellFinder({ kb, embedder, today: () => TODAY });
});

const ask = (message: string) => chat.ask({ message }, { signal: new AbortController().signal });
const lead = (answer: string) => answer.split(/\n\s*\n/)[0]!;

describe('offline answers computed from a report table', () => {
  it.each([
    ['What was the percentage change in revenue from FY2022 to FY2023?', /\+20\.00%/],
    ['What was the change in inventories from FY2022 to FY2023?', /−10\.0 million/],
    ['What was the average net income for FY2022 and FY2023?', /140 million/],
    ['What is the ratio of total assets to total shareholders’ equity in FY2023?', /\b2\.00\b/],
    ['What was cash and cash equivalents as a percentage of total assets in FY2023?', /7\.50%/],
    ['What was the gross margin in FY2023?', /41\.67%/],
    ['What was the current ratio in FY2023?', /1\.50x/],
    ['What was the net margin in FY2023?', /15\.00%/],
    ['What was the return on equity in FY2023?', /18\.00%/],
    ['What was the debt-to-equity ratio in FY2022?', /0\.61x/],
    ['What was working capital in FY2023?', /\b200(?:\.0)? million/],
    ['What were COGS in FY2023?', /700\.0 million/],
    ['In which year was net income the largest?', /^2023 had the largest Net income/],
    // The threshold the count restates is the compute tool's argument, so grounding keeps the sentence.
    ['How many years did net income exceed $170 million?', /^1: period of 2 in which Net income was above \$170 million/],
  ])('%s', async (question, expected) => {
    const response = await ask(question);
    expect(lead(response.answer)).toMatch(expected);
    expect(response.grounding.grounded).toBe(response.grounding.figures);
  });

  it('leads with the result, states the formula with each input and its period, and cites the inputs and the computation', async () => {
    const response = await ask('What was the percentage change in revenue from FY2022 to FY2023?');
    expect(lead(response.answer)).toMatch(/^\*\*\+20\.00%\*\* — the percentage change in Revenue from 2022 to 2023 \[0\]\.$/);
    expect(response.answer).toContain(
      'Formula: (Revenue (2023) − Revenue (2022)) ÷ Revenue (2022) × 100 = (1200 - 1000) / |1000| * 100 [0], from Revenue 2022 = 1,000.0 million [1]; Revenue 2023 = 1,200.0 million [1].',
    );
    expect(response.citations[0]).toMatchObject({ kind: 'data', tool: 'compute' });
    expect(response.citations[1]).toMatchObject({ kind: 'article' });
    expect(response.toolCalls.map((call) => call.name)).toEqual(['compute']);
  });

  it('states which variant of a ratio it used', async () => {
    const response = await ask('What was the quick ratio in FY2023?');
    expect(lead(response.answer)).toMatch(/0\.88x/);
    expect(response.answer).toContain('Quick ratio computed as (cash + receivables) ÷ current liabilities.');
  });

  it('answers yes/no questions yes or no first', async () => {
    expect(lead((await ask('Did net income increase from FY2022 to FY2023?')).answer)).toMatch(
      /^Yes: Net income increased from 100\.0 million in 2022 to 180\.0 million in 2023/,
    );
    expect(lead((await ask('Did inventories increase from FY2022 to FY2023?')).answer)).toMatch(/^No: Inventories decreased/);
    expect(lead((await ask('Has the quick ratio improved between FY2022 and FY2023?')).answer)).toMatch(
      /^Yes: the quick ratio went from 0\.71x in FY2022 to 0\.88x in FY2023/,
    );
    expect(lead((await ask('Is the gross margin above 50% in FY2023?')).answer)).toMatch(/^No: the gross margin was 41\.67%/);
  });
});

describe('refusal rule', () => {
  it('never refuses because a generic or capitalised word (USD, COGS, Has, Other) is absent when the top passage answers', async () => {
    for (const question of [
      'Has Harbor Lane reported COGS in USD for FY2023?',
      'What was Other income at Harbor Lane in FY2023 and the Cost of sales?',
      'What was the American builders revenue of Harbor Lane in FY2023?',
    ]) {
      const response = await ask(question);
      expect(response.answer).not.toMatch(/could not find anything/);
    }
  });

  it('says so when the documents never mention the company asked about, instead of passing off another company’s figures', async () => {
    const response = await ask('What was Tesla’s revenue in FY2023?');
    expect(response.answer).toMatch(/could not find anything about Tesla|never mention Tesla/);
  });

  it('refuses when nothing relevant was retrieved', async () => {
    const response = await ask('Who won the chess olympiad in Budapest?');
    expect(response.answer).toMatch(/could not find anything/);
  });
});

describe('find_cells tool', () => {
  it('finds a line item’s cells by period with their passage, for the generative engine', async () => {
    const registry = createToolRegistry();
    const result = await registry.run('find_cells', { item: 'inventories', periods: ['FY2023'] }, { prices: {} as never, cells: finder });
    expect(result.cells).toEqual([
      expect.objectContaining({
        row: 'Inventories',
        period: '2023',
        value: 250,
        text: '250.0',
        scale: 'million',
        title: 'Harbor Lane Tools annual report 2023',
      }),
    ]);
  });

  it('says plainly when no knowledge base is connected', async () => {
    await expect(createToolRegistry().run('find_cells', { item: 'revenue' }, { prices: {} as never })).rejects.toMatchObject({ code: 'not_found' });
  });
});
