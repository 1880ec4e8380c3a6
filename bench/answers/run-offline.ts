import { join } from 'node:path';
import { createChatService } from '../../server/chat/chat-service.ts';
import { createConversationStore } from '../../server/chat/conversations.ts';
import { createOfflineEngine } from '../../server/chat/offline-engine.ts';
import { createPriceStore } from '../../server/market/price-store.ts';
import { loadPromptLibrary } from '../../server/prompts.ts';
import { createToolRegistry } from '../../server/tools/registry.ts';
import { buildEvaluationCorpus, EVAL_TODAY, REPO_ROOT } from '../retrieval/corpus.ts';
import { articleFileNames, judgeAnswer, loadAnswerQuestions, type AnswerVerdict } from './evaluate.ts';

/** Runs the answer test set through the offline engine over the evaluation corpus. */
export async function runOfflineAnswerSet(indexDir: string) {
  const { kb, embedder, seeds } = await buildEvaluationCorpus(indexDir);
  const prompts = loadPromptLibrary(join(REPO_ROOT, 'prompts'));
  const prices = createPriceStore({ dataDir: join(REPO_ROOT, 'data') });
  const offline = createOfflineEngine({ kb, embedder, registry: createToolRegistry(), toolContext: () => ({ prices, today: EVAL_TODAY }), prompts });
  const chat = createChatService({ offline, conversations: createConversationStore(), prompts, today: () => EVAL_TODAY });
  const files = articleFileNames((await kb.listArticles()).articles);
  const verdicts: (AnswerVerdict & { question: string; figures: number; grounded: number })[] = [];
  for (const question of loadAnswerQuestions({ includeSeeds: seeds })) {
    const response = await chat.ask({ message: question.question }, { signal: new AbortController().signal });
    verdicts.push({
      ...judgeAnswer(question, response, files),
      question: question.question,
      figures: response.grounding.figures,
      grounded: response.grounding.grounded,
    });
  }
  const figures = verdicts.reduce((sum, verdict) => sum + verdict.figures, 0);
  const grounded = verdicts.reduce((sum, verdict) => sum + verdict.grounded, 0);
  return {
    seeds,
    verdicts,
    score: verdicts.filter((verdict) => verdict.correct).length / verdicts.length,
    groundedShare: figures === 0 ? 1 : grounded / figures,
  };
}
