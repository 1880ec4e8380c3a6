import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { ChatResponse } from '../../server/chat/types.ts';
import { normalizeAnswerText } from '../documents/judge.ts';

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
  return z
    .array(AnswerQuestionSchema)
    .parse(JSON.parse(readFileSync(file, 'utf8')))
    .filter((question) => options.includeSeeds || !question.seed);
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
 * thousands separators ignored, on word boundaries: "20" is not found in "Russell 2000"), at least one expected source cited when sources are expected,
 * and, for unanswerable questions, a plain "not found".
 */
export function judgeAnswer(question: AnswerQuestion, response: Pick<ChatResponse, 'answer' | 'citations'>, articleFiles: Map<string, string>): AnswerVerdict {
  const saidNoAnswer = NO_ANSWER.test(response.answer);
  if (question.noAnswer) {
    return { id: question.id, correct: saidNoAnswer, missingFacts: [], citedExpectedSource: true, saidNoAnswer };
  }
  const missingFacts = question.facts.filter((alternatives) => !alternatives.some((fact) => factPresent(response.answer, fact)));
  const cited = response.citations.flatMap((citation) => (citation.articleId ? [articleFiles.get(citation.articleId) ?? ''] : []));
  const citedExpectedSource = question.sources.length === 0 || question.sources.some((source) => cited.includes(source));
  return { id: question.id, correct: missingFacts.length === 0 && citedExpectedSource && !saidNoAnswer, missingFacts, citedExpectedSource, saidNoAnswer };
}

const FIGURE = /^[-−]?\$?(\d[\d,]*(?:\.\d+)?)(%|x)?$/i;

/**
 * A fact is in the answer: a figure as a whole number of the answer ("20" is not in "Russell 2000",
 * "2,601.5" is in "2,601.50" and "2,601.53", "18" is in "18x"), words as text (case-insensitive).
 */
export function factPresent(answer: string, fact: string): boolean {
  const figure = FIGURE.exec(fact.trim());
  const text = normalizeAnswerText(answer);
  if (!figure) return text.includes(normalizeAnswerText(fact));
  const value = Number(figure[1]!.replace(/,/g, ''));
  const decimals = figure[1]!.split('.')[1]?.length ?? 0;
  for (const match of text.matchAll(/(?<![A-Za-z0-9.])(\d+(?:\.(\d+))?)(?![0-9]|\.\d)/g)) {
    // A more precise figure that rounds to the fact counts ("2,601.53" states "2,601.5").
    const stated = Number(match[1]);
    if (stated === value || ((match[2]?.length ?? 0) > decimals && Math.round(stated * 10 ** decimals) === Math.round(value * 10 ** decimals))) return true;
  }
  return false;
}

/**
 * The half a question belongs to, fixed by a hash of its id: TUNE is the half to look at while
 * changing the engine, REPORT is only measured (a rule that helps only the tune half shows there).
 */
export function answerSplit(id: string): 'tune' | 'report' {
  return createHash('sha256').update(id).digest()[0]! % 2 === 0 ? 'tune' : 'report';
}

/** Maps article ids to the file names they were ingested from (JSON array members share the file). */
export function articleFileNames(articles: Iterable<{ id: string; origins: string[] }>): Map<string, string> {
  const names = new Map<string, string>();
  for (const article of articles) names.set(article.id, basename(article.origins[0] ?? '').replace(/#\d+$/, ''));
  return names;
}
