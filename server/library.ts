import type { KnowledgeStore } from '../kb/store.ts';
import { AppError } from '../lib/errors.ts';
import type { WriteQueue } from '../lib/write-queue.ts';
import type { Embedder } from '../ingest/embed/embedder.ts';
import type { PdfOptions } from '../ingest/parse-input.ts';
import { ingestDocument, type DocumentInput, type IngestDeps } from '../ingest/pipeline.ts';

/**
 * The server's writes to the knowledge base (POST/DELETE /api/articles): one at a time through the
 * write queue (so two requests never race on the same origin), each durable in the store before it
 * is acknowledged. Writes by another process (`npm run ingest`) are the store's to follow.
 */
export interface Library {
  addArticle(input: DocumentInput): Promise<{ id: string; ids: string[]; chunks: number; deduplicated: boolean; warnings: string[] }>;
  deleteArticle(id: string): Promise<boolean>;
}

export interface LibraryDeps {
  kb: KnowledgeStore;
  embedder: Embedder;
  queue: WriteQueue;
  maxBytes?: number;
  pdf?: PdfOptions;
  /** Parses and chunks off the event loop (ingest/worker); in-process when absent. */
  prepare?: IngestDeps['prepare'];
}

export function createLibrary(deps: LibraryDeps): Library {
  const { kb, queue } = deps;
  return {
    addArticle(input) {
      return queue.run(async () => {
        const report = await ingestDocument(
          input,
          { kb, embedder: deps.embedder, ...(deps.prepare ? { prepare: deps.prepare } : {}), ...(deps.pdf ? { pdf: deps.pdf } : {}) },
          deps.maxBytes,
        );
        if (report.status === 'failed' || report.status === 'empty') {
          throw new AppError(report.code ?? 'bad_request', `The article could not be ingested: ${report.reason ?? report.status}.`);
        }
        return {
          id: report.articleIds[0]!,
          ids: report.articleIds,
          chunks: report.chunks,
          deduplicated: report.status === 'skipped',
          warnings: report.warnings,
        };
      });
    },
    deleteArticle(id) {
      return queue.run(() => kb.deleteArticle(id));
    },
  };
}
