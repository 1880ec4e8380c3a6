import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { ingestPaths } from '../../ingest/pipeline.ts';
import { createLocalEmbedder } from '../../ingest/embed/local-embedder.ts';
import { createFakeEmbedder } from '../helpers/fake-embedder.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const REPO = resolve(import.meta.dirname, '../..');
const SEEDS = resolve(REPO, '../shared/seeds');
const tempDir = useTempDirs();

const GOOD_ARTICLE = `Regional banks and the rate path

March 3, 2026

#banks #rates

Funding costs

Regional lenders pay more for deposits when short rates stay high, which squeezes the gap between what they earn on loans and what they pay savers.

Credit quality

Commercial property loans remain the sore spot. Examiners expect charge-offs to rise modestly through the year before stabilising.
`;

function writeBadInputs(dir: string): void {
  writeFileSync(join(dir, 'empty.txt'), '');
  writeFileSync(join(dir, 'garbage.html'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
  writeFileSync(
    join(dir, 'chrome-only.txt'),
    'Unlock More Features\nLogin to access AI-powered analysis, deep research reports and more advanced features\nRelated Reading Recommendations\nNo recommended articles\n',
  );
  writeFileSync(join(dir, 'huge.html'), `<html><body><p>${'market '.repeat(3_000_000)}</p></body></html>`);
  writeFileSync(
    join(dir, 'nested.html'),
    `<html><body>${'<div>'.repeat(10_000)}<p>Deeply nested note about the Russell 2000 closing higher on small-cap strength and rate-cut hopes.</p>${'</div>'.repeat(10_000)}</body></html>`,
  );
  writeFileSync(
    join(dir, 'bad-utf8.txt'),
    Buffer.concat([Buffer.from('A title\n\nSome text '), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from(' more text.')]),
  );
  writeFileSync(join(dir, 'good.txt'), GOOD_ARTICLE);
}

describe('ingest pipeline', () => {
  it('reports each bad input with a reason and still ingests the rest of the batch', async () => {
    const dir = tempDir();
    writeBadInputs(dir);
    const embedder = createFakeEmbedder();
    const kb = await EmbeddedStore.open({ indexDir: join(tempDir(), 'index'), embedder: { id: embedder.id, dim: embedder.dim } });
    const summary = await ingestPaths([dir], { kb, embedder });

    const problems: Record<string, string> = Object.fromEntries(
      [...summary.failed, ...summary.empty].map(({ path, reason }) => [path.split('/').pop() ?? path, reason]),
    );
    expect(Object.keys(problems).sort()).toEqual(['bad-utf8.txt', 'chrome-only.txt', 'empty.txt', 'garbage.html', 'huge.html']);
    for (const reason of Object.values(problems)) expect(reason.length).toBeGreaterThan(5);
    expect(problems['huge.html']).toMatch(/MB/);
    expect(summary.added).toBe(2);
    expect((await kb.stats()).articles).toBe(2);
    const titles = (await kb.listArticles()).articles.map((article) => article.title).sort();
    expect(titles[1]).toBe('Regional banks and the rate path');
  });

  it('skips unchanged files, updates changed ones, stores a copy once and reports missing paths', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'good.txt'), GOOD_ARTICLE);
    const embedder = createFakeEmbedder();
    const indexDir = join(tempDir(), 'index');
    const kb = await EmbeddedStore.open({ indexDir: indexDir, embedder: { id: embedder.id, dim: embedder.dim } });
    expect((await ingestPaths([dir], { kb, embedder })).added).toBe(1);

    const again = await ingestPaths([dir], { kb, embedder });
    expect(again).toMatchObject({ added: 0, updated: 0, skipped: 1 });

    mkdirSync(join(dir, 'copies'));
    copyFileSync(join(dir, 'good.txt'), join(dir, 'copies', 'same-article.txt'));
    const copied = await ingestPaths([dir], { kb, embedder });
    expect(copied).toMatchObject({ added: 0, skipped: 2 });
    expect(copied.reports.find((report) => report.origin.endsWith('same-article.txt'))?.reason).toMatch(/same content/);
    expect((await kb.stats()).articles).toBe(1);

    writeFileSync(join(dir, 'good.txt'), GOOD_ARTICLE.replace('rise modestly', 'climb sharply'));
    const changed = await ingestPaths([join(dir, 'good.txt'), join(dir, 'missing.md')], { kb, embedder });
    expect(changed.updated).toBe(1);
    expect(changed.failed).toEqual([{ path: join(dir, 'missing.md'), reason: 'no such file or folder' }]);
    expect((await kb.stats()).articles).toBe(1);
    const reopened = await EmbeddedStore.open({ indexDir: indexDir, embedder: { id: embedder.id, dim: embedder.dim } });
    expect((await reopened.listArticles()).articles[0]?.text).toContain('climb sharply');
  });

  it('stores files staged ahead in order: a copy within one run is stored once, with its reason', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.txt'), GOOD_ARTICLE);
    writeFileSync(join(dir, 'b.txt'), GOOD_ARTICLE);
    writeFileSync(join(dir, 'c.txt'), GOOD_ARTICLE.replace('Regional banks', 'Community banks'));
    const embedder = createFakeEmbedder();
    const kb = await EmbeddedStore.open({ indexDir: join(tempDir(), 'index'), embedder: { id: embedder.id, dim: embedder.dim } });
    const summary = await ingestPaths([dir], { kb, embedder, concurrency: 3 });
    expect(summary.reports.map((report) => [report.origin.split('/').pop(), report.status])).toEqual([
      ['a.txt', 'added'],
      ['b.txt', 'skipped'],
      ['c.txt', 'added'],
    ]);
    expect(summary.reports[1]?.reason).toMatch(/same content as article/);
    expect(summary.reports[1]?.articleIds).toEqual(summary.reports[0]?.articleIds);
    expect((await kb.stats()).articles).toBe(2);
    await kb.close();
  });

  it('plans again a file staged before an earlier file changed the content its plan relied on', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.txt'), GOOD_ARTICLE);
    const embedder = createFakeEmbedder();
    const kb = await EmbeddedStore.open({ indexDir: join(tempDir(), 'index'), embedder: { id: embedder.id, dim: embedder.dim } });
    await ingestPaths([dir], { kb, embedder });
    // b.txt holds what a.txt held (a duplicate when staged); a.txt changes first, so b.txt is new after all.
    writeFileSync(join(dir, 'b.txt'), GOOD_ARTICLE);
    writeFileSync(join(dir, 'a.txt'), GOOD_ARTICLE.replace('rise modestly', 'climb sharply'));
    const summary = await ingestPaths([dir], { kb, embedder, concurrency: 2 });
    expect(summary.reports.map((report) => report.status)).toEqual(['updated', 'added']);
    expect((await kb.stats()).articles).toBe(2);
    await kb.close();
  });

  it('commits each article as it is stored, so a crash keeps finished work', async () => {
    const dir = tempDir();
    for (let index = 0; index < 12; index += 1)
      writeFileSync(join(dir, `note-${index}.txt`), GOOD_ARTICLE.replace('Regional banks', `Regional banks ${index}`));
    const embedder = createFakeEmbedder();
    const indexDir = join(tempDir(), 'index');
    const kb = await EmbeddedStore.open({ indexDir, embedder: { id: embedder.id, dim: embedder.dim } });
    const reader = await EmbeddedStore.open({ indexDir, embedder: { id: embedder.id, dim: embedder.dim } });
    // Right after each article is reported, a second store on the same folder already sees it.
    const seenByAnotherStore: Promise<number>[] = [];
    await ingestPaths([dir], {
      kb,
      embedder,
      onReport: () => {
        seenByAnotherStore.push(reader.refresh().then(async () => (await reader.stats()).articles));
      },
    });
    const seen = await Promise.all(seenByAnotherStore);
    expect(seen).toHaveLength(12);
    seen.forEach((articles, index) => expect(articles).toBeGreaterThanOrEqual(index + 1));
    await reader.close();
    await kb.close();
  });

  describe.skipIf(!existsSync(SEEDS))('the five seed articles', () => {
    it('yields five articles with their titles, dates, tags and tickers, no page chrome in any chunk, and skips them all on a re-run', async () => {
      const embedder = await createLocalEmbedder({ cacheDir: join(REPO, '.cache/word-vectors') });
      const kb = await EmbeddedStore.open({ indexDir: join(tempDir(), 'index'), embedder: { id: embedder.id, dim: embedder.dim } });
      const first = await ingestPaths([SEEDS], { kb, embedder });
      expect(first).toMatchObject({ added: 5, failed: [], empty: [] });
      expect(readdirSync(SEEDS).length).toBe(5);

      const byDate = Object.fromEntries((await kb.listArticles()).articles.map((article) => [article.published, article]));
      expect(byDate['2026-01-22']?.title).toMatch(/^Small-Cap Market Leadership: Russell 2000 Surges to Fresh Record Highs/);
      expect(byDate['2026-01-25']?.title).toBe('Russell 2000 Small-Cap Rally: Sustainability Analysis');
      expect(byDate['2026-01-17']?.title).toBe('Russell 2000 Achieves Record High Amid 11-Day Outperformance Streak Against S&P 500');
      expect(byDate['2026-01-12']?.title).toMatch(/^Small-Cap Resurgence 2026: Why the Russell 2000 is Finally Outpacing/);
      expect(byDate['2026-01-24']?.title).toBe('Small-Cap Resurgence in 2026: Market Rotation and Russell 2000 Outperformance Analysis');
      expect(byDate['2026-01-22']?.tags).toContain('small_cap');
      expect(byDate['2026-01-17']?.tickers).toEqual(expect.arrayContaining(['IWM', 'SPY', 'IJS']));
      expect(byDate['2026-01-24']?.tickers).toEqual(['AMAT', 'FTNT', 'PG', 'SPOT', 'ACMR', 'RMBS', 'FOXA', 'NYT']);
      expect(byDate['2026-01-24']?.references).toHaveLength(7);

      const chrome = [
        'Unlock More Features',
        'Login to access',
        'About us',
        'Related Stocks',
        'Related Reading',
        'No recommended articles',
        'Ask based on this news',
        'Alpha Deep Research',
        'Auto Accept Plan',
        'Insights are generated using AI models',
        '解锁更多功能',
        '登录后即可使用',
        '关于我们',
        '相关阅读推荐',
        '暂无推荐文章',
        '基于这条新闻提问',
        '深度投研',
        '自动接受计划',
        '数据基于历史',
        'Comentarios',
        'Add a public comment',
        'Sin comentarios',
        'Aún no hay comentarios',
        'author avatar',
        '50% OFF',
        'min de lectura',
      ];
      const passages = (await Promise.all((await kb.listArticles()).articles.map((article) => kb.passagesOf(article.id)))).flat();
      for (const chunk of passages) {
        for (const phrase of chrome) expect(chunk.text, `chunk ${chunk.id}`).not.toContain(phrase);
        expect(chunk.text).not.toMatch(/^\s*--\s*$/m);
      }

      const second = await ingestPaths([SEEDS], { kb, embedder });
      expect(second).toMatchObject({ added: 0, updated: 0, skipped: 5 });
    });
  });
});
