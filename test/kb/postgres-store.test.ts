import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LexicalIndex } from '../../kb/lexical-index.ts';
import pg from 'pg';
import { BEAM_SQL, createPostgresStore, POSTGRES_DEFAULTS, type PostgresStore } from '../../kb/postgres/postgres-store.ts';
import { efSearchFor } from '../../kb/vector-index.ts';
import { tokenize } from '../../kb/tokenize.ts';
import type { EmbedderInfo } from '../../kb/types.ts';
import { createFakeEmbedder } from '../helpers/fake-embedder.ts';
import { PGLITE_PASSWORD, PGLITE_POOL_SIZE, startPgliteServer, type PgliteServer } from '../helpers/pglite-server.ts';
import { describeStoreContract } from './store-contract.ts';

/**
 * The Postgres store against a real Postgres: PGlite with pgvector and pg_textsearch, served over
 * the wire protocol and reached with the `pg` driver, as production is. The contract runs twice:
 * with lexical candidates picked by the SQL engine and by the pg_textsearch BM25 index. The data
 * folder lives on disk so "reopen" restarts the database itself and proves writes were durable.
 */
let server: PgliteServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'copilot-pglite-'));
  server = await startPgliteServer({ dataDir, textsearch: true });
});

afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const open = (embedder: EmbedderInfo, bm25Extension = false): Promise<PostgresStore> =>
  createPostgresStore({ connectionString: server.connectionString, embedder, poolSize: PGLITE_POOL_SIZE, bm25Extension });

for (const bm25Extension of [false, true]) {
  describeStoreContract(`postgres, ${bm25Extension ? 'pg_textsearch' : 'SQL'} lexical candidates (PGlite + pgvector over the wire)`, async (embedder) => {
    await server.reset();
    let store: PostgresStore = await open(embedder, bm25Extension);
    expect(store.lexicalEngine).toBe(bm25Extension ? 'pg_textsearch' : 'bm25-sql');
    return {
      store,
      async reopen(other = embedder) {
        await store.close();
        await server.restart();
        store = await open(other, bm25Extension);
        return store;
      },
    };
  });
}

describe('PostgresStore', () => {
  it('widens the HNSW search beam with the passages it holds, as efSearchFor computes it', async () => {
    const client = new pg.Client({ connectionString: server.connectionString });
    await client.connect();
    try {
      for (const passages of [0, 5_000, 10_000, 10_001, 100_000, 300_000, 1_000_000, 10_000_000]) {
        // The expression reads the `corpus` row: evaluated here over a stand-in for it.
        const sql = BEAM_SQL.replace('FROM corpus', `FROM (SELECT ${passages}::bigint AS passages) AS corpus`);
        const { rows } = await client.query<{ beam: number }>(`SELECT ${sql} AS beam`);
        expect(Number(rows[0]!.beam), `${passages} passages`).toBe(efSearchFor(passages, POSTGRES_DEFAULTS));
      }
    } finally {
      await client.end();
    }
    expect(efSearchFor(100_000, POSTGRES_DEFAULTS)).toBeGreaterThanOrEqual(200);
  });

  it('detects the BM25 extension at start and uses it unless told not to', async () => {
    await server.reset();
    const info = { id: 'fake:bow-v1', dim: 16 };
    const detected = await createPostgresStore({ connectionString: server.connectionString, embedder: info, poolSize: PGLITE_POOL_SIZE });
    expect(detected.lexicalEngine).toBe('pg_textsearch');
    await detected.close();
  });

  it('never prints the password of the connection string', async () => {
    const wrongPort = server.connectionString.replace(/:(\d+)\//, ':1/');
    const error = await createPostgresStore({ connectionString: wrongPort, embedder: { id: 'x', dim: 4 }, poolSize: 1 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'upstream_unavailable' });
    expect(String((error as Error).message)).toContain('127.0.0.1:1/postgres');
    expect(String((error as Error).message)).not.toContain(PGLITE_PASSWORD);
  });
});

describe('PostgresStore lexical scores', () => {
  it('rank and score passages as the embedded BM25 index does, matched terms included', async () => {
    await server.reset();
    const embedder = createFakeEmbedder();
    const store = await open({ id: embedder.id, dim: embedder.dim });
    const index = LexicalIndex.create();
    const labels: string[] = [];
    try {
      const articles = [
        {
          title: 'Harbour volumes',
          sections: ['Cargo', 'Ports'],
          texts: ['Cargo volumes at the harbour rose as freight rates eased.', 'Port fees rose again; cargo owners rerouted freight.'],
        },
        {
          title: 'Chip orders',
          sections: ['Orders', ''],
          texts: ['Orders for accelerator boards doubled while freight costs fell.', 'Accelerator supply stays tight, the company said.'],
        },
        { title: 'Retail traffic', sections: [''], texts: ['Store traffic rose and holiday orders beat plans.'] },
      ];
      for (const [position, item] of articles.entries()) {
        const parsed = { title: item.title, text: item.texts.join('\n\n'), sections: [{ paragraphs: item.texts }], tags: [], tickers: [], references: [] };
        const passages = item.texts.map((text, ordinal) => ({ text, ...(item.sections[ordinal] ? { section: item.sections[ordinal] } : {}) }));
        const plan = await store.planUpsert(parsed, `file:${position}.md`);
        await store.upsert(plan, parsed, passages, await embedder.embedDocuments(item.texts));
        for (const [ordinal, passage] of passages.entries()) {
          index.add({ label: labels.length, text: passage.text, section: passage.section ?? '', title: item.title });
          labels.push(`${plan.articleId}-${ordinal}`);
        }
      }
      for (const query of ['freight rates cargo', 'accelerator orders rose', 'holiday store traffic freight']) {
        const terms = tokenize(query).map((term, position) => ({ term, weight: position === 0 ? 1 : 0.7 }));
        const expected = index.search(terms, 10);
        const actual = await store.lexicalSearch(terms, 10);
        expect(actual.hits.map((hit) => hit.passageId)).toEqual(expected.hits.map((hit) => labels[hit.label]));
        actual.hits.forEach((hit, position) => {
          const reference = expected.hits[position]!;
          expect(hit.score).toBeCloseTo(reference.score, 4);
          expect(sorted(hit.matchedTerms)).toEqual(sorted(expected.terms.filter((_, bit) => (reference.mask & (1 << bit)) !== 0)));
        });
      }
    } finally {
      await store.close();
    }
  });
});

const sorted = (values: string[]) => [...values].sort();
