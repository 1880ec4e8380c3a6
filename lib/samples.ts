import { join, sep } from 'node:path';
import type { KnowledgeStore } from '../kb/store.ts';
import type { StoredArticle } from '../kb/types.ts';
import { INSTALL_DIR } from './config.ts';

/**
 * The bundled sample corpus (`data/articles/` of the install) is written for this project: its
 * publishers are invented. Articles ingested from it are labelled "sample article" wherever they
 * are shown, so they never pass for the user's own sources, and can be removed in one step.
 */
export const SAMPLE_ARTICLES_DIR = join(INSTALL_DIR, 'data', 'articles');

export const SAMPLE_LABEL = 'sample article';

/** True when every place the article came from is a file of the bundled sample corpus. */
export function isSampleArticle(article: { origins?: string[] }, sampleDir: string = SAMPLE_ARTICLES_DIR): boolean {
  const origins = article.origins ?? [];
  return origins.length > 0 && origins.every((origin) => origin.startsWith(sampleDir + sep));
}

/** The store's sample articles, found by origin (a prefix query, not a walk over every article). */
export async function listSampleArticles(kb: Pick<KnowledgeStore, 'articlesFromOrigin'>, sampleDir: string = SAMPLE_ARTICLES_DIR): Promise<StoredArticle[]> {
  return (await kb.articlesFromOrigin(sampleDir + sep)).filter((article) => isSampleArticle(article, sampleDir));
}

/** "Harbor Street Research, sample article" for a sample; the source as stored otherwise. */
export function describeArticleSource(article: { source?: string; origins?: string[] }): string | undefined {
  if (!isSampleArticle(article)) return article.source;
  return article.source ? `${article.source}, ${SAMPLE_LABEL}` : SAMPLE_LABEL;
}

export const SAMPLE_REMOVAL_HINT = 'remove them all with `npm run ingest -- --remove-samples` or `DELETE /api/articles?sample=true`';
