import hnswlib from 'hnswlib-node';
import { existsSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../lib/errors.ts';
import { readJsonLines } from '../jsonl.ts';
import type { EmbedderInfo, StoredArticle } from '../types.ts';
import { DocstoreHeaderSchema, DocstoreRecordSchema, MANIFEST_FILE, ManifestSchema, type StoredChunk } from './legacy-format.ts';
import { DATABASE_FILE } from './schema.ts';

const { HierarchicalNSW } = hnswlib;
const MIGRATION_DIR = '.migrating';
const LEGACY_LOCK_FILE = 'write.lock';

/** True when `indexDir` holds an index of the previous format (manifest.json + gen-*). */
export function hasLegacyIndex(indexDir: string): boolean {
  return existsSync(join(indexDir, MANIFEST_FILE));
}

/**
 * Migrates an index of the previous format into the embedded store, keeping article and passage
 * ids and the stored vectors (no re-embedding). The new database is built in a side folder and
 * moved into place in one rename, then the old files are removed; a crash at any point leaves
 * either the old index (migrated again at the next start) or the new one.
 */
export async function migrateLegacyIndex(indexDir: string, embedder: EmbedderInfo, where: string): Promise<void> {
  if (existsSync(join(indexDir, DATABASE_FILE))) {
    // Migrated before a crash removed the old files: finish the clean-up.
    removeLegacyFiles(indexDir);
    return;
  }
  const legacy = readLegacyIndex(indexDir, where);
  if (legacy.embedder.id !== embedder.id || legacy.embedder.dim !== embedder.dim) {
    throw new AppError(
      'embedder_mismatch',
      `The knowledge base in ${where} (previous format, to be migrated) was built with the embedder ${legacy.embedder.id} ` +
        `(${legacy.embedder.dim} dimensions), but the copilot is configured to use ${embedder.id} (${embedder.dim} dimensions). ` +
        'Set COPILOT_EMBEDDINGS back to the embedder that built it so it can be migrated, or move that folder away and re-ingest.',
    );
  }
  const side = join(indexDir, MIGRATION_DIR);
  rmSync(side, { recursive: true, force: true });
  // Imported here: the store module imports this one.
  const { EmbeddedStore } = await import('./embedded-store.ts');
  const store = await EmbeddedStore.open({ indexDir: side, embedder });
  try {
    for (const article of legacy.articles) {
      const chunks = article.chunkIds.flatMap((id) => legacy.chunks.get(id) ?? []);
      const vectors = chunks.map((chunk) => legacy.vectorOf(chunk.label));
      const [first, ...others] = article.origins;
      const { id, contentHash, origins: _origins, ingestedAt: _ingestedAt, chunkIds: _chunkIds, ...parsed } = article;
      const passages = chunks.map(({ id: _chunkId, articleId: _articleId, ordinal: _ordinal, label: _label, ...passage }) => passage);
      await store.upsert({ action: 'add', articleId: id, contentHash, ...(first ? { origin: first } : {}) }, parsed, passages, vectors);
      for (const origin of others) await store.upsert({ action: 'duplicate', articleId: id, contentHash, origin }, parsed, [], []);
    }
  } finally {
    await store.close();
  }
  if (existsSync(join(side, 'snapshots'))) {
    rmSync(join(indexDir, 'snapshots'), { recursive: true, force: true });
    renameSync(join(side, 'snapshots'), join(indexDir, 'snapshots'));
  }
  // The commit point: from here on the new store is the index.
  renameSync(join(side, DATABASE_FILE), join(indexDir, DATABASE_FILE));
  removeLegacyFiles(indexDir);
}

function readLegacyIndex(indexDir: string, where: string) {
  const invalid = (cause: unknown) =>
    new AppError(
      'index_corrupt',
      `The knowledge base in ${where} is in the previous format but could not be read for migration; move the folder away and re-ingest.`,
      { cause },
    );
  try {
    const manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(indexDir, MANIFEST_FILE), 'utf8')));
    const articles: StoredArticle[] = [];
    const chunks = new Map<string, StoredChunk>();
    DocstoreHeaderSchema.parse(
      readJsonLines(join(indexDir, manifest.files.docstore), (raw) => {
        const record = DocstoreRecordSchema.parse(raw);
        if (record.kind === 'article') articles.push(record.article);
        else chunks.set(record.chunk.id, record.chunk);
      }),
    );
    const graph = new HierarchicalNSW('cosine', manifest.embedder.dim);
    graph.readIndexSync(join(indexDir, manifest.files.vectors), false);
    return { embedder: manifest.embedder, articles, chunks, vectorOf: (label: number) => Float32Array.from(graph.getPoint(label)) };
  } catch (error) {
    throw invalid(error);
  }
}

function removeLegacyFiles(indexDir: string): void {
  for (const entry of readdirSync(indexDir)) {
    if (entry.startsWith('gen-') || entry === LEGACY_LOCK_FILE || entry === MIGRATION_DIR) rmSync(join(indexDir, entry), { recursive: true, force: true });
  }
  // The manifest goes last: while it exists, a restart finishes this clean-up.
  rmSync(join(indexDir, MANIFEST_FILE), { force: true });
}
