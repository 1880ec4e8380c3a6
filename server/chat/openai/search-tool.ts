import { z } from 'zod';
import { IsoDateSchema } from '../../../kb/types.ts';
import type { SearchFilters } from '../../retrieval/hybrid-search.ts';
import type { ToolListing } from '../../tools/registry.ts';

/** The one tool the engine adds to the registry's: a further search of the user's articles. */
export const SEARCH_ARTICLES_TOOL_NAME = 'search_articles';

export const SearchArticlesArgsSchema = z
  .object({
    query: z.string().trim().min(1).max(500).describe('What to look for, in the words an article would use.'),
    k: z.number().int().min(1).max(8).optional().describe('How many passages to return (default 5, at most 8).'),
    tickers: z.array(z.string().trim().min(1).max(20)).max(10).optional().describe('Only articles tagged with one of these tickers.'),
    tags: z.array(z.string().trim().min(1).max(80)).max(10).optional().describe('Only articles with one of these tags.'),
    from: IsoDateSchema.optional().describe('Only articles published on or after this date, YYYY-MM-DD.'),
    to: IsoDateSchema.optional().describe('Only articles published on or before this date, YYYY-MM-DD.'),
  })
  .strict()
  .refine((args) => !args.from || !args.to || args.from <= args.to, { message: 'from is after to', path: ['from'] });
export type SearchArticlesArgs = z.infer<typeof SearchArticlesArgsSchema>;

export const SEARCH_ARTICLES_DEFAULT_K = 5;

export function listSearchArticlesTool(): ToolListing {
  const { $schema: _ignored, ...parameters } = z.toJSONSchema(SearchArticlesArgsSchema, { io: 'input' }) as Record<string, unknown>;
  return {
    name: SEARCH_ARTICLES_TOOL_NAME,
    description:
      "Search the user's own articles again, for passages the first search did not bring (another angle, entity or period). " +
      'New passages come back as further numbered sources.',
    parameters,
  };
}

/**
 * The user's filters bound the conversation's scope, so they win over the model's; the model's
 * fill only the fields the user left open.
 */
export function mergeSearchFilters(user: SearchFilters | undefined, args: SearchArticlesArgs): SearchFilters | undefined {
  const merged: SearchFilters = { ...user };
  if (!merged.tickers?.length && args.tickers?.length) merged.tickers = args.tickers;
  if (!merged.tags?.length && args.tags?.length) merged.tags = args.tags;
  if (!merged.from && args.from) merged.from = args.from;
  if (!merged.to && args.to) merged.to = args.to;
  return Object.keys(merged).length > 0 ? merged : undefined;
}
