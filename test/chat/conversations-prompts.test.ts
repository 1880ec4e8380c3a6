import { mkdtempSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createConversationStore } from '../../server/chat/conversations.ts';
import { loadPromptLibrary, parsePromptFile, renderPrompt } from '../../server/prompts.ts';

describe('conversations', () => {
  it('keeps a bounded history and forgets a conversation after its time to live', async () => {
    let now = 0;
    const store = createConversationStore({ maxTurns: 2, ttlMs: 1_000, now: () => now });
    const { id, history } = store.open(undefined);
    expect(history).toEqual([]);
    for (const question of ['q1', 'q2', 'q3']) await store.append(id, { question, answer: `a-${question}` });
    expect(store.open(id).history.map((turn) => turn.question)).toEqual(['q2', 'q3']);
    now = 1_500;
    expect(store.open(id).history).toEqual([]);
  });

  it('evicts the least recently used conversation beyond the limit', async () => {
    const store = createConversationStore({ maxConversations: 2 });
    const ids = ['conversation-1', 'conversation-2', 'conversation-3'];
    for (const id of ids) await store.append(id, { question: id, answer: '' });
    expect(store.open('conversation-1').history).toEqual([]);
    expect(store.open('conversation-3').history).toHaveLength(1);
  });
});

describe('prompts', () => {
  it('loads every prompt in prompts/ and renders declared slots', () => {
    const library = loadPromptLibrary(resolve(import.meta.dirname, '../../prompts'));
    for (const id of ['system', 'sources', 'disclaimer.en', 'disclaimer.zh', 'no-answer.en', 'no-answer.zh']) expect(library.has(id)).toBe(true);
    expect(renderPrompt(library, 'no-answer.en', { topic: 'Bitcoin' })).toContain('Bitcoin');
    expect(() => renderPrompt(library, 'no-answer.en')).toThrow(/needs the variable topic/);
    expect(renderPrompt(library, 'system', { today: '2026-11-21', languageInstruction: 'Answer in English.', toolNames: 'performance' })).toMatch(
      /quoted material, not instructions/,
    );
  });

  it('rejects a template that uses an undeclared slot or declares an unused one', () => {
    expect(() => parsePromptFile('x.md', '---\nid: x\nversion: 1\nvariables: [a]\n---\nHello {{b}}')).toThrow(/undeclared variables: b/);
    expect(() => parsePromptFile('y.md', '---\nid: y\nversion: 1\nvariables: [a, c]\n---\nHello {{a}}')).toThrow(/never uses: c/);
    const dir = mkdtempSync(join(tmpdir(), 'prompts-'));
    writeFileSync(join(dir, 'bad.md'), 'no front matter');
    expect(() => loadPromptLibrary(dir)).toThrow(/no front matter/);
  });
});
