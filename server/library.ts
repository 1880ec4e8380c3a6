import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import { AppError } from '../lib/errors.ts';
import type { WriteQueue } from '../lib/write-queue.ts';
import type { Embedder } from '../ingest/embed/embedder.ts';
import type { PdfOptions } from '../ingest/parse-input.ts';
import { ingestDocument, type DocumentInput, type IngestDeps } from '../ingest/pipeline.ts';

/**
 * The server's writes to the knowledge base (POST/DELETE /api/articles): one at a time through the
 * write queue, each committed before it is acknowledged, after catching up with commits made by
 * another process (e.g. `npm run ingest` running beside the server).
 */
export interface Library {
  addArticle(input: DocumentInput): Promise<{ id: string; ids: string[]; chunks: number; deduplicated: boolean; warnings: string[] }>;
  deleteArticle(id: string): Promise<boolean>;
}

export interface LibraryDeps {
  kb: KnowledgeBase;
  embedder: Embedder;
  queue: WriteQueue;
  maxBytes?: number;
  pdf?: PdfOptions;
  /** Parses and chunks off the event loop (ingest/worker); in-process when absent. */
  prepare?: IngestDeps['prepare'];
}

export function createLibrary(deps: LibraryDeps): Library {
  const { kb, queue } = deps;
  const catchUp = () => {
    if (kb.isStale()) kb.reload();
  };
  return {
    addArticle(input) {
      return queue.run(async () => {
        catchUp();
        const report = await ingestDocument(
          input,
          { kb, embedder: deps.embedder, ...(deps.prepare ? { prepare: deps.prepare } : {}), ...(deps.pdf ? { pdf: deps.pdf } : {}) },
          deps.maxBytes,
        );
        if (report.status === 'failed' || report.status === 'empty') {
          throw new AppError(report.code ?? 'bad_request', `The article could not be ingested: ${report.reason ?? report.status}.`);
        }
        try {
          await kb.save();
        } catch (error) {
          // Keep memory equal to what is on disk: a write that was not committed did not happen.
          kb.reload();
          throw error;
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
      return queue.run(async () => {
        catchUp();
        const removed = kb.deleteArticle(id);
        if (!removed) return false;
        try {
          await kb.save();
        } catch (error) {
          kb.reload();
          throw error;
        }
        return true;
      });
    },
  };
}
