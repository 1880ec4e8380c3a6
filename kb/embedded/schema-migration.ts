import { inflateRawSync } from 'node:zlib';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { locateSpans } from '../text-spans.ts';
import { ParsedArticleSchema } from '../types.ts';
import { encodeArticle } from './article-record.ts';

/**
 * Brings a database of the first embedded format (schema 1: each article one deflated JSON record
 * holding its text and sections, each passage its own copy of its text) to the current one (text
 * stored once, see schema.ts), in one transaction: a crash leaves the old database as it was, and
 * a second process opening meanwhile waits for the lock, then finds the work done. Labels, change
 * numbers and vectors are kept, so snapshots stay valid and nothing is re-embedded.
 */
const RecordSchema = ParsedArticleSchema.extend({ contentHash: z.string(), origins: z.array(z.string()), ingestedAt: z.string() });

export const MIGRATION_DEFAULTS = { articlesPerRead: 500 };

export function migrateSchema(db: Database.Database, schema: string): void {
  if (!hasRecordColumn(db)) return;
  db.transaction(() => {
    if (!hasRecordColumn(db)) return;
    for (const index of ['articles_by_hash', 'passages_by_added', 'passages_by_removed', 'passages_by_article']) db.exec(`DROP INDEX IF EXISTS ${index}`);
    db.exec('ALTER TABLE articles RENAME TO articles_v1; ALTER TABLE passages RENAME TO passages_v1;');
    db.exec(schema);
    db.exec(`INSERT INTO passages (label, article_id, ordinal, section, page, table_json, own_text, vector, added_seq, removed_seq, removed_at)
      SELECT label, article_id, ordinal, section, page, table_json, text, vector, added_seq, removed_seq, removed_at FROM passages_v1`);
    const readArticles = db.prepare('SELECT id, content_hash, seq, first_label, passages, record FROM articles_v1 WHERE id > ? ORDER BY id LIMIT ?');
    const insertArticle = db.prepare('INSERT INTO articles (id, content_hash, seq, first_label, passages, head, text, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const livePassages = db.prepare('SELECT label, own_text AS text FROM passages WHERE article_id = ? AND removed_seq IS NULL ORDER BY ordinal');
    const setSpan = db.prepare('UPDATE passages SET span_start = ?, span_length = ?, own_text = NULL WHERE label = ?');
    let after = '';
    for (;;) {
      const rows = readArticles.all(after, MIGRATION_DEFAULTS.articlesPerRead) as {
        id: string;
        content_hash: string;
        seq: number;
        first_label: number;
        passages: number;
        record: Buffer;
      }[];
      if (rows.length === 0) break;
      for (const row of rows) {
        const record = RecordSchema.parse(JSON.parse(inflateRawSync(row.record).toString('utf8')));
        const encoded = encodeArticle(record);
        insertArticle.run(row.id, row.content_hash, row.seq, row.first_label, row.passages, encoded.head, encoded.text, encoded.body);
        const passages = livePassages.all(row.id) as { label: number; text: string }[];
        const spans = locateSpans(
          record.text,
          passages.map((passage) => passage.text),
        );
        passages.forEach((passage, index) => {
          const span = spans[index];
          if (span) setSpan.run(span.start, span.length, passage.label);
        });
      }
      after = rows.at(-1)!.id;
    }
    db.exec('DROP TABLE articles_v1; DROP TABLE passages_v1;');
  }).immediate();
  // The old copies' pages go back to the file system (once; later writes reuse free pages).
  db.exec('VACUUM');
}

function hasRecordColumn(db: Database.Database): boolean {
  const columns = db.pragma('table_info(articles)') as { name: string }[];
  return columns.some((column) => column.name === 'record');
}
