import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEARCH_DEFAULTS, type SearchMode } from '../server/retrieval/hybrid-search.ts';
import { buildEvaluationCorpus, createSearcher } from './retrieval/corpus.ts';
import { evaluateRetrieval, type RetrievalReport } from './retrieval/evaluate.ts';
import { loadRetrievalQuestions } from './retrieval/questions.ts';

/**
 * `npm run eval:retrieval`: recall@1, recall@5, MRR and latency of lexical, vector and hybrid
 * retrieval on the question set, and the sweep of the fusion weight that chose SEARCH_DEFAULTS.
 */
async function main(): Promise<void> {
  const indexDir = mkdtempSync(join(tmpdir(), 'copilot-eval-'));
  try {
    const { kb, embedder, seeds } = await buildEvaluationCorpus(indexDir);
    const questions = loadRetrievalQuestions({ includeSeeds: seeds });
    const stats = await kb.stats();
    console.log(`corpus: ${stats.articles} articles, ${stats.chunks} chunks (seeds ${seeds ? 'included' : 'absent'}); ${questions.length} questions\n`);

    const rows: [string, RetrievalReport][] = [];
    for (const mode of ['lexical', 'vector', 'hybrid'] as SearchMode[]) {
      rows.push([mode, await evaluateRetrieval(questions, createSearcher(kb, embedder, mode), SEARCH_DEFAULTS.noneThreshold)]);
    }
    console.log('| mode | recall@1 | recall@5 | MRR | no-answer rejected | answerable accepted | p50 ms | p99 ms |');
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const [mode, report] of rows) {
      console.log(
        `| ${mode} | ${report.recallAt1.toFixed(3)} | ${report.recallAt5.toFixed(3)} | ${report.mrr.toFixed(3)} | ${report.noAnswerRejected.toFixed(2)} | ` +
          `${report.answerableAccepted.toFixed(2)} | ${report.latencyP50Ms.toFixed(2)} | ${report.latencyP99Ms.toFixed(2)} |`,
      );
    }

    console.log('\nfusion sweep (hybrid): vectorWeight = share of cosine similarity in the absolute relevance; bm25Weight = how much relative BM25 reorders');
    console.log('| vectorWeight | bm25Weight | recall@1 | recall@5 | MRR |');
    console.log('| --- | --- | --- | --- | --- |');
    for (const vectorWeight of [0, 0.15, 0.3, 0.45, 0.6, 1]) {
      for (const bm25Weight of [0, 0.3, 0.5, 0.7]) {
        const report = await evaluateRetrieval(questions, createSearcher(kb, embedder, 'hybrid', { vectorWeight, bm25Weight }), SEARCH_DEFAULTS.noneThreshold);
        const chosen = vectorWeight === SEARCH_DEFAULTS.vectorWeight && bm25Weight === SEARCH_DEFAULTS.bm25Weight ? ' (default)' : '';
        console.log(
          `| ${vectorWeight.toFixed(2)} | ${bm25Weight.toFixed(2)}${chosen} | ${report.recallAt1.toFixed(3)} | ${report.recallAt5.toFixed(3)} | ${report.mrr.toFixed(3)} |`,
        );
      }
    }

    const hybrid = rows.find(([mode]) => mode === 'hybrid')![1];
    const misses = hybrid.outcomes.filter((outcome) => outcome.kind !== 'none' && outcome.rank !== 1);
    if (misses.length) {
      console.log('\nhybrid: questions not answered at rank 1');
      for (const miss of misses) {
        const question = questions.find((q) => q.id === miss.id)!;
        console.log(`  ${miss.id} rank=${miss.rank ?? '-'} top=${miss.topScore.toFixed(3)}  ${question.question}`);
      }
    }
    const admitted = hybrid.outcomes.filter((outcome) => outcome.kind === 'none' && outcome.topScore >= SEARCH_DEFAULTS.noneThreshold);
    for (const outcome of admitted) console.log(`  no-answer question scored above threshold: ${outcome.id} ${outcome.topScore.toFixed(3)}`);
  } finally {
    rmSync(indexDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
