import { isSampleArticle } from '../../lib/samples.ts';
import { sanitizeAnswer } from '../output/sanitize-answer.ts';
import type { Citation, Grounding, Source } from './types.ts';
import { collectJsonNumbers, collectNumbers, extractFigures, isFigureHeld } from './figures.ts';

/**
 * The server's check on every answer, whichever engine wrote it (pure):
 * 1. a marker `[n]` that indexes no source of this answer is removed;
 * 2. a sentence stating a figure that no source it cites holds is removed (and reported);
 * 3. markers are renumbered from 0 in order of first use and each gets exactly one citation.
 */
export interface FinalizedAnswer {
  answer: string;
  citations: Citation[];
  grounding: Grounding;
}

const MARKER = /\[(\d{1,3})\](?!\()/g;

export function sourceNumbers(source: Source): number[] {
  if (source.kind === 'article') return collectNumbers(`${source.article.title}\n${source.chunk.section ?? ''}\n${source.chunk.text}`);
  return collectJsonNumbers({ arguments: source.arguments, result: source.result });
}

export function finalizeAnswer(draft: string, sources: Source[]): FinalizedAnswer {
  const numbersBySource = new Map<number, number[]>();
  const numbersOf = (index: number) => {
    let numbers = numbersBySource.get(index);
    if (!numbers) {
      numbers = sourceNumbers(sources[index]!);
      numbersBySource.set(index, numbers);
    }
    return numbers;
  };

  // 1. Markers that point nowhere go; runs like "[0][0]" collapse.
  let text = draft.replace(/\s*\[(\d{1,3})\](?!\()/g, (marker, digits: string) => (Number(digits) < sources.length ? marker : ''));
  text = text.replace(/(\[\d{1,3}\])(?:\s*\1)+/g, '$1');

  // 2. Grounding, sentence by sentence.
  let figures = 0;
  let grounded = 0;
  const removed: string[] = [];
  const lines = text.split('\n').flatMap((line) => {
    if (line.trim() === '') return [line];
    const kept: string[] = [];
    for (const sentence of splitSentences(line)) {
      const found = extractFigures(sentence);
      if (found.length === 0) {
        kept.push(sentence);
        continue;
      }
      const cited = [...sentence.matchAll(MARKER)].map((match) => Number(match[1]));
      const held = found.filter((figure) => cited.some((index) => isFigureHeld(figure, numbersOf(index))));
      figures += found.length;
      grounded += held.length;
      if (held.length === found.length) kept.push(sentence);
      else removed.push(sentence.trim());
    }
    // A line all of whose sentences were removed goes entirely (no blank left behind).
    return kept.length > 0 ? [kept.join('')] : [];
  });
  text = lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  // A bullet or heading left empty by a removal goes too.
  text = text
    .replace(/^\s*(?:[-*+]|\d+[.)])\s*$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();

  // 3. Renumber in order of first use.
  const order = new Map<number, number>();
  text = text.replace(MARKER, (_marker, digits: string) => {
    const original = Number(digits);
    if (!order.has(original)) order.set(original, order.size);
    return `[${order.get(original)}]`;
  });
  const citations = [...order.entries()].map(([original, n]) => toCitation(n, sources[original]!));
  return { answer: text, citations, grounding: { figures, grounded, removed } };
}

/**
 * Sentences of one line, each keeping its trailing markers and spacing so joining them restores
 * the line. A sentence ends at . ! ? or 。！？ (not inside a number such as 2,698.17), after any
 * markers that follow it.
 */
export function splitSentences(line: string): string[] {
  const pieces: string[] = [];
  const boundary = /[.!?](?!\d)(?:\s*\[\d{1,3}\])*\s+(?=\S)|[。！？](?:\s*\[\d{1,3}\])*\s*(?=\S)/g;
  let last = 0;
  for (const match of line.matchAll(boundary)) {
    const end = (match.index ?? 0) + match[0].length;
    // Abbreviations such as "U.S." or "vs." do not end a sentence.
    const before = line.slice(Math.max(0, (match.index ?? 0) - 4), (match.index ?? 0) + 1);
    if (/(?:\b[A-Z]\.|\bvs\.|\bU\.S\.|\bInc\.|\bCo\.|\bNo\.|\be\.g\.|\bi\.e\.)$/.test(before)) continue;
    pieces.push(line.slice(last, end));
    last = end;
  }
  if (last < line.length) pieces.push(line.slice(last));
  return pieces;
}

function toCitation(n: number, source: Source): Citation {
  if (source.kind === 'article') {
    // A snippet quotes the stored passage as inert text, as answers do: no markup, image or link
    // to anywhere but the source's own address, whichever passage the answer happens to cite.
    const allowedUrls = new Set(source.article.url ? [source.article.url] : []);
    const quoted = sanitizeAnswer(source.chunk.text, { allowedUrls, maxChars: Number.POSITIVE_INFINITY }, { trim: false }).text;
    return {
      n,
      kind: 'article',
      articleId: source.article.id,
      chunkId: source.chunk.id,
      title: source.article.title,
      ...(source.article.published ? { published: source.article.published } : {}),
      ...(source.article.url ? { url: source.article.url } : {}),
      ...(source.chunk.section ? { section: source.chunk.section } : {}),
      ...(source.chunk.page ? { page: source.chunk.page } : {}),
      ...(source.article.sentiment ? { sentiment: source.article.sentiment } : {}),
      ...(source.article.tickers.length > 0 ? { tickers: source.article.tickers } : {}),
      ...(isSampleArticle(source.article) ? { sample: true } : {}),
      snippet: quoted.length > 600 ? `${quoted.slice(0, 597)}…` : quoted,
    };
  }
  return {
    n,
    kind: 'data',
    title: dataTitle(source),
    snippet: source.result.summary,
    tool: source.tool,
    arguments: source.arguments,
    result: source.result,
  };
}

function dataTitle(source: Extract<Source, { kind: 'data' }>): string {
  const series = source.result.provenance.series?.map((entry) => `${entry.name} (${entry.origin})`).join(', ');
  const sessions = source.result.provenance.sessions;
  const span = sessions ? `, ${sessions.from} to ${sessions.to}` : '';
  return `Computed: ${source.tool}${series ? ` of ${series}` : ''}${span}`;
}
