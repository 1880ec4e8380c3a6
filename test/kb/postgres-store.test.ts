import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore, type PostgresStore } from '../../kb/postgres/postgres-store.ts';
import type { EmbedderInfo } from '../../kb/types.ts';
import { PGLITE_PASSWORD, PGLITE_POOL_SIZE, startPgliteServer, type PgliteServer } from '../helpers/pglite-server.ts';
import { describeStoreContract } from './store-contract.ts';

/**
 * The Postgres store against a real Postgres: PGlite with pgvector, served over the wire protocol
 * and reached with the `pg` driver, as production is. The data folder lives on disk so "reopen"
 * restarts the database itself and proves writes were durable.
 */
let server: PgliteServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'copilot-pglite-'));
  server = await startPgliteServer({ dataDir });
});

afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const open = (embedder: EmbedderInfo): Promise<PostgresStore> =>
  createPostgresStore({ connectionString: server.connectionString, embedder, poolSize: PGLITE_POOL_SIZE });

describeStoreContract('postgres (PGlite + pgvector over the wire)', async (embedder) => {
  await server.reset();
  let store: PostgresStore = await open(embedder);
  return {
    store,
    async reopen(other = embedder) {
      await store.close();
      await server.restart();
      store = await open(other);
      return store;
    },
  };
});

describe('PostgresStore', () => {
  it('never prints the password of the connection string', async () => {
    const wrongPort = server.connectionString.replace(/:(\d+)\//, ':1/');
    const error = await createPostgresStore({ connectionString: wrongPort, embedder: { id: 'x', dim: 4 }, poolSize: 1 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'upstream_unavailable' });
    expect(String((error as Error).message)).toContain('127.0.0.1:1/postgres');
    expect(String((error as Error).message)).not.toContain(PGLITE_PASSWORD);
  });
});
