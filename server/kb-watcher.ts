import type { KnowledgeBase } from '../kb/knowledge-base.ts';

/**
 * Follows commits made by another process (`npm run ingest` beside the server): when the manifest
 * names a newer generation, the knowledge base reloads it and swaps it in at once, so a search
 * sees the old or the new knowledge base, never a mix. Never reloads over unsaved local changes.
 */
export function watchKnowledgeBase(
  kb: KnowledgeBase,
  options: { intervalMs: number; onReload?: (generation: number) => void; onError?: (error: unknown) => void },
): { stop(): void } {
  const timer = setInterval(() => {
    if (kb.hasUnsavedChanges) return;
    try {
      if (kb.isStale()) {
        kb.reload();
        options.onReload?.(kb.generation);
      }
    } catch (error) {
      // A generation being replaced while it was read: the next tick reads the new one.
      options.onError?.(error);
    }
  }, options.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
