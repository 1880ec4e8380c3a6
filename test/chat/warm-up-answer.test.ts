import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import type { ParsedArticle } from '../../kb/types.ts';
import { createOfflineEngine } from '../../server/chat/offline-engine.ts';
import type { AnswerEngine, EngineInput } from '../../server/chat/types.ts';
import { warmUpAnswer } from '../../server/chat/warm-up-answer.ts';
import { createPriceStore } from '../../server/market/price-store.ts';
import { loadPromptLibrary } from '../../server/prompts.ts';
import { warmUpSearch } from '../../server/retrieval/warm-up.ts';
import { createToolRegistry } from '../../server/tools/registry.ts';
import { createFakeEmbedder } from '../helpers/fake-embedder.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const REPO = resolve(import.meta.dirname, '../..');
const tempDir = useTempDirs();
const embedder = createFakeEmbedder();
const today = '2026-11-21';
const opened: EmbeddedStore[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

describe('warmUpAnswer', () => {
  it("asks the engine in English with no history, the warm-up's signal and the given day, and drops its events", async () => {
    const inputs: EngineInput[] = [];
    const engine: AnswerEngine = {
      mode: 'offline',
      async answer(input) {
        inputs.push(input);
        input.emit({ type: 'retrieval', sources: [] });
        return { text: 'drafted', sources: [], toolCalls: [], relevance: 'none' };
      },
    };
    const answer = warmUpAnswer(engine, () => today);
    const signal = new AbortController().signal;
    await expect(answer('copper smelter margins', signal)).resolves.toMatchObject({ text: 'drafted' });
    expect(inputs).toHaveLength(1);
    expect(inputs[0]).toMatchObject({ question: 'copper smelter margins', history: [], language: 'en', today });
    expect(inputs[0]!.signal).toBe(signal);
  });

  it("has the offline engine answer the warm-up's questions over a real store, changing nothing", async () => {
    const store = await EmbeddedStore.open({ indexDir: tempDir(), embedder: { id: embedder.id, dim: embedder.dim } });
    opened.push(store);
    const notes = [
      ['Copper smelter margins widened in the third quarter as treatment charges rose.', 'Freight rates for concentrate fell by a fifth.'],
      ['Cobalt supply tightened after two mines paused output.', 'Battery makers drew down their stocks.'],
    ];
    for (const [index, paragraphs] of notes.entries()) {
      const article: ParsedArticle = {
        title: `Metals note ${index}`,
        text: paragraphs.join('\n\n'),
        sections: [{ paragraphs }],
        tags: [],
        tickers: [],
        references: [],
      };
      await store.upsert(
        await store.planUpsert(article, `file:${index}.md`),
        article,
        paragraphs.map((text) => ({ text })),
        await embedder.embedDocuments(paragraphs),
      );
    }
    const version = await store.version();
    const prompts = loadPromptLibrary(join(REPO, 'prompts'));
    const prices = createPriceStore({ dataDir: join(REPO, 'data') });
    const offline = createOfflineEngine({ kb: store, embedder, registry: createToolRegistry(), toolContext: () => ({ prices, today }), prompts });
    const report = await warmUpSearch(store, { today, embedder, answer: warmUpAnswer(offline, () => today) });
    expect(report.answerFailure).toBeUndefined();
    expect(report.searches).toBe(4);
    expect(report.answers).toBe(3);
    expect(await store.version()).toBe(version);
  });
});
