import { splitSentences } from '../../../ingest/sentences.ts';
import { MARKET_ENTITIES } from '../../../lib/market-entities.ts';
import { renderPrompt, type PromptLibrary } from '../../prompts.ts';
import { pickCommonPairs, readMultiples, type MultipleBasis, type StatedMultiple } from '../../research/multiples.ts';
import type { SearchHit } from '../../retrieval/hybrid-search.ts';
import type { QueryAnalysis } from '../../retrieval/query-understanding.ts';
import type { ToolResult } from '../../tools/types.ts';
import type { Source } from '../types.ts';
import type { RunTool } from './evidence-ledger.ts';
import { formatNumber } from './number-text.ts';
import type { PriceLanguage } from './price-sentences.ts';

/**
 * Valuation questions: the multiples the retrieved articles state, the premium between the two
 * most quoted computed with the `valuation_gap` tool, and other stated multiples shown as conflicts.
 * Every sentence is a template in `prompts/valuation-*-{en,zh}.md`; the words they take as values
 * are the table below. Figures are formatted alike in both languages, so grounding finds them.
 */
interface ValuationWords {
  /** How the first and any further pair of multiples is introduced. */
  framing: { first: string; other: string };
  basis: Record<MultipleBasis, string>;
  multiple: (value: number) => string;
  and: string;
}

const WORDS: Record<PriceLanguage, ValuationWords> = {
  en: {
    framing: { first: 'At the multiples one of your articles cites', other: 'On another measure your articles cite' },
    basis: { 'includes-loss-makers': ' (loss-making companies included)', 'profitable-only': ' (profitable companies only)' },
    multiple: (value) => `${value}x`,
    and: ' and ',
  },
  zh: {
    framing: { first: '按您的一篇文章引用的市盈率', other: '按您的文章引用的另一口径' },
    basis: { 'includes-loss-makers': '（含亏损公司）', 'profitable-only': '（仅计盈利公司）' },
    multiple: (value) => `${value} 倍`,
    and: '、',
  },
};

export interface ValuationLeadDeps {
  runTool: RunTool;
  cite: (source: Source) => number;
  prompts: PromptLibrary;
}

export async function valuationLead(analysis: QueryAnalysis, hits: SearchHit[], language: PriceLanguage, deps: ValuationLeadDeps): Promise<string[]> {
  const words = WORDS[language];
  const render = (id: string, values: Record<string, string>) => renderPrompt(deps.prompts, `${id}.${language}`, values);
  const name = (mention: StatedMultiple) => (language === 'zh' ? chineseName(mention) : mention.name);
  const basis = (mention: StatedMultiple) => (mention.basis ? words.basis[mention.basis] : '');
  const sentences: { text: string; hit: SearchHit }[] = [];
  for (const hit of hits) for (const text of splitSentences(hit.chunk.text)) sentences.push({ text, hit });
  const mentions = readMultiples(sentences.map((sentence) => sentence.text)).filter((mention) => mention.named);
  const indexes = analysis.entities.filter((entity) => entity.kind === 'index').map((entity) => entity.id);
  const citeSentence = (mention: StatedMultiple) => {
    const at = sentences[mention.sentence]!;
    return deps.cite({ kind: 'article', chunk: at.hit.chunk, article: at.hit.article, score: at.hit.score });
  };
  // Articles quote more than one comparison (all companies, profitable ones only); each is a true
  // premium on its own measure, so the two most quoted are both computed rather than one picked.
  const pairs = pickCommonPairs(mentions, indexes, 2);
  const pair = pairs[0];
  if (!pair) return [];
  const lines: string[] = [];
  let articleN = -1;
  for (const [position, candidate] of pairs.entries()) {
    const cited = citeSentence(candidate.a);
    if (position === 0) articleN = cited;
    const run = await deps.runTool('valuation_gap', {
      a: { label: `${candidate.a.name} P/E`, value: candidate.a.value },
      b: { label: `${candidate.b.name} P/E`, value: candidate.b.value },
    });
    if ('error' in run) continue;
    const result = run.result as ToolResult & { premium_pct: number; discount_pct: number };
    lines.push(
      render('valuation-gap', {
        framing: position === 0 ? words.framing.first : words.framing.other,
        a: name(candidate.a),
        aValue: String(candidate.a.value),
        b: name(candidate.b),
        bValue: String(candidate.b.value),
        basis: basis(candidate.b),
        source: `[${cited}]`,
        premium: formatNumber(result.premium_pct),
        discount: formatNumber(result.discount_pct),
        cite: `[${run.n}]`,
      }),
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
    conflicts.push(`${words.multiple(other.value)} [${citeSentence(other)}]${basis(other)}`);
  }
  if (conflicts.length > 0) {
    lines.push(
      render('valuation-conflict', {
        name: name(pair.b),
        stated: `${words.multiple(pair.b.value)} [${articleN}]${basis(pair.b)}`,
        others: conflicts.join(words.and),
      }),
    );
  }
  return lines;
}

/** "罗素2000": the index's Chinese alias (lib/market-entities.ts), else the name the article uses. */
function chineseName(mention: StatedMultiple): string {
  const entity = MARKET_ENTITIES.find((candidate) => candidate.id === mention.entityId);
  return entity?.aliases.find((alias) => /\p{Script=Han}/u.test(alias)) ?? mention.name;
}
