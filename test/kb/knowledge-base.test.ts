import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KnowledgeBase, computeContentHash } from '../../kb/knowledge-base.ts';
import { tokenize } from '../../kb/tokenize.ts';
import type { ParsedArticle } from '../../kb/types.ts';
import { AppError } from '../../lib/errors.ts';
import { createFakeEmbedder } from '../helpers/fake-embedder.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const terms = (text: string) => tokenize(text).map((term) => ({ term, weight: 1 }));
const embedder = createFakeEmbedder();
const info = { id: embedder.id, dim: embedder.dim };

function article(title: string, paragraphs: string[], extra: Partial<ParsedArticle> = {}): ParsedArticle {
  return {
    title,
    text: paragraphs.join('\n\n'),
    sections: [{ paragraphs }],
    tags: [],
    tickers: [],
    references: [],
    ...extra,
  };
}

async function upsert(kb: KnowledgeBase, parsed: ParsedArticle, origin?: string) {
  const plan = kb.planUpsert(parsed, origin);
  const passages = parsed.sections.flatMap((section) => section.paragraphs.map((text) => ({ text })));
  const vectors = plan.action === 'add' || plan.action === 'update' ? await embedder.embedDocuments(passages.map((p) => p.text)) : [];
  return kb.applyUpsert(plan, parsed, plan.action === 'add' || plan.action === 'update' ? passages : [], vectors);
}

const rally = article('Small caps rally', ['The Russell 2000 closed at a record 2,698.17 on January 21.', 'Rate cuts help small companies with floating-rate debt.']);
const fed = article('Fed outlook', ['The Federal Reserve may hold rates at 3.5 to 3.75 percent through 2026.']);

