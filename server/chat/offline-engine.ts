import type { KnowledgeBase } from '../../kb/knowledge-base.ts';
import { tokenize } from '../../kb/tokenize.ts';
import type { Embedder } from '../../ingest/embed/embedder.ts';
import { splitSentences } from '../../ingest/sentences.ts';
import { isAppError } from '../../lib/errors.ts';
import { renderPrompt, type PromptLibrary } from '../prompts.ts';
import { searchKnowledgeBase, SEARCH_DEFAULTS, type SearchHit } from '../retrieval/hybrid-search.ts';
import { analyzeQuery, type QueryAnalysis } from '../retrieval/query-understanding.ts';
import type { ToolRegistry } from '../tools/registry.ts';
import type { ToolContext, ToolResult } from '../tools/types.ts';
import { readIntent, type Intent } from './offline/intent.ts';
import { findMultiples, pickValuationPair } from './offline/valuation.ts';
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
  minWords: 7,
  maxWords: 80,
};

export interface OfflineEngineDeps {
  kb: KnowledgeBase;
  embedder: Embedder;
  registry: ToolRegistry;
  toolContext: () => Omit<ToolContext, 'signal'>;
  prompts: PromptLibrary;
}

const CAUSE_CUES = /\b(?:driv(?:en|er|ers|ing)|because|due to|reflect\w*|attribut\w*|catalyst\w*|tailwind\w*|benefit\w*|fuel\w*|lower borrowing|cheaper (?:money|capital|credit)|rate cuts?|january effect|tax-loss|earnings (?:growth|recovery)|rotation|floating-rate|seasonal\w*)\b/i;
const RISK_CUES = /\b(?:risks?|could|may|vulnerab\w*|caution\w*|headwind\w*|pressure|revers\w*|disappoint\w*|fade\w*|stall\w*|hawkish|concentration|unprofitable|expensive|consolidation|volatil\w*|skeptic\w*)\b/i;

interface Candidate {
  text: string;
  hit: SearchHit;
  score: number;
  words: Set<string>;
  figures: string;
}

export function createOfflineEngine(deps: OfflineEngineDeps): AnswerEngine {
  return {
    mode: 'offline',
    async answer(input: EngineInput): Promise<EngineDraft> {
      const previous = input.history.at(-1)?.context;
      const analysis = analyzeQuery(input.question, input.today);
      const intent = readIntent(input.question, analysis, previous);
      const search = await searchKnowledgeBase(deps.kb, deps.embedder, {
        query: intent.searchQuery,
        // Explanations and risks gather points from more passages than a single figure does.
        k: intent.explain || intent.risks ? OFFLINE_DEFAULTS.k + 4 : OFFLINE_DEFAULTS.k,
        today: input.today,
        signal: input.signal,
        ...(input.filters ? { filters: input.filters } : {}),
      });
      // The top hit decides whether anything is relevant; below it, BM25 reordering lowers scores,
      // so supporting passages need only a share of the threshold.
      const relevant = search.relevance === 'none' ? [] : search.hits.filter((hit) => hit.score >= 0.6 * SEARCH_DEFAULTS.noneThreshold);
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

      const lead = await computeLead(intent, input, runTool);
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
        const topic = analysis.entities.map((entity) => entity.name).join(', ') || input.question.slice(0, 120);
        return { text: renderPrompt(deps.prompts, zh ? 'no-answer.zh' : 'no-answer.en', { topic }), sources, toolCalls, relevance: search.relevance, context };
      }

      const parts: string[] = [];
      if (lead.length > 0) parts.push((zh ? '**计算结果**\n\n' : '') + lead.join(' '));
      if (articleSentences.length > 0) {
        const cited = articleSentences.map((candidate) => withMarker(cleanSentence(candidate.text), cite({ kind: 'article', chunk: candidate.hit.chunk, article: candidate.hit.article, score: candidate.hit.score })));
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
          parts.push(cited[0]!, ...(cited.length > 1 ? [cited.slice(1).map((line) => `- ${line}`).join('\n')] : []));
        } else {
          parts.push([heading, cited.map((line) => `- ${line}`).join('\n')].filter(Boolean).join('\n\n'));
        }
      }
      return { text: parts.join('\n\n'), sources, toolCalls, relevance: search.relevance, context };
    },
  };
}

type RunTool = (name: string, args: Record<string, unknown>) => Promise<{ result: ToolResult; n: number } | { error: string }>;

