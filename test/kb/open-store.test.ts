import { describe, expect, it } from 'vitest';
import { loadStoreConfig, openStore } from '../../kb/open-store.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();

describe('choosing the store from the environment', () => {
  it('is embedded by default, Postgres when DATABASE_URL is set, and COPILOT_STORE decides when given', () => {
    expect(loadStoreConfig({})).toEqual({ kind: 'embedded' });
    expect(loadStoreConfig({ DATABASE_URL: 'postgres://u:p@db:5432/kb' })).toEqual({ kind: 'postgres', databaseUrl: 'postgres://u:p@db:5432/kb' });
    expect(loadStoreConfig({ COPILOT_STORE: 'embedded', DATABASE_URL: 'postgres://u:p@db:5432/kb' }).kind).toBe('embedded');
    expect(() => loadStoreConfig({ COPILOT_STORE: 'lancedb' })).toThrow(/COPILOT_STORE must be `embedded` or `postgres`/);
  });

  it('asks for DATABASE_URL when Postgres is chosen without one', async () => {
    await expect(openStore({ config: loadStoreConfig({ COPILOT_STORE: 'postgres' }), indexDir: tempDir(), embedder: { id: 'fake', dim: 4 } })).rejects.toThrow(
      /needs DATABASE_URL/,
    );
  });

  it('opens the embedded store in the index folder', async () => {
    const store = await openStore({ config: loadStoreConfig({}), indexDir: tempDir(), embedder: { id: 'fake', dim: 4 } });
    expect(store.backend).toBe('embedded');
    expect(await store.stats()).toEqual({ articles: 0, chunks: 0 });
    await store.close();
  });
});
