import type { KnowledgeStore } from '../../../kb/store.ts';
import { lineItem } from '../../../lib/line-items.ts';
import { stemWords } from '../../cells/find-cells.ts';
import type { PromptLibrary } from '../../prompts.ts';
import type { SearchHit } from '../../retrieval/hybrid-search.ts';
import type { ComputeResult } from '../../tools/definitions/compute.ts';
import type { EvidenceLedger } from './evidence-ledger.ts';
import { answerFromCells, type CellAnswer } from './answer-from-cells.ts';
import type { QuestionReading } from './read-question.ts';

/**
 * The table path's entry: weighs the question's item words against the knowledge base, then asks
 * the cell stages (answer-from-cells.ts) for an answer computed from the retrieved tables, with
 * every computation run and cited through the answer's ledger.
 */
export interface TableAnswerInput {
  question: string;
  reading: QuestionReading;
  hits: SearchHit[];
  language: 'en' | 'zh';
}

export async function answerFromTables(
  input: TableAnswerInput,
  deps: { kb: KnowledgeStore; prompts: PromptLibrary; ledger: EvidenceLedger },
): Promise<CellAnswer | undefined> {
  const { reading } = input;
  const { ledger } = deps;
  const itemWords = [
    ...reading.items,
    ...(reading.ratio?.formulas.flatMap((formula) => (formula.formula.match(/[a-z_]+/g) ?? []).map((id) => lineItem(id).names[0]!)) ?? []),
  ].flatMap(stemWords);
  const weight = await termWeights(deps.kb, itemWords);
  return answerFromCells(reading, input.hits, {
    weight,
    prompts: deps.prompts,
    language: input.language,
    compute: async (args) => {
      const run = await ledger.runTool('compute', args);
      return 'error' in run ? run : { result: run.result as ComputeResult, n: run.n };
    },
    citePassage: (hit) => ledger.cite({ kind: 'article', chunk: hit.chunk, article: hit.article, score: hit.score }),
    documentFit: (hit) =>
      documentFit(
        input.question,
        reading.periods.map((period) => period.year),
        hit,
      ),
  });
}

/**
 * A document whose own metadata names the company (or ticker) the question names, or the fiscal
 * year it asks about, is preferred over another that merely holds a similar table.
 */
function documentFit(question: string, years: (number | undefined)[], hit: SearchHit): number {
  const financial = hit.article.financial;
  if (!financial) return 0;
  const lower = question.toLowerCase();
  const names = [financial.company, financial.ticker].filter((name): name is string => Boolean(name && name.length >= 2));
  const named = names.some((name) =>
    new RegExp(`(?<![\\p{L}\\p{N}])${name.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'u').test(lower),
  );
  const year = financial.fiscalYear !== undefined && years.includes(financial.fiscalYear);
  return (named ? 0.5 : 0) + (year ? 0.2 : 0);
}

/**
 * How telling each of the question's item words is (inverse document frequency over the passages),
 * read in one batch so the knowledge base is asked once per question. A stemmed word counts the
 * passages holding it or its plural.
 */
async function termWeights(kb: KnowledgeStore, words: string[]): Promise<(word: string) => number> {
  const unique = [...new Set(words)];
  const statistics = await kb.termStatistics(unique.flatMap((word) => [word, `${word}s`, `${word}es`]));
  const passages = Math.max(1, statistics.passages);
  const frequencyOf = (term: string) => statistics.documentFrequency.get(term) ?? 0;
  const weights = new Map<string, number>();
  for (const word of unique) {
    const frequency = Math.max(frequencyOf(word), frequencyOf(`${word}s`), frequencyOf(`${word}es`));
    weights.set(word, Math.log(1 + (passages - frequency + 0.5) / (frequency + 0.5)));
  }
  return (word) => weights.get(word) ?? 1;
}
