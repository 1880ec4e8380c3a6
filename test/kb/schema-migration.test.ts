import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { computeContentHash } from '../../kb/content-hash.ts';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { DATABASE_FILE } from '../../kb/embedded/schema.ts';
import { tokenize } from '../../kb/tokenize.ts';
import { createFakeEmbedder } from '../helpers/fake-embedder.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const embedder = createFakeEmbedder();
const info = { id: embedder.id, dim: embedder.dim };
const opened: EmbeddedStore[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

/** The first embedded format, as it shipped: each article one deflated record, each passage its own text. */
const SCHEMA_1 = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, article_id TEXT NOT NULL, meta TEXT);
CREATE INDEX changes_by_article ON changes(article_id, seq);
CREATE TABLE articles (id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, seq INTEGER NOT NULL, first_label INTEGER NOT NULL,
  passages INTEGER NOT NULL, record BLOB NOT NULL);
CREATE INDEX articles_by_hash ON articles(content_hash);
CREATE TABLE origins (origin TEXT PRIMARY KEY, article_id TEXT NOT NULL);
CREATE INDEX origins_by_article ON origins(article_id);
CREATE TABLE passages (label INTEGER PRIMARY KEY, article_id TEXT NOT NULL, ordinal INTEGER NOT NULL, section TEXT, page INTEGER,
  table_json TEXT, text TEXT NOT NULL, vector BLOB NOT NULL, added_seq INTEGER NOT NULL, removed_seq INTEGER, removed_at INTEGER);
