import type { ParsedArticle } from '../../kb/types.ts';
import { chunkArticle, type ChunkDraft } from '../chunk.ts';
import { cleanParsedArticle } from '../clean-article.ts';
import { checkDocumentLimits, type DocumentLimits } from '../document-limits.ts';
import { parseDocument, type ParseInput } from '../parse/parse-document.ts';

/**
 * The CPU-bound half of ingesting a document (pure): parse it into articles and cut each into
 * passages. Run in a worker thread by the server (see job-runner.ts), in-process by the CLI.
 */
export type PreparedDocument =
  | { status: 'ok'; articles: PreparedArticle[]; warnings: string[] }
  | { status: 'empty'; reason: string }
  | { status: 'failed'; reason: string };

export interface PreparedArticle {
  article: ParsedArticle;
  drafts: ChunkDraft[];
}

export interface PrepareInput extends ParseInput {
  /** Limits on the content (uploads to the server); checked before any parsing. */
  limits?: DocumentLimits;
}

export function prepareDocument(input: PrepareInput): PreparedDocument {
  if (input.limits && typeof input.content === 'string') {
    const exceeded = checkDocumentLimits(input.content, input.format === 'html' ? 'html' : 'other', input.limits);
    if (exceeded !== undefined) return { status: 'failed', reason: exceeded };
  }
  const outcome = parseDocument(input);
  if (outcome.status !== 'ok') return outcome;
  if (input.limits) {
    // Markup is limited before parsing; the text it holds is limited like a text upload.
    const characters = outcome.articles.reduce((sum, article) => sum + article.text.length, 0);
    if (characters > input.limits.maxTextChars) {
      return { status: 'failed', reason: `the document holds ${characters} characters of text; the limit per upload is ${input.limits.maxTextChars}` };
    }
  }
  const articles = outcome.articles.map(cleanParsedArticle);
  return { status: 'ok', articles: articles.map((article) => ({ article, drafts: chunkArticle(article) })), warnings: outcome.warnings };
}
