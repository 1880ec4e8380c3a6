import type { Candidate } from './select-sentences.ts';
import type { QuestionReading } from './read-question.ts';

/**
 * Which evidence answers a question over a document, a table cell or a sentence (pure). A table
 * row answers when its label names what the question asks; a sentence answers instead when it
 * repeats clearly more of the question than the row's label and period do: the figure the
 * question wants is then stated in prose ("federal income tax was $36.5 million"), and the row
 * found is only a neighbour ("Federal"). Both are measured with the same question coverage.
 */
export const CHOOSE_DEFAULTS = {
  /** How much more of the question (weighted share of its terms) a sentence must repeat than the cell answer. */
  margin: 0.2,
};

export interface ChooseInput {
  reading: Pick<QuestionReading, 'operation' | 'periods'>;
  /** The coverage of the cell answer's lead (row label, period and figure). */
  cellCoverage: number;
  /** The best sentence for the question, if any. */
  sentence: Pick<Candidate, 'text' | 'coverage' | 'figures'> | undefined;
}

export function sentenceAnswersBetter(input: ChooseInput, defaults = CHOOSE_DEFAULTS): boolean {
  const { reading, sentence } = input;
  if (!sentence || sentence.coverage < input.cellCoverage + defaults.margin) return false;
  // A table row split out as a sentence is the table's evidence, which the cell answer reads better.
  if (sentence.text.includes('|')) return false;
  if (reading.operation === 'value') return true;
  // A change between two named periods is computed from the table; a change the question names
  // without its periods ("the increase in X") is the one the report states.
  const change = reading.operation === 'change' || reading.operation === 'percent_change';
  return change && reading.periods.length < 2 && sentence.figures.size > 0;
}
