import { MARKET_ENTITIES, type MarketEntity } from '../../lib/market-entities.ts';
import type { Citation, ToolCallRecord, TurnContext } from './types.ts';

/**
 * Suggested follow-up questions, built from what an answer found: the instruments it named or
 * computed, the period its tools measured, the tools it used, and the articles it cited. Pure.
 * Each suggestion names its instrument and dates in full, so it reads (and is answered) the same
 * whether or not the engine carries the conversation's context.
 */
export const FOLLOW_UP_DEFAULTS = {
  max: 3,
  /** Titles longer than this make a poor button; such an article is not offered by title. */
  maxTitleChars: 90,
};

/**
 * Broad equity benchmarks an index is usually measured against, preferred first: the peer a
 * comparison suggestion offers. Ids of lib/market-entities.ts.
 */
const BENCHMARK_IDS = ['s&p-500', 'russell-2000', 'nasdaq', 'dow'];

type Language = 'en' | 'zh';

interface Period {
  from: string;
  to: string;
}

/** The wording, per language; `{…}` slots are filled from what the answer found. */
const TEMPLATES = {
  en: {
    compareWithPeer: 'How did {a} compare with {b} from {from} to {to}?',
    volatility: 'How volatile was {a} from {from} to {to}?',
    drivers: 'What do my articles say drove {a} versus {b}?',
    yearToDate: 'How has {a} done year to date?',
    monthBefore: 'How did {a} perform from {from} to {to}?',
    range52w: 'What was {a}’s 52-week range on {to}?',
    articles: 'What do my articles say about {a}?',
    risks: 'What risks to {a} do my articles mention?',
    keyPoints: 'What are the key points of “{title}”?',
  },
  zh: {
    compareWithPeer: '{from}至{to}，{a}与{b}相比表现如何？',
    volatility: '{from}至{to}，{a}的波动有多大？',
    drivers: '我的文章认为是什么推动了{a}相对{b}的表现？',
    yearToDate: '{a}今年以来表现如何？',
    monthBefore: '{from}至{to}，{a}表现如何？',
    range52w: '{to}时{a}的52周区间是多少？',
    articles: '我的文章对{a}怎么说？',
    risks: '我的文章提到{a}有哪些风险？',
    keyPoints: '“{title}”的要点是什么？',
  },
} satisfies Record<Language, Record<string, string>>;

export interface FollowUpInput {
  language: Language;
  context?: TurnContext;
  toolCalls: readonly ToolCallRecord[];
  citations: readonly Citation[];
}

export function buildFollowUps(input: FollowUpInput, defaults = FOLLOW_UP_DEFAULTS): string[] {
  if (input.citations.length === 0) return [];
  const calls = input.toolCalls.filter((call) => !call.error);
  const entities = findEntities(input.context, calls);
  const measurable = entities.filter((entity) => entity.symbols.length > 0);
  const measured = findMeasuredSpan(calls);
  const contextPeriod = input.context?.period ? { from: input.context.period.from, to: input.context.period.to } : undefined;
  // A one-day measure (a close, a day's move) is a date, not a period to compare over.
  const period = measured ? (measured.from < measured.to ? measured : undefined) : contextPeriod;
  const asOf = measured && measured.from === measured.to ? measured.to : input.context?.asOf;
  const used = new Set(calls.map((call) => call.name));
  const say = (key: keyof (typeof TEMPLATES)['en'], slots: Record<string, string>) => fill(TEMPLATES[input.language][key], slots, input.language);
  const name = (entity: MarketEntity) => (input.language === 'en' && entity.kind !== 'company' ? `the ${entity.name}` : entity.name);

  const suggestions: string[] = [];
  const [first, second] = measurable;
  if (first && second && (used.has('compare') || period)) {
    suggestions.push(say('drivers', { a: name(first), b: name(second) }));
    if (period) suggestions.push(say('volatility', { a: name(first), ...period }));
    if (!used.has('ytd')) suggestions.push(say('yearToDate', { a: name(first) }));
  } else if (first && period) {
    const peer = BENCHMARK_IDS.map((id) => MARKET_ENTITIES.find((entity) => entity.id === id)).find((entity) => entity && entity.id !== first.id);
    if (peer) suggestions.push(say('compareWithPeer', { a: name(first), b: name(peer), ...period }));
    if (!used.has('range_52w')) suggestions.push(say('range52w', { a: name(first), to: period.to }));
    suggestions.push(say('articles', { a: name(first) }));
  } else if (first && asOf) {
    suggestions.push(say('monthBefore', { a: name(first), from: shiftMonth(asOf, -1), to: asOf }));
    suggestions.push(say('range52w', { a: name(first), to: asOf }));
    suggestions.push(say('articles', { a: name(first) }));
  } else if (first) {
    suggestions.push(say('yearToDate', { a: name(first) }));
    suggestions.push(say('risks', { a: name(first) }));
  }

  // Answers from articles alone: dig into the article that answered.
  const article = input.citations.find((citation) => citation.kind === 'article' && citation.title.length <= defaults.maxTitleChars);
  if (article && suggestions.length < defaults.max) suggestions.push(say('keyPoints', { title: article.title }));
  const company = entities.find((entity) => entity.kind === 'company')?.name ?? namedTicker(input.context?.topic, input.citations);
  if (company && suggestions.length < defaults.max) suggestions.push(say('risks', { a: company }));

  return [...new Set(suggestions)].slice(0, defaults.max);
}

