import { hasCjk } from '../../kb/tokenize.ts';
import { MARKET_ENTITIES } from '../../lib/market-entities.ts';

/**
 * Valuation multiples stated in article sentences, attributed to the index they describe (pure).
 *
 * The chat engine's `findMultiples` takes a clause's single index name; reports need more care,
 * because the passages that explain a conflict are written around it: "include the money-losers
 * and the index's multiple jumps to around 37 times, more expensive than large caps" names large
 * caps but describes the Russell 2000. So: a multiple belongs to the last index named before it in
 * its clause, else to one named right after it ("31 for the S&P 500"), else to the index the
 * passage was talking about (the caller's `subject`, from earlier sentences).
 */
export type MultipleBasis = 'profitable-only' | 'includes-loss-makers';

export interface StatedMultiple {
  entityId: string;
  name: string;
  value: number;
  /** Which companies the figure counts, when the sentence says so. */
  basis?: MultipleBasis;
  /** Index of the sentence in the caller's list. */
  sentence: number;
  /** True when the sentence names the index next to the figure (not inferred from the passage). */
  named: boolean;
}

export interface SubjectEntity {
  id: string;
  name: string;
}

export const MULTIPLE_DEFAULTS = {
  /** P/E multiples outside this range are more likely other numbers than multiples. */
  minValue: 5,
  maxValue: 150,
  /** Values of one index within this ratio are the same figure rounded differently, not a conflict. */
  conflictRatio: 1.1,
};

const VALUATION_CUE = /p\/e\b|price[- ]to[- ]earnings|\bearnings\b|\bmultiples?\b|\bvaluations?\b|\b\d{1,3}(?:\.\d+)?x\b/i;
const AS_MULTIPLE = /(?<![\d.,$])(\d{1,3}(?:\.\d+)?)\s*(?:x\b|×|-?times\b)/gi;
const AFTER_LABEL =
  /(?:p\/e(?:\s+ratio)?|price[- ]to[- ]earnings(?:\s+ratio)?|multiple)\s*(?:of|near|at|around|about|roughly|approximately|is|was|to)?\s*~?\s*(\d{1,3}(?:\.\d+)?)(?![\d,]|\.\d|\s*(?:%|percent|points))/gi;
/** "18 times earnings against roughly 31": the second figure is a multiple by contrast with the first. */
const CONTRASTED =
  /\b(?:against|versus|vs\.?|compared (?:with|to))\s+(?:about|roughly|around|approximately|nearly|~)?\s*(\d{1,3}(?:\.\d+)?)(?![\d,]|\.\d|\s*(?:%|percent|points))/gi;
const CLAUSE_BREAK = /\b(?:while|whereas|compared with|compared to|against|versus|but|than)\b|\bvs\.?(?=\s)|;|,\s+(?:and|or)\b/gi;
const COMPARED_WITH = /\b(?:than|versus|vs\.?|compared (?:with|to)|relative to|against)\s+/gi;
const NAMED_AFTER = /^\s*(?:x|times)?\s*(?:forward\s+|trailing\s+)?(?:earnings\s+)?(?:for|of|on)\s+(?:the\s+)?/i;
const LOSSES = String.raw`(?:loss|money-los|unprofitable|negative earnings|lose money|losing money)`;
const INCLUDES_LOSSES = new RegExp(
  String.raw`\b(?:includ\w*|count\w*|add\w*)\b[^.;]{0,30}?${LOSSES}|\b(?:loss-makers|money-losers|unprofitable (?:companies|members|firms))\s+(?:are\s+)?(?:included|counted|added)`,
  'i',
);
const PROFITABLE_ONLY = new RegExp(
  String.raw`\b(?:exclud\w*|without|strip\w*\s+out|leav\w*\s+out|ignor\w*)\b[^.;]{0,30}?${LOSSES}|\bpositive[- ]earnings\b|\bprofitable (?:companies|members|firms) (?:only|alone)\b|\bonly (?:the\s+)?profitable\b`,
  'i',
);

