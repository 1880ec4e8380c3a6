/**
 * Text → terms for the word-vector embedder. Pure; the vocabulary is injected as a lookup so the
 * same code can try alternative spellings against it.
 *
 * The GloVe-derived vocabulary is lower-case and has no pure numbers, no "'s" and no dotted
 * abbreviations, but it does hold many hyphenated compounds ("all-time", "mid-1990s"). Hence:
 * possessives are stripped, "n't" becomes "not", a few dotted/ampersand abbreviations expand to
 * words, hyphenated words are looked up whole and by their parts, and numbers or unknown words are
 * kept as out-of-vocabulary terms (hashed to vectors by the embedder). CJK text has no vocabulary
 * here: its characters and overlapping bigrams become out-of-vocabulary terms.
 */

export type TermKind = 'word' | 'number' | 'cjk';

export interface EmbedTerm {
  term: string;
  kind: TermKind;
  /** Frequency rank in the vocabulary; absent for out-of-vocabulary terms. */
  rank?: number;
  /** Share of a full term's weight (hyphen parts and CJK unigrams count half). */
  share: number;
}

export type VocabularyLookup = (term: string) => number | undefined;

const ALIASES: Record<string, string[]> = {
  'u.s': ['united', 'states'],
  'u.k': ['britain'],
  'u.n': ['united', 'nations'],
  'e.u': ['european', 'union'],
  'e.g': [],
  'i.e': [],
  etc: [],
  vs: ['versus'],
  'm&a': ['mergers', 'acquisitions'],
  'r&d': ['research', 'development'],
  '%': ['percent'],
};

const CJK_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]+/gu;
// A number with separators ("2,698.17"), a word with inner hyphens/apostrophes/periods/ampersands, or "%".
const LATIN_TOKEN = /\d+(?:[.,]\d+)+|[\p{L}\p{N}]+(?:[-'.&][\p{L}\p{N}]+)*|%/gu;

/**
 * A token's terms depend on the token alone, and text repeats its words: with `memo` (one per
 * vocabulary, bounded by the caller) each distinct token is expanded once. The memoised terms are
 * shared between results, so callers must not change them.
 */
export function extractEmbedTerms(text: string, lookup: VocabularyLookup, memo?: Map<string, EmbedTerm[]>): EmbedTerm[] {
  const terms: EmbedTerm[] = [];
  const lower = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘`´]/g, "'");
  let last = 0;
  for (const match of lower.matchAll(CJK_RUN)) {
    pushLatin(lower.slice(last, match.index), lookup, terms, memo);
    pushCjk(match[0], terms);
    last = match.index + match[0].length;
  }
  pushLatin(lower.slice(last), lookup, terms, memo);
  return terms;
}

function pushLatin(text: string, lookup: VocabularyLookup, terms: EmbedTerm[], memo: Map<string, EmbedTerm[]> | undefined): void {
  // The matched strings alone (see kb/tokenize.ts: `matchAll` built an object per token).
  for (const token of text.match(LATIN_TOKEN) ?? []) {
    if (!memo) {
      pushToken(token, 1, lookup, terms);
      continue;
    }
    let expanded = memo.get(token);
    if (!expanded) {
      expanded = [];
      pushToken(token, 1, lookup, expanded);
      memo.set(token, expanded);
    }
    for (const term of expanded) terms.push(term);
  }
}

function pushToken(token: string, share: number, lookup: VocabularyLookup, terms: EmbedTerm[]): void {
  const alias = ALIASES[token];
  if (alias !== undefined) {
    for (const word of alias) pushWord(word, share, lookup, terms);
    return;
  }
  if (/^[\d.,]+$/.test(token)) {
    terms.push({ term: token.replace(/,/g, ''), kind: 'number', share });
    return;
  }
  const rank = lookup(token);
  if (rank !== undefined) {
    terms.push({ term: token, kind: 'word', rank, share });
    if (token.includes('-')) for (const part of token.split('-')) pushToken(part, share / 2, lookup, terms);
    return;
  }
  if (token.includes("'")) {
    if (token.endsWith("n't") && token.length > 3) {
      pushToken(token.slice(0, -3), share, lookup, terms);
      pushWord('not', share, lookup, terms);
    } else if (token.endsWith("'s")) {
      pushToken(token.slice(0, -2), share, lookup, terms);
    } else {
      pushToken(token.replace(/'/g, ''), share, lookup, terms);
    }
    return;
  }
  for (const separator of ['-', '.']) {
    if (token.includes(separator)) {
      for (const part of token.split(separator)) if (part !== '') pushToken(part, share, lookup, terms);
      return;
    }
  }
  terms.push({ term: token, kind: /^\d+$/.test(token) ? 'number' : 'word', share });
}

function pushWord(word: string, share: number, lookup: VocabularyLookup, terms: EmbedTerm[]): void {
  const rank = lookup(word);
  terms.push(rank === undefined ? { term: word, kind: 'word', share } : { term: word, kind: 'word', rank, share });
}

function pushCjk(run: string, terms: EmbedTerm[]): void {
  const chars = Array.from(run);
  chars.forEach((char, index) => {
    terms.push({ term: char, kind: 'cjk', share: 0.5 });
    const next = chars[index + 1];
    if (next !== undefined) terms.push({ term: char + next, kind: 'cjk', share: 1 });
  });
}