describe('KnowledgeBase', () => {
  it('round-trips articles, passages, vectors and the lexical index through disk', async () => {
    const dir = tempDir();
    const kb = KnowledgeBase.open(dir, info);
    const added = await upsert(kb, rally, '/articles/rally.md');
    await upsert(kb, fed, '/articles/fed.md');
    await kb.save();

    const reopened = KnowledgeBase.open(dir, info);
    expect(reopened.stats()).toEqual({ articles: 2, chunks: 3 });
    expect(reopened.getArticle(added.articleId)?.title).toBe('Small caps rally');
    expect(reopened.chunksOf(added.articleId).map((chunk) => chunk.text)).toEqual(rally.sections[0]!.paragraphs);

    const query = await embedder.embedQuery('The Federal Reserve may hold rates at 3.5 to 3.75 percent through 2026.');
    expect(reopened.vectorSearch(query, 1)[0]?.article.title).toBe('Fed outlook');
    expect(reopened.vectorSearch(query, 1)[0]?.value).toBeCloseTo(1, 5);
    const lexical = reopened.lexicalSearch(terms('record 2698.17'), 3).hits;
    expect(lexical[0]?.chunk.text).toContain('2,698.17');
  });

  it('skips unchanged content, stores the same content from a second origin once, and updates a changed article in place', async () => {
    const kb = KnowledgeBase.open(tempDir(), info);
    const first = await upsert(kb, rally, '/a/rally.md');
    expect(first.action).toBe('add');
    expect((await upsert(kb, rally, '/a/rally.md')).action).toBe('skip');
    const copy = await upsert(kb, rally, '/b/copy-of-rally.md');
    expect(copy).toMatchObject({ action: 'duplicate', articleId: first.articleId });
    expect(kb.getArticle(first.articleId)?.origins).toEqual(['/a/rally.md', '/b/copy-of-rally.md']);
    expect(kb.stats().articles).toBe(1);

    const changed = article('Small caps rally', ['The Russell 2000 slipped to 2,669.16 on January 23.']);
    const update = await upsert(kb, changed, '/a/rally.md');
    expect(update).toMatchObject({ action: 'update', articleId: first.articleId, chunks: 1 });
    expect(kb.stats()).toEqual({ articles: 1, chunks: 1 });
    // The old passages are gone from both indexes.
    expect(kb.lexicalSearch(terms('floating-rate debt'), 5).hits).toEqual([]);
    const oldVector = await embedder.embedQuery(rally.sections[0]!.paragraphs[1]!);
    expect(kb.vectorSearch(oldVector, 5).map((hit) => hit.chunk.text)).toEqual(['The Russell 2000 slipped to 2,669.16 on January 23.']);
  });

  it('treats the same URL with new content as an update of the same article', async () => {
    const kb = KnowledgeBase.open(tempDir(), info);
    const url = 'https://example.test/fed';
    const first = await upsert(kb, { ...fed, url });
    const second = await upsert(kb, { ...article('Fed outlook (revised)', ['The Fed cut by a quarter point.']), url });
    expect(second).toMatchObject({ action: 'update', articleId: first.articleId });
    expect(kb.stats().articles).toBe(1);
  });

  it('deletes an article so that no search returns its passages, before and after a reload', async () => {
    const dir = tempDir();
    const kb = KnowledgeBase.open(dir, info);
    const { articleId } = await upsert(kb, rally, '/a/rally.md');
    await upsert(kb, fed, '/a/fed.md');
    await kb.save();
    expect(kb.deleteArticle(articleId)).toBe(true);
    expect(kb.deleteArticle(articleId)).toBe(false);
    await kb.save();

    const vector = await embedder.embedQuery(rally.sections[0]!.paragraphs[0]!);
    for (const store of [kb, KnowledgeBase.open(dir, info)]) {
      expect(store.vectorSearch(vector, 10).every((hit) => hit.chunk.articleId !== articleId)).toBe(true);
      expect(store.lexicalSearch(terms('Russell record'), 10).hits).toEqual([]);
      expect(store.stats()).toEqual({ articles: 1, chunks: 1 });
    }
  });

  it('refuses to open an index built by another embedder and says how to rebuild', async () => {
    const dir = tempDir();
    const kb = KnowledgeBase.open(dir, info);
    await upsert(kb, fed);
    await kb.save();
    let caught: unknown;
    try {
      KnowledgeBase.open(dir, { id: 'openai:text-embedding-3-small', dim: 1536 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('embedder_mismatch');
    expect((caught as AppError).message).toMatch(/fake:bow-v1.*openai:text-embedding-3-small.*npm run ingest/s);
  });

  it('keeps only the committed generation on disk and ignores a half-written newer one', async () => {
    const dir = tempDir();
    const kb = KnowledgeBase.open(dir, info);
    await upsert(kb, rally, '/a/rally.md');
    await kb.save();
    await upsert(kb, fed, '/a/fed.md');
    await kb.save();
    expect(readdirSync(dir).filter((entry) => entry.startsWith('gen-'))).toEqual(['gen-000002']);

    // A writer killed mid-commit leaves a partial generation directory and no manifest change.
    const partial = join(dir, 'gen-000003');
    await import('node:fs').then((fs) => fs.mkdirSync(partial));
    writeFileSync(join(partial, 'docstore.json'), '{"formatVersion":1,"truncat');
    const reopened = KnowledgeBase.open(dir, info);
    expect(reopened.stats()).toEqual({ articles: 2, chunks: 3 });
    expect(reopened.generation).toBe(2);
  });

  it('refuses to commit over a newer generation written by another process, and catches up on reload', async () => {
    const dir = tempDir();
    const first = KnowledgeBase.open(dir, info);
    const second = KnowledgeBase.open(dir, info);
    await upsert(first, rally, '/a/rally.md');
    await first.save();
    await upsert(second, fed, '/a/fed.md');
    await expect(second.save()).rejects.toMatchObject({ code: 'conflict' });
    expect(second.isStale()).toBe(true);
    second.reload();
    expect(second.stats().articles).toBe(1);
    await upsert(second, fed, '/a/fed.md');
    await second.save();
    expect(KnowledgeBase.open(dir, info).stats().articles).toBe(2);
  });

  it('takes over a write lock left by a dead process but not one held by a live one', async () => {
    const dir = tempDir();
    const kb = KnowledgeBase.open(dir, info);
    writeFileSync(join(dir, 'write.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), purpose: 'test' }));
    await upsert(kb, fed);
    await kb.save();
    expect(existsSync(join(dir, 'write.lock'))).toBe(false);

    writeFileSync(join(dir, 'write.lock'), JSON.stringify({ pid: process.ppid, host: (await import('node:os')).hostname(), purpose: 'other ingest' }));
    await upsert(kb, rally);
    await expect(kb.save()).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('other ingest') });
  });

  it('hashes content independently of whitespace', () => {
    expect(computeContentHash(article('T', ['a  b\n c']))).toBe(computeContentHash(article('T', ['a b c'])));
    expect(computeContentHash(article('T', ['a b c']))).not.toBe(computeContentHash(article('T', ['a b d'])));
  });
});
