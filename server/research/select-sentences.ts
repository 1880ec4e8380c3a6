import type { KnowledgeStore } from '../../kb/store.ts';
import type { Embedder } from '../../ingest/embed/embedder.ts';
import { standsAlone } from '../../lib/reference-words.ts';
import { cleanSentence } from '../chat/offline/sentence-text.ts';
import { selectSentences as selectShared } from '../evidence/select-sentences.ts';
import type { SearchHit } from '../retrieval/hybrid-search.ts';
import { analyzeQuery } from '../retrieval/query-understanding.ts';
import type { Theme } from './offline-planner.ts';

export { normalizeSentence } from '../evidence/select-sentences.ts';

/**
 * Picks a step's findings: the sentences of its retrieved passages that best answer its query and
 * serve its theme, without repeats (within the step, and of sentences earlier steps already used).
 * The selector is the one the chat engine uses (server/evidence/select-sentences.ts); a research
 * step's profile scores a sentence's theme words where the chat scores explanatory language.
 */
export const SELECT_DEFAULTS = {
  minWords: 8,
  maxWords: 70,
  /** Word overlap above which two sentences state the same thing. */
  redundancy: 0.45,
  /** A sentence must score at least this share of the step's best one. */
  floorShare: 0.5,
  weights: { coverage: 0.4, similarity: 0.25, passage: 0.2, theme: 0.15 },
};

/** Words that mark a sentence as serving a theme. */
export const THEME_WORDS: Record<Theme, RegExp> = {
  performance: /\b(?:record|rall\w*|gain\w*|rose|climb\w*|outperform\w*|led|lead\w*|returns?|beat|up \d|surg\w*)\b/i,
  volatility: /\b(?:volatil\w*|drawdowns?|correction|pullback|sell-?off|swings?|vix|fell|slid|drop\w*|declin\w*)\b/i,
  valuation: /\b(?:p\/e|valuations?|multiples?|times (?:forward )?earnings|discount|premium|cheap\w*|expensive|loss-makers|unprofitable)\b/i,
  earnings: /\b(?:earnings|profit\w*|margins?|eps|revenue|unprofitable|growth)\b/i,
  rates: /\b(?:fed|federal reserve|rate cuts?|interest rates?|yields?|borrowing|floating-rate|debt|inflation|basis points)\b/i,
  drivers: /\b(?:driv\w*|rotation|flows?|inflows?|because|catalysts?|january effect|seasonal\w*|broaden\w*|tax-loss|m&a|mergers?)\b/i,
  risks:
    /\b(?:risks?|headwinds?|vulnerab\w*|caution\w*|warn\w*|unprofitable|zombie|stretched|downside|could (?:stall|fade|reverse|falter)|opportunit\w*|upside|tailwinds?|targets?)\b/i,
  topic: /$^/,
};

export interface SelectedSentence {
  text: string;
  hit: SearchHit;
  score: number;
}

export interface SelectInput {
  kb: KnowledgeStore;
  embedder: Embedder;
  query: string;
  today: string;
  theme: Theme;
  hits: SearchHit[];
  limit: number;
  /** Normalised texts already used by earlier steps. */
  used: Set<string>;
  signal?: AbortSignal;
}

export async function selectSentences(input: SelectInput, defaults = SELECT_DEFAULTS): Promise<SelectedSentence[]> {
  const selected = await selectShared(input, {
    analysis: analyzeQuery(input.query, input.today),
    hits: input.hits,
    limit: input.limit,
    used: input.used,
    ...(input.signal ? { signal: input.signal } : {}),
    profile: {
      minWords: defaults.minWords,
      maxWords: defaults.maxWords,
      weights: { ...defaults.weights, focus: defaults.weights.theme },
      focus: (candidate) => (THEME_WORDS[input.theme].test(candidate.text) ? 1 : 0),
      floorShare: defaults.floorShare,
      redundancy: defaults.redundancy,
      figuresRepeat: false,
      clean: (raw) => stripLeadLabel(cleanSentence(raw)),
      readable: isReadableFinding,
    },
  });
  return selected.map(({ text, hit, score }) => ({ text, hit, score: Math.round(score * 10_000) / 10_000 }));
}

/**
 * Bullet lists in articles open items with a bold label ("Valuation Risk: If the …"); out of the
 * list the label reads as noise. Dropped when a full sentence follows it.
 */
export function stripLeadLabel(text: string): string {
  const match = /^([A-Z][^:.!?]{0,80}):\s+(?=[A-Z"“])/.exec(text);
  if (!match || match[1]!.split(/\s+/).length > 9) return text;
  return text.slice(match[0].length);
}

/**
 * Sentences that read as a finding on their own: not a question, a table row or a fragment. Whether
 * a sentence leans on its neighbours is the shared rule (lib/reference-words.ts), stricter here
 * about "the index" for a subject named elsewhere, since a report's findings cover several.
 */
export function isReadableFinding(text: string): boolean {
  if (/[\u4e00-\u9fff]/.test(text)) return text.length <= 200 && standsAlone(text, { subjectStandIns: true });
  if (/\?$/.test(text)) return false;
  if (!/^[A-Z"“‘'(0-9$]/.test(text)) return false;
  return standsAlone(text, { subjectStandIns: true });
}
