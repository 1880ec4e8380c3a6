import type { AnswerEngine } from './types.ts';

/**
 * What the start-up warm-up (server/retrieval/warm-up.ts, `answer`) asks a chat engine: an
 * English question with no history, its events dropped and its answer discarded, cut off by the
 * warm-up's signal when its time budget runs out. Nothing is stored: conversations are the chat
 * service's, which this bypasses.
 */
export function warmUpAnswer(engine: AnswerEngine, today: () => string): (question: string, signal: AbortSignal) => Promise<unknown> {
  return (question, signal) => engine.answer({ question, history: [], language: 'en', today: today(), signal, emit: () => undefined });
}
