import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createChatService } from '../../server/chat/chat-service.ts';
import { createConversationStore } from '../../server/chat/conversations.ts';
import { EVAL_TODAY, REPO_ROOT } from '../retrieval/corpus.ts';
import { loadTatqa, splitOf, type Split, type TatqaContext, type TatqaQuestion } from './dataset.ts';
import { buildTatqaKnowledgeBase } from './knowledge-base.ts';
import { judgeDocumentAnswer, type DocumentVerdict } from './judge.ts';

export const TATQA_DEV_PATH = resolve(REPO_ROOT, '../shared/datasets/tatqa-dev/tatqa_dataset_dev.json');
export const RECALL_AT = 5;

export interface QuestionOutcome extends DocumentVerdict {
  uid: string;
  question: string;
  answerType: TatqaQuestion['answer_type'];
  split: Split;
  /** The question's context is among the documents of the top-5 retrieved passages. */
  retrieved: boolean;
  /** The answer cites a passage of the question's context: it was composed from the right document. */
  citesContext: boolean;
  answer: string;
  gold: TatqaQuestion['answer'];
  derivation?: string;
  /** Time the chat service took to answer, in milliseconds. */
  elapsedMs: number;
}

export interface DocumentEvalOptions {
  path?: string;
  /** Only these halves (both by default). */
  splits?: Split[];
  /** At most this many contexts per half (for a quick look while developing). */
  limit?: number;
  /** Only questions of this answer type (all by default). */
  answerType?: TatqaQuestion['answer_type'];
  onProgress?: (done: number, total: number) => void;
}

/**
 * Ingests every context of the dev set as a Markdown document of ONE knowledge base (an open
 * corpus, as a user would have the reports), then asks every question through the chat service the
 * API uses (offline engine). Returns undefined when the dataset is absent.
 */
export async function runDocumentEvaluation(options: DocumentEvalOptions = {}): Promise<QuestionOutcome[] | undefined> {
  const contexts = loadTatqa(options.path ?? TATQA_DEV_PATH);
  if (!contexts) return undefined;
  const indexDir = mkdtempSync(join(tmpdir(), 'copilot-documents-'));
  try {
    const { contextOf, prompts, engine: offline } = await buildTatqaKnowledgeBase(contexts, indexDir);
    const chat = createChatService({ offline, conversations: createConversationStore(), prompts, today: () => EVAL_TODAY });

    const chosen = pickContexts(contexts, options);
    const asked = (context: TatqaContext) => context.questions.filter((question) => !options.answerType || question.answer_type === options.answerType);
    const total = chosen.reduce((sum, context) => sum + asked(context).length, 0);
    const outcomes: QuestionOutcome[] = [];
    for (const context of chosen) {
      const split = splitOf(context.table.uid);
      for (const question of asked(context)) {
        let top: string[] = [];
        const started = performance.now();
        const response = await chat.ask(
          { message: question.question },
          {
            signal: new AbortController().signal,
            onEvent: (event) => {
              if (event.type === 'retrieval') top = event.sources.slice(0, RECALL_AT).map((source) => source.articleId);
            },
          },
        );
        const elapsedMs = performance.now() - started;
        const verdict = judgeDocumentAnswer({ answer: question.answer, answerType: question.answer_type, scale: question.scale }, response.answer);
        outcomes.push({
          ...verdict,
          uid: question.uid,
          question: question.question,
          answerType: question.answer_type,
          split,
          retrieved: top.some((articleId) => contextOf.get(articleId) === context.table.uid),
          citesContext: response.citations.some((citation) => citation.articleId !== undefined && contextOf.get(citation.articleId) === context.table.uid),
          answer: response.answer,
          gold: question.answer,
          ...(question.derivation ? { derivation: question.derivation } : {}),
          elapsedMs,
        });
        options.onProgress?.(outcomes.length, total);
      }
    }
    return outcomes;
  } finally {
    rmSync(indexDir, { recursive: true, force: true });
  }
}

function pickContexts(contexts: TatqaContext[], options: DocumentEvalOptions): TatqaContext[] {
  const splits = options.splits ?? ['tune', 'report'];
  const picked: TatqaContext[] = [];
  for (const split of splits) {
    const half = contexts.filter((context) => splitOf(context.table.uid) === split);
    picked.push(...half.slice(0, options.limit ?? half.length));
  }
  return picked;
}

export interface DocumentScores {
  questions: number;
  recallAt5: number;
  refusals: number;
  byType: Record<
    string,
    {
      questions: number;
      correct: number;
      exact: number;
      numeric: number;
      retrieved: number;
      correctRetrieved: number;
      citesContext: number;
      correctCitesContext: number;
    }
  >;
  correct: number;
}

/** Shares per answer type for one half (pure). */
export function scoreOutcomes(outcomes: QuestionOutcome[]): DocumentScores {
  const byType: DocumentScores['byType'] = {};
  for (const outcome of outcomes) {
    const entry = byType[outcome.answerType] ?? {
      questions: 0,
      correct: 0,
      exact: 0,
      numeric: 0,
      retrieved: 0,
      correctRetrieved: 0,
      citesContext: 0,
      correctCitesContext: 0,
    };
    byType[outcome.answerType] = entry;
    entry.questions += 1;
    if (outcome.correct) entry.correct += 1;
    if (outcome.exact) entry.exact += 1;
    if (outcome.numeric) entry.numeric += 1;
    // Correct given retrieval: the answer part measured apart from the retrieval part.
    if (outcome.retrieved) entry.retrieved += 1;
    if (outcome.retrieved && outcome.correct) entry.correctRetrieved += 1;
    // Correct when the answer was composed from the right document: the reading and computing part alone.
    if (outcome.citesContext) entry.citesContext += 1;
    if (outcome.citesContext && outcome.correct) entry.correctCitesContext += 1;
  }
  const share = (count: number) => (outcomes.length === 0 ? 0 : count / outcomes.length);
  return {
    questions: outcomes.length,
    recallAt5: share(outcomes.filter((outcome) => outcome.retrieved).length),
    refusals: share(outcomes.filter((outcome) => outcome.refused).length),
    correct: share(outcomes.filter((outcome) => outcome.correct).length),
    byType,
  };
}
