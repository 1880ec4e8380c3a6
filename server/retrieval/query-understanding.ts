import { CHINESE_GLOSSARY, MARKET_ENTITIES, type MarketEntity } from '../../lib/market-entities.ts';
import { hasCjk, tokenize } from '../../kb/tokenize.ts';
import { isChineseFunctionWord, segmentChinese, wordBigrams } from '../../lib/cjk-words.ts';
import type { WeightedTerm } from '../../kb/lexical-index.ts';
import { readQuestionDates, type QuestionDates } from './periods.ts';
import { normalizeTitle, TitleIndex, type TitledArticle } from './title-index.ts';

export const QUERY_DEFAULTS = {
  /** Weight of terms added by expansion relative to the user's own words. */
  expansionWeight: 0.45,
  /** Weight of English glossary terms standing in for a Chinese question's words. */
  glossaryWeight: 0.8,
  /**
   * Weight of a Chinese question's own character bigrams: they find Chinese articles, but most
   * articles are English, where the names, figures and glossary terms must carry the match.
   */
  cjkBigramWeight: 0.7,
  /**
   * Weight in relevance of each content word of a Chinese question that no name or glossary entry
   * translates (a term the English articles cannot hold, so it counts only in Chinese passages).
   */
  cjkWordWeight: 0.35,
  /**
   * Weight of bare numbers and of dates in relevance: passages about the right thing often state
   * other figures or no date, so a figure or date the passage lacks should cost little.
   */
  numberWeight: 0.3,
  /**
   * A calendar date ("December 1") weighs like a word of the question: passages that report a
   * day's move name the day (chosen by the sweep in `npm run eval:retrieval`'s tuning).
   */
  dateWeight: 1,
};

export interface QueryAnalysis {
  query: string;
  language: 'en' | 'zh';
  entities: { id: string; name: string; kind: MarketEntity['kind']; matched: string; symbols: string[] }[];
  /** Price symbols the question names (index level first), for the engines' tools. */
  symbols: string[];
  /** Lexical terms: the question's own (weight 1) plus expansions (lower weight). */
  terms: WeightedTerm[];
  /** The question's own content terms, before expansion. */
  coreTerms: string[];
  /**
   * Concepts for coverage scoring: each of the question's own terms alone, and each entity's,
   * date's or glossary word's expansion terms together (a passage that says "small caps" covers
   * "Russell 2000"; it need not repeat every alias).
   */
  groups: TermGroup[];
  /** Text to embed: the question plus the names its symbols stand for. */
  vectorText: string;
  dates: QuestionDates;
  /** Figures in the question ("2,698.17", "7.53%") normalised as lexical terms. */
  figures: string[];
}

export interface TermGroup {
  terms: string[];
  weight: number;
}

const ESCAPE = /[.*+?^${}()|[\]\\]/g;
const CJK_RUNS = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]+/gu;
/**
 * Where a Latin alias starts and ends: not inside a longer word. Chinese and Japanese write no
 * spaces, so a ticker or name glued to them ("8月IJS的表现", "SPY和QQQ") still stands alone: a CJK
 * character beside it is an edge, though Unicode counts it a letter. (Written as alternatives over
 * the CJK ranges: a `v`-flag class subtracting scripts from \p{L} made every question 1.4 s slower
 * to compile and 18 ms slower to match, over hundreds of aliases.)
 */
const CJK_CHAR = '[\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u3040-\\u30ff\\uac00-\\ud7af]';
const WORD_START = `(?:(?<![\\p{L}\\p{N}])|(?<=${CJK_CHAR}))`;
const WORD_END = `(?:(?![\\p{L}\\p{N}])|(?=${CJK_CHAR}))`;

interface CompiledAlias {
  entity: MarketEntity;
  alias: string;
  /** The alias in lower case: only an alias the question contains as text is matched by its pattern. */
  needle: string;
  /** Made on first use: making the patterns of every alias took ~50 ms of each server start. */
  pattern: () => RegExp;
}

