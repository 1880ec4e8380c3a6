import type { EngineEvent, Source } from '../chat/types.ts';
import type { PromptLibrary } from '../prompts.ts';
import { createEchoGuard, sanitizeAnswer, type EchoGuard, type SanitizedOutput } from './sanitize-answer.ts';

/** The prompts whose wording an answer must never repeat: the instructions, not the templates for sources. */
const PROTECTED_PROMPTS = ['system', 'tool-budget', 'research.plan', 'research.write'];

export function createPromptEchoGuard(prompts: PromptLibrary): EchoGuard {
  return createEchoGuard(
    PROTECTED_PROMPTS.flatMap((id) => {
      const template = prompts.get(id);
      return template ? [template.body] : [];
    }),
  );
}

/** http(s) URLs of the article sources that `text` cites with a marker `[n]`. */
export function citedSourceUrls(text: string, sources: readonly Source[]): Set<string> {
  const urls = new Set<string>();
  for (const match of text.matchAll(/\[(\d{1,3})\](?!\()/g)) {
    const source = sources[Number(match[1])];
    if (source?.kind === 'article' && source.article.url && /^https?:\/\//i.test(source.article.url)) urls.add(source.article.url);
  }
  return urls;
}

/** An engine's draft through the output layer, with its own sources as the only link targets. */
export function sanitizeDraft(text: string, sources: readonly Source[], options: { maxChars: number; echoGuard?: EchoGuard }): SanitizedOutput {
  return sanitizeAnswer(text, {
    allowedUrls: citedSourceUrls(text, sources),
    sourceCount: sources.length,
    maxChars: options.maxChars,
    ...(options.echoGuard ? { echoGuard: options.echoGuard } : {}),
  });
}

/**
 * Counts an engine's sources from its events while it streams, so streamed markers can be checked
 * before the draft is complete: the retrieved passages, then one per successful data tool, and the
 * passages a search tool added (numbered in its result).
 */
export function createSourceCounter(): { observe(event: EngineEvent): void; count: () => number } {
  let count = 0;
  return {
    observe(event) {
      if (event.type === 'retrieval') count = Math.max(count, event.sources.length);
      if (event.type !== 'tool') return;
      const result = event.result as { error?: unknown; passages?: { n?: unknown }[] } | null;
      if (result === null || typeof result !== 'object' || result.error !== undefined) return;
      if (Array.isArray(result.passages)) {
        for (const passage of result.passages) if (typeof passage.n === 'number') count = Math.max(count, passage.n + 1);
      } else {
        count += 1;
      }
    },
    count: () => count,
  };
}
