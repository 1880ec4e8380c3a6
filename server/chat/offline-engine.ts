import type { KnowledgeStore } from '../../kb/store.ts';
import { inverseDocumentFrequency } from '../../kb/term-statistics.ts';
import { isStopword, tokenize } from '../../kb/tokenize.ts';
import { EXPLANATION_HEADING, EXPLANATION_LANGUAGE, GENERIC_CAPITALISED, QUESTION_FILLER, RISK_HEADING, RISK_LANGUAGE } from '../../lib/financial-questions.ts';
import { findLineItems, lineItem } from '../../lib/line-items.ts';
import type { Embedder } from '../../ingest/embed/embedder.ts';
import { splitSentences } from '../../ingest/sentences.ts';
import { isInstructionLike } from '../../lib/instruction-sentences.ts';
import { isAppError } from '../../lib/errors.ts';
import { describeArticleSource } from '../../lib/samples.ts';
import { cosine, jaccard } from '../../lib/similarity.ts';
import { renderPrompt, type PromptLibrary } from '../prompts.ts';
import { searchKnowledgeBase, SEARCH_DEFAULTS, type SearchHit } from '../retrieval/hybrid-search.ts';
import { analyzeQuery, findNamedArticles, type QueryAnalysis } from '../retrieval/query-understanding.ts';
import type { ToolRegistry } from '../tools/registry.ts';
import { pluralize } from '../tools/format.ts';
import type { ToolContext, ToolResult } from '../tools/types.ts';
import { extractFigures } from './figures.ts';
import { readIntent, type Intent } from './offline/intent.ts';
import { answerFromCells } from './offline/answer-from-cells.ts';
import { readQuestion } from './offline/read-question.ts';
import { stemWords } from '../cells/find-cells.ts';
import type { ComputeResult } from '../tools/definitions/compute.ts';
import { pickCommonPairs, readMultiples, type StatedMultiple } from '../research/multiples.ts';
import type { AnswerEngine, EngineDraft, EngineInput, Source, ToolCallRecord, TurnContext } from './types.ts';

/**
 * The offline engine: extractive and deterministic. It reads the question's intent, runs the tools
 * it needs, picks the most relevant sentences (not whole passages) across the retrieved articles,
 * drops repeats, and writes a short answer that leads with the direct answer, every sentence cited.
 */
export const OFFLINE_DEFAULTS = {
  k: 8,
  /** Supporting sentences after a computed answer, and for explanation or risk questions. */
  supportingSentences: 2,
  listSentences: 5,
  generalSentences: 4,
  /** Sentences more alike than this (word overlap) count as the same fact. */
  redundancy: 0.5,
  /** At most this many sentences from one article in an answer. */
  perArticle: 2,
  minWords: 7,
  maxWords: 80,
};

export interface OfflineEngineDeps {
  kb: KnowledgeStore;
  embedder: Embedder;
  registry: ToolRegistry;
  toolContext: () => Omit<ToolContext, 'signal'>;
  prompts: PromptLibrary;
}

interface Candidate {
  text: string;
  hit: SearchHit;
  score: number;
  words: Set<string>;
  figures: Set<number>;
}

