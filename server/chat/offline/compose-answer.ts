import { describeArticleSource } from '../../../lib/samples.ts';
import { renderPrompt, type PromptLibrary } from '../../prompts.ts';
import type { SearchHit } from '../../retrieval/hybrid-search.ts';
import type { Source } from '../types.ts';
import type { Intent } from './intent.ts';
import { shiftDate } from './market-lead.ts';
import { SENTENCE_DEFAULTS, type Candidate } from './select-sentences.ts';
import { cleanSentence, withMarker } from './sentence-text.ts';

/**
 * Stage 4 of the offline engine (sentence answers): the computed lead first, then the chosen
 * sentences, each cited. A general question is led by its best sentence; explanations and risks
 * become a list under a heading; with nothing to say, the no-answer template.
 */
export interface ComposeInput {
  intent: Intent;
  language: 'en' | 'zh';
  /** Computed sentences (tool results, valuation premiums), already cited. */
  lead: string[];
  sentences: Candidate[];
  relevant: SearchHit[];
  /** What the no-answer template names when nothing was found. */
  topic: string;
}

export function composeAnswer(input: ComposeInput, deps: { prompts: PromptLibrary; cite: (source: Source) => number }): string {
  const { intent, lead } = input;
  const zh = input.language === 'zh';
  const sentences = [...input.sentences];
  if (lead.length === 0 && sentences.length === 0) return renderPrompt(deps.prompts, zh ? 'no-answer.zh' : 'no-answer.en', { topic: input.topic });

  const parts: string[] = [];
  if (lead.length > 0) parts.push((zh ? '**计算结果**\n\n' : '') + lead.join(' '));
  // The day's own coverage: an article published on the date asked about, or the day or two after.
  const anchor = intent.asOf ?? intent.period?.to;
  const headline =
    anchor && lead.length > 0
      ? input.relevant.find((hit) => hit.article.published !== undefined && hit.article.published >= anchor && hit.article.published <= shiftDate(anchor, 3))
      : undefined;
  if (headline) {
    sentences.unshift({
      text: `${headline.article.title} (${describeArticleSource(headline.article) ?? 'your article'}, ${headline.article.published})`,
      hit: headline,
      score: 1,
      words: new Set(),
      figures: new Set(),
    });
    sentences.splice(SENTENCE_DEFAULTS.supportingSentences + 1);
  }
  if (sentences.length > 0) {
    const cited = sentences.map((candidate) =>
      withMarker(
        cleanSentence(candidate.text),
        deps.cite({ kind: 'article', chunk: candidate.hit.chunk, article: candidate.hit.article, score: candidate.hit.score }),
      ),
    );
    const heading = zh
      ? '**文章要点**（英文原文）'
      : lead.length > 0
        ? '**What your articles say**'
        : intent.risks
          ? '**Risks your articles flag**'
          : intent.explain
            ? '**Drivers your articles point to**'
            : '';
    if (lead.length === 0 && !intent.risks && !intent.explain && !zh) {
      // A general question: the best sentence answers it; the rest support it.
      parts.push(
        cited[0]!,
        ...(cited.length > 1
          ? [
              cited
                .slice(1)
                .map((line) => `- ${line}`)
                .join('\n'),
            ]
          : []),
      );
    } else {
      parts.push([heading, cited.map((line) => `- ${line}`).join('\n')].filter(Boolean).join('\n\n'));
    }
  }
  return parts.join('\n\n');
}
