import { DOCUMENT_TYPE_PATTERNS, TITLE_FORM_PATTERN } from '../../ingest/parse/financial-vocabulary.ts';
import type { Chunk, DocumentType, FinancialMetadata, TableData } from '../../kb/types.ts';
import { stemWords, withoutFootnoteMarks } from '../cells/find-cells.ts';
import { parseCellValue } from '../cells/parse-value.ts';
import { passageTable } from '../cells/passage-table.ts';
import { readTableCells } from '../cells/read-table.ts';
import { isPrinted, type Cell } from '../cells/types.ts';
import { maskIndexNames } from './periods.ts';

/**
 * Table-aware reranking (pure). Annual reports share their row captions ("Total", "Other",
 * "Revenue"), so a question's words find dozens of similar tables; the one it is about is the one
 * whose row labels name the question's line item as a phrase, whose cells are named by the
 * question's words (row and column together) for the periods it asks, whose columns name its periods,
 * whose cells hold the figures it quotes, and whose document's metadata names its company, year
 * or document type. Prose passages are read the same way, sentence by sentence, so the paragraph
 * that answers is not outranked by a table sharing a word with the question. Each candidate's fused
 * score is multiplied by the lift those signals earn, and a document's best fit lifts its other
 * passages (the paragraphs around a table explain it). Tunables chosen on the TUNE half of
 * `npm run eval:documents` and `npm run eval:document-retrieval`.
 */
export const TABLE_RERANK_DEFAULTS = {
  /** How many of the best fused candidates are reranked; the rest keep their order below them. */
  pool: 40,
  /** Weight of how well the best figure is named: a table cell by its row and column, prose by a sentence (squared: most of the question must be named). */
  label: 0.6,
  /** Weight of the share of the question's words some label of the table holds (squared too). */
  coverage: 0.4,
  /** A label the question names as a whole phrase counts this much more. */
  phraseBoost: 0.25,
  /** Share of the item fit that depends on the passage naming the question's years. */
  period: 0.3,
  /** Weight of the share of the question's words held by labels it repeats word for word. */
  verbatim: 0.6,
  /** Weight of the share of the question's quoted figures the passage holds. */
  figure: 0.5,
  /** Weight of the document's metadata naming the question's company, year or document type. */
  metadata: 0.5,
  /**
   * Share of a table cell's fit that depends on its row holding values for the question's years
   * (a row without them cannot answer, however well it is named).
   */
  cellPeriod: 0.5,
  /** Share of a document's best fit that its other passages receive. */
  document: 0.6,
  /** A candidate's score is multiplied by 1 + strength × its lift (then all rescaled to the same top score). */
  strength: 6,
};

/** What the reranker reads from a question: its line-item words, years, quoted figures and names. */
export interface TableQuestion {
  /** Stemmed content words, question filler removed, in order. */
  words: string[];
  years: number[];
  /** Figures the question quotes (not years), as numbers. */
  figures: number[];
  /** The question as written, for names of companies and document types. */
  text: string;
}

export interface RerankCandidate {
  chunk: Pick<Chunk, 'id' | 'articleId' | 'text' | 'table' | 'section'>;
  article: { id: string; financial?: FinancialMetadata | undefined };
  score: number;
}

/** How a passage fits the question, each signal in [0, 1]. */
export interface TableFit {
  /** The best single label (row, column or caption) of a table, or the best sentence of prose. */
  label: number;
  /**
   * The best figure's name: for a table, the best cell's row and column read together, weighed by
   * the asked periods its row holds; for prose, the best sentence (as `label`).
   */
  cell: number;
  coverage: number;
  period: number;
  figure: number;
  /**
   * The weighted share of the question's words that sit inside a label of the table the question
   * repeats word for word (unstemmed, footnote marks and parentheticals aside): questions copy the
   * label of the line they mean ("cost of revenues", not "cost of revenue").
   */
  verbatim: number;
}

const YEAR = /\b(?:19[5-9]\d|20\d{2})\b/g;

/** Stemmed content words of a text, numbers left out. */
export type Stemmer = (text: string) => string[];

