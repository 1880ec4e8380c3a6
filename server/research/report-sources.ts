import type { Passage } from '../../kb/store.ts';
import type { Source } from '../chat/types.ts';

/**
 * A report cites articles, not passages: the passages a run retrieved from one article become one
 * source (their texts joined, in the order they were found), so the References list names each
 * article once. Computations stay one source per tool and arguments. Pure.
 */
export interface ReportSources {
  sources: Source[];
  /** Index into `sources` for each index of the run's own source list. */
  map: number[];
}

export function buildReportSources(runSources: Source[]): ReportSources {
  const sources: Source[] = [];
  const map: number[] = [];
  const byArticle = new Map<string, { index: number; chunks: Passage[] }>();
  for (const source of runSources) {
    if (source.kind === 'data') {
      map.push(sources.push(source) - 1);
      continue;
    }
    const known = byArticle.get(source.article.id);
    if (known) {
      if (!known.chunks.some((chunk) => chunk.id === source.chunk.id)) known.chunks.push(source.chunk);
      const merged = sources[known.index] as Extract<Source, { kind: 'article' }>;
      sources[known.index] = { ...merged, score: Math.max(merged.score, source.score), chunk: mergeChunks(known.chunks) };
      map.push(known.index);
      continue;
    }
    const index = sources.push(source) - 1;
    byArticle.set(source.article.id, { index, chunks: [source.chunk] });
    map.push(index);
  }
  return { sources, map };
}

function mergeChunks(chunks: Passage[]): Passage {
  const [first] = chunks as [Passage];
  const sections = [...new Set(chunks.map((chunk) => chunk.section).filter((section): section is string => Boolean(section)))];
  const { section: _section, ...rest } = first;
  return { ...rest, ...(sections.length === 1 ? { section: sections[0]! } : {}), text: chunks.map((chunk) => chunk.text).join('\n\n') };
}
