import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { createApp } from '../../server/app.ts';
import { createChatService } from '../../server/chat/chat-service.ts';
import { createConversationFiles } from '../../server/chat/conversation-files.ts';
import { createConversationStore, type ConversationPersistence, type ConversationRecord } from '../../server/chat/conversations.ts';
import type { AnswerEngine } from '../../server/chat/types.ts';
import { loadPromptLibrary } from '../../server/prompts.ts';
import { createChatRouter } from '../../server/routes/chat.ts';
import { createConversationsRouter } from '../../server/routes/conversations.ts';
import { createResearchRouter } from '../../server/routes/research.ts';
import type { ResearchService } from '../../server/research/research-service.ts';
import type { RunResponse } from '../../server/research/types.ts';
import { createFakeEmbedder } from '../helpers/fake-embedder.ts';
import { useApp } from '../helpers/http.ts';
import { loopTurnsDuring } from '../helpers/loop-turns.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const start = useApp();
const prompts = loadPromptLibrary(resolve(import.meta.dirname, '../../prompts'));

describe('conversation store with persistence', () => {
  it('writes every turn through to disk and a new store (a restart) reads the conversation back', async () => {
    const dir = join(tempDir(), 'conversations');
    let now = Date.parse('2026-11-21T10:00:00Z');
    const first = createConversationStore({ persistence: createConversationFiles(dir), now: () => now });
    const { id } = first.open(undefined);
    await first.append(id, { question: 'How did   small caps\ndo in January?', answer: 'They rose.' });
    now += 60_000;
    await first.append(id, { question: 'And the S&P 500?', answer: 'It rose less.' });
    expect(readdirSync(dir)).toEqual([`${id}.json`]);

    const restarted = createConversationStore({ persistence: createConversationFiles(dir), now: () => now });
    expect(restarted.list()).toEqual([
      { id, title: 'How did small caps do in January?', created: '2026-11-21T10:00:00.000Z', updated: '2026-11-21T10:01:00.000Z', turns: 2 },
    ]);
    expect(restarted.open(id).history.map((turn) => turn.answer)).toEqual(['They rose.', 'It rose less.']);
    expect(restarted.get(id)?.turns.map((turn) => turn.at)).toEqual(['2026-11-21T10:00:00.000Z', '2026-11-21T10:01:00.000Z']);
  });

  it('lists the most recently updated first, deletes from memory and disk, and reports unknown ids', async () => {
    const dir = join(tempDir(), 'conversations');
    let now = 1_000;
    const store = createConversationStore({ persistence: createConversationFiles(dir), now: () => now });
    for (const id of ['conversation-a', 'conversation-b']) {
      now += 1_000;
      await store.append(id, { question: id, answer: '' });
    }
    now += 1_000;
    await store.append('conversation-a', { question: 'again', answer: '' });
    expect(store.list().map((summary) => summary.id)).toEqual(['conversation-a', 'conversation-b']);
    expect(await store.remove('conversation-a')).toBe(true);
    expect(await store.remove('conversation-a')).toBe(false);
    expect(readdirSync(dir)).toEqual(['conversation-b.json']);
    expect(
      createConversationStore({ persistence: createConversationFiles(dir) })
        .list()
        .map((summary) => summary.id),
    ).toEqual(['conversation-b']);
  });

  it('keeps the engine history bounded but shows every stored turn, and evicts old conversations from disk too', async () => {
    const dir = join(tempDir(), 'conversations');
    const store = createConversationStore({ persistence: createConversationFiles(dir), maxTurns: 2, maxStoredTurns: 3, maxConversations: 1 });
    for (const question of ['q1', 'q2', 'q3', 'q4']) await store.append('conversation-1', { question, answer: question });
    expect(store.open('conversation-1').history.map((turn) => turn.question)).toEqual(['q3', 'q4']);
    expect(store.get('conversation-1')?.turns.map((turn) => turn.question)).toEqual(['q2', 'q3', 'q4']);
    await store.append('conversation-2', { question: 'q', answer: '' });
    await store.settled();
    expect(readdirSync(dir)).toEqual(['conversation-2.json']);
  });

  it('forgets a conversation past its time to live on disk too, counting from its last turn, also across a restart', async () => {
    const dir = join(tempDir(), 'conversations');
    let now = 0;
    const store = createConversationStore({ persistence: createConversationFiles(dir), ttlMs: 1_000, now: () => now });
    await store.append('conversation-old', { question: 'q', answer: 'a' });
    now = 600;
    await store.append('conversation-new', { question: 'q', answer: 'a' });
    now = 900;
    // Reading does not extend a conversation's life.
    expect(store.get('conversation-old')?.turns).toHaveLength(1);
    now = 1_200;
    expect(store.list().map((summary) => summary.id)).toEqual(['conversation-new']);
    await store.settled();
    expect(readdirSync(dir)).toEqual(['conversation-new.json']);
    const restarted = createConversationStore({ persistence: createConversationFiles(dir), ttlMs: 1_000, now: () => Date.parse('2100-01-01T00:00:00Z') });
    expect(restarted.list()).toEqual([]);
    await restarted.settled();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('skips a damaged or misnamed file at load and reports it, keeping the others', async () => {
    const dir = join(tempDir(), 'conversations');
    await createConversationStore({ persistence: createConversationFiles(dir) }).append('conversation-ok', { question: 'q', answer: 'a' });
    writeFileSync(join(dir, 'conversation-torn.json'), '{"version":1,"id":"conversation-torn","tit');
    writeFileSync(join(dir, 'conversation-other.json'), readFileSync(join(dir, 'conversation-ok.json')));
    const skipped: string[] = [];
    const store = createConversationStore({ persistence: createConversationFiles(dir, { onSkipped: (file) => skipped.push(file) }) });
    expect(store.list().map((summary) => summary.id)).toEqual(['conversation-ok']);
    expect(skipped.sort()).toEqual(['conversation-other.json', 'conversation-torn.json']);
  });

  it('leaves the conversation unchanged when the write fails, so nothing unacknowledged is shown', async () => {
    const saved: ConversationRecord[] = [];
    let failing = false;
    const persistence: ConversationPersistence = {
      load: () => [],
      save: async (record) => {
        if (failing) throw new Error('disk full');
        saved.push(record);
      },
      remove: async () => {},
    };
    const store = createConversationStore({ persistence });
    await store.append('conversation-1', { question: 'q1', answer: 'a1' });
    failing = true;
    await expect(store.append('conversation-1', { question: 'q2', answer: 'a2' })).rejects.toThrow('disk full');
    expect(store.get('conversation-1')?.turns.map((turn) => turn.question)).toEqual(['q1']);
    expect(saved).toHaveLength(1);
    // The next turn starts from what was stored, not from the failed one.
    failing = false;
    await store.append('conversation-1', { question: 'q3', answer: 'a3' });
    expect(saved.at(-1)?.turns.map((turn) => turn.question)).toEqual(['q1', 'q3']);
  });

  it('keeps a conversation’s turns in call order while saves run on libuv threads, the event loop turning meanwhile', async () => {
    const dir = join(tempDir(), 'conversations');
    const store = createConversationStore({ persistence: createConversationFiles(dir) });
    // Not awaited one by one: each starts from what the one before it stored.
    const { turns } = await loopTurnsDuring(() =>
      Promise.all(['q1', 'q2', 'q3'].map((question) => store.append('conversation-1', { question, answer: question }))),
    );
    // A synchronous save (fsync of the file and the folder) let no turn of the loop through.
    expect(turns).toBeGreaterThan(0);
    const restarted = createConversationStore({ persistence: createConversationFiles(dir) });
    expect(restarted.get('conversation-1')?.turns.map((turn) => turn.question)).toEqual(['q1', 'q2', 'q3']);
  });
});

describe('conversation routes', () => {
  async function startCopilot(dir: string) {
    const embedder = createFakeEmbedder();
    const kb = await EmbeddedStore.open({ indexDir: join(dir, 'index'), embedder: { id: embedder.id, dim: embedder.dim } });
    const engine: AnswerEngine = {
      mode: 'offline',
      answer: async (input) => ({ text: `You asked: ${input.question}`, sources: [], toolCalls: [], relevance: 'none' as const }),
    };
    const conversations = createConversationStore({ persistence: createConversationFiles(join(dir, 'conversations')) });
    const chat = createChatService({ offline: engine, conversations, prompts, today: () => '2026-11-21' });
    return start(
      createApp({
        kb,
        embedder,
        llm: { mode: 'offline' },
        routers: [
          { path: '/chat', router: createChatRouter({ chat }) },
          { path: '/conversations', router: createConversationsRouter({ conversations }) },
        ],
      }),
    );
  }

  it('lists, returns and deletes a conversation that survives a restart of the app', async () => {
    const dir = tempDir();
    const first = await startCopilot(dir);
    const asked = await first.json('/api/chat', { body: { message: 'first question' } });
    expect(asked.status).toBe(200);
    const id = asked.body.conversationId as string;
    await first.json('/api/chat', { body: { message: 'second question', conversationId: id } });

    const again = await startCopilot(dir);
    const listed = await again.json('/api/conversations');
    expect(listed.body.conversations).toEqual([expect.objectContaining({ id, title: 'first question', turns: 2 })]);
    const opened = await again.json(`/api/conversations/${id}`);
    expect(opened.status).toBe(200);
    expect(opened.body.turns.map((turn: { question: string }) => turn.question)).toEqual(['first question', 'second question']);
    expect(opened.body.turns[1].response).toMatchObject({ mode: 'offline', citations: [], followUps: [] });
    expect(opened.body.turns[1].response.answer).toContain('You asked: second question');
    expect(opened.body.turns[1].response.answer.endsWith(opened.body.turns[1].response.disclaimer)).toBe(true);

    expect((await again.json(`/api/conversations/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect(existsSync(join(dir, 'conversations', `${id}.json`))).toBe(false);
    const gone = await again.json(`/api/conversations/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('not_found');
    expect((await again.json(`/api/conversations/${id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('refuses a malformed id with a 400 and changes nothing', async () => {
    const dir = tempDir();
    const app = await startCopilot(dir);
    await app.json('/api/chat', { body: { message: 'kept' } });
    for (const bad of ['short', '..%2F..%2Fetc', 'x'.repeat(65), 'has%20space']) {
      const response = await app.json(`/api/conversations/${bad}`, { method: 'DELETE' });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('bad_request');
    }
    expect((await app.json('/api/conversations')).body.conversations).toHaveLength(1);
  });
});

describe('research reports in conversations', () => {
  it('stores a finished report with the conversation it was run in, and names a new one when none was given', async () => {
    const dir = tempDir();
    const embedder = createFakeEmbedder();
    const kb = await EmbeddedStore.open({ indexDir: join(dir, 'index'), embedder: { id: embedder.id, dim: embedder.dim } });
    const conversations = createConversationStore({ persistence: createConversationFiles(join(dir, 'conversations')) });
    const report = {
      title: 'Small caps in 2026',
      markdown: '# Small caps in 2026\n\n## Findings\n\nThey rose [0].',
      sections: [{ heading: 'Findings', markdown: 'They rose [0].' }],
      citations: [{ n: 0, kind: 'article' as const, title: 'Note', snippet: 's' }],
    };
    // A stand-in service: the route's job here is remembering the report, not researching.
    const research: ResearchService = {
      plan: async () => {
        throw new Error('not used');
      },
      prepareRun: (request) => request as never,
      run: async (prepared) =>
        ({
          planId: 'p1',
          question: (prepared as unknown as { question: string }).question,
          mode: 'offline',
          steps: [],
          report,
          grounding: { figures: 0, grounded: 0, removed: [] },
          toolCalls: [],
          conflicts: [],
          notes: [],
        }) satisfies RunResponse,
    };
    const app = await start(
      createApp({
        kb,
        embedder,
        llm: { mode: 'offline' },
        routers: [
          { path: '/research', router: createResearchRouter({ research, conversations }) },
          { path: '/conversations', router: createConversationsRouter({ conversations }) },
        ],
      }),
    );
    const first = await app.json('/api/research/run', { body: { question: 'How did small caps do?', autoAccept: true } });
    expect(first.status).toBe(200);
    const id = first.body.conversationId as string;
    expect(id).toMatch(/^[\w-]{8,64}$/);
    const streamed = await fetch(`${app.url}/api/research/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ question: 'And their risks?', autoAccept: true, conversationId: id }),
    });
    expect(await streamed.text()).toContain(`"conversationId":"${id}"`);

    const stored = await app.json(`/api/conversations/${id}`);
    expect(stored.body.turns.map((turn: { question: string }) => turn.question)).toEqual(['How did small caps do?', 'And their risks?']);
    expect(stored.body.turns[0].response.report).toEqual(report);
    expect(conversations.open(id).history.map((turn) => turn.answer)).toEqual(['Small caps in 2026', 'Small caps in 2026']);
    expect((await app.json('/api/research/run', { body: { question: 'x', autoAccept: true, conversationId: 'bad id' } })).status).toBe(400);
  });
});
