import { createStemmer, LISTING_WORDS, readTableQuestion, tableVerbatimFit, type RerankCandidate } from '../../retrieval/table-rerank.ts';
import type { Candidate } from './select-sentences.ts';
import type { QuestionReading } from './read-question.ts';

/**
 * Which evidence answers a question over a document, a table cell or a sentence (pure). A table
 * row answers when its label names what the question asks; a sentence answers instead when it
 * repeats clearly more of the question than the row's label and period do: the figure the
 * question wants is then stated in prose ("federal income tax was $36.5 million"), and the row
 * found is only a neighbour ("Federal"). Both are measured with the same question coverage.
 *
 * A question after one figure needs less of a lead for its sentence when something else already
 * speaks for the sentence: retrieval ranked its document above every document the cell answer
 * reads from (the cells stage found a like-named row in a weaker document), or the question asks
 * for a change without naming both periods (reports state such changes in prose).
 */
export const CHOOSE_DEFAULTS = {
  /** How much more of the question (weighted share of its terms) a sentence must repeat than the cell answer. */
  margin: 0.2,
  /** The lead a sentence needs when its document outranks the cell answer's, or a change is asked without its periods. */
  supportedMargin: 0.1,
};

export interface ChooseInput {
  /** Retrieval ranked the sentence's document above every document the cell answer reads from. */
  sentenceOutranks: boolean;
  reading: Pick<QuestionReading, 'operation' | 'periods'>;
  /** The coverage of the cell answer's lead (row label, period and figure). */
  cellCoverage: number;
  /** The best sentence for the question, if any. */
  sentence: Pick<Candidate, 'text' | 'coverage' | 'figures'> | undefined;
}

export function sentenceAnswersBetter(input: ChooseInput, defaults = CHOOSE_DEFAULTS): boolean {
  const { reading, sentence } = input;
  const change = reading.operation === 'change' || reading.operation === 'percent_change';
  const supported = reading.periods.length < 2 && (input.sentenceOutranks || change);
  if (!sentence || sentence.coverage < input.cellCoverage + (supported ? defaults.supportedMargin : defaults.margin)) return false;
  // A table row split out as a sentence is the table's evidence, which the cell answer reads better.
  if (sentence.text.includes('|')) return false;
  if (reading.operation === 'value') return true;
  // A change between two named periods is computed from the table; a change the question names
  // without its periods ("the increase in X") is the one the report states.
  return change && reading.periods.length < 2 && sentence.figures.size > 0;
}

/**
 * The question's terms a cell answer and a sentence are compared on, listing words ("respectively")
 * left out (pure). A cell answer lists each period's figure as a sentence would, but its template
 * cannot repeat the word, so a sentence that happens to say "respectively" would seem to cover more
 * of the question than the row that answers it.
 */
export function comparableTerms<T extends { terms: { term: string }[] }>(analysis: T): T {
  return { ...analysis, terms: analysis.terms.filter(({ term }) => !LISTING_WORDS.test(term)) };
}

/**
 * Whether retrieval ranked one document above every other given one (pure). `ranked` is the
 * retrieval order of passages; a document ranks where its first passage does, and a document
 * retrieval did not return ranks below all.
 */
export function documentOutranks(ranked: { article: { id: string } }[], documentId: string, others: string[]): boolean {
  const rankOf = (id: string) => {
    const index = ranked.findIndex((hit) => hit.article.id === id);
    return index === -1 ? Number.POSITIVE_INFINITY : index;
  };
  const rank = rankOf(documentId);
  return others.length > 0 && others.every((other) => rank < rankOf(other));
}

export const PASSAGE_WEIGHT_DEFAULTS = {
  /** Added to a table passage's weight for the share of the question's words its labels hold as the question words them. */
  verbatim: 0.4,
};

/**
 * What a retrieved passage adds to the weight the cells stage gives its rows (pure): the gap to
 * its document's best passage (`documentStandingGap`), and the share of the question its table's
 * labels repeat word for word. Questions copy the label of the line they mean ("reserves and
 * accruals", "cost of revenue"), while the cells stage matches rows by their words in any order
 * and form, so a table that prints "Accruals and reserves" or "Cost of revenues" ties with the one
 * the question quotes; the retrieval rerank already prefers the quoted one, and so does this.
 */
export function passageWeightFit<T extends { score: number; article: { id: string }; chunk: RerankCandidate['chunk'] }>(
  question: string,
  hits: T[],
  defaults = PASSAGE_WEIGHT_DEFAULTS,
): (hit: T) => number {
  const gap = documentStandingGap(hits);
  const asked = readTableQuestion(question);
  const stemmer = createStemmer();
  const verbatim = new Map<string, number>();
  return (hit) => {
    let fit = verbatim.get(hit.chunk.id);
    if (fit === undefined) {
      fit = tableVerbatimFit(asked, hit.chunk, () => 1, stemmer);
      verbatim.set(hit.chunk.id, fit);
    }
    return gap(hit) + defaults.verbatim * fit;
  };
}

/**
 * How far a passage's own retrieval score falls short of its document's best one, as a share of
 * the top score (pure). The cells stage weighs a row by its passage's score, and a table passage
 * often ranks below a paragraph of its own document that repeats the question's words ("interest
 * expense increased …"): weighed by its own score alone, the table of the document retrieval put
 * first loses to a like-named row of a weaker document. Added to a passage's weight, the gap makes
 * every passage weigh as its document does.
 */
export function documentStandingGap(hits: { score: number; article: { id: string } }[]): (hit: { score: number; article: { id: string } }) => number {
  const top = Math.max(...hits.map((hit) => hit.score), Number.EPSILON);
  const best = new Map<string, number>();
  for (const hit of hits) best.set(hit.article.id, Math.max(best.get(hit.article.id) ?? 0, hit.score));
  return (hit) => Math.max(0, (best.get(hit.article.id) ?? hit.score) - hit.score) / top;
}
