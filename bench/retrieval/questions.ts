import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { RetrievalQuestionSchema, type RetrievalQuestion } from './evaluate.ts';

const QUESTIONS_FILE = join(dirname(fileURLToPath(import.meta.url)), 'questions.json');

/** The retrieval question set; questions about the seed articles only when the seeds are present. */
export function loadRetrievalQuestions(options: { includeSeeds: boolean }): RetrievalQuestion[] {
  const questions = z.array(RetrievalQuestionSchema).parse(JSON.parse(readFileSync(QUESTIONS_FILE, 'utf8')));
  return questions.filter((question) => options.includeSeeds || !question.seed);
}
