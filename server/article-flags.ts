import { LRUCache } from 'lru-cache';
import { splitSentences } from '../ingest/sentences.ts';
import type { StoredArticle } from '../kb/types.ts';
import { isInstructionLike } from '../lib/instruction-sentences.ts';

/**
 * What the library warns about an article: `instructions` when it holds sentences addressed to an
 * AI (a prompt-injection attempt), with those sentences. Computed once per article content.
 */
export interface ArticleFlags {
  flags: 'instructions'[];
  flaggedSentences: string[];
}

export function createArticleFlagger(): (article: Pick<StoredArticle, 'id' | 'contentHash' | 'text'>) => ArticleFlags {
  const cache = new LRUCache<string, ArticleFlags>({ max: 2_000 });
  return (article) => {
    const key = `${article.id}:${article.contentHash}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const flaggedSentences = splitSentences(article.text).filter(isInstructionLike).slice(0, 20);
    const flags: ArticleFlags = { flags: flaggedSentences.length > 0 ? ['instructions'] : [], flaggedSentences };
    cache.set(key, flags);
    return flags;
  };
}
