import type { KnowledgeStore } from '../../../kb/store.ts';
import { inverseDocumentFrequency } from '../../../kb/term-statistics.ts';
import { tokenize } from '../../../kb/tokenize.ts';
import type { Embedder } from '../../../ingest/embed/embedder.ts';
import { splitSentences } from '../../../ingest/sentences.ts';
import { EXPLANATION_HEADING, EXPLANATION_LANGUAGE, RISK_HEADING, RISK_LANGUAGE } from '../../../lib/financial-questions.ts';
import { isInstructionLike } from '../../../lib/instruction-sentences.ts';
import { cosine, jaccard } from '../../../lib/similarity.ts';
import type { SearchHit } from '../../retrieval/hybrid-search.ts';
import type { QueryAnalysis } from '../../retrieval/query-understanding.ts';
import { extractFigures } from '../figures.ts';
import type { Intent } from './intent.ts';
import { stem } from './sentence-text.ts';

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
  minWords: 7,
  maxWords: 80,
};

export interface Candidate {
  text: string;
  hit: SearchHit;
  score: number;
  words: Set<string>;
  figures: Set<number>;
}

/** Picks the sentences that best answer the question from the retrieved passages. */
export async function selectSentences(
  deps: { kb: KnowledgeStore; embedder: Embedder },
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
      if (!cjk && (wordCount < SENTENCE_DEFAULTS.minWords || wordCount > SENTENCE_DEFAULTS.maxWords)) continue;
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
    ? SENTENCE_DEFAULTS.supportingSentences
    : intent.explain || intent.risks
      ? SENTENCE_DEFAULTS.listSentences
      : SENTENCE_DEFAULTS.generalSentences;
  const chosen: Candidate[] = [];
  const floor = (scored[0]?.score ?? 0) * (intent.explain || intent.risks ? 0.4 : 0.55);
  for (const candidate of scored) {
    if (chosen.length >= limit || candidate.score < floor) break;
    // The same fact from two sources (same key figure, or mostly the same words) is said once.
    const repeats = chosen.some(
      (picked) => jaccard(picked.words, candidate.words) > SENTENCE_DEFAULTS.redundancy || [...candidate.figures].some((figure) => picked.figures.has(figure)),
    );
    // A list of drivers or risks draws on several articles, not one article's paragraph.
    const fromSameArticle = chosen.filter((picked) => picked.hit.article.id === candidate.hit.article.id).length;
    if (!repeats && fromSameArticle < SENTENCE_DEFAULTS.perArticle) chosen.push(candidate);
  }
  return chosen;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTH_NAME = new RegExp(`\\b(?:${MONTHS.join('|')})\\b`);

function spellDay(iso: string): string {
  return `${MONTHS[Number(iso.slice(5, 7)) - 1]} ${Number(iso.slice(8, 10))}`;
}
