import { AppError } from '../../lib/errors.ts';
import type { JobRunner } from '../worker/job-runner.ts';
import type { Embedder } from './embedder.ts';
import type { LocalEmbedder } from './local-embedder.ts';

export const WORKER_EMBEDDER_DEFAULTS = {
  /** Passages per job: large enough that a message costs little beside the work, small enough to stay responsive. */
  batchSize: 64,
  /**
   * A batch embeds in tens of milliseconds, but the worker's first job also loads the vocabulary
   * (a second on an idle machine, many on a loaded one); the input is already bounded by the
   * document limits, so the budget only catches a worker that hangs.
   */
  timeBudgetMs: 120_000,
  /**
   * Batches of one text list queued at once. One at a time, the worker sat idle from each answer
   * until this thread turned to it and posted the next batch, which a thread busy storing the
   * previous document does late (a 100k-passage build, 120 passages a call, waited 1.9–2.2 s for
   * embeddings; 1.2–1.5 with four queued, 0.3–0.4 of it the worker's start).
   */
  batchesAhead: 4,
};

/**
 * The local embedder with its document work moved to the ingest worker thread (job runner): the
 * event loop that answers requests never runs it, and a bulk ingest embeds the next document while
 * this thread stores the previous one. The worker builds the same embedder from `local.source`
 * (sharing its word vectors), so vectors are identical to embedding here. Queries stay on this
 * thread: one short text costs less than a message to the worker.
 */
export function createWorkerEmbedder(local: LocalEmbedder, jobs: JobRunner, options: Partial<typeof WORKER_EMBEDDER_DEFAULTS> = {}): Embedder {
  const settings = { ...WORKER_EMBEDDER_DEFAULTS, ...options };
  const overBudget = new AppError('upstream_unavailable', `Embedding passages took longer than ${settings.timeBudgetMs / 1000} s; retry in a moment.`);
  return {
    id: local.id,
    dim: local.dim,
    async embedDocuments(texts, signal) {
      const vectors: Float32Array[] = [];
      const running: Promise<Float32Array[]>[] = [];
      let start = 0;
      try {
        while (start < texts.length || running.length > 0) {
          // The next batches are queued before this one is awaited: the worker goes from one to
          // the next without waiting for this thread to turn to its answer and post the next.
          while (running.length < settings.batchesAhead && start < texts.length) {
            signal?.throwIfAborted();
            const batch = texts.slice(start, start + settings.batchSize);
            start += batch.length;
            running.push(
              jobs.run(
                'embed-passages',
                { source: local.source, texts: batch },
                { timeBudgetMs: settings.timeBudgetMs, overBudget, ...(signal ? { signal } : {}) },
              ),
            );
          }
          vectors.push(...(await running.shift()!));
        }
      } catch (error) {
        // The batches still queued fail or finish unread.
        for (const batch of running) batch.catch(() => undefined);
        throw error;
      }
      return vectors;
    },
    embedQuery(text, signal) {
      return local.embedQuery(text, signal);
    },
  };
}

/**
 * Has the ingest worker build its copy of the local embedder now (an empty job), so that the first
 * document does not wait for it: the vocabulary's tables and weights took the worker's first job
 * 280-430 ms after the worker had started. Nothing for an embedder that runs elsewhere.
 */
export async function warmUpDocumentEmbedding(embedder: Embedder, jobs: JobRunner): Promise<void> {
  if (!isLocalEmbedder(embedder)) return;
  await jobs.run('embed-passages', { source: embedder.source, texts: [] }, { timeBudgetMs: WORKER_EMBEDDER_DEFAULTS.timeBudgetMs });
}

/** The embedder documents go through: the worker embedder for the local one; others (network-bound) as they are. */
export function offloadDocumentEmbedding(embedder: Embedder, jobs: JobRunner): Embedder {
  return isLocalEmbedder(embedder) ? createWorkerEmbedder(embedder, jobs) : embedder;
}

function isLocalEmbedder(embedder: Embedder): embedder is LocalEmbedder {
  return 'embedSync' in embedder && 'source' in embedder;
}