CREATE INDEX passages_by_added ON passages(added_seq);
CREATE INDEX passages_by_removed ON passages(removed_seq) WHERE removed_seq IS NOT NULL;
CREATE UNIQUE INDEX passages_by_article ON passages(article_id, ordinal) WHERE removed_seq IS NULL;
`;

const id = 'a1b2c3d4e5f60718';
const paragraphs = ['Harrow Mills lifted its dividend after a strong wool season.', 'Export volumes to the north grew by a fifth.'];
const parsed = {
  title: 'Harrow Mills raises its dividend',
  text: paragraphs.join('\n\n'),
  sections: [{ heading: 'Results', paragraphs }],
  published: '2026-02-03',
  tags: ['textiles'],
  tickers: ['HRWM'],
  references: [{ n: 1, text: 'Harrow Mills annual letter' }],
};
const record = {
  ...parsed,
  contentHash: computeContentHash(parsed),
  origins: ['file:harrow.md'],
  ingestedAt: '2026-02-04T08:00:00.000Z',
};
const tablePassage = 'Dividend per share: 0.42 in 2026 and 0.35 in 2025.';

async function writeFirstFormat(dir: string): Promise<void> {
  const db = new Database(join(dir, DATABASE_FILE));
  db.exec(SCHEMA_1);
  const vector = async (text: string) => {
    const [embedded] = await embedder.embedDocuments([text]);
    return Buffer.from(embedded!.buffer);
  };
  const meta = (firstLabel: number, passages: number) =>
    JSON.stringify({ id, title: record.title, published: record.published, tags: record.tags, tickers: record.tickers, firstLabel, passages });
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('embedder', JSON.stringify(info));
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('next_label', '4');
  db.prepare('INSERT INTO changes (article_id, meta) VALUES (?, ?)').run(id, meta(0, 1));
  db.prepare('INSERT INTO changes (article_id, meta) VALUES (?, ?)').run(id, meta(1, 3));
  const insertPassage = db.prepare(
    'INSERT INTO passages (label, article_id, ordinal, section, text, vector, added_seq, removed_seq, removed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  // The previous version's passage (removed by change 2, kept for lagging readers), then the current three.
  insertPassage.run(0, id, 0, null, 'An earlier draft about wool prices.', await vector('An earlier draft about wool prices.'), 1, 2, Date.now());
  insertPassage.run(1, id, 0, 'Results', paragraphs[0], await vector(paragraphs[0]!), 2, null, null);
  insertPassage.run(2, id, 1, 'Results', paragraphs[1], await vector(paragraphs[1]!), 2, null, null);
  insertPassage.run(3, id, 2, 'Results', tablePassage, await vector(tablePassage), 2, null, null);
  db.prepare('INSERT INTO articles (id, content_hash, seq, first_label, passages, record) VALUES (?, ?, ?, ?, ?, ?)').run(
    id,
    record.contentHash,
    2,
    1,
    3,
    deflateRawSync(Buffer.from(JSON.stringify(record))),
  );
  db.prepare('INSERT INTO origins (origin, article_id) VALUES (?, ?)').run('file:harrow.md', id);
  db.close();
}

describe('embedded schema migration', () => {
  it('moves a first-format database to text stored once, keeping ids, labels, texts and vectors', async () => {
    const dir = tempDir();
    await writeFirstFormat(dir);
    const store = await EmbeddedStore.open({ indexDir: dir, embedder: info });
    opened.push(store);

    const article = await store.getArticle(id);
    expect(article).toEqual({ ...record, id, chunkIds: [`${id}-0`, `${id}-1`, `${id}-2`] });
    expect((await store.passagesOf(id)).map((passage) => [passage.section, passage.text])).toEqual([
      ['Results', paragraphs[0]],
      ['Results', paragraphs[1]],
      ['Results', tablePassage],
    ]);
    const lexical = await store.lexicalSearch(
      tokenize('export volumes dividend').map((term) => ({ term, weight: 1 })),
      5,
    );
    expect(lexical.hits.map((hit) => hit.passageId).sort()).toEqual([`${id}-0`, `${id}-1`, `${id}-2`]);
    const [query] = await embedder.embedDocuments([paragraphs[1]!]);
    expect((await store.vectorSearch(query!, 1))[0]?.passageId).toBe(`${id}-1`);
    expect(await store.planUpsert(parsed, 'file:harrow.md')).toMatchObject({ action: 'skip', articleId: id });

    const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
    try {
      const columns = (db.pragma('table_info(articles)') as { name: string }[]).map((column) => column.name);
      expect(columns).not.toContain('record');
      const rows = db.prepare('SELECT label, span_start, own_text FROM passages ORDER BY label').all();
      expect(rows).toEqual([
        { label: 0, span_start: null, own_text: 'An earlier draft about wool prices.' },
        { label: 1, span_start: 0, own_text: null },
        { label: 2, span_start: paragraphs[0]!.length + 2, own_text: null },
        { label: 3, span_start: null, own_text: tablePassage },
      ]);
    } finally {
      db.close();
    }
  });

  it('gives a replaced version its own text, so readers that lag behind can still un-index it', async () => {
    const dir = tempDir();
    const store = await EmbeddedStore.open({ indexDir: dir, embedder: info });
    opened.push(store);
    const first = { ...record, text: paragraphs.join('\n\n') };
    const plan = await store.planUpsert(first, 'file:harrow.md');
    await store.upsert(plan, first, [{ text: paragraphs[0]! }, { text: paragraphs[1]! }], await embedder.embedDocuments(paragraphs));
    const revisedParagraphs = ['Harrow Mills cut its dividend after a poor wool season.'];
    const revised = { ...record, text: revisedParagraphs[0]!, sections: [{ paragraphs: revisedParagraphs }] };
    await store.upsert(
      await store.planUpsert(revised, 'file:harrow.md'),
      revised,
      [{ text: revisedParagraphs[0]! }],
      await embedder.embedDocuments(revisedParagraphs),
    );

    const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
    try {
      const removed = db.prepare('SELECT own_text FROM passages WHERE removed_seq IS NOT NULL ORDER BY label').pluck().all();
      expect(removed).toEqual(paragraphs);
    } finally {
      db.close();
    }
    expect((await store.passagesOf(plan.articleId)).map((passage) => passage.text)).toEqual(revisedParagraphs);
    const stale = await store.lexicalSearch([{ term: 'export', weight: 1 }], 5);
    expect(stale.hits).toEqual([]);
    expect((await store.termStatistics(['export'])).documentFrequency.get('export')).toBe(0);
  });
});