/**
 * The cell lookup's stemming (`stemWords`), one word at a time with each word's stem remembered:
 * a rerank reads tens of passages that repeat the same words, and stemming is most of its cost.
 */
export function createStemmer(): Stemmer {
  const stems = new Map<string, string | null>();
  return (text) => {
    const words: string[] = [];
    for (const word of text.toLowerCase().match(/[a-z0-9&’‘']+/g) ?? []) {
      let stemmed = stems.get(word);
      if (stemmed === undefined) {
        stemmed = stemWords(word).find((part) => !/^\d/.test(part)) ?? null;
        stems.set(word, stemmed);
      }
      if (stemmed !== null) words.push(stemmed);
    }
    return words;
  };
}

/**
 * Words by which a question says how to list its answer ("in 2019 and 2018 respectively", "the
 * respective revenues"), not what to find: no label or sentence that answers need repeat them.
 */
export const LISTING_WORDS = /^respective(?:ly)?$/;

export function readTableQuestion(question: string): TableQuestion {
  // "Russell 2000" names an index, not the year 2000 nor a quoted figure.
  const dated = maskIndexNames(question);
  const years = [...new Set([...dated.matchAll(YEAR)].map((match) => Number(match[0])))];
  const figures = [...dated.replace(YEAR, ' ').matchAll(/[-(]?[$€£¥]?\s?\d[\d,]*(?:\.\d+)?\s?%?\)?/g)]
    .map((match) => parseCellValue(match[0].trim()))
    .filter((value): value is NonNullable<typeof value> => value !== undefined && Math.abs(value.value) >= 10)
    .map((value) => Math.abs(value.value));
  const words = createStemmer()(question).filter((word) => !LISTING_WORDS.test(word));
  return { words, years, figures: [...new Set(figures)], text: question };
}

/**
 * How well a passage's table fits the question (all zero for prose, except quoted figures, which
 * prose can state too). `weight` is how telling a stemmed word is (inverse document frequency).
 */
export function scoreTableFit(
  question: TableQuestion,
  chunk: RerankCandidate['chunk'],
  weight: (word: string) => number,
  tuning = TABLE_RERANK_DEFAULTS,
  stemmer = createStemmer(),
): TableFit {
  const figure = figureFit(question.figures, chunk);
  const table = passageTable(chunk);
  if (!table) {
    const prose = proseFit(question, chunk.text, weight, stemmer);
    return {
      ...prose,
      cell: prose.label,
      period: periodFit(question.years, new Set([...chunk.text.matchAll(YEAR)].map((match) => Number(match[0])))),
      figure,
      verbatim: 0,
    };
  }
  const labels: string[][] = [];
  const texts: string[] = [];
  const years = new Set<number>();
  for (const [rowIndex, row] of table.rows.entries()) {
    for (const [columnIndex, cell] of row.entries()) {
      const text = cell.trim();
      if (!text) continue;
      const value = parseCellValue(text);
      // Header rows and the label column hold the periods; a year-like figure in the body is a value.
      if (rowIndex < Math.max(1, table.headerRows) || columnIndex === 0 || value === undefined)
        for (const match of text.matchAll(YEAR)) years.add(Number(match[0]));
      if (value === undefined) {
        const words = stemmer(text);
        if (words.length > 0) {
          labels.push(words);
          texts.push(text);
        }
      }
    }
  }
  if (table.caption) labels.push(stemmer(table.caption));
  const asked = [...new Set(question.words)];
  const total = asked.reduce((sum, word) => sum + weight(word), 0);
  let label = 0;
  const held = new Set<string>();
  if (total > 0) {
    for (const words of labels) {
      const own = new Set(words);
      const shared = asked.filter((word) => own.has(word));
      if (shared.length === 0) continue;
      for (const word of shared) held.add(word);
      const covered = shared.reduce((sum, word) => sum + weight(word), 0) / total;
      const precise = shared.length / own.size;
      const phrase = own.size >= 2 && containsPhrase(question.words, words) ? 1 + tuning.phraseBoost : 1;
      label = Math.max(label, Math.min(1, covered * (0.5 + 0.5 * precise) * phrase));
    }
  }
  const coverage = total > 0 ? [...held].reduce((sum, word) => sum + weight(word), 0) / total : 0;
  const cell = cellFit(question, chunk.id, table, weight, stemmer, tuning);
  return { label, cell, coverage, period: periodFit(question.years, years), figure, verbatim: verbatimFit(question, texts, weight, stemmer) };
}

/** Words as written, case kept (no stemming, no filler removed), footnote marks dropped. */
function writtenWords(text: string): string[] {
  return (
    withoutFootnoteMarks(text)
      .replace(/[’‘]/g, "'")
      .match(/[a-z0-9&]+(?:'[a-z]+)?/gi) ?? []
  );
}

/**
 * Whether the question quotes the label: the label's words stand in the question in order, next to
 * each other, and every word the question capitalises inside its sentence is capitalised in the
 * label too. A question that writes "Total Revenue" copies a table that prints it so; one that
 * writes "total revenue" may quote either printing.
 */
export function quotesLabel(question: string[], label: string[]): boolean {
  if (label.length === 0) return false;
  const lower = label.map((word) => word.toLowerCase());
  for (let start = 0; start + label.length <= question.length; start++) {
    const same = lower.every((word, offset) => question[start + offset]!.toLowerCase() === word);
    if (same && label.every((word, offset) => start + offset === 0 || !startsUpper(question[start + offset]!) || startsUpper(word))) return true;
  }
  return false;
}

function startsUpper(word: string): boolean {
  return /^[A-Z]/.test(word);
}

/**
 * `TableFit.verbatim` of a passage's table alone (0 for prose): the share of the question's words
 * held by labels of the table the question repeats word for word.
 */
export function tableVerbatimFit(
  question: TableQuestion,
  chunk: RerankCandidate['chunk'],
  weight: (word: string) => number,
  stemmer = createStemmer(),
): number {
  const table = passageTable(chunk);
  if (!table) return 0;
  const labels = table.rows.flatMap((row) => row.map((cell) => cell.trim()).filter((text) => text && parseCellValue(text) === undefined));
  if (table.caption) labels.push(table.caption);
  return verbatimFit(question, labels, weight, stemmer);
}

/** See `TableFit.verbatim`. */
export function verbatimFit(question: TableQuestion, labels: string[], weight: (word: string) => number, stemmer: Stemmer): number {
  const asked = [...new Set(question.words)];
  const total = asked.reduce((sum, word) => sum + weight(word), 0);
  if (total === 0) return 0;
  const said = writtenWords(question.text);
  const held = new Set<string>();
  for (const label of labels) {
    for (const form of new Set([label, label.replace(/\([^()]*(?:\([^()]*\)[^()]*)*\)/g, ' ')])) {
      if (!quotesLabel(said, writtenWords(form))) continue;
      for (const word of stemmer(form)) held.add(word);
    }
  }
  return asked.reduce((sum, word) => sum + (held.has(word) ? weight(word) : 0), 0) / total;
}

/**
 * How well the best cell of a table is named by the question. A question names a figure by its
 * row (under its parent rows) and its column together ("current" receivables, revenue from the
 * "UK"), so a cell's words are its row's and its column's. The row must not say much more than
 * asked (its extra words count against it, as for labels); the column may (headers also name
 * periods, units and scales). A row fits as well as it holds values for the years asked.
 */
function cellFit(
  question: TableQuestion,
  passageId: string,
  table: TableData,
  weight: (word: string) => number,
  stemmer: Stemmer,
  tuning: typeof TABLE_RERANK_DEFAULTS,
): number {
  const asked = [...new Set(question.words)];
  const total = asked.reduce((sum, word) => sum + weight(word), 0);
  if (total === 0) return 0;
  const rows = new Map<number, Cell[]>();
  for (const cell of readTableCells(table, passageId)) {
    // A dash reads as nil, not as a figure the table holds for that period.
    if (!isPrinted(cell)) continue;
    const row = rows.get(cell.rowIndex);
    if (row) row.push(cell);
    else rows.set(cell.rowIndex, [cell]);
  }
  const columnWords = new Map<string, Set<string>>();
  let best = 0;
  for (const cells of rows.values()) {
    const rowWords = new Set(stemmer([...cells[0]!.path, cells[0]!.label].join(' ')));
    if (rowWords.size === 0) continue;
    const precise = asked.filter((word) => rowWords.has(word)).length / rowWords.size;
    let named = 0;
    for (const cell of cells) {
      let column = columnWords.get(cell.column);
      if (!column) {
        column = new Set(stemmer(cell.column));
        columnWords.set(cell.column, column);
      }
      const covered = asked.reduce((sum, word) => sum + (rowWords.has(word) || column.has(word) ? weight(word) : 0), 0) / total;
      named = Math.max(named, covered * (0.5 + 0.5 * precise));
    }
    const years = new Set(cells.flatMap((cell) => (cell.period?.year === undefined ? [] : [cell.period.year])));
    const period = question.years.length > 0 ? periodFit(question.years, years) : 1;
    best = Math.max(best, named * (1 - tuning.cellPeriod + tuning.cellPeriod * period));
  }
  return best;
}

function periodFit(asked: number[], held: Set<number>): number {
  return asked.length > 0 ? asked.filter((year) => held.has(year)).length / asked.length : 0;
}

/**
 * A prose passage fits as well as its best sentence covers the question's words (a sentence that
 * answers restates them), so a table that shares a few words with the question does not outrank
 * the paragraph that answers it.
 */
function proseFit(question: TableQuestion, text: string, weight: (word: string) => number, stemmer: Stemmer): Pick<TableFit, 'label' | 'coverage'> {
  const asked = [...new Set(question.words)];
  const total = asked.reduce((sum, word) => sum + weight(word), 0);
  if (total === 0) return { label: 0, coverage: 0 };
  const share = (words: Set<string>) => asked.reduce((sum, word) => sum + (words.has(word) ? weight(word) : 0), 0) / total;
  let label = 0;
  const all = new Set<string>();
  for (const sentence of text.split(/(?<=[.!?;:])\s+|\n+/)) {
    const words = new Set(stemmer(sentence));
    for (const word of words) all.add(word);
    label = Math.max(label, share(words));
  }
  return { label, coverage: share(all) };
}

/** The share of the question's quoted figures a passage's cells or text hold (1% tolerance for rounding). */
function figureFit(figures: number[], chunk: RerankCandidate['chunk']): number {
  if (figures.length === 0) return 0;
  const held: number[] = [];
  for (const match of chunk.text.matchAll(/\d[\d,]*(?:\.\d+)?/g)) held.push(Number(match[0].replace(/,/g, '')));
  const found = figures.filter((figure) => held.some((value) => Math.abs(value - figure) <= Math.max(0.005, Math.abs(figure) * 0.001)));
  return found.length / figures.length;
}

/** Whether the label's words appear in the question in the same order, next to each other. */
function containsPhrase(question: string[], label: string[]): boolean {
  for (let start = 0; start + label.length <= question.length; start++) {
    if (label.every((word, offset) => question[start + offset] === word)) return true;
  }
  return false;
}

/**
 * How the document's own metadata fits the question, in [0, 1]: it names the company (or ticker)
 * the question names, the fiscal year it asks about, or the kind of document it asks for.
 */
export function scoreMetadataFit(question: TableQuestion, financial: FinancialMetadata | undefined): number {
  if (!financial) return 0;
  const lower = question.text.toLowerCase();
  const names = [financial.company, financial.ticker].filter((name): name is string => Boolean(name && name.length >= 2));
  // The substring test first: compiling a pattern for every hit was most of this function's time.
  const named = names.some(
    (name) => lower.includes(name.toLowerCase()) && new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(name.toLowerCase())}(?![\\p{L}\\p{N}])`, 'u').test(lower),
  );
  const year = fiscalYearFits(financial.fiscalYear, question.years);
  const asked = askedDocumentType(question.text);
  const type = asked !== undefined && financial.documentType === asked;
  return Math.min(1, (named ? 0.6 : 0) + (year ? 0.25 : 0) + (type ? 0.15 : 0));
}

/**
 * Whether a document's fiscal year fits the years a question asks about: it is one of them, or the
 * document states none. A report that states no fiscal year (most extracts do not) is not less
 * likely to hold the years asked than one that states them; only a document known to be about
 * another year is (a 10-K for 2017 beside the one for 2019).
 */
export function fiscalYearFits(fiscalYear: number | undefined, askedYears: readonly number[]): boolean {
  return askedYears.length > 0 && (fiscalYear === undefined || askedYears.includes(fiscalYear));
}

/** The kind of document a question asks for, in the words documents use to name themselves. */
function askedDocumentType(question: string): DocumentType | undefined {
  const form = TITLE_FORM_PATTERN.exec(question)?.[1];
  if (form) return form.toUpperCase() as DocumentType;
  return DOCUMENT_TYPE_PATTERNS.find((entry) => !entry.opening && !/form/.test(entry.pattern.source) && entry.pattern.test(question))?.type;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Reranks the best `pool` candidates (already in fused-score order) by their table and document
 * fit: each score is multiplied by 1 + strength × lift, then all are rescaled so the best keeps the
 * top fused score (a fit is a reason to reorder, not new evidence of relevance). Pure.
 */
export function rerankByTables<T extends RerankCandidate>(
  question: TableQuestion,
  candidates: T[],
  weight: (word: string) => number,
  tuning = TABLE_RERANK_DEFAULTS,
): T[] {
  const pool = candidates.slice(0, tuning.pool);
  // Without words to look for in labels (a question of names only, or one in Chinese, which the
  // English stemmer does not read), years alone would reorder every passage that mentions them.
  if (pool.length < 2 || question.words.length === 0) return candidates;
  // A pool of prose alone (news, notes) keeps the fused order, which was tuned for prose; the
  // signals here earn their place where similar tables compete.
  if (!pool.some((candidate) => passageTable(candidate.chunk) !== undefined)) return candidates;
  const stemmer = createStemmer();
  const own = pool.map((candidate) => {
    const fit = scoreTableFit(question, candidate.chunk, weight, tuning, stemmer);
    // A table is named by its best cell (row and column together); prose by its best sentence.
    const item = tuning.label * fit.cell ** 2 + tuning.coverage * fit.coverage ** 2;
    const period = question.years.length > 0 ? 1 - tuning.period + tuning.period * fit.period : 1;
    return (item + tuning.verbatim * fit.verbatim) * period + tuning.figure * fit.figure;
  });
  const bestOfDocument = new Map<string, number>();
  for (const [index, candidate] of pool.entries()) {
    bestOfDocument.set(candidate.article.id, Math.max(bestOfDocument.get(candidate.article.id) ?? 0, own[index]!));
  }
  const metadata = new Map<string, number>();
  const boosted = pool.map((candidate, index) => {
    if (!metadata.has(candidate.article.id)) metadata.set(candidate.article.id, scoreMetadataFit(question, candidate.article.financial));
    const lift =
      Math.max(own[index]!, tuning.document * (bestOfDocument.get(candidate.article.id) ?? 0)) + tuning.metadata * metadata.get(candidate.article.id)!;
    return candidate.score * (1 + tuning.strength * lift);
  });
  // Rescaled so the best candidate keeps the top fused score: scores stay comparable across
  // queries (callers threshold them), and a passage that earns no lift only loses rank.
  const top = Math.max(...pool.map((candidate) => candidate.score));
  const scale = top / Math.max(...boosted, Number.EPSILON);
  const lifted = pool.map((candidate, index) => ({ ...candidate, score: boosted[index]! * scale }));
  lifted.sort((a, b) => b.score - a.score || a.chunk.id.localeCompare(b.chunk.id));
  return [...lifted, ...candidates.slice(tuning.pool)];
}