/** Entities the engine understood, then those whose series a tool computed, in that order. */
function findEntities(context: TurnContext | undefined, calls: readonly ToolCallRecord[]): MarketEntity[] {
  const found: MarketEntity[] = [];
  const add = (entity: MarketEntity | undefined) => {
    if (entity && !found.includes(entity)) found.push(entity);
  };
  for (const id of context?.entityIds ?? []) add(MARKET_ENTITIES.find((entity) => entity.id === id));
  for (const symbol of [...(context?.symbols ?? []), ...calls.flatMap((call) => symbolsOf(call.arguments))]) {
    const bare = symbol.replace(/^\^/, '').toUpperCase();
    add(MARKET_ENTITIES.find((entity) => entity.symbols.includes(bare)));
  }
  return found;
}

/**
 * A company the question named, as a ticker one of the cited articles is tagged with: the articles'
 * own metadata (read at ingest) say which symbols are companies, so no list of companies is kept.
 */
function namedTicker(topic: string | undefined, citations: readonly Citation[]): string | undefined {
  if (!topic) return undefined;
  const tickers = new Set(citations.flatMap((citation) => (citation.kind === 'article' ? (citation.tickers ?? []) : [])));
  const words = new Set(
    topic
      .toUpperCase()
      .split(/[^A-Z0-9.^$]+/)
      .map((word) => word.replace(/^[$^]/, '')),
  );
  return [...tickers].find((ticker) => words.has(ticker.replace(/^[$^]/, '').toUpperCase()) && !ticker.startsWith('^'));
}

function symbolsOf(args: unknown): string[] {
  if (!args || typeof args !== 'object') return [];
  const record = args as Record<string, unknown>;
  const list = Array.isArray(record.symbols) ? record.symbols : [record.symbol];
  return list.filter((value): value is string => typeof value === 'string');
}

/**
 * The span a measuring tool covered: the sessions its provenance reports, else its arguments.
 * price_history is left out: the engine fetches it as context around a date, not as the answer.
 */
function findMeasuredSpan(calls: readonly ToolCallRecord[]): Period | undefined {
  for (const call of calls) {
    if (call.name === 'price_history') continue;
    const result = call.result && typeof call.result === 'object' ? (call.result as Record<string, unknown>) : {};
    const provenance = result.provenance && typeof result.provenance === 'object' ? (result.provenance as Record<string, unknown>) : {};
    const sessions = provenance.sessions && typeof provenance.sessions === 'object' ? (provenance.sessions as Record<string, unknown>) : {};
    const args = call.arguments && typeof call.arguments === 'object' ? (call.arguments as Record<string, unknown>) : {};
    const from = isoDate(sessions.from) ?? isoDate(args.from);
    const to = isoDate(sessions.to) ?? isoDate(args.to);
    if (from && to && from <= to) return { from, to };
  }
  return undefined;
}

function isoDate(value: unknown): string | undefined {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined;
}

/** The same day `months` away, clamped to the month's last day (March 31 minus a month is February 28). */
function shiftMonth(iso: string, months: number): string {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Dates are written out ("January 2, 2026", 2026年1月2日): a question reads as a person would ask it. */
function formatDate(iso: string, language: Language): string {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  return language === 'zh' ? `${year}年${month}月${day}日` : `${MONTHS[month - 1]} ${day}, ${year}`;
}

function fill(template: string, slots: Record<string, string>, language: Language): string {
  return template.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = slots[name] ?? '';
    return name === 'from' || name === 'to' ? formatDate(value, language) : value;
  });
}
