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
 * a running server (used by store-bench.ts). Each article is one commit. Without `--start` it waits
 * for the first article number on a line of its standard input before it opens the store, so that
 * the bench can start it while the bench's own process is still small (see store-bench.ts).
 *
 *   tsx bench/suite/store-writer.ts --index DIR [--start N]
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { index: { type: 'string' }, start: { type: 'string' } } });
  if (!values.index) throw new Error('usage: store-writer.ts --index DIR [--start N]');
  const given = values.start ?? (await firstLine(process.stdin));
  // Its input closed with no number: the bench ended before the phase that needed it.
  if (given === '') return;
  const start = Number(given);
  if (!Number.isInteger(start)) throw new Error('store-writer.ts: the first article number must be an integer');
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
  for (let index = start; !stopping; index += 1) {
    const { article, passages } = generateArticle(index);
    const vectors = passages.map((passage) => embedder.embedSync(buildEmbedText(article, passage.section, passage.text)));
    await kb.upsert(await kb.planUpsert(article, `writer:${index}`), article, passages, vectors);
  }
  await kb.close();
}

/** The first line of a stream ('' if it ends first). */
async function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split('\n')[0]!.trim();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
