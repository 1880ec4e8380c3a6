import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import type { EmbedderInfo } from '../../kb/types.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { describeStoreContract } from './store-contract.ts';

/** The embedded store keeps the same contract as the Postgres one; "reopen" is a restart on the same folder. */
const tempDir = useTempDirs();

describeStoreContract('embedded (SQLite + hnswlib + BM25)', async (embedder: EmbedderInfo) => {
  const indexDir = tempDir();
  let store = await EmbeddedStore.open({ indexDir, embedder });
  return {
    store,
    async reopen(other = embedder) {
      await store.close();
      store = await EmbeddedStore.open({ indexDir, embedder: other });
      return store;
    },
  };
});
