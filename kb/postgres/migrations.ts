import type { PoolClient } from 'pg';
import { AppError } from '../../lib/errors.ts';

/**
 * The schema as versioned migrations: data, applied in order by the app at start (never by hand),
 * each once, recorded in `schema_migrations`. A new release appends a migration; a shipped one is
 * never edited. All of them run in one transaction under an advisory lock, so several copilot
 * servers starting against one database at the same moment neither race nor half-apply.
 */
export interface MigrationContext {
  /** The embedder's vector dimension (the vector column's type is fixed when the table is made). */
  dimensions: number;
}

export interface Migration {
  version: number;
  name: string;
  statements: (context: MigrationContext) => string[];
}

/** HNSW build parameters: pgvector's defaults, measured adequate for recall@8 ≥ 0.97 (see README). */
export const HNSW_BUILD = { m: 16, efConstruction: 64 };

/** pgvector indexes `vector` up to 2,000 dimensions; wider embeddings are indexed as `halfvec`. */
const MAX_VECTOR_INDEX_DIMENSIONS = 2_000;

/** The indexed expression for a passage's vector, and the operator class that goes with it. */
export function vectorIndexExpression(dimensions: number): { expression: string; cast: string; opclass: string } {
  assertDimensions(dimensions);
  return dimensions <= MAX_VECTOR_INDEX_DIMENSIONS
    ? { expression: 'embedding', cast: `vector(${dimensions})`, opclass: 'vector_cosine_ops' }
    : { expression: `(embedding::halfvec(${dimensions}))`, cast: `halfvec(${dimensions})`, opclass: 'halfvec_cosine_ops' };
}

const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'articles, passages with vectors and lexemes, lexicon, corpus counters',
    statements: ({ dimensions }) => {
      const vector = vectorIndexExpression(dimensions);
      return [
        'CREATE EXTENSION IF NOT EXISTS vector',
        // One row: which embedder built the vectors, the counters BM25 needs, and the content version.
        `CREATE TABLE IF NOT EXISTS corpus (
          singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
          embedder_id text NOT NULL,
          embedder_dimensions integer NOT NULL,
          articles bigint NOT NULL DEFAULT 0,
          passages bigint NOT NULL DEFAULT 0,
          total_length bigint NOT NULL DEFAULT 0,
          version bigint NOT NULL DEFAULT 0
        )`,
        // The article text lives here once; sections refer to spans of it (see text-spans.ts).
        `CREATE TABLE IF NOT EXISTS articles (
          id text PRIMARY KEY,
          content_hash text NOT NULL,
          title text NOT NULL,
          body text NOT NULL,
          sections jsonb NOT NULL,
          published text,
          source text,
          url text,
          tags text[] NOT NULL,
          tickers text[] NOT NULL,
          tag_keys text[] NOT NULL,
          ticker_keys text[] NOT NULL,
          document_type text,
          company text,
          company_key text,
          origins text[] NOT NULL,
          details jsonb NOT NULL,
          ingested_at timestamptz NOT NULL
        )`,
        'CREATE UNIQUE INDEX IF NOT EXISTS articles_content_hash ON articles (content_hash)',
        'CREATE INDEX IF NOT EXISTS articles_origins ON articles USING gin (origins)',
        'CREATE INDEX IF NOT EXISTS articles_url ON articles (url)',
        'CREATE INDEX IF NOT EXISTS articles_ticker_keys ON articles USING gin (ticker_keys)',
        'CREATE INDEX IF NOT EXISTS articles_tag_keys ON articles USING gin (tag_keys)',
        'CREATE INDEX IF NOT EXISTS articles_published ON articles (published)',
        'CREATE INDEX IF NOT EXISTS articles_document_type ON articles (document_type)',
        'CREATE INDEX IF NOT EXISTS articles_company_key ON articles (company_key)',
        // A passage's text is a span of its article's body when it is one, else its own copy.
        `CREATE TABLE IF NOT EXISTS passages (
          seq bigint GENERATED ALWAYS AS IDENTITY,
          id text PRIMARY KEY,
          article_id text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
          ordinal integer NOT NULL,
          section text,
          page integer,
          table_data jsonb,
          span_start integer,
          span_length integer,
          own_text text,
          terms text[] NOT NULL,
          term_weights real[] NOT NULL,
          text_terms integer NOT NULL,
          token_count integer NOT NULL,
          embedding vector(${dimensions}) NOT NULL,
          UNIQUE (article_id, ordinal),
          CHECK ((own_text IS NULL) = (span_start IS NOT NULL AND span_length IS NOT NULL))
        )`,
        'CREATE INDEX IF NOT EXISTS passages_terms ON passages USING gin (terms)',
        `CREATE INDEX IF NOT EXISTS passages_embedding ON passages USING hnsw (${vector.expression} ${vector.opclass})
          WITH (m = ${HNSW_BUILD.m}, ef_construction = ${HNSW_BUILD.efConstruction})`,
        // Document frequency (text) and postings (text, section or title) per lexeme: BM25's IDF.
        `CREATE TABLE IF NOT EXISTS lexicon (
          term text PRIMARY KEY,
          passages integer NOT NULL,
          postings integer NOT NULL
        )`,
      ];
    },
  },
];

