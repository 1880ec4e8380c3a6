import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { ChatResponse } from '../../server/chat/types.ts';

/** The offline answer test set: each question with the facts and sources a correct answer has. */
export const AnswerQuestionSchema = z.object({
  id: z.string(),
  question: z.string(),
  facts: z.array(z.array(z.string()).min(1)),
  sources: z.array(z.string()),
  tools: z.array(z.string()),
  noAnswer: z.boolean(),
  seed: z.boolean(),
  language: z.enum(['en', 'zh']),
});
export type AnswerQuestion = z.infer<typeof AnswerQuestionSchema>;

export function loadAnswerQuestions(options: { includeSeeds: boolean }): AnswerQuestion[] {
  const file = join(dirname(fileURLToPath(import.meta.url)), 'questions.json');
  return z.array(AnswerQuestionSchema).parse(JSON.parse(readFileSync(file, 'utf8'))).filter((question) => options.includeSeeds || !question.seed);
}

export interface AnswerVerdict {
  id: string;
  correct: boolean;
  missingFacts: string[][];
  citedExpectedSource: boolean;
  saidNoAnswer: boolean;
}

const NO_ANSWER = /could not find anything|没有找到/;

/**
 * Judges one response (pure): every fact present (one of its alternatives, case-insensitive,
 * thousands separators ignored), at least one expected source cited when sources are expected,
 * and, for unanswerable questions, a plain "not found".
 */
export function judgeAnswer(question: AnswerQuestion, response: Pick<ChatResponse, 'answer' | 'citations'>, articleFiles: Map<string, string>): AnswerVerdict {
  const normalize = (text: string) => text.toLowerCase().replace(/(\d),(\d{3})/g, '$1$2').replace(/−/g, '-');
  const answer = normalize(response.answer);
  const saidNoAnswer = NO_ANSWER.test(response.answer);
  if (question.noAnswer) {
    return { id: question.id, correct: saidNoAnswer, missingFacts: [], citedExpectedSource: true, saidNoAnswer };
  }
  const missingFacts = question.facts.filter((alternatives) => !alternatives.some((fact) => answer.includes(normalize(fact))));
  const cited = response.citations.flatMap((citation) => (citation.articleId ? [articleFiles.get(citation.articleId) ?? ''] : []));
  const citedExpectedSource = question.sources.length === 0 || question.sources.some((source) => cited.includes(source));
  return { id: question.id, correct: missingFacts.length === 0 && citedExpectedSource && !saidNoAnswer, missingFacts, citedExpectedSource, saidNoAnswer };
}

/** Maps article ids to the file names they were ingested from (JSON array members share the file). */
export function articleFileNames(articles: Iterable<{ id: string; origins: string[] }>): Map<string, string> {
  const names = new Map<string, string>();
  for (const article of articles) names.set(article.id, basename(article.origins[0] ?? '').replace(/#\d+$/, ''));
  return names;
}
