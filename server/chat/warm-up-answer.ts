import type { AnswerEngine } from './types.ts';

/** Longest a warm-up answer may take before it is given up (the server starts regardless). */
export const WARM_UP_ANSWER_TIMEOUT_MS = 10_000;

/**
 * What the start-up warm-up (server/retrieval/warm-up.ts, `answer`) asks a chat engine: an
 * English question with no history, its events dropped and its answer discarded. Nothing is stored:
 * conversations are the chat service's, which this bypasses.
 */
export function warmUpAnswer(engine: AnswerEngine, today: () => string): (question: string) => Promise<unknown> {
  return (question) =>
    engine.answer({ question, history: [], language: 'en', today: today(), signal: AbortSignal.timeout(WARM_UP_ANSWER_TIMEOUT_MS), emit: () => undefined });
}
