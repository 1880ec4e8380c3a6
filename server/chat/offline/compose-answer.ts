import { describeArticleSource } from '../../../lib/samples.ts';
import { renderPrompt, type PromptLibrary } from '../../prompts.ts';
import type { SearchHit } from '../../retrieval/hybrid-search.ts';
import type { Source } from '../types.ts';
import type { Intent } from './intent.ts';
import { shiftDate } from './market-lead.ts';
import { introducesNext, leansOnPrevious } from '../../../lib/reference-words.ts';
import { normalizeSentence } from '../../evidence/select-sentences.ts';
import type { Candidate } from './select-sentences.ts';
import { extractSpan, spanFit } from './extract-span.ts';
import { cleanSentence, withMarker } from './sentence-text.ts';

/**
 * Stage 4 of the offline engine (sentence answers): the computed lead first, then the chosen
 * sentences, each cited. A general question is led by its best sentence; explanations and risks
 * become a list under a heading; with nothing to say, the no-answer template.
 */
export const COMPOSE_DEFAULTS = {
  /** A span longer than this share of its sentence is shown as the sentence alone. */
  spanShare: 0.8,
};

export interface ComposeInput {
  question: string;
  intent: Intent;
  language: 'en' | 'zh';
  /** Computed sentences (tool results, valuation premiums), already cited. */
  lead: string[];
  /** Ranked best first; the first `limit` are shown, the rest replace points that cannot stand alone. */
  sentences: Candidate[];
  limit: number;
  relevant: SearchHit[];
  /** What the no-answer template names when nothing was found. */
  topic: string;
}

export function composeAnswer(input: ComposeInput, deps: { prompts: PromptLibrary; cite: (source: Source) => number }): string {
  const { intent, lead } = input;
  const zh = input.language === 'zh';
  // The sentences to show; the selector's next-best ones wait to replace a point dropped as a fragment.
  const sentences = input.sentences.slice(0, input.limit);
  const reserve = input.sentences.slice(input.limit).filter((candidate) => !leansOnPrevious(candidate.text) && !introducesNext(candidate.text));
  if (lead.length === 0 && sentences.length === 0) return renderPrompt(deps.prompts, zh ? 'no-answer.zh' : 'no-answer.en', { topic: input.topic });

  const parts: string[] = [];
  if (lead.length > 0) parts.push((zh ? '**计算结果**\n\n' : '') + lead.join(zh ? '' : ' '));
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
      coverage: 0,
      words: new Set(),
      figures: new Set(),
    });
    sentences.splice(input.limit + 1);
  }
  const wanted = sentences.length;
  const sentenceLeads = lead.length === 0 && !intent.risks && !zh;
  if (sentenceLeads) moveAnsweringFirst(input.question, sentences);
  // The answering sentence stands as chosen; the points that support it must read on their own,
  // and one dropped for leaning on a sentence not shown gives way to the next best that stands alone.
  const standing = keepStandingSentences(sentences, sentenceLeads ? 1 : 0);
  sentences.splice(0, sentences.length, ...standing, ...reserve.slice(0, Math.max(0, wanted - standing.length)));
  if (sentences.length > 0) {
    const cited = sentences.map((candidate) =>
      withMarker(
        cleanSentence(candidate.text),
        deps.cite({ kind: 'article', chunk: candidate.hit.chunk, article: candidate.hit.article, score: candidate.hit.score }),
      ),
    );
    const heading = zh
      ? // English points are quoted as written; the note is dropped when every point is Chinese.
        `**文章要点**${sentences.every((candidate) => /\p{Script=Han}/u.test(candidate.text)) ? '' : '（英文原文）'}`
      : lead.length > 0
        ? '**What your articles say**'
        : intent.risks
          ? '**Risks your articles flag**'
          : intent.explain
            ? '**Drivers your articles point to**'
            : '';
    if (lead.length === 0 && !intent.risks && !zh) {
      // Nothing computed: the best sentence answers, led by the part of it that answers (the
      // figure, the reason, what an item consists of); the rest support it.
      parts.push(leadWithSpan(input.question, cited[0]!));
      const rest = cited.slice(1).map((line) => `- ${line}`);
      if (rest.length > 0) parts.push([intent.explain ? heading : '', rest.join('\n')].filter(Boolean).join('\n\n'));
    } else {
      parts.push([heading, cited.map((line) => `- ${line}`).join('\n')].filter(Boolean).join('\n\n'));
    }
  }
  return parts.join('\n\n');
}