function aliasPattern(alias: string): RegExp {
  const escaped = alias.replace(ESCAPE, '\\$&');
  const caseSensitive = /\p{Lu}/u.test(alias);
  return hasCjk(alias) ? new RegExp(escaped, 'u') : new RegExp(`${WORD_START}${escaped}${WORD_END}`, caseSensitive ? 'u' : 'iu');
}

const COMPILED_ALIASES: CompiledAlias[] = MARKET_ENTITIES.flatMap(
  (entity) =>
    entity.aliases.map((alias) => {
      let made: RegExp | undefined;
      return { entity, alias, needle: alias.toLowerCase(), pattern: () => (made ??= aliasPattern(alias)) };
    }),
  // Longest aliases first so "s&p 500" wins over "s&p" and "russell 2000" over "russell".
).sort((a, b) => b.alias.length - a.alias.length);

export function findEntities(text: string): QueryAnalysis['entities'] {
  const found = new Map<string, { entity: QueryAnalysis['entities'][number]; index: number }>();
  // Hundreds of aliases: a substring test first, so only the few present compile and run their pattern.
  const lower = text.toLowerCase();
  for (const { entity, alias, needle, pattern } of COMPILED_ALIASES) {
    if (found.has(entity.id) || !lower.includes(needle)) continue;
    const match = pattern().exec(text);
    if (match)
      found.set(entity.id, { entity: { id: entity.id, name: entity.name, kind: entity.kind, matched: alias, symbols: entity.symbols }, index: match.index });
  }
  // In the order the question names them: "A vs B" compares A with B.
  return [...found.values()].sort((a, b) => a.index - b.index).map(({ entity }) => entity);
}