/** The computed part of the answer: one or two sentences per tool result, each cited as data. */
async function computeLead(intent: Intent, input: EngineInput, runTool: RunTool): Promise<string[]> {
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
        const result = day.result as ToolResult & { name: string; last: { price: number }; base: { price: number; date: string }; return_pct: number; point_change: number };
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
        const run = await runTool('performance', { symbol, from: intent.period.from, to: intent.period.to, base: 'open' });
        if ('error' in run) {
          failed(`the performance of ${symbol} from ${intent.period.from} to ${intent.period.to}`, run.error);
          continue;
        }
        sentences.push(describePerformance(run.result, run.n));
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
        else sentences.push(citeEach(run.result.summary, run.n));
      }
    }
  }
  return sentences;
}

function describePerformance(result: ToolResult, n: number): string {
  const data = result as ToolResult & {
    base: { date: string; price: number; convention: string };
    last: { date: string; price: number };
    return_pct: number;
    point_change: number;
    point_unit?: string;
    daily_volatility_pct?: number;
    annualized_volatility_pct?: number;
    max_drawdown_pct?: number;
    sessions: number;
  };
  const verb = data.return_pct >= 0 ? 'gained' : 'lost';
  const basis = data.base.convention === 'open' ? `the open of ${data.base.date}` : data.base.convention === 'close' ? `the close of ${data.base.date}` : `the close of ${data.base.date}, the session before`;
  const unit = data.point_unit === 'points' ? ' points' : '';
  const points = data.point_unit === 'points' ? formatNumber(Math.abs(data.point_change)) : `$${formatNumber(Math.abs(data.point_change))}`;
  let sentence =
    `${displayName(result)} ${verb} ${formatNumber(Math.abs(data.return_pct))}% (${data.return_pct >= 0 ? '+' : '−'}${points}${unit}) from ${basis} ` +
    `(${formatNumber(data.base.price)}) to the close of ${data.last.date} (${formatNumber(data.last.price)}), over ${data.sessions} sessions [${n}].`;
  if (data.daily_volatility_pct !== undefined) {
    sentence += ` Its daily volatility (sample standard deviation of daily returns) was ${formatNumber(data.daily_volatility_pct)}%` +
      (data.annualized_volatility_pct !== undefined ? `, about ${formatNumber(data.annualized_volatility_pct)}% annualized` : '') +
      (data.max_drawdown_pct !== undefined ? `, with a maximum drawdown of ${formatNumber(Math.abs(data.max_drawdown_pct))}%` : '') +
      ` [${n}].`;
  }
  return sentence;
}

