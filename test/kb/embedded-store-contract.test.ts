import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import type { EmbedderInfo } from '../../kb/types.ts';
import { inlineVectorGraphs, type VectorGraphFactory } from '../../kb/vector-graph.ts';
import { threadVectorGraphs } from '../../kb/vector-thread.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { describeStoreContract } from './store-contract.ts';

/** The embedded store keeps the same contract as the Postgres one; "reopen" is a restart on the same folder. */
const tempDir = useTempDirs();

/** Both places the vector graph can live: this thread, or a worker thread of its own (as the server runs it). */
for (const [place, vectorGraphs] of [
  ['graph inline', inlineVectorGraphs],
  ['graph on its own thread', threadVectorGraphs],
] as [string, VectorGraphFactory][]) {
  describeStoreContract(`embedded (SQLite + hnswlib + BM25, ${place})`, async (embedder: EmbedderInfo) => {
    const indexDir = tempDir();
    let store = await EmbeddedStore.open({ indexDir, embedder, vectorGraphs });
    return {
      store,
      async reopen(other = embedder) {
        await store.close();
        store = await EmbeddedStore.open({ indexDir, embedder: other, vectorGraphs });
        return store;
      },
    };
  });
}
