import type { MetadataDefaults } from '../parse/blocks.ts';
import { decodeContent } from '../parse/decode.ts';
import type { DocumentInput } from '../pipeline.ts';
import { fetchPage, resolveWithDns, type FetchPolicy, type ResolveHost } from './fetch-page.ts';
import { extractMainContent } from './main-content.ts';

export interface UrlFetchOptions {
  policy: FetchPolicy;
  resolveHost?: ResolveHost;
}

/**
 * A URL into an ingest input: the page fetched under the SSRF policy, a PDF passed on as bytes,
 * an HTML page reduced to its main content (main-content.ts) with the page's own title, site name
 * and date as defaults under whatever the caller gave, text as it is.
 */
export async function loadUrlDocument(url: string, caller: MetadataDefaults, options: UrlFetchOptions, signal?: AbortSignal): Promise<DocumentInput> {
  const page = await fetchPage(url, options.policy, options.resolveHost ?? resolveWithDns, signal);
  const base: DocumentInput = { content: page.bytes, origin: url, defaults: { url: page.url, ...caller } };
  if (page.kind === 'pdf') return { ...base, format: 'pdf' };
  if (page.kind === 'text') return { ...base, format: 'text' };
  const decoded = decodeContent(page.bytes, options.policy.maxBytes);
  if (!decoded.ok) return { ...base, format: 'html' };
  const main = extractMainContent(decoded.text, page.url);
  const found: MetadataDefaults = {
    ...(main.title ? { title: main.title } : {}),
    ...(main.siteName ? { source: main.siteName } : {}),
    ...(main.published ? { published: main.published } : {}),
  };
  return { ...base, content: main.html, format: 'html', defaults: { url: page.url, ...found, ...caller } };
}