async function valuationLead(
  analysis: QueryAnalysis,
  hits: SearchHit[],
  runTool: RunTool,
  cite: (source: Source) => number,
): Promise<string[]> {
  const sentences: { text: string; hit: SearchHit }[] = [];
  for (const hit of hits) for (const text of splitSentences(hit.chunk.text)) sentences.push({ text, hit });
  const mentions = findMultiples(sentences.map((sentence) => sentence.text));
  const indexes = analysis.entities.filter((entity) => entity.kind === 'index').map((entity) => entity.id);
  const pair = pickValuationPair(mentions, indexes);
  if (!pair) return [];
  const source = sentences[pair.a.sentence]!;
  const articleN = cite({ kind: 'article', chunk: source.hit.chunk, article: source.hit.article, score: source.hit.score });
  const run = await runTool('valuation_gap', {
    a: { label: `${pair.a.name} P/E`, value: pair.a.value },
    b: { label: `${pair.b.name} P/E`, value: pair.b.value },
  });
  if ('error' in run) return [];
  const lines = [
    `At the multiples ${source.hit.article.title.length > 0 ? 'one of your articles cites' : 'cited'} (${pair.a.name} about ${pair.a.value}x, ${pair.b.name} about ${pair.b.value}x forward earnings) [${articleN}], ` +
      `${pair.a.name} trades at a ${formatNumber((run.result as ToolResult & { premium_pct: number }).premium_pct)}% premium to ${pair.b.name}; ` +
      `put the other way, ${pair.b.name} is ${formatNumber((run.result as ToolResult & { discount_pct: number }).discount_pct)}% cheaper [${run.n}].`,
  ];
  // Other multiples for the same index in other passages: a conflict to show, not to hide.
  const others = mentions.filter((mention) => mention.entityId === pair.b.entityId && mention.value !== pair.b.value);
  const shown = new Set<number>();
  const conflicts: string[] = [];
  for (const other of others) {
    if (shown.has(other.value) || conflicts.length >= 2) continue;
    shown.add(other.value);
    const at = sentences[other.sentence]!;
    const n = cite({ kind: 'article', chunk: at.hit.chunk, article: at.hit.article, score: at.hit.score });
    conflicts.push(`${other.value}x [${n}]`);
  }
  if (conflicts.length > 0) {
    lines.push(
      `Sources differ on ${pair.b.name}'s multiple: ${pair.b.value}x [${articleN}] versus ${conflicts.join(' and ')}; the gap usually comes from whether loss-making companies are included and which earnings year is used.`,
    );
  }
  return lines;
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
      const text = raw.trim();
      const wordCount = text.split(/\s+/).length;
      const cjk = /[\u4e00-\u9fff]/.test(text);
      if (!cjk && (wordCount < OFFLINE_DEFAULTS.minWords || wordCount > OFFLINE_DEFAULTS.maxWords)) continue;
      if (cjk && text.length < 12) continue;
      if (/\|/.test(text) && text.split('|').length > 3) continue; // table rows read badly out of context
      candidates.push({ text, hit, words: new Set(tokenize(text)), figures: (text.match(/\d[\d,.]*%?/g) ?? []).join(' ') });
    }
  }
  if (candidates.length === 0) return [];

  const vectors = await deps.embedder.embedDocuments(candidates.map((candidate) => candidate.text), signal);
  const query = await deps.embedder.embedQuery(analysis.vectorText, signal);
  const termWeights = analysis.terms.map(({ term, weight }) => ({ term, weight: weight * Math.max(0.1, deps.kb.idf(term)) }));
  const total = termWeights.reduce((sum, { weight }) => sum + weight, 0) || 1;

  const askedDates = [...analysis.dates.dates.map((mention) => mention.date), ...(intent.asOf ? [intent.asOf] : [])];
  const askedDays = askedDates.map(spellDay);
  const askedMonths = askedDates.map((date) => MONTHS[Number(date.slice(5, 7)) - 1]!);
  const scored: Candidate[] = candidates.map((candidate, index) => {
    const coverage = termWeights.reduce((sum, { term, weight }) => sum + (candidate.words.has(term) ? weight : 0), 0) / total;
    const similarity = cosine(vectors[index]!, query);
    let score = 0.45 * coverage + 0.3 * Math.max(0, similarity) + 0.25 * candidate.hit.score;
    if (intent.explain && CAUSE_CUES.test(candidate.text)) score += 0.2;
    if (intent.risks && RISK_CUES.test(candidate.text)) score += 0.2;
    if (intent.metrics.length > 0 && candidate.figures) score += 0.05;
    if (askedDays.length > 0) {
      if (askedDays.some((day) => candidate.text.includes(day))) score += 0.12;
      else if (MONTH_NAME.test(candidate.text) && !askedMonths.some((month) => candidate.text.includes(month))) score -= 0.12;
    }
    return { ...candidate, score };
  });
  scored.sort((a, b) => b.score - a.score || a.text.localeCompare(b.text));

  const limit = hasLead ? OFFLINE_DEFAULTS.supportingSentences : intent.explain || intent.risks ? OFFLINE_DEFAULTS.listSentences : OFFLINE_DEFAULTS.generalSentences;
  const chosen: Candidate[] = [];
  const floor = (scored[0]?.score ?? 0) * 0.55;
  for (const candidate of scored) {
    if (chosen.length >= limit || candidate.score < floor) break;
    const repeats = chosen.some((picked) => jaccard(picked.words, candidate.words) > OFFLINE_DEFAULTS.redundancy || (picked.figures !== '' && picked.figures === candidate.figures));
    if (!repeats) chosen.push(candidate);
  }
  return chosen;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTH_NAME = new RegExp(`\\b(?:${MONTHS.join('|')})\\b`);

function spellDay(iso: string): string {
  return `${MONTHS[Number(iso.slice(5, 7)) - 1]} ${Number(iso.slice(8, 10))}`;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < a.length; index += 1) {
    dot += a[index]! * b[index]!;
    normA += a[index]! * a[index]!;
    normB += b[index]! * b[index]!;
  }
  return normA > 0 && normB > 0 ? dot / Math.sqrt(normA * normB) : 0;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const word of a) if (b.has(word)) shared += 1;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
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
  return finalSentences(text).map((sentence) => withMarker(sentence.trim(), n)).join(' ');
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