/** An arbitrary constant that names this app's migration lock among the database's advisory locks. */
const MIGRATION_LOCK_KEY = 720_413_913;

/** Applies the migrations not applied yet; returns the versions it applied. */
export async function applyMigrations(client: PoolClient, context: MigrationContext, migrations: Migration[] = MIGRATIONS): Promise<number[]> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const applied = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((row) => Number(row.version)));
    const newest = Math.max(0, ...applied);
    const known = Math.max(0, ...migrations.map((migration) => migration.version));
    if (newest > known) {
      throw new AppError(
        'conflict',
        `The database schema is at version ${newest}, newer than this copilot knows (${known}); upgrade the copilot before pointing it at this database.`,
      );
    }
    const done: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration.statements(context)) await client.query(statement);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      done.push(migration.version);
    }
    await client.query('COMMIT');
    return done;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

function assertDimensions(dimensions: number): void {
  // The dimension is written into DDL (types take no bind parameters): only a plain integer may pass.
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > 16_000) {
    throw new AppError('embedder_mismatch', `An embedder dimension of ${dimensions} cannot be stored; pgvector takes 1 to 16,000.`);
  }
}

/** How lexical search picks its candidates (scores are always the shared BM25, computed in SQL). */
export type LexicalEngine = 'bm25-sql' | 'pg_textsearch';

/** Name of the BM25 index the pg_textsearch engine queries (`to_bm25query` takes it by name). */
export const BM25_INDEX = 'passages_bm25';

/**
 * Detects a BM25 index extension (pg_textsearch) and, when the server has it, makes it ready: the
 * extension, a `lexemes` column (the passage's lexemes as text, whitespace-separated, so the
 * index's `simple` configuration splits them back into the project's own tokens), filled for
 * passages stored before, and the index. Runs at every start under the migration lock; each step
 * is idempotent. `wanted: false` keeps the SQL engine even where the extension exists.
 */
export async function prepareLexicalEngine(client: PoolClient, wanted: boolean | undefined): Promise<LexicalEngine> {
  if (wanted === false) return 'bm25-sql';
  const available = await client.query("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_textsearch'");
  if (available.rowCount === 0) {
    if (wanted)
      throw new AppError(
        'upstream_unavailable',
        'The pg_textsearch extension is not installed on this Postgres server; install it or leave the BM25 extension off.',
      );
    return 'bm25-sql';
  }
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_textsearch');
    await client.query('ALTER TABLE passages ADD COLUMN IF NOT EXISTS lexemes text');
    await client.query("UPDATE passages SET lexemes = array_to_string(terms, ' ') WHERE lexemes IS NULL");
    await client.query(`CREATE INDEX IF NOT EXISTS ${BM25_INDEX} ON passages USING bm25 (lexemes) WITH (text_config = 'simple')`);
    await client.query('COMMIT');
    return 'pg_textsearch';
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
