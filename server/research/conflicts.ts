import { splitSentences } from '../../ingest/sentences.ts';
import type { Source } from '../chat/types.ts';
import { cleanSentence } from '../chat/offline/sentence-text.ts';
import { findMultipleConflicts, namesIndex, rankPassageSubjects, readMultiples, type MultipleBasis, type SubjectEntity } from './multiples.ts';

/**
 * Figures that disagree across what a run retrieved (pure). Today: an index's P/E multiple stated
 * differently by different passages (18x, 20x, 37x for the Russell 2000), each value with the
 * sources that state it, the basis when a passage says which companies it counts, and a sentence
 * from the passages that explains the gap when one does. The report shows them side by side.
 */
export interface FigureConflict {
  metric: string;
  entityName: string;
  values: { value: number; basis?: MultipleBasis; sources: number[] }[];
  /** A retrieved sentence that explains the difference, with its source. */
  explanation?: { text: string; source: number };
}

const EXPLAINS = /\b(?:loss-mak\w*|money-los\w*|unprofitable|negative earnings|positive[- ]earnings|profitable companies|excluding|including)\b/i;
const ABOUT_MULTIPLES = /\bp\/e\b|\bmultiples?\b|\btimes (?:forward )?earnings\b|\bvaluations?\b/i;
const WHY = /\b(?:depend\w*|differ\w*|var(?:y|ies)|because|gap|measure\w*|methodolog\w*|why|whether)\b/i;
/** An explanation must state this much: a value of the conflict and a reason, or two values. */
const MIN_EXPLANATION_SCORE = 4;

/**
 * `sources` are the report's sources (see report-sources.ts); article sources may hold several
 * passages. `focus` limits conflicts to the indexes the question is about (all when empty).
 */
export function detectConflicts(sources: Source[], focus: string[] = []): FigureConflict[] {
  const sentences: { text: string; source: number }[] = [];
  const subjects: SubjectEntity[][] = [];
  sources.forEach((source, index) => {
    if (source.kind !== 'article') return;
    for (const passage of source.chunk.text.split('\n\n')) {
      const passageSentences = splitSentences(passage);
      const ranked = rankPassageSubjects(passageSentences);
      for (const text of passageSentences) {
        sentences.push({ text, source: index });
        subjects.push(ranked);
      }
    }
  });
  const mentions = readMultiples(
    sentences.map((sentence) => sentence.text),
    subjects,
  );
  const conflicts = findMultipleConflicts(mentions).filter((conflict) => focus.length === 0 || focus.includes(conflict.entityId));
  return conflicts.map((conflict) => {
    const values = conflict.values.map((entry) => ({
      value: entry.value,
      ...(entry.basis ? { basis: entry.basis } : {}),
      sources: [...new Set(entry.mentions.map((mention) => sentences[mention.sentence]!.source))],
    }));
    const explanation = pickExplanation(
      sentences,
      conflict.entityId,
      conflict.values.map((entry) => entry.value),
    );
    return { metric: `${conflict.name} P/E multiple`, entityName: conflict.name, values, ...(explanation ? { explanation } : {}) };
  });
}

function pickExplanation(sentences: { text: string; source: number }[], entityId: string, values: number[]): { text: string; source: number } | undefined {
  let best: { text: string; source: number; score: number } | undefined;
  for (const sentence of sentences) {
    const text = cleanSentence(sentence.text);
    if (!ABOUT_MULTIPLES.test(text) || !namesIndex(text, entityId) || text.split(/\s+/).length > 60 || text.split('|').length > 3) continue;
    const stated = values.filter((value) => new RegExp(`(?<![\\d.])${String(value).replace('.', '\\.')}(?![\\d])`).test(text)).length;
    const score = stated * 2 + (EXPLAINS.test(text) ? 2 : 0) + (WHY.test(text) ? 1 : 0);
    if (score >= MIN_EXPLANATION_SCORE && (!best || score > best.score)) best = { text, source: sentence.source, score };
  }
  return best ? { text: best.text, source: best.source } : undefined;
}
