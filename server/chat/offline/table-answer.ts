import type { KnowledgeStore } from '../../../kb/store.ts';
import { lineItem } from '../../../lib/line-items.ts';
import { stemWords } from '../../cells/find-cells.ts';
import type { PromptLibrary } from '../../prompts.ts';
import type { SearchHit } from '../../retrieval/hybrid-search.ts';
import { fiscalYearFits } from '../../retrieval/table-rerank.ts';
import type { ComputeResult } from '../../tools/definitions/compute.ts';
import { passageWeightFit } from './choose-evidence.ts';
import type { EvidenceLedger } from './evidence-ledger.ts';
import { passageCells, passageTable } from '../../cells/passage-table.ts';
import { renderPrompt } from '../../prompts.ts';
import { answerFromCells, formatCell, periodText, type CellAnswer } from './answer-from-cells.ts';
import { joinList, listFromTable, readListQuestion, thresholdLevel, type TableList } from './table-lists.ts';
import type { QuestionReading } from './read-question.ts';

/**
 * The table path's entry: weighs the question's item words against the knowledge base, then asks
 * the cell stages (answer-from-cells.ts) for an answer computed from the retrieved tables, with
 * every computation run and cited through the answer's ledger.
 */
export interface TableAnswerInput {
  question: string;
  /** Only lists and counts: the question asks for a description, which no single cell gives. */
  listsOnly?: boolean;
  reading: QuestionReading;
  hits: SearchHit[];
  language: 'en' | 'zh';
}

export interface TableAnswer extends CellAnswer {
  /** A list read off a table, or a value or computation from its cells. */
  from: 'list' | 'cells';
}

export async function answerFromTables(
  input: TableAnswerInput,
  deps: { kb: KnowledgeStore; prompts: PromptLibrary; ledger: EvidenceLedger },
): Promise<TableAnswer | undefined> {
  const { reading } = input;
  const { ledger } = deps;
  const itemWords = [
    ...reading.items,
    ...(reading.ratio?.formulas.flatMap((formula) => (formula.formula.match(/[a-z_]+/g) ?? []).map((id) => lineItem(id).names[0]!)) ?? []),
  ].flatMap(stemWords);
  const listed = await answerListFromTables(input, deps);
  if (listed) return { ...listed, from: 'list' };
  if (input.listsOnly) return undefined;
  const weight = await termWeights(deps.kb, itemWords);
  const passageFit = passageWeightFit(input.question, input.hits);
  const answer = await answerFromCells(reading, input.hits, {
    weight,
    prompts: deps.prompts,
    language: input.language,
    compute: async (args) => {
      const run = await ledger.runTool('compute', args);
      return 'error' in run ? run : { result: run.result as ComputeResult, n: run.n };
    },
    citePassage: (hit) => ledger.cite({ kind: 'article', chunk: hit.chunk, article: hit.article, score: hit.score }),
    passagesOf: (articleId) => deps.kb.passagesOf(articleId),
    // A passage weighs as its document's best passage does, and as its labels quote the question;
    // more when the document's metadata fits.
    documentFit: (hit) =>
      passageFit(hit) +
      documentFit(
        input.question,
        reading.periods.map((period) => period.year),
        hit,
      ),
  });
  return answer ? { ...answer, from: 'cells' } : undefined;
}

/**
 * A document whose own metadata names the company (or ticker) the question names, or whose fiscal
 * year fits the years it asks about, is preferred over another that merely holds a similar table.
 */
