import { splitSentences } from '../../../ingest/sentences.ts';
import { pickCommonPairs, readMultiples, type StatedMultiple } from '../../research/multiples.ts';
import type { SearchHit } from '../../retrieval/hybrid-search.ts';
import type { QueryAnalysis } from '../../retrieval/query-understanding.ts';
import type { ToolResult } from '../../tools/types.ts';
import type { Source } from '../types.ts';
import type { RunTool } from './evidence-ledger.ts';
import { formatNumber } from './number-text.ts';

/**
 * Valuation questions: the multiples the retrieved articles state, the premium between the two
 * most quoted computed with the `valuation_gap` tool, and other stated multiples shown as conflicts.
 */
export async function valuationLead(analysis: QueryAnalysis, hits: SearchHit[], runTool: RunTool, cite: (source: Source) => number): Promise<string[]> {
  const sentences: { text: string; hit: SearchHit }[] = [];
  for (const hit of hits) for (const text of splitSentences(hit.chunk.text)) sentences.push({ text, hit });
  const mentions = readMultiples(sentences.map((sentence) => sentence.text)).filter((mention) => mention.named);
  const indexes = analysis.entities.filter((entity) => entity.kind === 'index').map((entity) => entity.id);
  // Articles quote more than one comparison (all companies, profitable ones only); each is a true
  // premium on its own measure, so the two most quoted are both computed rather than one picked.
  const pairs = pickCommonPairs(mentions, indexes, 2);
  const pair = pairs[0];
  if (!pair) return [];
  const lines: string[] = [];
  let articleN = -1;
  for (const [position, candidate] of pairs.entries()) {
    const source = sentences[candidate.a.sentence]!;
    const cited = cite({ kind: 'article', chunk: source.hit.chunk, article: source.hit.article, score: source.hit.score });
    if (position === 0) articleN = cited;
    const run = await runTool('valuation_gap', {
      a: { label: `${candidate.a.name} P/E`, value: candidate.a.value },
      b: { label: `${candidate.b.name} P/E`, value: candidate.b.value },
    });
    if ('error' in run) continue;
    const result = run.result as ToolResult & { premium_pct: number; discount_pct: number };
    lines.push(
      `${position === 0 ? 'At the multiples one of your articles cites' : 'On another measure your articles cite'} (${candidate.a.name} about ${candidate.a.value}x, ${candidate.b.name} about ${candidate.b.value}x forward earnings${describeBasis(candidate.b)}) [${cited}], ` +
        `${candidate.a.name} trades at a ${formatNumber(result.premium_pct)}% premium to ${candidate.b.name}; put the other way, ${candidate.b.name} is ${formatNumber(result.discount_pct)}% cheaper [${run.n}].`,
    );
  }
  if (lines.length === 0) return [];
  // Other multiples for the same index in other passages: a conflict to show, not to hide.
  const others = mentions.filter((mention) => mention.entityId === pair.b.entityId && !pairs.some((shown) => shown.b.value === mention.value));
  const shown = new Set<number>();
  const conflicts: string[] = [];
  for (const other of others) {
    if (shown.has(other.value) || conflicts.length >= 2) continue;
    shown.add(other.value);
    const at = sentences[other.sentence]!;
    const n = cite({ kind: 'article', chunk: at.hit.chunk, article: at.hit.article, score: at.hit.score });
    conflicts.push(`${other.value}x [${n}]${describeBasis(other)}`);
  }
  if (conflicts.length > 0) {
    lines.push(
      `Sources differ on ${pair.b.name}'s multiple: ${pair.b.value}x [${articleN}]${describeBasis(pair.b)} versus ${conflicts.join(' and ')}; ` +
        'each figure is stated on its own basis, so both are shown.',
    );
  }
  return lines;
}

function describeBasis(mention: StatedMultiple): string {
  if (mention.basis === 'includes-loss-makers') return ' (loss-making companies included)';
  if (mention.basis === 'profitable-only') return ' (profitable companies only)';
  return '';
}