export function readMultiples(sentences: string[], subjects: SubjectEntity[][] = []): StatedMultiple[] {
  const found: StatedMultiple[] = [];
  sentences.forEach((raw, index) => {
    const sentence = raw.replace(/\s*\[\d{1,3}\]/g, '');
    if (!VALUATION_CUE.test(sentence)) return;
    // Table rows lose their column headers out of context; the prose around a table states the same figures.
    if (sentence.split('|').length > 3) return;
    const basis = INCLUDES_LOSSES.test(sentence) ? 'includes-loss-makers' : PROFITABLE_ONLY.test(sentence) ? 'profitable-only' : undefined;
    const numbers = numbersStatedAsMultiples(sentence).filter(({ value }) => value >= MULTIPLE_DEFAULTS.minValue && value <= MULTIPLE_DEFAULTS.maxValue);
    const named = numbers.map(({ position, end }) => attribute(sentence, position, end));
    // Figures set against each other in one sentence describe different indexes: an unnamed one is
    // the passage's subject unless another figure of the sentence, or a comparison ("cheaper than
    // the S&P 500"), is already that index's.
    const taken = new Set(named.flatMap((entity) => (entity ? [entity.id] : [])));
    const comparedWith: SubjectEntity[] = [];
    for (const comparison of sentence.matchAll(COMPARED_WITH)) {
      for (const entity of indexEntities(sentence.slice((comparison.index ?? 0) + comparison[0].length, (comparison.index ?? 0) + comparison[0].length + 40))) {
        taken.add(entity.id);
        comparedWith.push(entity);
      }
    }
    const seen = new Set<string>();
    numbers.forEach(({ value }, position) => {
      // Unnamed figures go to the passage's subject first; once it has one, a further contrasted
      // figure ("18 versus 31") belongs to the index the sentence compares it with.
      const entity =
        named[position] ??
        (subjects[index] ?? []).find((candidate) => !taken.has(candidate.id)) ??
        comparedWith.find((candidate) => !found.some((mention) => mention.sentence === index && mention.entityId === candidate.id));
      if (entity && !named[position]) taken.add(entity.id);
      if (!entity) return;
      const key = `${entity.id}:${value}`;
      if (seen.has(key)) return;
      seen.add(key);
      found.push({ entityId: entity.id, name: entity.name, value, ...(basis ? { basis } : {}), sentence: index, named: named[position] !== undefined });
    });
  });
  return found;
}

/**
 * The indexes a passage is about, most named first (earliest on a tie): what "the index" or "the
 * same asset class" means in a sentence of that passage that names no index itself.
 */
export function rankPassageSubjects(sentences: string[]): SubjectEntity[] {
  const counts = new Map<string, { entity: SubjectEntity; count: number; first: number }>();
  sentences.forEach((sentence, index) => {
    for (const entity of indexEntities(sentence)) {
      const entry = counts.get(entity.id) ?? { entity, count: 0, first: index };
      entry.count += 1;
      counts.set(entity.id, entry);
    }
  });
  return [...counts.values()].sort((a, b) => b.count - a.count || a.first - b.first).map((entry) => entry.entity);
}

function numbersStatedAsMultiples(sentence: string): { value: number; position: number; end: number }[] {
  const numbers = new Map<number, { value: number; position: number; end: number }>();
  for (const pattern of [AS_MULTIPLE, AFTER_LABEL]) {
    for (const match of sentence.matchAll(pattern)) {
      const digits = match[1]!;
      const position = (match.index ?? 0) + match[0].lastIndexOf(digits);
      numbers.set(position, { value: Number(digits), position, end: (match.index ?? 0) + match[0].length });
    }
  }
  if (numbers.size > 0) {
    for (const match of sentence.matchAll(CONTRASTED)) {
      const digits = match[1]!;
      const position = (match.index ?? 0) + match[0].lastIndexOf(digits);
      if (!numbers.has(position)) numbers.set(position, { value: Number(digits), position, end: (match.index ?? 0) + match[0].length });
    }
  }
  return [...numbers.values()].sort((a, b) => a.position - b.position);
}

function attribute(sentence: string, position: number, end: number): SubjectEntity | undefined {
  const before = sentence.slice(0, position);
  const breaks = [...before.matchAll(CLAUSE_BREAK)];
  const clauseStart = breaks.length > 0 ? (breaks.at(-1)!.index ?? 0) + breaks.at(-1)![0].length : 0;
  const clause = before.slice(clauseStart);
  // "relative to large caps (P/E of 18 versus 31)": an index named as the thing compared against
  // is not the one the next figure describes.
  const compared = new Set(
    [...clause.matchAll(COMPARED_WITH)].flatMap((match) =>
      indexEntities(clause.slice((match.index ?? 0) + match[0].length, (match.index ?? 0) + match[0].length + 40))
        .slice(0, 1)
        .map((entity) => entity.id),
    ),
  );
  const named = indexEntities(clause).filter((entity) => !compared.has(entity.id));
  if (named.length > 0) return named.at(-1);
  const after = sentence.slice(end);
  const lead = NAMED_AFTER.exec(after);
  if (lead) {
    const following = indexEntities(after.slice(lead[0].length, lead[0].length + 40));
    if (following.length > 0 && after.slice(lead[0].length).trimStart().length > 0) return following[0];
  }
  return undefined;
}

/**
 * Index names in a text, in reading order, without overlaps: in "S&P SmallCap 600" the longest
 * alias wins, so neither "S&P" (the S&P 500's) nor "SmallCap" (the Russell 2000's) counts.
 */
