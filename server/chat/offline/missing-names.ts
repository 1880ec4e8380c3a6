import type { KnowledgeStore } from '../../../kb/store.ts';
import { isStopword, tokenize } from '../../../kb/tokenize.ts';
import { GENERIC_CAPITALISED, QUESTION_FILLER } from '../../../lib/financial-questions.ts';
import { findLineItems } from '../../../lib/line-items.ts';
import type { QueryAnalysis } from '../../retrieval/query-understanding.ts';

const MONTH_AND_DAY =
  /^(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|monday|tuesday|wednesday|thursday|friday|saturday|sunday|q[1-4]|h[12]|fy?\d*)$/i;

/**
 * Names the question is about that the knowledge base never mentions ("Tesla" in a corpus without
 * it): a run of capitalised words (not the question's first word, not a generic financial term,
 * not a line item) none of whose words is in any passage, title, heading or document metadata.
 * One absent word never makes a name absent when its other words are present.
 */
export async function missingNames(question: string, analysis: QueryAnalysis, kb: KnowledgeStore): Promise<string[]> {
  const known = new Set(analysis.entities.map((entity) => entity.matched.toLowerCase()));
  const generic = (word: string) => {
    const lower = word.toLowerCase().replace(/['’]s$/, '');
    return (
      GENERIC_CAPITALISED.has(lower) ||
      QUESTION_FILLER.has(lower) ||
      isStopword(lower) ||
      MONTH_AND_DAY.test(lower) ||
      lower.length < 3 ||
      findLineItems(lower).length > 0
    );
  };
  const names: string[] = [];
  for (const match of question.matchAll(/\b[A-Z][A-Za-z&.'’-]*[A-Za-z](?:\s+(?:of\s+|&\s+)?[A-Z][A-Za-z&.'’-]*[A-Za-z])*/g)) {
    const words = match[0].split(/\s+/).filter((word) => !generic(word) && !/^of$/i.test(word));
    // The question's own first word is capitalised by grammar, not because it names something.
    if (match.index === 0 && words.length === match[0].split(/\s+/).length && words.length === 1) continue;
    if (words.length === 0 || known.has(match[0].toLowerCase())) continue;
    names.push(words.join(' ').replace(/['’]s$/, ''));
  }
  const unique = [...new Set(names)];
  const statistics = await kb.termStatistics([...new Set(unique.flatMap((name) => [...tokenize(name), ...tokenize(splitGluedWords(name))]))]);
  const held = (term: string) => (statistics.documentFrequency.get(term) ?? 0) > 0;
  // Words glued together ("FairValue", "NetIncome") are a typo of the phrase when every part is held.
  const gluedPhrase = (name: string) => splitGluedWords(name) !== name && tokenize(splitGluedWords(name)).every(held);
  const absent = unique.filter((name) => !tokenize(name).some(held) && !gluedPhrase(name));
  if (absent.length === 0) return [];
  // A word in no passage may still describe an article (its title or tickers): the store's listing
  // query matches those fields, so each word is one small query instead of a walk over every article.
  const described = async (term: string) => (await kb.listArticles({ q: term, limit: 1 })).total > 0;
  const missing: string[] = [];
  for (const name of absent) {
    let mentioned = false;
    for (const term of tokenize(name)) if (!mentioned && (await described(term))) mentioned = true;
    if (!mentioned) missing.push(name);
  }
  return missing;
}

/** "FairValue" as "Fair Value": a lower-case letter followed by a capital starts a new word. */
function splitGluedWords(name: string): string {
  return name.replace(/(?<=\p{Ll})(?=\p{Lu})/gu, ' ');
}
