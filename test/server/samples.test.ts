import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { ingestPaths } from '../../ingest/pipeline.ts';
import { createApp } from '../../server/app.ts';
import { describeArticleSource, isSampleArticle } from '../../lib/samples.ts';
import { createFakeEmbedder } from '../helpers/fake-embedder.ts';
import { useApp } from '../helpers/http.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const REPO = resolve(import.meta.dirname, '../..');
const tempDir = useTempDirs();
const start = useApp();

describe('sample articles', () => {
  it('are the articles whose every origin is a file of the bundled corpus', () => {
    const sample = join(REPO, 'data/articles/x.md');
    expect(isSampleArticle({ origins: [sample] })).toBe(true);
    expect(isSampleArticle({ origins: [sample, '/home/me/x.md'] })).toBe(false);
    expect(isSampleArticle({ origins: [] })).toBe(false);
    expect(describeArticleSource({ source: 'Harbor Street Research', origins: [sample] })).toBe('Harbor Street Research, sample article');
    expect(describeArticleSource({ source: 'My desk', origins: ['/home/me/x.md'] })).toBe('My desk');
  });

  it("are labelled in the article API and removed together, leaving one's own articles", async () => {
    const embedder = createFakeEmbedder();
    const kb = await EmbeddedStore.open({ indexDir: tempDir(), embedder: { id: embedder.id, dim: embedder.dim } });
    await ingestPaths([join(REPO, 'data/articles')], { kb, embedder });
    const samples = (await kb.stats()).articles;
    const app = await start(createApp({ kb, embedder, llm: { mode: 'offline' } }));
    const own = await app.json('/api/articles', {
      body: {
        title: 'Grain co-op note',
        text: "The co-op sold forty percent of next season's corn forward after two dry summers left members short of grain.",
      },
    });
    expect(own.status).toBe(201);

    const list = await app.json('/api/articles?limit=100');
    const flagged = list.body.articles.filter((article: { sample?: boolean }) => article.sample === true);
    expect(flagged.length).toBe(samples);
    expect(list.body.articles.find((article: { id: string }) => article.id === own.body.id).sample).toBeUndefined();
    expect((await app.json(`/api/articles/${flagged[0].id}`)).body.sample).toBe(true);

    const refused = await app.json('/api/articles', { method: 'DELETE' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/sample=true/);
    expect((await kb.stats()).articles).toBe(samples + 1);

    const removed = await app.json('/api/articles?sample=true', { method: 'DELETE' });
    expect(removed).toMatchObject({ status: 200, body: { removed: samples } });
    const left = await app.json('/api/articles');
    expect(left.body.articles.map((article: { id: string }) => article.id)).toEqual([own.body.id]);
  });
});