export function createOfflineEngine(deps: OfflineEngineDeps): AnswerEngine {
  return {
    mode: 'offline',
    async answer(input: EngineInput): Promise<EngineDraft> {
      const previous = input.history.at(-1)?.context;
      const analysis = analyzeQuery(input.question, input.today);
      const intent = readIntent(input.question, analysis, previous);
      // A question that quotes or names an article's title is about that article.
      const named = findNamedArticles(input.question, await deps.kb.articleTitles());
      const filters = input.filters ?? (named.articleIds.length > 0 ? { articleIds: named.articleIds } : undefined);
      const search = await searchKnowledgeBase(deps.kb, deps.embedder, {
        query: intent.searchQuery,
        // Explanations and risks gather points from more passages than a single figure does.
        k: intent.explain || intent.risks ? OFFLINE_DEFAULTS.k + 4 : OFFLINE_DEFAULTS.k,
        today: input.today,
        signal: input.signal,
        extraTerms: intent.cueWords,
        ...(filters ? { filters } : {}),
      });
      // A "why" or "what are the risks" question is also searched as its subject plus the words
      // explanations are written with: the question's own verb ("outperforming") otherwise pulls in
      // passages that merely repeat it.
      if ((intent.explain || intent.risks) && search.relevance !== 'none') {
        const subject = analysis.entities.map((entity) => entity.name).join(' ') || intent.searchQuery;
        const reworded = await searchKnowledgeBase(deps.kb, deps.embedder, {
          query: `${subject} ${intent.cueWords.join(' ')}`,
          k: OFFLINE_DEFAULTS.k,
          today: input.today,
          signal: input.signal,
          ...(filters ? { filters } : {}),
        });
        const seen = new Set(search.hits.map((hit) => hit.chunk.id));
        for (const hit of reworded.hits) if (!seen.has(hit.chunk.id) && hit.score >= SEARCH_DEFAULTS.noneThreshold) search.hits.push(hit);
      }
      // The top hit decides whether anything is relevant; below it, BM25 reordering lowers scores,
      // so supporting passages need only a share of the threshold.
      const missing = named.articleIds.length + named.mentionedIds.length > 0 ? [] : await missingNames(input.question, analysis, deps.kb);
      const relevant = search.relevance === 'none' ? [] : search.hits.filter((hit) => hit.score >= 0.6 * SEARCH_DEFAULTS.noneThreshold);
      // Questions over documents' tables: read the question, then also search by its line items
      // (with their other captions: "COGS" finds "Cost of sales") and periods. A computation's words
      // ("percentage change") pull in prose about changes; the items find the table with the inputs.
      const reading = readQuestion(input.question);
      const marketQuestion = intent.symbols.length > 0 && intent.metrics.length > 0;
      const itemQuery = marketQuestion ? '' : focusedQuery(reading);
      if (itemQuery) {
        const focused = await searchKnowledgeBase(deps.kb, deps.embedder, {
          query: itemQuery,
          k: OFFLINE_DEFAULTS.k,
          today: input.today,
          signal: input.signal,
          ...(filters ? { filters } : {}),
        });
        const seen = new Set(relevant.map((hit) => hit.chunk.id));
        if (focused.relevance !== 'none') {
          for (const hit of focused.hits) if (!seen.has(hit.chunk.id) && hit.score >= 0.6 * SEARCH_DEFAULTS.noneThreshold) relevant.push(hit);
        }
      }
      input.emit({
        type: 'retrieval',
        sources: relevant.map((hit) => ({ chunkId: hit.chunk.id, articleId: hit.article.id, title: hit.article.title, score: round(hit.score) })),
      });

      const sources: Source[] = [];
      const toolCalls: ToolCallRecord[] = [];
      const cite = (source: Source): number => {
        const existing = sources.findIndex((candidate) => sameSource(candidate, source));
        if (existing >= 0) return existing;
        sources.push(source);
        return sources.length - 1;
      };
      const runTool = async (name: string, args: Record<string, unknown>): Promise<{ result: ToolResult; n: number } | { error: string }> => {
        input.signal.throwIfAborted();
        try {
          const result = await deps.registry.run(name, args, { ...deps.toolContext(), signal: input.signal });
          toolCalls.push({ name, arguments: args, result });
          input.emit({ type: 'tool', name, arguments: args, result });
          return { result, n: cite({ kind: 'data', tool: name, arguments: args, result }) };
        } catch (error) {
          if (input.signal.aborted) throw error;
          const message = isAppError(error) ? error.message : 'the computation failed';
          toolCalls.push({ name, arguments: args, result: null, error: { code: isAppError(error) ? error.code : 'internal', message } });
          return { error: message };
        }
      };

      if (!marketQuestion && relevant.length > 0) {
        const itemWords = [
          ...reading.items,
          ...(reading.ratio?.formulas.flatMap((formula) => (formula.formula.match(/[a-z_]+/g) ?? []).map((id) => lineItem(id).names[0]!)) ?? []),
        ].flatMap(stemWords);
        const weight = await termWeights(deps.kb, itemWords);
        const cellAnswer = await answerFromCells(reading, relevant, {
          weight,
          prompts: deps.prompts,
          language: input.language,
          compute: async (args) => {
            const run = await runTool('compute', args);
            return 'error' in run ? run : { result: run.result as ComputeResult, n: run.n };
          },
          citePassage: (hit) => cite({ kind: 'article', chunk: hit.chunk, article: hit.article, score: hit.score }),
          documentFit: (hit) =>
            documentFit(
              input.question,
              reading.periods.map((period) => period.year),
              hit,
            ),
        });
        if (cellAnswer) {
          const context: TurnContext = { symbols: [], entityIds: analysis.entities.map((entity) => entity.id), topic: intent.searchQuery };
          // A name the documents never mention is said, not silently swapped for what was found.
          const titles = [...new Set(cellAnswer.hits.map((hit) => hit.article.title))].join('; ');
          const note = missing.length > 0 ? [renderPrompt(deps.prompts, `cells-unnamed.${input.language}`, { names: missing.join(', '), titles })] : [];
          return { text: [cellAnswer.lead, ...cellAnswer.details, ...note].join('\n\n'), sources, toolCalls, relevance: search.relevance, context };
        }
      }
      // Outside the table path, a question about a name no document mentions gets a plain "not found".
      if (missing.length > 0) relevant.splice(0);

      const held = await inspectSeries(deps, intent.symbols, input.signal);
      const lead = await computeLead(clampToData(intent, held.latest), input, runTool, held.withOpen);
      const articleSentences = relevant.length > 0 ? await selectSentences(deps, intent, analysis, relevant, lead.length > 0, input.signal) : [];

      // Valuation questions: the multiples the articles state, and the premium computed from them.
      if (intent.metrics.includes('valuation') && articleSentences.length + relevant.length > 0) {
        lead.push(...(await valuationLead(analysis, relevant, runTool, cite)));
      }

      const zh = input.language === 'zh';
      const context: TurnContext = {
        symbols: intent.symbols,
        entityIds: analysis.entities.map((entity) => entity.id),
        ...(intent.period ? { period: intent.period } : {}),
        ...(intent.asOf ? { asOf: intent.asOf } : {}),
        topic: intent.searchQuery,
      };

      if (lead.length === 0 && articleSentences.length === 0) {
        const topic = missing.join(', ') || analysis.entities.map((entity) => entity.name).join(', ') || input.question.slice(0, 120);
        return { text: renderPrompt(deps.prompts, zh ? 'no-answer.zh' : 'no-answer.en', { topic }), sources, toolCalls, relevance: search.relevance, context };
      }

      const parts: string[] = [];
      if (lead.length > 0) parts.push((zh ? '**计算结果**\n\n' : '') + lead.join(' '));
      // The day's own coverage: an article published on the date asked about, or the day or two after.
      const anchor = intent.asOf ?? intent.period?.to;
      const headline =
        anchor && lead.length > 0
          ? relevant.find((hit) => hit.article.published !== undefined && hit.article.published >= anchor && hit.article.published <= shiftDate(anchor, 3))
          : undefined;
      if (headline) {
        articleSentences.unshift({
          text: `${headline.article.title} (${describeArticleSource(headline.article) ?? 'your article'}, ${headline.article.published})`,
          hit: headline,
          score: 1,
          words: new Set(),
          figures: new Set(),
        });
        articleSentences.splice(OFFLINE_DEFAULTS.supportingSentences + 1);
      }
      if (articleSentences.length > 0) {
        const cited = articleSentences.map((candidate) =>
          withMarker(
            cleanSentence(candidate.text),
            cite({ kind: 'article', chunk: candidate.hit.chunk, article: candidate.hit.article, score: candidate.hit.score }),
          ),
        );
        const heading = zh
          ? '**文章要点**（英文原文）'
          : lead.length > 0
            ? '**What your articles say**'
            : intent.risks
              ? '**Risks your articles flag**'
              : intent.explain
                ? '**Drivers your articles point to**'
                : '';
        if (lead.length === 0 && !intent.risks && !intent.explain && !zh) {
          // A general question: the best sentence answers it; the rest support it.
          parts.push(
            cited[0]!,
            ...(cited.length > 1
              ? [
                  cited
                    .slice(1)
                    .map((line) => `- ${line}`)
                    .join('\n'),
                ]
              : []),
          );
        } else {
          parts.push([heading, cited.map((line) => `- ${line}`).join('\n')].filter(Boolean).join('\n\n'));
        }
      }
      return { text: parts.join('\n\n'), sources, toolCalls, relevance: search.relevance, context };
    },
  };
}

