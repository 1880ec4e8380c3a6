import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { createLocalEmbedder } from '../../ingest/embed/local-embedder.ts';
import { ingestPaths } from '../../ingest/pipeline.ts';
import { WORD_VECTOR_CACHE } from '../retrieval/corpus.ts';
import { writeStepResult } from './step-io.ts';
import { round, rssMb } from './statistics.ts';
import { generateArticle, renderArticleMarkdown } from './synthetic-corpus.ts';

/**
 * One ingest-throughput step: writes `--articles` generated Markdown articles (about 750 words
 * each) to a temporary folder, then times `ingestPaths` over it exactly as `npm run ingest` runs
 * it (parse, chunk, embed with the local embedder, one commit per article, index, a snapshot of
 * the indexes at the end). Loading the word vectors is timed separately.
 *
 *   tsx bench/suite/ingest-bench.ts --articles 10000 --out result.json
 */
export const INGEST_BENCH_DEFAULTS = { passagesPerArticle: 5 };

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { articles: { type: 'string' }, out: { type: 'string' } } });
  const articles = Number(values.articles);
  if (!Number.isInteger(articles) || articles <= 0 || !values.out) throw new Error('usage: ingest-bench.ts --articles N --out FILE');
  const work = mkdtempSync(join(tmpdir(), 'copilot-bench-ingest-'));
  try {
    const corpus = join(work, 'corpus');
    mkdirSync(corpus);
    let words = 0;
    for (let index = 0; index < articles; index += 1) {
      const markdown = renderArticleMarkdown(generateArticle(index, INGEST_BENCH_DEFAULTS.passagesPerArticle));
      words += markdown.split(/\s+/).length;
      writeFileSync(join(corpus, `note-${String(index).padStart(6, '0')}.md`), markdown);
    }

    let mark = performance.now();
    const embedder = await createLocalEmbedder({ cacheDir: WORD_VECTOR_CACHE });
    const embedderLoadSeconds = round((performance.now() - mark) / 1000, 2);
    const kb = await EmbeddedStore.open({ indexDir: join(work, 'index'), embedder: { id: embedder.id, dim: embedder.dim } });

    mark = performance.now();
    const summary = await ingestPaths([corpus], { kb, embedder });
    // Closing writes the index snapshot the next start loads: part of what an ingest run costs.
    await kb.close();
    const seconds = (performance.now() - mark) / 1000;
    if (summary.failed.length > 0) throw new Error(`ingest failed for ${summary.failed.length} files: ${summary.failed[0]?.reason}`);

    writeStepResult(values.out, {
      step: 'ingest',
      articles: summary.added,
      chunks: summary.chunksIndexed,
      wordsPerArticle: Math.round(words / articles),
      seconds: round(seconds, 2),
      articlesPerSecond: round(summary.added / seconds, 1),
      chunksPerSecond: round(summary.chunksIndexed / seconds, 1),
      embedderLoadSeconds,
      embedderSource: embedder.stats.source,
      rssMb: rssMb(),
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