/** Understands a search question: entities and their aliases, dates and periods, language, figures. */
export function analyzeQuery(query: string, today: string): QueryAnalysis {
  const language = hasCjk(query) ? 'zh' : 'en';
  const entities = findEntities(query);
  const weights = new Map<string, number>();
  const add = (term: string, weight: number) => weights.set(term, Math.max(weights.get(term) ?? 0, weight));

  // A Chinese question's own terms are the bigrams inside its content words (lib/cjk-words.ts),
  // not every bigram of the sentence: those straddling two words match nothing.
  const chineseWords = language === 'zh' ? segmentChinese(query, CHINESE_VOCABULARY).filter((word) => word.length > 1 || CHINESE_VOCABULARY.has(word)) : [];
  const coreTerms = language === 'zh' ? [...tokenize(query).filter((term) => !hasCjk(term)), ...chineseWords.flatMap(wordBigrams)] : tokenize(query);
  const groups: TermGroup[] = [];
  const expansionTerms = new Set<string>();
  for (const term of new Set(coreTerms)) {
    const weight = hasCjk(term) ? QUERY_DEFAULTS.cjkBigramWeight : 1;
    add(term, weight);
  }
  const addGroup = (terms: string[], weight: number) => {
    const fresh = [...new Set(terms)];
    for (const term of fresh) {
      add(term, weight);
      expansionTerms.add(term);
    }
    if (fresh.length > 0) groups.push({ terms: fresh, weight });
  };
  for (const found of entities) {
    const entity = MARKET_ENTITIES.find((candidate) => candidate.id === found.id)!;
    // A Chinese question's name is also found in Chinese passages under any of the entity's Chinese names.
    const chineseNames = language === 'zh' ? (CHINESE_NAME_BIGRAMS.get(entity.id) ?? []) : [];
    addGroup([...entity.terms.flatMap((phrase) => tokenize(phrase)), ...chineseNames], QUERY_DEFAULTS.expansionWeight);
  }
  if (language === 'zh') {
    for (const [chinese, english] of CHINESE_GLOSSARY) {
      // The word itself counts in Chinese passages, except a question word ("为什么"), which answers do not repeat.
      if (query.includes(chinese))
        addGroup(
          [...english.flatMap((phrase) => tokenize(phrase)), ...(isChineseFunctionWord(chinese) ? [] : wordBigrams(chinese))],
          QUERY_DEFAULTS.glossaryWeight,
        );
    }
  }
  const dates = readQuestionDates(query, today);
  // Dates are written out in articles ("January 21"), so a date in the question becomes those words.
  for (const mention of dates.dates) {
    addGroup(tokenize(spellDate(mention.date)), QUERY_DEFAULTS.dateWeight);
  }
  // The question's own words are concepts of their own, unless an expansion group already holds
  // them; a Chinese word is one concept, whichever of its bigrams a passage holds.
  for (const word of new Set(chineseWords)) {
    const bigrams = wordBigrams(word).filter((term) => !expansionTerms.has(term));
    if (bigrams.length === wordBigrams(word).length) groups.push({ terms: bigrams, weight: QUERY_DEFAULTS.cjkWordWeight });
  }
  for (const term of new Set(coreTerms)) {
    if (expansionTerms.has(term) || (language === 'zh' && hasCjk(term))) continue;
    const weight = hasCjk(term) ? QUERY_DEFAULTS.cjkBigramWeight : /^\d/.test(term) ? QUERY_DEFAULTS.numberWeight : 1;
    groups.push({ terms: [term], weight });
  }
  const figures = [...query.matchAll(/\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?/g)].map((match) => match[0].replace(/,/g, ''));

  const symbols = [...new Set(entities.flatMap((entity) => entity.symbols))];
  const names = entities.map((entity) =>
    MARKET_ENTITIES.find((candidate) => candidate.id === entity.id)!
      .terms.filter((term) => /[a-z]/.test(term))
      .join(' '),
  );
  const glossary = language === 'zh' ? CHINESE_GLOSSARY.filter(([chinese]) => query.includes(chinese)).flatMap(([, english]) => english) : [];
  const vectorText = [query, ...names, ...glossary].join(' ');

  return {
    query,
    language,
    entities,
    symbols,
    terms: [...weights].map(([term, weight]) => ({ term, weight })),
    coreTerms: [...new Set(coreTerms)],
    groups,
    vectorText,
    dates,
    figures,
  };
}

/** The CJK parts of the Chinese names and glossary words: known words when a Chinese question is read. */
const CHINESE_VOCABULARY: ReadonlySet<string> = new Set([
  ...MARKET_ENTITIES.flatMap((entity) => entity.aliases.flatMap((alias) => alias.match(CJK_RUNS) ?? [])),
  ...CHINESE_GLOSSARY.map(([chinese]) => chinese),
]);

/**
 * Each entity's Chinese names as index bigrams, keeping only those no other entity's Chinese names
 * share: "盘股" is in both 小盘股 and 大盘股, so it names neither.
 */
const CHINESE_NAME_BIGRAMS: ReadonlyMap<string, string[]> = (() => {
  const owners = new Map<string, Set<string>>();
  for (const entity of MARKET_ENTITIES) {
    for (const run of entity.aliases.flatMap((alias) => alias.match(CJK_RUNS) ?? [])) {
      for (const bigram of wordBigrams(run)) owners.set(bigram, (owners.get(bigram) ?? new Set()).add(entity.id));
    }
  }
  const byEntity = new Map<string, string[]>();
  for (const [bigram, ids] of owners) {
    if (ids.size !== 1) continue;
    const [id] = [...ids] as [string];
    byEntity.set(id, [...(byEntity.get(id) ?? []), bigram]);
  }
  return byEntity;
})();

const MONTH_WORDS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function spellDate(iso: string): string {
  const month = MONTH_WORDS[Number(iso.slice(5, 7)) - 1]!;
  return `${month} ${Number(iso.slice(8, 10))}`;
}