const MONTH_AND_DAY =
  /^(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|monday|tuesday|wednesday|thursday|friday|saturday|sunday|q[1-4]|h[12]|fy?\d*)$/i;

/**
 * Names the question is about that the knowledge base never mentions ("Tesla" in a corpus without
 * it): a run of capitalised words (not the question's first word, not a generic financial term,
 * not a line item) none of whose words is in any passage, title, heading or document metadata.
 * One absent word never makes a name absent when its other words are present.
 */
async function missingNames(question: string, analysis: QueryAnalysis, kb: KnowledgeStore): Promise<string[]> {
  const known = new Set(analysis.entities.map((entity) => entity.matched.toLowerCase()));
  const generic = (word: string) => {
    const lower = word.toLowerCase().replace(/['’]s$/, '');
    return (
      GENERIC_CAPITALISED.has(lower) ||
      QUESTION_FILLER.has(lower) ||
      isStopword(lower) ||
      MONTH_AND_DAY.test(lower) ||
      lower.length < 3 ||
      findLineItems(lower).length > 0
    );
  };
  const names: string[] = [];
  for (const match of question.matchAll(/\b[A-Z][A-Za-z&.'’-]*[A-Za-z](?:\s+(?:of\s+|&\s+)?[A-Z][A-Za-z&.'’-]*[A-Za-z])*/g)) {
    const words = match[0].split(/\s+/).filter((word) => !generic(word) && !/^of$/i.test(word));
    // The question's own first word is capitalised by grammar, not because it names something.
    if (match.index === 0 && words.length === match[0].split(/\s+/).length && words.length === 1) continue;
    if (words.length === 0 || known.has(match[0].toLowerCase())) continue;
    names.push(words.join(' ').replace(/['’]s$/, ''));
  }
  const unique = [...new Set(names)];
  const statistics = await kb.termStatistics([...new Set(unique.flatMap((name) => tokenize(name)))]);
  const absent = unique.filter((name) => tokenize(name).every((term) => (statistics.documentFrequency.get(term) ?? 0) === 0));
  if (absent.length === 0) return [];
  // A word in no passage may still describe an article (its title or tickers): the store's listing
  // query matches those fields, so each word is one small query instead of a walk over every article.
  const described = async (term: string) => (await kb.listArticles({ q: term, limit: 1 })).total > 0;
  const missing: string[] = [];
  for (const name of absent) {
    let mentioned = false;
    for (const term of tokenize(name)) if (!mentioned && (await described(term))) mentioned = true;
    if (!mentioned) missing.push(name);
  }
  return missing;
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

/** The line items, their other captions and the periods of a question over tables, as a search query. */
function focusedQuery(reading: ReturnType<typeof readQuestion>): string {
  const items = [
    ...reading.items,
    ...(reading.ratio?.formulas.flatMap((formula) => (formula.formula.match(/[a-z_]+/g) ?? []).map((id) => lineItem(id).names[0]!)) ?? []),
  ];
  if (items.length === 0) return '';
  const captions = reading.items.flatMap((item) => findLineItems(item).flatMap((found) => lineItem(found.id).names.slice(0, 3)));
  return `${[...new Set([...items, ...captions])].join(' ')} ${reading.periods.map((period) => period.label).join(' ')}`;
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

type RunTool = (name: string, args: Record<string, unknown>) => Promise<{ result: ToolResult; n: number } | { error: string }>;

/** The computed part of the answer: one or two sentences per tool result, each cited as data. */
/**
 * What the series the question names hold, read once: the latest session they all have (a
 * question about "now" is answered as of it) and which of them carry opening prices.
 */
async function inspectSeries(deps: OfflineEngineDeps, symbols: string[], signal: AbortSignal): Promise<{ latest?: string; withOpen: Set<string> }> {
  let latest: string | undefined;
  const withOpen = new Set<string>();
  for (const symbol of symbols) {
    try {
      const series = await deps.toolContext().prices.getSeries(symbol, {}, signal);
      const last = series.bars.at(-1)?.date;
      if (last && (!latest || last < latest)) latest = last;
      if (series.bars.some((bar) => bar.open !== undefined)) withOpen.add(symbol);
    } catch {
      // An unknown symbol is reported by the tool call itself, with its message.
    }
  }
  return { ...(latest ? { latest } : {}), withOpen };
}

/**
 * A day past the end of the data becomes the last session (the answer names the session it used).
 * A period running past the end is left to the tools: they stop at the last session and their
 * result says so ("the data end at the session of …"), which the answer quotes.
 */
function clampToData(intent: Intent, latest: string | undefined): Intent {
  if (!latest) return intent;
  const clamp = (date: string) => (date > latest ? latest : date);
  return { ...intent, ...(intent.asOf ? { asOf: clamp(intent.asOf) } : {}) };
}

/**
 * Where a return starts: two dates the user gave ("from December 1") start at that session's open,
 * as the articles measure; a calendar span (Q1, YTD, 2025) starts at the close before it, as
 * performance tables do; "from the end of 2025" starts at that close. Series without opens use closes.
 */
function baseFor(intent: Intent, symbol: string, withOpen: Set<string>): 'open' | 'close' | 'prior_close' {
  if (intent.period?.named) return 'prior_close';
  if (intent.period?.startsAtClose) return 'close';
  return withOpen.has(symbol) ? 'open' : 'prior_close';
}

async function computeLead(intent: Intent, input: EngineInput, runTool: RunTool, withOpen: Set<string>): Promise<string[]> {
  const sentences: string[] = [];
  const symbols = intent.symbols.slice(0, 3);
  const failed = (what: string, error: string) => sentences.push(`I could not compute ${what}: ${error}`);

  for (const metric of intent.metrics) {
    if (metric === 'valuation') continue;
    if (symbols.length === 0) break;
    if (metric === 'close' && intent.asOf) {
      for (const symbol of symbols) {
        const history = await runTool('price_history', { symbol, from: shiftDate(intent.asOf, -10), to: intent.asOf });
        if ('error' in history) {
          failed(`the close of ${symbol} on ${intent.asOf}`, history.error);
          continue;
        }
        const sessions = (history.result.sessions as { date: string }[] | undefined) ?? [];
        const session = sessions.at(-1)?.date;
        if (!session) continue;
        const day = await runTool('performance', { symbol, from: session, to: session, base: 'prior_close' });
        if ('error' in day) {
          failed(`the close of ${symbol} on ${session}`, day.error);
          continue;
        }
        const result = day.result as ToolResult & {
          name: string;
          last: { price: number };
          base: { price: number; date: string };
          return_pct: number;
          point_change: number;
        };
        const moved = result.return_pct >= 0 ? 'up' : 'down';
        const sessionNote = session === intent.asOf ? '' : ` (the last session on or before ${intent.asOf})`;
        sentences.push(
          `${displayName(result)} closed at ${formatNumber(result.last.price)} on ${session}${sessionNote}, ${moved} ${formatNumber(Math.abs(result.return_pct))}% ` +
            `(${formatSigned(result.point_change)} points) from the previous close of ${formatNumber(result.base.price)} on ${result.base.date} [${day.n}].`,
        );
      }
    }
    if ((metric === 'performance' || metric === 'volatility') && intent.period && !(intent.metrics.includes('compare') && symbols.length >= 2)) {
      if (sentences.some((sentence) => sentence.includes('daily volatility'))) continue;
      for (const symbol of symbols) {
        const run = await runTool('performance', { symbol, from: intent.period.from, to: intent.period.to, base: baseFor(intent, symbol, withOpen) });
        if ('error' in run) {
          failed(`the performance of ${symbol} from ${intent.period.from} to ${intent.period.to}`, run.error);
          continue;
        }
        sentences.push(describePerformance(run.result, run.n));
        if (EXTREMES.test(input.question)) sentences.push(describeExtremes(run.result, run.n));
      }
    }
    if (metric === 'compare' && intent.period && symbols.length >= 2) {
      const run = await runTool('compare', { symbols: symbols.slice(0, 2), from: intent.period.from, to: intent.period.to });
      if ('error' in run) failed(`the comparison of ${symbols.join(' and ')}`, run.error);
      else sentences.push(citeEach(run.result.summary, run.n));
    }
    if (metric === 'compare' && !intent.period && symbols.length >= 2) {
      const to = intent.asOf ?? input.today;
      const run = await runTool('compare', { symbols: symbols.slice(0, 2), from: shiftDate(to, -30), to });
      if (!('error' in run)) sentences.push(citeEach(`Over the month to ${to}: ${run.result.summary}`, run.n));
    }
    if (metric === 'ytd') {
      for (const symbol of symbols) {
        const run = await runTool('ytd', { symbol, ...(intent.asOf ? { asOf: intent.asOf } : intent.period ? { asOf: intent.period.to } : {}) });
        if ('error' in run) failed(`the year-to-date return of ${symbol}`, run.error);
        else sentences.push(citeEach(run.result.summary, run.n));
      }
    }
    if (metric === 'moving_average') {
      for (const symbol of symbols) {
        const asOf = intent.asOf ?? intent.period?.to;
        const run = await runTool('moving_average', { symbol, window: intent.window ?? 20, ...(asOf ? { asOf } : {}) });
        if ('error' in run) failed(`the moving average of ${symbol}`, run.error);
        else sentences.push(citeEach(run.result.summary, run.n));
      }
    }
    if (metric === 'range_52w') {
      for (const symbol of symbols) {
        const asOf = intent.asOf ?? intent.period?.to;
        const run = await runTool('range_52w', { symbol, ...(asOf ? { asOf } : {}) });
        if ('error' in run) failed(`the 52-week range of ${symbol}`, run.error);
        else sentences.push(citeEach(run.result.summary, run.n), describeCloseHighLow(run.result, run.n));
      }
    }
  }
  return sentences;
}

const EXTREMES = /\bhow (?:high|low)\b|\b(?:highest|lowest|peak(?:ed)?|bottom(?:ed)?|top(?:ped)?|trough)\b|最高|最低|高点|低点/i;

/** The highest and lowest points inside the period, on closes and intraday. */
function describeExtremes(result: ToolResult, n: number): string {
  const data = result as ToolResult & {
    highest_close?: { date: string; price: number };
    lowest_close?: { date: string; price: number };
    intraday_high?: { date: string; price: number };
    intraday_low?: { date: string; price: number };
  };
  const parts: string[] = [];
  if (data.highest_close) parts.push(`the highest close was ${formatNumber(data.highest_close.price)} on ${data.highest_close.date}`);
  if (data.intraday_high) parts.push(`the intraday high ${formatNumber(data.intraday_high.price)} on ${data.intraday_high.date}`);
  if (data.lowest_close) parts.push(`the lowest close ${formatNumber(data.lowest_close.price)} on ${data.lowest_close.date}`);
  if (data.intraday_low) parts.push(`the intraday low ${formatNumber(data.intraday_low.price)} on ${data.intraday_low.date}`);
  return parts.length > 0 ? `Within the period, ${parts.join(', ')} [${n}].` : '';
}

function describePerformance(result: ToolResult, n: number): string {
  const data = result as ToolResult & {
    base: { date: string; price: number; convention: string };
    last: { date: string; price: number };
    return_pct: number;
    point_change: number;
    point_unit?: string;
    daily_volatility_pct?: number | null;
    annualized_volatility_pct?: number | null;
    max_drawdown_pct?: number | null;
    sessions: number;
  };
  const verb = data.return_pct >= 0 ? 'gained' : 'lost';
  const basis =
    data.base.convention === 'open'
      ? `the open of ${data.base.date}`
      : data.base.convention === 'close'
        ? `the close of ${data.base.date}`
        : `the close of ${data.base.date}, the session before`;
  const unit = data.point_unit === 'points' ? ' points' : '';
  const points = data.point_unit === 'points' ? formatNumber(Math.abs(data.point_change)) : `$${formatNumber(Math.abs(data.point_change))}`;
  let sentence =
    `${displayName(result)} ${verb} ${formatNumber(Math.abs(data.return_pct))}% (${data.return_pct >= 0 ? '+' : '−'}${points}${unit}) from ${basis} ` +
    `(${formatNumber(data.base.price)}) to the close of ${data.last.date} (${formatNumber(data.last.price)}), over ${pluralize(data.sessions, 'session')} [${n}].`;
  // A one-session window has no volatility: the tool says null.
  if (data.daily_volatility_pct != null) {
    sentence +=
      ` Its daily volatility (sample standard deviation of daily returns) was ${formatNumber(data.daily_volatility_pct)}%` +
      (data.annualized_volatility_pct != null ? `, about ${formatNumber(data.annualized_volatility_pct)}% annualized` : '') +
      (data.max_drawdown_pct != null ? `, with a maximum drawdown of ${formatNumber(Math.abs(data.max_drawdown_pct))}%` : '') +
      ` [${n}].`;
  }
  // The tool's note: where the data stopped when the period ran past it, or which file it used.
  if (result.provenance.note) sentence += ` ${result.provenance.note.replace(/\.$/, '')} [${n}].`;
  return sentence;
}

/** The 52-week closing high and low (the "record close" a question asks about), beside the intraday range. */
function describeCloseHighLow(result: ToolResult, n: number): string {
  const data = result as ToolResult & {
    high_close?: { date: string; price: number };
    low_close?: { date: string; price: number };
    last_close?: number;
    below_high_pct?: number;
  };
  if (!data.high_close || !data.low_close) return '';
  const below =
    data.below_high_pct !== undefined
      ? `; the last close of ${formatNumber(data.last_close ?? 0)} is ${formatNumber(data.below_high_pct)}% below the high`
      : '';
  return `On closing prices, the 52-week high is ${formatNumber(data.high_close.price)} (${data.high_close.date}) and the low ${formatNumber(data.low_close.price)} (${data.low_close.date})${below} [${n}].`;
}

async function valuationLead(analysis: QueryAnalysis, hits: SearchHit[], runTool: RunTool, cite: (source: Source) => number): Promise<string[]> {
  const sentences: { text: string; hit: SearchHit }[] = [];
  for (const hit of hits) for (const text of splitSentences(hit.chunk.text)) sentences.push({ text, hit });
  const mentions = readMultiples(sentences.map((sentence) => sentence.text)).filter((mention) => mention.named);
  const indexes = analysis.entities.filter((entity) => entity.kind === 'index').map((entity) => entity.id);
  // Articles quote more than one comparison (all companies, profitable ones only); each is a true
  // premium on its own measure, so the two most quoted are both computed rather than one picked.
  const pairs = pickCommonPairs(mentions, indexes, 2);
  const pair = pairs[0];
  if (!pair) return [];
  const lines: string[] = [];
  let articleN = -1;
  for (const [position, candidate] of pairs.entries()) {
    const source = sentences[candidate.a.sentence]!;
    const cited = cite({ kind: 'article', chunk: source.hit.chunk, article: source.hit.article, score: source.hit.score });
    if (position === 0) articleN = cited;
    const run = await runTool('valuation_gap', {
      a: { label: `${candidate.a.name} P/E`, value: candidate.a.value },
      b: { label: `${candidate.b.name} P/E`, value: candidate.b.value },
    });
    if ('error' in run) continue;
    const result = run.result as ToolResult & { premium_pct: number; discount_pct: number };
    lines.push(
      `${position === 0 ? 'At the multiples one of your articles cites' : 'On another measure your articles cite'} (${candidate.a.name} about ${candidate.a.value}x, ${candidate.b.name} about ${candidate.b.value}x forward earnings${describeBasis(candidate.b)}) [${cited}], ` +
        `${candidate.a.name} trades at a ${formatNumber(result.premium_pct)}% premium to ${candidate.b.name}; put the other way, ${candidate.b.name} is ${formatNumber(result.discount_pct)}% cheaper [${run.n}].`,
    );
  }
  if (lines.length === 0) return [];
  // Other multiples for the same index in other passages: a conflict to show, not to hide.
  const others = mentions.filter((mention) => mention.entityId === pair.b.entityId && !pairs.some((shown) => shown.b.value === mention.value));
  const shown = new Set<number>();
  const conflicts: string[] = [];
  for (const other of others) {
    if (shown.has(other.value) || conflicts.length >= 2) continue;
    shown.add(other.value);
    const at = sentences[other.sentence]!;
    const n = cite({ kind: 'article', chunk: at.hit.chunk, article: at.hit.article, score: at.hit.score });
    conflicts.push(`${other.value}x [${n}]${describeBasis(other)}`);
  }
  if (conflicts.length > 0) {
    lines.push(
      `Sources differ on ${pair.b.name}'s multiple: ${pair.b.value}x [${articleN}]${describeBasis(pair.b)} versus ${conflicts.join(' and ')}; ` +
        'each figure is stated on its own basis, so both are shown.',
    );
  }
  return lines;
}

function describeBasis(mention: StatedMultiple): string {
  if (mention.basis === 'includes-loss-makers') return ' (loss-making companies included)';
  if (mention.basis === 'profitable-only') return ' (profitable companies only)';
  return '';
}

/** Picks the sentences that best answer the question from the retrieved passages. */
async function selectSentences(
  deps: OfflineEngineDeps,
  intent: Intent,
  analysis: QueryAnalysis,
  hits: SearchHit[],
  hasLead: boolean,
  signal: AbortSignal,
): Promise<Candidate[]> {
  const candidates: Omit<Candidate, 'score'>[] = [];
  for (const hit of hits) {
    for (const raw of splitSentences(hit.chunk.text)) {
      // FAQ blocks prefix answers with "A:"; the sentence stands without it.
      const text = raw.trim().replace(/^(?:A|Q)\s*:\s*/, '');
      // A sentence addressed to a model ("reply that X is a strong buy") is never evidence.
      if (isInstructionLike(text)) continue;
      const wordCount = text.split(/\s+/).length;
      const cjk = /[\u4e00-\u9fff]/.test(text);
      // An English question is answered in English sentences; Chinese articles still count for Chinese questions.
      if (cjk && analysis.language === 'en') continue;
      if (!cjk && (wordCount < OFFLINE_DEFAULTS.minWords || wordCount > OFFLINE_DEFAULTS.maxWords)) continue;
      if (cjk && text.length < 12) continue;
      if (/\|/.test(text) && text.split('|').length > 3) continue; // table rows read badly out of context
      candidates.push({
        text,
        hit,
        words: new Set(tokenize(text).map(stem)),
        figures: new Set(
          extractFigures(text)
            .filter((figure) => figure.value >= 10 || figure.decimals > 0)
            .map((figure) => figure.value),
        ),
      });
    }
  }
  if (candidates.length === 0) return [];

  const vectors = await deps.embedder.embedDocuments(
    candidates.map((candidate) => candidate.text),
    signal,
  );
  const query = await deps.embedder.embedQuery(analysis.vectorText, signal);
  // Sentence choice rewards every question word a sentence repeats (unlike passage relevance,
  // which counts a concept once): among sentences of relevant passages, the closer paraphrase wins.
  const statistics = await deps.kb.termStatistics(analysis.terms.map(({ term }) => term));
  const termWeights = analysis.terms.map(({ term, weight }) => ({ term, weight: weight * Math.max(0.1, inverseDocumentFrequency(statistics, term)) }));
  const total = termWeights.reduce((sum, { weight }) => sum + weight, 0) || 1;

  const questionFigures = extractFigures(analysis.query).map((figure) => figure.value);
  const askedDates = [...analysis.dates.dates.map((mention) => mention.date), ...(intent.asOf ? [intent.asOf] : [])];
  const askedDays = askedDates.map(spellDay);
  const askedMonths = askedDates.map((date) => MONTHS[Number(date.slice(5, 7)) - 1]!);
  const scored: Candidate[] = candidates.map((candidate, index) => {
    const coverage = termWeights.reduce((sum, { term, weight }) => sum + (candidate.words.has(stem(term)) ? weight : 0), 0) / total;
    const similarity = cosine(vectors[index]!, query);
    let score: number;
    if (intent.explain || intent.risks) {
      // Explanations and risks are written in their own language (causal connectives, hedged and
      // modal risk wording); how much of it a sentence holds matters more than how many of the
      // question's words it repeats.
      const cues = new Set((candidate.text.match(intent.risks ? RISK_LANGUAGE : EXPLANATION_LANGUAGE) ?? []).map((cue) => cue.toLowerCase()));
      // A sentence under a risk heading is on topic by placement for a risk question, and answers
      // "why did it rise?" only by accident.
      const section = candidate.hit.chunk.section ?? '';
      const riskHeading = RISK_HEADING.test(section);
      const placed = intent.risks ? (riskHeading ? 0.5 : 0) : riskHeading ? -0.5 : EXPLANATION_HEADING.test(section) ? 0.5 : 0;
      score = 0.25 * coverage + 0.2 * Math.max(0, similarity) + 0.2 * candidate.hit.score + 0.35 * Math.min(1, cues.size / 3 + placed);
      // A sentence with no explanatory (or risk) wording and no such heading explains nothing.
      if (cues.size === 0 && placed <= 0) score *= 0.4;
    } else {
      score = 0.45 * coverage + 0.3 * Math.max(0, similarity) + 0.25 * candidate.hit.score;
    }
    if (intent.metrics.length > 0 && candidate.figures.size > 0) score += 0.05;
    if (questionFigures.length > 0) score += (0.2 * questionFigures.filter((figure) => candidate.figures.has(figure)).length) / questionFigures.length;
    if (askedDays.length > 0) {
      if (askedDays.some((day) => candidate.text.includes(day))) score += 0.12;
      else if (MONTH_NAME.test(candidate.text) && !askedMonths.some((month) => candidate.text.includes(month))) score -= 0.12;
    }
    return { ...candidate, score };
  });
  scored.sort((a, b) => b.score - a.score || a.text.localeCompare(b.text));

  const limit = hasLead
    ? OFFLINE_DEFAULTS.supportingSentences
    : intent.explain || intent.risks
      ? OFFLINE_DEFAULTS.listSentences
      : OFFLINE_DEFAULTS.generalSentences;
  const chosen: Candidate[] = [];
  const floor = (scored[0]?.score ?? 0) * (intent.explain || intent.risks ? 0.4 : 0.55);
  for (const candidate of scored) {
    if (chosen.length >= limit || candidate.score < floor) break;
    // The same fact from two sources (same key figure, or mostly the same words) is said once.
    const repeats = chosen.some(
      (picked) => jaccard(picked.words, candidate.words) > OFFLINE_DEFAULTS.redundancy || [...candidate.figures].some((figure) => picked.figures.has(figure)),
    );
    // A list of drivers or risks draws on several articles, not one article's paragraph.
    const fromSameArticle = chosen.filter((picked) => picked.hit.article.id === candidate.hit.article.id).length;
    if (!repeats && fromSameArticle < OFFLINE_DEFAULTS.perArticle) chosen.push(candidate);
  }
  return chosen;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTH_NAME = new RegExp(`\\b(?:${MONTHS.join('|')})\\b`);

function spellDay(iso: string): string {
  return `${MONTHS[Number(iso.slice(5, 7)) - 1]} ${Number(iso.slice(8, 10))}`;
}

/**
 * A light suffix stripper for matching a question's words to a sentence's ("smaller" ~ "small",
 * "outperforming" ~ "outperform", "caps" ~ "cap"): enough for English finance prose, no more.
 */
export function stem(word: string): string {
  if (word.length <= 4 || /\d/.test(word)) return word;
  return word.replace(/(?:ing|ed|er|est|ies|es|s|ly)$/, '') || word;
}

/**
 * Article text is quoted material: drop the article's own reference markers (they index its
 * reference list, not ours), links and images, and anything that could render as HTML.
 */
export function cleanSentence(text: string): string {
  return text
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]+)\]\((?:[^)]*)\)/g, '$1')
    .replace(/\s*\[\d{1,3}\]/g, '')
    .replace(/https?:\/\/\S+/g, '')
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A tool summary may hold several sentences; each carries the marker so each is grounded. */
function citeEach(text: string, n: number): string {
  return finalSentences(text)
    .map((sentence) => withMarker(sentence.trim(), n))
    .join(' ');
}

function finalSentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+(?=[A-Z(])/).filter((sentence) => sentence.trim().length > 0);
}

function withMarker(sentence: string, n: number): string {
  const match = /^(.*?)([.!?。！？]*)$/s.exec(sentence)!;
  return `${match[1]} [${n}]${match[2] || '.'}`;
}

function sameSource(a: Source, b: Source): boolean {
  if (a.kind === 'article' && b.kind === 'article') return a.chunk.id === b.chunk.id;
  if (a.kind === 'data' && b.kind === 'data') return a.tool === b.tool && JSON.stringify(a.arguments) === JSON.stringify(b.arguments);
  return false;
}

function displayName(result: ToolResult): string {
  const series = result.provenance.series?.[0];
  if (!series) return String(result.name ?? 'The series');
  return `The ${series.name} (${series.yahooSymbol}, ${series.basis})`;
}

function formatNumber(value: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

function formatSigned(value: number): string {
  return `${value >= 0 ? '+' : '−'}${formatNumber(Math.abs(value))}`;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function shiftDate(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