/**
 * Supporting points that read on their own: a sentence opening with "This", "It", "The answer" or
 * "But", or pointing back inside ("as noted above"; lib/reference-words.ts), stays only when the
 * sentence before it in its passage is shown too, and then right after it; otherwise its referent
 * is missing and it reads as a fragment. A sentence ending in a colon never stands alone. The
 * first `exempt` sentences (the answer itself) are kept as they are.
 */
export function keepStandingSentences<T extends { text: string; previous?: string }>(sentences: T[], exempt: number): T[] {
  let kept = sentences;
  // Dropping one sentence can strand the one that leaned on it: repeat until nothing changes.
  for (;;) {
    const shown = new Set(kept.map((sentence) => normalizeSentence(sentence.text)));
    const next = kept.filter(
      (sentence, index) =>
        (index < exempt && kept[index] === sentences[index]) ||
        (!introducesNext(sentence.text) &&
          (!leansOnPrevious(sentence.text) || (sentence.previous !== undefined && shown.has(normalizeSentence(sentence.previous))))),
    );
    if (next.length === kept.length) break;
    kept = next;
  }
  // A sentence kept beside its antecedent follows it (a chain of them follows in order).
  const follows = (sentence: T, index: number) => index >= exempt && leansOnPrevious(sentence.text);
  const ordered = kept.filter((sentence, index) => !follows(sentence, index));
  let waiting = kept.filter(follows);
  while (waiting.length > 0) {
    const still = waiting.filter((sentence) => {
      const antecedent = ordered.findIndex((other) => normalizeSentence(other.text) === normalizeSentence(sentence.previous!));
      if (antecedent < 0) return true;
      ordered.splice(antecedent + 1, 0, sentence);
      return false;
    });
    // Antecedents that are each other's (a sentence repeated in two passages) cannot be placed: keep them last.
    if (still.length === waiting.length) {
      ordered.push(...still);
      break;
    }
    waiting = still;
  }
  return ordered;
}

/**
 * The lead sentence is the best-ranked one that can answer with a span of the kind the question
 * asks for (the clause after "is calculated by", the figure its words label), so a sentence that
 * only introduces a table ("is calculated as follows:") never leads when the next one answers.
 */
export function moveAnsweringFirst(question: string, sentences: { text: string }[]): void {
  let best = 0;
  let bestFit = spanFit(question, sentences[0]?.text ?? '');
  for (let index = 1; index < sentences.length; index++) {
    const fit = spanFit(question, sentences[index]!.text);
    if (fit > bestFit) {
      best = index;
      bestFit = fit;
    }
  }
  if (best > 0) sentences.unshift(...sentences.splice(best, 1));
}

/**
 * "**$36.5 million** — In fiscal 2019 the federal … was $36.5 million [2]." The span comes first so
 * the direct answer is read first; the cited sentence beside it shows where it stands. A span that
 * is most of the sentence adds nothing and is left out.
 */
export function leadWithSpan(question: string, citedSentence: string): string {
  const span = extractSpan(question, citedSentence.replace(/\s*\[\d+\](?=[.!?。！？]*$)/, ''));
  if (!span || span.length > COMPOSE_DEFAULTS.spanShare * citedSentence.length) return citedSentence;
  return `**${span}** — ${citedSentence}`;
}