function indexEntities(text: string): SubjectEntity[] {
  // Most sentences name no index: one scan for every alias at once says so before the per-alias
  // patterns (Unicode, with lookarounds) run; those took over 100 ms of one valuation chat.
  if (!ANY_INDEX_ALIAS.some((pattern) => pattern.test(text))) return [];
  const taken: boolean[] = [];
  const found: { entity: SubjectEntity; start: number }[] = [];
  // A plain substring test first: only the aliases present run their (Unicode, lookaround) pattern.
  const lower = text.toLowerCase();
  for (const { id, name, pattern, needle, caseSensitive } of INDEX_ALIASES) {
    if (!(caseSensitive ? text : lower).includes(needle)) continue;
    for (const match of text.matchAll(pattern)) {
      const start = match.index ?? 0;
      const end = start + match[0].length;
      if (taken.slice(start, end).some(Boolean)) continue;
      for (let index = start; index < end; index += 1) taken[index] = true;
      found.push({ entity: { id, name }, start });
    }
  }
  return found.sort((a, b) => a.start - b.start).map(({ entity }) => entity);
}

const INDEX_ALIASES = MARKET_ENTITIES.filter((entity) => entity.kind === 'index')
  .flatMap((entity) =>
    entity.aliases.map((alias) => {
      const escaped = escapeAlias(alias);
      // All-capital aliases that are also words (DIA) count only in capitals, as in query understanding.
      const flags = /^[A-Z&]+$/.test(alias) ? 'gu' : 'giu';
      const pattern = hasCjk(alias) ? new RegExp(escaped, 'gu') : new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, flags);
      const caseSensitive = !flags.includes('i');
      return { id: entity.id, name: entity.name, alias, pattern, caseSensitive, needle: caseSensitive ? alias : alias.toLowerCase() };
    }),
  )
  .sort((a, b) => b.alias.length - a.alias.length);

/** Every alias without its word-boundary checks, one pattern per case rule: a match of any alias's pattern is a match of one of these. */
const ANY_INDEX_ALIAS = [true, false].flatMap((ignoreCase) => {
  const aliases = INDEX_ALIASES.filter(({ pattern }) => pattern.flags.includes('i') === ignoreCase);
  return aliases.length === 0 ? [] : [new RegExp(aliases.map(({ alias }) => escapeAlias(alias)).join('|'), ignoreCase ? 'iu' : 'u')];
});

function escapeAlias(alias: string): string {
  return alias.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface MultipleConflict {
  entityId: string;
  name: string;
  /** Distinct values, lowest first, each with the mentions that state it. */
  values: { value: number; mentions: StatedMultiple[]; basis?: MultipleBasis }[];
}

/** Indexes whose multiple differs across sentences by more than rounding. */
export function findMultipleConflicts(mentions: StatedMultiple[], defaults = MULTIPLE_DEFAULTS): MultipleConflict[] {
  const byEntity = new Map<string, StatedMultiple[]>();
  for (const mention of mentions) byEntity.set(mention.entityId, [...(byEntity.get(mention.entityId) ?? []), mention]);
  const conflicts: MultipleConflict[] = [];
  for (const [entityId, list] of byEntity) {
    const byValue = new Map<number, StatedMultiple[]>();
    for (const mention of list) byValue.set(mention.value, [...(byValue.get(mention.value) ?? []), mention]);
    const values = [...byValue.entries()]
      .sort(([a], [b]) => a - b)
      .map(([value, stated]) => {
        const basis = stated.find((mention) => mention.basis)?.basis;
        return { value, mentions: stated, ...(basis ? { basis } : {}) };
      });
    if (values.length < 2) continue;
    if (values.at(-1)!.value / values[0]!.value < defaults.conflictRatio) continue;
    conflicts.push({ entityId, name: list[0]!.name, values });
  }
  return conflicts;
}

export interface MultiplePair {
  a: StatedMultiple;
  b: StatedMultiple;
}

/**
 * Pairs of multiples to compute valuation gaps on: from sentences that name both indexes next to
 * their multiples, each distinct pair once, the pairs whose values the passages repeat most first
 * (the commonly quoted comparison), then in reading order. `a` is the index `order` names first.
 * Several pairs are kept on purpose: a gap measured on profitable companies only and one on all
 * companies are both true, and the report shows both.
 */
export function pickCommonPairs(mentions: StatedMultiple[], order: string[], limit = 3): MultiplePair[] {
  const [first, second] = order;
  if (!first || !second) return [];
  const count = (entityId: string, value: number) => mentions.filter((mention) => mention.entityId === entityId && mention.value === value).length;
  const pairs = new Map<string, MultiplePair & { score: number; at: number }>();
  const sentences = [...new Set(mentions.map((mention) => mention.sentence))].sort((x, y) => x - y);
  for (const sentence of sentences) {
    const a = mentions.find((mention) => mention.sentence === sentence && mention.entityId === first && mention.named);
    const b = mentions.find((mention) => mention.sentence === sentence && mention.entityId === second && mention.named);
    if (!a || !b) continue;
    const key = `${a.value}:${b.value}`;
    if (!pairs.has(key)) pairs.set(key, { a, b, score: count(first, a.value) + count(second, b.value), at: sentence });
  }
  return [...pairs.values()]
    .sort((x, y) => y.score - x.score || x.at - y.at)
    .slice(0, limit)
    .map(({ a, b }) => ({ a, b }));
}

/** True when the text names the index itself (any of its aliases). */
export function namesIndex(text: string, entityId: string): boolean {
  return indexEntities(text).some((entity) => entity.id === entityId);
}
