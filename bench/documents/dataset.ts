import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The TAT-QA development split (real annual-report tables with their paragraphs; CC BY 4.0, see
 * `../shared/datasets/tatqa-dev/README.md`), read at run time and never copied into the repository.
 * Only the fields the evaluation uses are parsed.
 */
export const TatqaQuestionSchema = z.object({
  uid: z.string(),
  question: z.string(),
  answer: z.union([z.number(), z.string(), z.array(z.string())]),
  answer_type: z.enum(['arithmetic', 'span', 'multi-span', 'count']),
  scale: z.string(),
  /** How the gold answer was derived ("44.1-56.7"): shown beside failures to diagnose them, never read by the engine. */
  derivation: z.string().optional(),
});
export type TatqaQuestion = z.infer<typeof TatqaQuestionSchema>;

export const TatqaContextSchema = z.object({
  table: z.object({ uid: z.string(), table: z.array(z.array(z.string())) }),
  paragraphs: z.array(z.object({ uid: z.string(), order: z.number(), text: z.string() })),
  questions: z.array(TatqaQuestionSchema),
});
export type TatqaContext = z.infer<typeof TatqaContextSchema>;

export type Split = 'tune' | 'report';

/** Reads the dataset, or returns undefined when the file is absent (a user's clone has no ../shared). */
export function loadTatqa(path: string): TatqaContext[] | undefined {
  if (!existsSync(path)) return undefined;
  return z.array(TatqaContextSchema).parse(JSON.parse(readFileSync(path, 'utf8')));
}

/**
 * A context's half, fixed by a hash of its table uid: the tune half is the one we look at while
 * developing, the report half is only measured. Splitting by context (not by question) keeps every
 * question about one table on the same side.
 */
export function splitOf(contextUid: string): Split {
  return createHash('sha256').update(contextUid).digest()[0]! % 2 === 0 ? 'tune' : 'report';
}
