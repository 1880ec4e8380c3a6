import { findEntities } from '../../retrieval/query-understanding.ts';

/**
 * Reads valuation multiples out of article sentences (pure): "the Russell 2000 trades at about 18
 * times forward earnings, while the S&P 500 commands a P/E near 31" → RUT 18, S&P 500 31.
 */
export interface MultipleMention {
  entityId: string;
  name: string;
  value: number;
  /** Index of the sentence it came from, in the caller's list. */
  sentence: number;
}

const MULTIPLE = /(\d{1,3}(?:\.\d+)?)\s*(?:x\b|×|times\b)|(?:p\/?e|price[- ]to[- ]earnings|multiple|市盈率)[^\d.;]{0,40}?(\d{1,3}(?:\.\d+)?)(?!\s*%)/gi;
const CLAUSE_BREAK = /\b(?:while|whereas|compared with|compared to|against|versus|but)\b|;|\bvs\.?\s|，|；/i;
const BARE_NUMBER = /(?<![\d.,$])(\d{1,3}(?:\.\d+)?)(?![\d.,]*\s*(?:%|percent|points|basis))/;

export function findMultiples(sentences: string[]): MultipleMention[] {
  const mentions: MultipleMention[] = [];
  sentences.forEach((sentence, index) => {
    if (!/p\/?e|earnings|multiple|valuation|times|市盈率|估值/i.test(sentence)) return;
    for (const clause of sentence.split(CLAUSE_BREAK)) {
      const entities = findEntities(clause).filter((entity) => entity.kind === 'index');
      if (entities.length !== 1) continue;
      // In "18 times earnings, while the S&P 500 sits near 31", the second clause's multiple is bare.
      const match = [...clause.matchAll(MULTIPLE)][0];
      const bare = match ? undefined : BARE_NUMBER.exec(clause.replace(/S&P\s*(?:500|600)|Russell\s*2000|Nasdaq[- ]100/gi, ''));
      if (!match && !bare) continue;
      const value = Number(match ? (match[1] ?? match[2]) : bare![1]);
      if (!Number.isFinite(value) || value <= 1 || value > 200) continue;
      mentions.push({ entityId: entities[0]!.id, name: entities[0]!.name, value, sentence: index });
    }
  });
  return mentions;
}

export interface ValuationPair {
  a: MultipleMention;
  b: MultipleMention;
}

/** The first sentence that states both entities' multiples, `a` being the one the question puts first. */
export function pickValuationPair(mentions: MultipleMention[], entityOrder: string[]): ValuationPair | undefined {
  const [first, second] = entityOrder;
  if (!first || !second) return undefined;
  const bySentence = new Map<number, MultipleMention[]>();
  for (const mention of mentions) bySentence.set(mention.sentence, [...(bySentence.get(mention.sentence) ?? []), mention]);
  for (const group of bySentence.values()) {
    const a = group.find((mention) => mention.entityId === first);
    const b = group.find((mention) => mention.entityId === second);
    if (a && b) return { a, b };
  }
  return undefined;
}
