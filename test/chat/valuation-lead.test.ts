import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { createLocalEmbedder } from '../../ingest/embed/local-embedder.ts';
import type { Embedder } from '../../ingest/embed/embedder.ts';
import { ingestPaths } from '../../ingest/pipeline.ts';
import { createApp } from '../../server/app.ts';
import { createChatService, type ChatService } from '../../server/chat/chat-service.ts';
import { createConversationStore } from '../../server/chat/conversations.ts';
import { createOfflineEngine } from '../../server/chat/offline-engine.ts';
import { createPriceStore } from '../../server/market/price-store.ts';
import { loadPromptLibrary } from '../../server/prompts.ts';
import { createChatRouter } from '../../server/routes/chat.ts';
import { createToolRegistry } from '../../server/tools/registry.ts';
import { useApp } from '../helpers/http.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const REPO = resolve(import.meta.dirname, '../..');
const TODAY = '2026-11-21';
const tempDir = useTempDirs();
const start = useApp();

/** The project's own prose: two notes that state multiples on different bases. */
const NOTES = {
  'valuation-note.md': `---
title: Where index multiples stand this autumn
published: 2026-10-02
---
# Where index multiples stand this autumn

Counting profitable companies only, the Russell 2000 trades at about 16 times forward earnings, compared with about 24 times for the S&P 500.

The gap between the two multiples has narrowed since the spring, when large caps were still re-rating faster than small caps.
`,
  'loss-makers-note.md': `---
title: Loss-makers and the small-cap multiple
published: 2026-10-09
---
# Loss-makers and the small-cap multiple

Include the loss-making members and the Russell 2000 multiple jumps to about 33 times forward earnings, which changes the valuation debate entirely.
`,
};

let chat: ChatService;
let kb: EmbeddedStore;
let embedder: Embedder;

beforeAll(async () => {
  // The local embedder, as a user runs it: a Chinese question finds English notes through it.
  embedder = await createLocalEmbedder({ cacheDir: join(REPO, '.cache/word-vectors') });
  const folder = join(tempDir(), 'notes');
  mkdirSync(folder);
  for (const [name, text] of Object.entries(NOTES)) writeFileSync(join(folder, name), text);
  kb = await EmbeddedStore.open({ indexDir: join(tempDir(), 'index'), embedder: { id: embedder.id, dim: embedder.dim } });
  await ingestPaths([folder], { kb, embedder });
  const prompts = loadPromptLibrary(join(REPO, 'prompts'));
  const prices = createPriceStore({ dataDir: join(REPO, 'data') });
  const offline = createOfflineEngine({ kb, embedder, registry: createToolRegistry(), toolContext: () => ({ prices, today: TODAY }), prompts });
  chat = createChatService({ offline, conversations: createConversationStore(), prompts, today: () => TODAY });
});

async function ask(message: string) {
  const app = await start(createApp({ kb, embedder, llm: { mode: 'offline' }, routers: [{ path: '/chat', router: createChatRouter({ chat }) }] }));
  const { status, body } = await app.json('/api/chat', { body: { message } });
  expect(status).toBe(200);
  return body as { answer: string; toolCalls: { name: string }[]; grounding: { figures: number; grounded: number } };
}

describe('POST /api/chat states a valuation premium in the question’s language (prompts/valuation-*-{en,zh}.md)', () => {
  it('computes the premium from the stated multiples and shows the other basis, in English', async () => {
    const body = await ask('What P/E premium does the S&P 500 carry over the Russell 2000?');
    expect(body.toolCalls.map((call) => call.name)).toContain('valuation_gap');
    expect(body.answer).toMatch(/S&P 500 trades at a 50\.00% premium to Russell 2000; put the other way, Russell 2000 is 33\.33% cheaper \[\d+\]\./);
    expect(body.answer).toMatch(
      /Sources differ on Russell 2000's multiple: 16x \[\d+\] \(profitable companies only\) versus 33x \[\d+\] \(loss-making companies included\)/,
    );
    expect(body.grounding.grounded).toBe(body.grounding.figures);
  });

  it('leads a Chinese valuation question with Chinese sentences and the same figures', async () => {
    const body = await ask('标普500相对罗素2000的市盈率溢价是多少？');
    expect(body.toolCalls.map((call) => call.name)).toContain('valuation_gap');
    const lead = body.answer.replace(/^\*\*计算结果\*\*\n\n/, '').split('\n\n')[0]!;
    expect(lead).toMatch(/标普500相对罗素2000溢价 50\.00%；反过来说，罗素2000便宜 33\.33% \[\d+\]。/);
    expect(lead).toMatch(/各来源对罗素2000市盈率的说法不一：16 倍 \[\d+\]（仅计盈利公司），另有 33 倍 \[\d+\]（含亏损公司）/);
    // Not one English word of framing in the computed lead (tickers and figures aside).
    expect(lead).not.toMatch(/[a-z]{4,}/);
    expect(body.grounding.grounded).toBe(body.grounding.figures);
  });
});
