import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEARCH_DEFAULTS } from '../../server/retrieval/hybrid-search.ts';
import { buildEvaluationCorpus, createSearcher } from '../../bench/retrieval/corpus.ts';
import { evaluateRetrieval, type RetrievalReport } from '../../bench/retrieval/evaluate.ts';
import { loadRetrievalQuestions } from '../../bench/retrieval/questions.ts';

/**
 * The retrieval evaluation (`npm run eval:retrieval`) as a regression floor: the figures may move
 * with the corpus and the code, but never below these. No timing is asserted.
 */
describe('retrieval quality on the evaluation question set', () => {
  const reports: Record<string, RetrievalReport> = {};
  let indexDir = '';

  beforeAll(async () => {
    indexDir = mkdtempSync(join(tmpdir(), 'copilot-eval-floor-'));
    const { kb, embedder, seeds } = await buildEvaluationCorpus(indexDir);
    const questions = loadRetrievalQuestions({ includeSeeds: seeds });
    for (const mode of ['lexical', 'vector', 'hybrid'] as const) {
      reports[mode] = await evaluateRetrieval(questions, createSearcher(kb, embedder, mode), SEARCH_DEFAULTS.noneThreshold);
    }
  });
  afterAll(() => rmSync(indexDir, { recursive: true, force: true }));

  it('keeps hybrid recall@5 and MRR above their floors', () => {
    expect(reports.hybrid!.answerable).toBeGreaterThanOrEqual(35);
    expect(reports.hybrid!.recallAt5).toBeGreaterThanOrEqual(0.93);
    expect(reports.hybrid!.mrr).toBeGreaterThanOrEqual(0.82);
  });

  it('ranks better with hybrid fusion than with either index alone', () => {
    expect(reports.hybrid!.mrr).toBeGreaterThan(reports.lexical!.mrr);
    expect(reports.hybrid!.mrr).toBeGreaterThan(reports.vector!.mrr);
    expect(reports.hybrid!.recallAt5).toBeGreaterThanOrEqual(reports.lexical!.recallAt5);
  });

  it('scores questions with no answer in the corpus below the "nothing relevant" threshold', () => {
    expect(reports.hybrid!.noAnswerRejected).toBeGreaterThanOrEqual(0.85);
    expect(reports.hybrid!.answerableAccepted).toBeGreaterThanOrEqual(0.9);
  });
});
