import type { KnowledgeStore } from '../../../kb/store.ts';
import type { Embedder } from '../../../ingest/embed/embedder.ts';
import { EXPLANATION_HEADING, EXPLANATION_LANGUAGE, RISK_HEADING, RISK_LANGUAGE } from '../../../lib/financial-questions.ts';
import { selectSentences as selectShared, type SelectionProfile, type SentenceCandidate } from '../../evidence/select-sentences.ts';
import type { SearchHit } from '../../retrieval/hybrid-search.ts';
import type { QueryAnalysis } from '../../retrieval/query-understanding.ts';
import { MARKET_ENTITIES } from '../../../lib/market-entities.ts';
import { hasCjk } from '../../../kb/tokenize.ts';
import { extractFigures } from '../figures.ts';
import { introducesNext } from '../../../lib/reference-words.ts';
import type { Intent } from './intent.ts';

/**
 * Stage 3b of the offline engine: the sentences that answer the question, picked by the selector
 * shared with deep research (server/evidence/select-sentences.ts) with the chat's profile: a
 * "why" or a "what are the risks" is scored on the language explanations and risks are written in,
 * any other question on how closely a sentence paraphrases it, with the figures and days it asks
 * about counted in.
 */
export type Candidate = SentenceCandidate;

export const SENTENCE_DEFAULTS = {
  /** Supporting sentences after a computed answer. */
  supportingSentences: 2,
  /** Sentences for explanation or risk questions. */
  listSentences: 5,
  generalSentences: 4,
  /** Sentences more alike than this (word overlap) count as the same fact. */
  redundancy: 0.5,
  /** At most this many sentences from one article in an answer. */
  perArticle: 2,
  /**
   * Next-best sentences picked beyond the limit: a point dropped because it leans on a sentence
   * not shown is replaced by the best of these that stands on its own.
   */
  reserve: 3,
  /** A dated article speaks of the weeks after the period it covers (a half-year review in July). */
  periodLagDays: 92,
  minWords: 7,
  maxWords: 80,
  /**
   * Added to a sentence written in the question's language when that is not English: a Chinese
   * question is answered from Chinese sentences where they answer as well (English ones still
   * count, and come through when they answer better).
   */
  ownLanguageBonus: 0.1,
};

export async function selectSentences(
  deps: { kb: KnowledgeStore; embedder: Embedder },
  intent: Intent,
  analysis: QueryAnalysis,
  hits: SearchHit[],
  hasLead: boolean,
  signal: AbortSignal,
): Promise<Candidate[]> {
  const limit = sentenceLimit(intent, hasLead) + SENTENCE_DEFAULTS.reserve;
  return selectShared(deps, { analysis, hits, limit, profile: chatProfile(intent, analysis), signal });
}

/** How many sentences an answer shows; selectSentences picks `reserve` more to replace fragments. */
export function sentenceLimit(intent: Pick<Intent, 'explain' | 'risks'>, hasLead: boolean): number {
  if (hasLead) return SENTENCE_DEFAULTS.supportingSentences;
  return intent.explain || intent.risks ? SENTENCE_DEFAULTS.listSentences : SENTENCE_DEFAULTS.generalSentences;
}

/**
 * Whether a sentence of a dated article speaks of the period asked about: a year it names is one
 * the period spans ("since 2021" gives context, not the sentence's own time), and a sentence naming
 * no year was published during the period or in the weeks after it. Undated documents and
 * questions without a period are not judged.
 */
export function speaksOfPeriod(text: string, published: string | undefined, period: { from: string; to: string } | undefined): boolean {
  if (!period || !published) return true;
  const asked = new Set<string>();
  for (let year = Number(period.from.slice(0, 4)); year <= Number(period.to.slice(0, 4)); year++) asked.add(String(year));
  const named = [...text.replace(NAMES_WITH_FIGURES, ' ').replace(SINCE_YEAR, ' ').matchAll(YEAR)].map((match) => match[0]);
  if (named.length > 0) return named.some((year) => asked.has(year));
  return published >= period.from && published <= shiftDays(period.to, SENTENCE_DEFAULTS.periodLagDays);
}

/** A year, not part of a larger figure ("2,025.4", "2025 points", "20.5x"). */
const YEAR = /(?<!\d|\d[,.])(?:19|20)\d{2}(?!\d|[,.]\d|\s*(?:%|points\b|x\b))/g;
/** "Russell 2000", "罗素2000": market names that hold a figure (lib/market-entities.ts) are not years. */
const NAMES_WITH_FIGURES = new RegExp(
  MARKET_ENTITIES.flatMap((entity) => [entity.name, ...entity.aliases])
    .filter((name) => /\d/.test(name))
    .sort((a, b) => b.length - a.length)
    .map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s*'))
    .join('|'),
  'gi',
);
const SINCE_YEAR = /\b(?:since|from|as of|back to|than in|than at any time since)\s+(?:(?:early|mid|late|the end of)[- ])?(?:19|20)\d{2}\b/gi;

function shiftDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function chatProfile(intent: Intent, analysis: QueryAnalysis): SelectionProfile {
  const shared = {
    minWords: SENTENCE_DEFAULTS.minWords,
    maxWords: SENTENCE_DEFAULTS.maxWords,
    redundancy: SENTENCE_DEFAULTS.redundancy,
    figuresRepeat: true,
    perArticle: SENTENCE_DEFAULTS.perArticle,
    // FAQ blocks prefix answers with "A:"; the sentence stands without it.
    clean: (raw: string) => raw.trim().replace(/^(?:A|Q)\s*:\s*/, ''),
    // A sentence that only introduces a list ("推动这轮上涨的因素主要有三点：") is never shown, so it
    // must not take one of its article's places among the points.
    readable: (text: string) => !introducesNext(text),
    adjust: askedAbout(intent, analysis),
  };
  if (!(intent.explain || intent.risks)) {
    return { ...shared, weights: { coverage: 0.45, similarity: 0.3, passage: 0.25, focus: 0 }, floorShare: 0.55 };
  }
  // Explanations and risks are written in their own language (causal connectives, hedged and
  // modal risk wording); how much of it a sentence holds matters more than how many of the
  // question's words it repeats.
  const placement = (section: string) => {
    // A sentence under a risk heading is on topic by placement for a risk question, and answers
    // "why did it rise?" only by accident.
    const riskHeading = RISK_HEADING.test(section);
    return intent.risks ? (riskHeading ? 0.5 : 0) : riskHeading ? -0.5 : EXPLANATION_HEADING.test(section) ? 0.5 : 0;
  };
  const cues = (text: string) => new Set((text.match(intent.risks ? RISK_LANGUAGE : EXPLANATION_LANGUAGE) ?? []).map((cue) => cue.toLowerCase())).size;
  return {
    ...shared,
    weights: { coverage: 0.25, similarity: 0.2, passage: 0.2, focus: 0.35 },
    floorShare: 0.4,
    focus: (candidate) => Math.min(1, cues(candidate.text) / 3 + placement(candidate.hit.chunk.section ?? '')),
    adjust: (candidate, score) => {
      // A sentence with no explanatory (or risk) wording and no such heading explains nothing.
      const unrelated = cues(candidate.text) === 0 && placement(candidate.hit.chunk.section ?? '') <= 0;
      return shared.adjust(candidate, unrelated ? score * 0.4 : score);
    },
  };
}

/** Bonuses for the figures and days the question names, a penalty for a sentence about another month. */
/** What a sentence about another period keeps of its score: it falls below the floor unless nothing else answers. */
const OTHER_PERIOD_WEIGHT = 0.3;

function askedAbout(intent: Intent, analysis: QueryAnalysis): (candidate: Pick<Candidate, 'text' | 'figures' | 'hit'>, score: number) => number {
  const questionFigures = extractFigures(analysis.query).map((figure) => figure.value);
  const askedDates = [...analysis.dates.dates.map((mention) => mention.date), ...(intent.asOf ? [intent.asOf] : [])];
  const askedDays = askedDates.map(spellDay);
  const askedMonths = askedDates.map((date) => MONTHS[Number(date.slice(5, 7)) - 1]!);
  return (candidate, score) => {
    // A sentence about another period answers a different question, however well it matches the words.
    if (!speaksOfPeriod(candidate.text, candidate.hit.article.published, intent.period)) return score * OTHER_PERIOD_WEIGHT;
    let adjusted = score;
    if (intent.metrics.length > 0 && candidate.figures.size > 0) adjusted += 0.05;
    if (analysis.language === 'zh' && hasCjk(candidate.text)) adjusted += SENTENCE_DEFAULTS.ownLanguageBonus;
    if (questionFigures.length > 0) adjusted += (0.2 * questionFigures.filter((figure) => candidate.figures.has(figure)).length) / questionFigures.length;
    if (askedDays.length > 0) {
      if (askedDays.some((day) => candidate.text.includes(day))) adjusted += 0.12;
      else if (MONTH_NAME.test(candidate.text) && !askedMonths.some((month) => candidate.text.includes(month))) adjusted -= 0.12;
    }
    return adjusted;
  };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTH_NAME = new RegExp(`\\b(?:${MONTHS.join('|')})\\b`);

function spellDay(iso: string): string {
  return `${MONTHS[Number(iso.slice(5, 7)) - 1]} ${Number(iso.slice(8, 10))}`;
}
