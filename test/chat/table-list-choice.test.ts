import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { createLocalEmbedder } from '../../ingest/embed/local-embedder.ts';
import { ingestDocument } from '../../ingest/pipeline.ts';
import { createChatService, type ChatService } from '../../server/chat/chat-service.ts';
import { createConversationStore } from '../../server/chat/conversations.ts';
import { createOfflineEngine } from '../../server/chat/offline-engine.ts';
import { leavesUnmet } from '../../server/chat/offline/table-answer.ts';
import { createPriceStore } from '../../server/market/price-store.ts';
import { loadPromptLibrary } from '../../server/prompts.ts';
import { createToolRegistry } from '../../server/tools/registry.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

/**
 * Which table a list answer reads when several retrieved tables name the row asked about: a
 * question after the periods meeting a level is answered from a table where some period meets it.
 * Two invented reports of our own: both name the row asked about, the first also repeats the question's
 * words, but none of its periods meets the level; the second's does.
 */
const REPO = resolve(import.meta.dirname, '../..');
const TODAY = '2026-11-21';
const tempDir = useTempDirs();
let chat: ChatService;

const WELL_NAMED = `# Quarry Hill Freight annual report

Quarry Hill Freight runs regional trucking routes. Fleet maintenance cost rose with the age of the trucks.

| (in thousands) | 2021 | 2020 |
| --- | --- | --- |
| Fleet maintenance cost | 18,400 | 17,900 |
| Fuel | 42,100 | 39,800 |
| Drivers' wages | 61,300 | 58,700 |
`;

const MEETING = `# Saltmarsh Ferries annual report

Saltmarsh Ferries operates passenger crossings between the islands.

| (in thousands) | 2021 | 2020 |
| --- | --- | --- |
| Fleet maintenance cost | 9,200 | 12,600 |
| Harbour fees | 7,400 | 7,100 |
`;

beforeAll(async () => {
  const embedder = await createLocalEmbedder({ cacheDir: join(REPO, '.cache/word-vectors') });
  const kb = await EmbeddedStore.open({ indexDir: join(tempDir(), 'index'), embedder: { id: embedder.id, dim: embedder.dim } });
  await ingestDocument({ content: WELL_NAMED, filename: 'quarry-hill.md', origin: 'quarry-hill.md' }, { kb, embedder });
  await ingestDocument({ content: MEETING, filename: 'saltmarsh.md', origin: 'saltmarsh.md' }, { kb, embedder });
  const prompts = loadPromptLibrary(join(REPO, 'prompts'));
  const prices = createPriceStore({ dataDir: join(REPO, 'data') });
  const offline = createOfflineEngine({ kb, embedder, registry: createToolRegistry(), toolContext: () => ({ prices, today: TODAY }), prompts });
  chat = createChatService({ offline, conversations: createConversationStore(), prompts, today: () => TODAY });
});

describe('the table a list of periods meeting a level is read from', () => {
  it('passes over a table where no period meets the level for one where some period does', async () => {
    const response = await chat.ask(
      { message: 'In which year was the fleet maintenance cost less than 10,000 thousand?' },
      { signal: new AbortController().signal },
    );
    expect(response.answer.split(/\n\s*\n/)[0]).toMatch(/below 10,000 thousand in 2021\b/);
    expect(response.citations[0]?.title).toMatch(/Saltmarsh/);
  });

  it('still answers "none" from the first table when no table has a period meeting the level', async () => {
    const response = await chat.ask(
      { message: 'In which year was the fleet maintenance cost less than 5,000 thousand?' },
      { signal: new AbortController().signal },
    );
    expect(response.answer.split(/\n\s*\n/)[0]).toMatch(/none of the periods shown/);
  });
});

describe('leavesUnmet', () => {
  it('holds for a list of the periods meeting a level that lists none', () => {
    expect(leavesUnmet({ kind: 'periods-meeting', items: [] })).toBe(true);
    expect(leavesUnmet({ kind: 'periods-meeting', items: ['2021'] })).toBe(false);
    expect(leavesUnmet({ kind: 'members', items: [] })).toBe(false);
  });
});