function documentFit(question: string, years: (number | undefined)[], hit: SearchHit): number {
  const financial = hit.article.financial;
  if (!financial) return 0;
  const lower = question.toLowerCase();
  const names = [financial.company, financial.ticker].filter((name): name is string => Boolean(name && name.length >= 2));
  // The substring test first: a pattern is compiled only for a name the question holds.
  const named = names.some(
    (name) =>
      lower.includes(name.toLowerCase()) &&
      new RegExp(`(?<![\\p{L}\\p{N}])${name.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'u').test(lower),
  );
  const year = fiscalYearFits(
    financial.fiscalYear,
    years.filter((year) => year !== undefined),
  );
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

export const LIST_ANSWER_DEFAULTS = {
  /** Documents, best-ranked first, whose other tables a list may be read from. */
  introducingDocuments: 2,
  /** A table found this way ranks just under the passage that introduced it. */
  introducedScoreShare: 0.9,
};

type TableDeps = { kb: KnowledgeStore; prompts: PromptLibrary; ledger: EvidenceLedger };

/**
 * A list or a count read off one retrieved table (table-lists.ts): the first table, in retrieval
 * order, that holds what the question lists (for the periods meeting a level, the first where some
 * period meets it, if any does). The lead states the list; the figures it was read from follow as
 * details, so the lead holds the answer alone.
 */
async function answerListFromTables(input: TableAnswerInput, deps: TableDeps): Promise<CellAnswer | undefined> {
  const question = readListQuestion(input.question, input.reading);
  if (!question) return undefined;
  const weight = await termWeights(deps.kb, stemWords(question.subject));
  let chosen: { hit: SearchHit; list: TableList } | undefined;
  for (const hit of await withIntroducedTables(input.hits, deps.kb)) {
    const list = listFromTable(question, passageCells(hit.chunk), weight, input.reading, introduction(hit, input.hits));
    if (!list) continue;
    // A question after the periods meeting a level takes for granted that some period does: a
    // table where none does answers only when no later table holds a period that does.
    chosen ??= { hit, list };
    if (!leavesUnmet(list)) {
      chosen = { hit, list };
      break;
    }
  }
  if (chosen) {
    const { hit, list } = chosen;
    let cite = `[${deps.ledger.cite({ kind: 'article', chunk: hit.chunk, article: hit.article, score: hit.score })}]`;
    // The periods meeting a level are a comparison computed by the compute tool, so the level the
    // answer restates is cited as its argument (grounding rejects a figure no cited source holds).
    const threshold = input.reading.threshold;
    if (list.kind === 'periods-meeting' && threshold && list.cells.length > 0) {
      const run = await deps.ledger.runTool('compute', {
        operation: 'count',
        threshold: thresholdLevel(threshold, list.cells),
        direction: threshold.direction,
        inputs: list.cells.map((cell) => ({ name: list.what, value: cell.value!, period: periodText(cell), source: cell.passageId })),
      });
      if (!('error' in run)) cite = `${cite}[${run.n}]`;
    }
    return { ...composeList(list, input.reading, input.language, deps.prompts, cite), hits: [hit] };
  }
  return undefined;
}

/** A list of the periods meeting a level in which no period meets it (pure). */
export function leavesUnmet(list: Pick<TableList, 'kind' | 'items'>): boolean {
  return list.kind === 'periods-meeting' && list.items.length === 0;
}

/** The table's caption and the prose of its document's retrieved passages: what introduces the table. */
function introduction(table: SearchHit, hits: SearchHit[]): string {
  const prose = hits.filter((hit) => hit.article.id === table.article.id && !passageTable(hit.chunk)).map((hit) => hit.chunk.text);
  return [table.chunk.section ?? '', table.chunk.table?.caption ?? '', ...prose].join('\n');
}

/**
 * The retrieved passages, then the other table passages of the best-ranked documents: a paragraph
 * that introduces a table ("allocated as follows:") is often retrieved where the table is not.
 */
async function withIntroducedTables(hits: SearchHit[], kb: KnowledgeStore): Promise<SearchHit[]> {
  const seen = new Set(hits.map((hit) => hit.chunk.id));
  const documents = [...new Map(hits.map((hit) => [hit.article.id, hit])).values()].slice(0, LIST_ANSWER_DEFAULTS.introducingDocuments);
  const expanded = [...hits];
  for (const hit of documents) {
    for (const chunk of await kb.passagesOf(hit.article.id)) {
      if (seen.has(chunk.id) || !passageTable(chunk)) continue;
      seen.add(chunk.id);
      expanded.push({ ...hit, chunk, score: hit.score * LIST_ANSWER_DEFAULTS.introducedScoreShare });
    }
  }
  return expanded;
}

function composeList(list: TableList, reading: QuestionReading, language: 'en' | 'zh', prompts: PromptLibrary, cite: string): Omit<CellAnswer, 'hits'> {
  const zh = language === 'zh';
  const render = (name: string, values: Record<string, string>) => renderPrompt(prompts, `${name}.${language}`, values);
  const items = zh ? list.items.join('、') : joinList(list.items);
  switch (list.kind) {
    case 'periods':
      return { lead: render('cells-list', { what: zh ? '表中数据所属期间' : 'Periods the table covers', list: items, cite }), details: [] };
    case 'members':
      return {
        lead: render('cells-list', { what: list.what === 'the table' ? (zh ? '表中所列项目' : 'Rows the table lists') : list.what, list: items, cite }),
        details: [],
      };
    case 'count':
      return {
        lead: render('cells-count', { count: String(list.items.length), what: list.what, list: list.items.join(zh ? '；' : '; '), cite }),
        details: [],
      };
    case 'periods-meeting': {
      const threshold = reading.threshold!;
      const above = threshold.direction === 'above';
      const direction = zh ? (above ? '高于' : '低于') : above ? 'above' : 'below';
      const none = zh ? '无' : 'none of the periods shown';
      const lead = render('cells-periods-meeting', { item: list.what, direction, level: threshold.text, list: list.items.length > 0 ? items : none, cite });
      const values = list.cells.map((cell) => `${periodText(cell)}: ${formatCell(cell)}`).join(zh ? '；' : '; ');
      return { lead, details: [render('cells-row-values', { item: list.what, values, cite })] };
    }
  }
}
