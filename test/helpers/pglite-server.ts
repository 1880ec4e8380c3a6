import { PGlite, type Extensions } from '@electric-sql/pglite';
import { pg_textsearch } from '@electric-sql/pglite-pg_textsearch';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';

/**
 * A real Postgres (PGlite: Postgres compiled to WebAssembly, with the pgvector extension from npm)
 * served over the Postgres wire protocol on 127.0.0.1 with a free port, so tests and benchmarks
 * talk to it with the production `pg` driver and SQL. Nothing to start by hand, nothing to skip.
 *
 * PGlite is one connection multiplexed by the socket server, so transactions from several pooled
 * connections could interleave: clients should use a pool of one connection (`POOL_SIZE`).
 */
export const PGLITE_POOL_SIZE = 1;

export interface PgliteServer {
  /** `postgres://…` with a password, as DATABASE_URL would be (PGlite accepts any password). */
  readonly connectionString: string;
  /**
   * Empties every table but `schema_migrations`: the next store opens an empty database whose
   * migrations are applied (much faster than recreating the schema; the vector dimension stays).
   * `{ schema: true }` drops the whole schema instead.
   */
  reset(options?: { schema?: boolean }): Promise<void>;
  /** Stops and starts the database from its data folder, as after a server restart. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface PgliteServerOptions {
  /** Keep the database in this folder (durable across `restart`); in memory when absent. */
  dataDir?: string;
  /** Load the pg_textsearch BM25 extension too. */
  textsearch?: boolean;
}

// Room for a test's admin connection beside the store's pool while the previous one closes.
const MAX_CONNECTIONS = 4;

export const PGLITE_PASSWORD = 'pglite-test-password';

export async function startPgliteServer(options: PgliteServerOptions = {}): Promise<PgliteServer> {
  const extensions: Extensions = options.textsearch ? { vector, pg_textsearch } : { vector };
  let db = await PGlite.create(options.dataDir ?? 'memory://', { extensions });
  let server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: MAX_CONNECTIONS });
  await server.start();
  let connectionString = urlOf(server);

  return {
    get connectionString() {
      return connectionString;
    },
    async reset(resetOptions = {}) {
      const client = new pg.Client({ connectionString });
      await client.connect();
      try {
        if (resetOptions.schema) {
          await client.query('DROP SCHEMA public CASCADE');
          await client.query('CREATE SCHEMA public');
          return;
        }
        const { rows } = await client.query<{ name: string }>(
          "SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'",
        );
        if (rows.length > 0) await client.query(`TRUNCATE ${rows.map((row) => row.name).join(', ')} RESTART IDENTITY CASCADE`);
      } finally {
        await client.end();
      }
    },
    async restart() {
      if (!options.dataDir) throw new Error('restart needs a dataDir: an in-memory database does not survive it');
      await server.stop();
      await db.close();
      db = await PGlite.create(options.dataDir, { extensions });
      server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: MAX_CONNECTIONS });
      await server.start();
      connectionString = urlOf(server);
    },
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

function urlOf(server: PGLiteSocketServer): string {
  return `postgres://postgres:${PGLITE_PASSWORD}@${server.getServerConn()}/postgres`;
}
