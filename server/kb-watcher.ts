import type { KnowledgeStore } from '../kb/store.ts';

/**
 * Follows writes committed by another process (`npm run ingest` beside the server): every tick the
 * store applies the changes past the last one it applied (a few rows, never a full reload). Ticks
 * never overlap. Stores that read the database on every query have no `refresh` and need nothing.
 */
export function watchKnowledgeBase(
  kb: KnowledgeStore,
  options: { intervalMs: number; onRefresh?: (changes: number, version: number) => void; onError?: (error: unknown) => void },
): { stop(): void } {
  const refresh = kb.refresh?.bind(kb);
  if (!refresh) return { stop() {} };
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    refresh()
      .then(async (changes) => {
        if (changes > 0) options.onRefresh?.(changes, await kb.version());
      })
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        running = false;
      });
  }, options.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
