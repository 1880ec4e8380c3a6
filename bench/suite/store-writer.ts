import { parseArgs } from 'node:util';
import { buildEmbedText } from '../../ingest/chunk.ts';
import { lowerIngestPriority } from '../../ingest/background-priority.ts';
import { createLocalEmbedder } from '../../ingest/embed/local-embedder.ts';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { embeddedStoreThreads } from '../../kb/open-store.ts';
import { WORD_VECTOR_CACHE } from '../retrieval/corpus.ts';
import { generateArticle } from './synthetic-corpus.ts';

/**
 * A second process writing into a store folder until it is killed, as `npm run ingest` does beside
 * a running server (used by store-bench.ts). Each article is one commit.
 *
 *   tsx bench/suite/store-writer.ts --index DIR --start N
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { index: { type: 'string' }, start: { type: 'string' } } });
  if (!values.index) throw new Error('usage: store-writer.ts --index DIR --start N');
  // As `npm run ingest` does by default.
  lowerIngestPriority();
  const embedder = await createLocalEmbedder({ cacheDir: WORD_VECTOR_CACHE });
  const kb = await EmbeddedStore.open({ indexDir: values.index, embedder: { id: embedder.id, dim: embedder.dim }, ...embeddedStoreThreads() });
  // Stopped as `npm run ingest` is: the commit in progress ends and the store closes. Exiting at
  // once stopped the graph thread inside an insert, which aborts the process (a native crash trace).
  let stopping = false;
  process.once('SIGTERM', () => {
    stopping = true;
  });
  for (let index = Number(values.start ?? 0); !stopping; index += 1) {
    const { article, passages } = generateArticle(index);
    const vectors = passages.map((passage) => embedder.embedSync(buildEmbedText(article, passage.section, passage.text)));
    await kb.upsert(await kb.planUpsert(article, `writer:${index}`), article, passages, vectors);
  }
  await kb.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
