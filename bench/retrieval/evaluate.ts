import { z } from 'zod';

/**
 * Retrieval evaluation over a question set: recall@1, recall@5, MRR and latency, plus how the
 * questions with no answer in the corpus score against the "nothing relevant" threshold. Pure:
 * the search function is passed in.
 */
export const RetrievalQuestionSchema = z.object({
  id: z.string(),
  question: z.string(),
  kind: z.enum(['paraphrase', 'figure', 'person', 'firm', 'date', 'cjk', 'keyword', 'none']),
  /** File name (basename) of the article that answers it; absent for `none`. */
  article: z.string().optional(),
  /** Text the answering passage must contain (case-insensitive), when one passage answers it. */
  passage: z.string().optional(),
  /** Set when the article lives in ../shared/seeds (skipped when the seeds are absent). */
  seed: z.boolean().optional(),
});
export type RetrievalQuestion = z.infer<typeof RetrievalQuestionSchema>;

export interface RankedPassage {
  articleFile: string;
  text: string;
  score: number;
}

export interface QuestionOutcome {
  id: string;
  kind: RetrievalQuestion['kind'];
  /** 1-based rank of the first correct passage, or undefined. */
  rank?: number;
  topScore: number;
  latencyMs: number;
}

export interface RetrievalReport {
  questions: number;
  answerable: number;
  recallAt1: number;
  recallAt5: number;
  mrr: number;
  /** Share of no-answer questions whose top score is below the threshold. */
  noAnswerRejected: number;
  /** Share of answerable questions whose top score is at or above the threshold. */
  answerableAccepted: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  outcomes: QuestionOutcome[];
}

export function isCorrect(question: RetrievalQuestion, passage: RankedPassage): boolean {
  if (!question.article || passage.articleFile !== question.article) return false;
  return !question.passage || passage.text.toLowerCase().replace(/\s+/g, ' ').includes(question.passage.toLowerCase());
}

export async function evaluateRetrieval(
  questions: RetrievalQuestion[],
  search: (question: string) => Promise<RankedPassage[]>,
  threshold: number,
  clock: () => number = () => performance.now(),
): Promise<RetrievalReport> {
  const outcomes: QuestionOutcome[] = [];
  for (const question of questions) {
    const started = clock();
    const ranked = await search(question.question);
    const latencyMs = clock() - started;
    const index = ranked.findIndex((passage) => isCorrect(question, passage));
    outcomes.push({ id: question.id, kind: question.kind, ...(index >= 0 ? { rank: index + 1 } : {}), topScore: ranked[0]?.score ?? 0, latencyMs });
  }
  const answerable = outcomes.filter((outcome) => outcome.kind !== 'none');
  const unanswerable = outcomes.filter((outcome) => outcome.kind === 'none');
  const share = (items: QuestionOutcome[], test: (outcome: QuestionOutcome) => boolean) => (items.length ? items.filter(test).length / items.length : 1);
  const latencies = outcomes.map((outcome) => outcome.latencyMs).sort((a, b) => a - b);
  const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return {
    questions: outcomes.length,
    answerable: answerable.length,
    recallAt1: share(answerable, (outcome) => outcome.rank === 1),
    recallAt5: share(answerable, (outcome) => outcome.rank !== undefined && outcome.rank <= 5),
    mrr: answerable.length ? answerable.reduce((sum, outcome) => sum + (outcome.rank ? 1 / outcome.rank : 0), 0) / answerable.length : 0,
    noAnswerRejected: share(unanswerable, (outcome) => outcome.topScore < threshold),
    answerableAccepted: share(answerable, (outcome) => outcome.topScore >= threshold),
    latencyP50Ms: percentile(0.5),
    latencyP99Ms: percentile(0.99),
    outcomes,
  };
}
