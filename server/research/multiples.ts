import { findEntities } from '../retrieval/query-understanding.ts';

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

const VALUATION_CUE = /p\/e\b|price[- ]to[- ]earnings|\bearnings\b|\bmultiples?\b|\bvaluations?\b/i;
const AS_MULTIPLE = /(?<![\d.,$])(\d{1,3}(?:\.\d+)?)\s*(?:x\b|×|-?times\b)/gi;
const AFTER_LABEL = /(?:p\/e(?:\s+ratio)?|price[- ]to[- ]earnings(?:\s+ratio)?|multiple)\s*(?:of|near|at|around|about|roughly|approximately|is|was|to)?\s*~?\s*(\d{1,3}(?:\.\d+)?)(?![\d,]|\.\d|\s*(?:%|percent|points))/gi;
const CLAUSE_BREAK = /\b(?:while|whereas|compared with|compared to|against|versus|but|than)\b|\bvs\.?(?=\s)|;|,\s+(?:and|or)\b/gi;
const NAMED_AFTER = /^\s*(?:x|times)?\s*(?:forward\s+|trailing\s+)?(?:earnings\s+)?(?:for|of|on)\s+(?:the\s+)?/i;
const INCLUDES_LOSSES = /\b(?:includ\w*|count\w*|add\w*)\s+(?:in\s+)?(?:the\s+)?(?:all\s+)?(?:loss|money-los|unprofitable|negative)|\b(?:loss-makers|money-losers|unprofitable (?:companies|members|firms))\s+(?:are\s+)?(?:included|counted|added)/i;
const PROFITABLE_ONLY = /\b(?:exclud\w*|without|strip\w*\s+out|leav\w*\s+out|ignor\w*)\s+(?:the\s+)?(?:loss|money-los|unprofitable|negative)|\bpositive[- ]earnings\b|\bprofitable (?:companies|members|firms) only\b|\bonly (?:the\s+)?profitable\b/i;

export function readMultiples(sentences: string[], subjects: (SubjectEntity | undefined)[] = []): StatedMultiple[] {
  const found: StatedMultiple[] = [];
  sentences.forEach((raw, index) => {
    const sentence = raw.replace(/\s*\[\d{1,3}\]/g, '');
    if (!VALUATION_CUE.test(sentence)) return;
    // Table rows lose their column headers out of context; the prose around a table states the same figures.
    if (sentence.split('|').length > 3) return;
    const basis = INCLUDES_LOSSES.test(sentence) ? 'includes-loss-makers' : PROFITABLE_ONLY.test(sentence) ? 'profitable-only' : undefined;
    const seen = new Set<string>();
    for (const { value, position, end } of numbersStatedAsMultiples(sentence)) {
      if (value < MULTIPLE_DEFAULTS.minValue || value > MULTIPLE_DEFAULTS.maxValue) continue;
      const entity = attribute(sentence, position, end) ?? subjects[index];
      if (!entity) continue;
      const key = `${entity.id}:${value}`;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push({ entityId: entity.id, name: entity.name, value, ...(basis ? { basis } : {}), sentence: index });
    }
  });
  return found;
}

/**
 * The index a passage is about: the one named in most of its sentences (the first named on a tie).
 * It stands in for "the index" or "the same asset class" in a sentence that names no index itself.
 */
export function findPassageSubject(sentences: string[]): SubjectEntity | undefined {
  const counts = new Map<string, { entity: SubjectEntity; count: number; first: number }>();
  sentences.forEach((sentence, index) => {
    for (const entity of indexEntities(sentence)) {
      const entry = counts.get(entity.id) ?? { entity, count: 0, first: index };
      entry.count += 1;
      counts.set(entity.id, entry);
    }
  });
  return [...counts.values()].sort((a, b) => b.count - a.count || a.first - b.first)[0]?.entity;
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
  return [...numbers.values()].sort((a, b) => a.position - b.position);
}

function attribute(sentence: string, position: number, end: number): SubjectEntity | undefined {
  const before = sentence.slice(0, position);
  const breaks = [...before.matchAll(CLAUSE_BREAK)];
  const clauseStart = breaks.length > 0 ? (breaks.at(-1)!.index ?? 0) + breaks.at(-1)![0].length : 0;
  const named = indexEntities(before.slice(clauseStart));
  if (named.length > 0) return named.at(-1);
  const after = sentence.slice(end);
  const lead = NAMED_AFTER.exec(after);
  if (lead) {
    const following = indexEntities(after.slice(lead[0].length, lead[0].length + 40));
    if (following.length > 0 && after.slice(lead[0].length).trimStart().length > 0) return following[0];
  }
  return undefined;
}

function indexEntities(text: string): SubjectEntity[] {
  // "Russell 2000" contains a number that is not a multiple, and index names are what we attribute to.
  return findEntities(text)
    .filter((entity) => entity.kind === 'index')
    .map((entity) => ({ id: entity.id, name: entity.name }));
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