/** An article as title matching needs it. */
export const TITLE_MATCH_DEFAULTS = {
  /** A quoted phrase shorter than this (normalised characters) names nothing ("'the'", "'up'"). */
  minQuoteChars: 8,
  /** An unquoted title counts only when it has at least this many words, so short titles do not match by accident. */
  minTitleWords: 4,
  /** A quoted phrase found in more titles than this is a phrase, not a title. */
  maxArticles: 5,
  /**
   * A quoted phrase names the article when it is most of the title (or ends with an ellipsis, the
   * way a shortened title is written); a shorter one ("AI gravity") is a term the article also
   * uses, which widens nothing but still is not a name the library lacks.
   */
  minTitleShare: 0.6,
};

// Straight quotes only count at word edges, so the apostrophe of "Russell 2000's" opens nothing.
const QUOTED =
  /“([^”]{2,300})”|‘([^’]{2,300})’|«([^»]{2,300})»|「([^」]{2,300})」|『([^』]{2,300})』|《([^》]{2,300})》|(?<![\p{L}\p{N}])"([^"]{2,300})"(?![\p{L}\p{N}])|(?<![\p{L}\p{N}])'([^']{2,300})'(?![\p{L}\p{N}])/gu;

/** The phrases a question quotes, in order. */
export function findQuotedPhrases(question: string): string[] {
  return [...question.matchAll(QUOTED)].map((match) =>
    match
      .slice(1)
      .find((group) => group !== undefined)!
      .trim(),
  );
}

export interface NamedArticles {
  /** Articles the question names by title: answer from these. */
  articleIds: string[];
  /** The quoted phrases and titles that named them. */
  phrases: string[];
  /** Articles whose title holds a shorter quoted phrase: the phrase is known, not missing. */
  mentionedIds: string[];
}

/**
 * Articles a question names: a quoted phrase that is most of a title (or ends with an ellipsis
 * standing for the rest, as UIs shorten long titles), or a whole title written out in the
 * question. Pure; the caller passes the titles.
 */
export function findNamedArticles(question: string, articles: Iterable<TitledArticle> | TitleIndex): NamedArticles {
  const titles = articles instanceof TitleIndex ? articles : TitleIndex.of(articles);
  const quoted = findQuotedPhrases(question)
    .map((phrase) => ({ phrase, normalized: normalizeTitle(phrase), shortened: /(?:…|\.{3})\s*$/u.test(phrase) }))
    .filter(({ normalized }) => normalized.length >= TITLE_MATCH_DEFAULTS.minQuoteChars);
  const byQuote = new Map<string, { named: string[]; mentioned: string[] }>();
  for (const { phrase, normalized, shortened } of quoted) {
    for (const { id, titleWords } of titles.holding(normalized)) {
      const entry = byQuote.get(phrase) ?? { named: [], mentioned: [] };
      const share = normalized.split(' ').length / titleWords;
      (shortened || share >= TITLE_MATCH_DEFAULTS.minTitleShare ? entry.named : entry.mentioned).push(id);
      byQuote.set(phrase, entry);
    }
  }
  const byTitle = titles.within(normalizeTitle(question), TITLE_MATCH_DEFAULTS.minTitleWords).map(({ id, raw }) => ({ id, title: raw }));
  const articleIds = new Set<string>();
  const mentionedIds = new Set<string>();
  const phrases: string[] = [];
  for (const [phrase, { named, mentioned }] of byQuote) {
    if (named.length + mentioned.length > TITLE_MATCH_DEFAULTS.maxArticles) continue;
    for (const id of named) articleIds.add(id);
    for (const id of mentioned) mentionedIds.add(id);
    if (named.length > 0) phrases.push(phrase);
  }
  for (const { id, title } of byTitle) {
    articleIds.add(id);
    phrases.push(title);
  }
  return { articleIds: [...articleIds], phrases, mentionedIds: [...mentionedIds].filter((id) => !articleIds.has(id)) };
}
