import { threadLexicalHelpers } from './lexical-helper.ts';
import { z } from 'zod';
import { AppError } from '../lib/errors.ts';
import { EmbeddedStore, type EmbeddedStoreOptions } from './embedded/embedded-store.ts';
import { threadWalCheckpoints } from './embedded/wal-checkpoints.ts';
import { createPostgresStore } from './postgres/postgres-store.ts';
import type { KnowledgeStore } from './store.ts';
import { threadVectorGraphs } from './vector-thread.ts';
import type { EmbedderInfo } from './types.ts';

/** Which store to build, from the environment: `COPILOT_STORE`, or Postgres when `DATABASE_URL` is set. */
export const StoreConfigSchema = z
  .object({
    COPILOT_STORE: z.enum(['embedded', 'postgres']).optional(),
    DATABASE_URL: z.string().min(1).optional(),
  })
  .transform((env) => {
    const kind = env.COPILOT_STORE ?? (env.DATABASE_URL ? 'postgres' : 'embedded');
    return { kind, ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}) };
  });
export type StoreConfig = z.infer<typeof StoreConfigSchema>;

export function loadStoreConfig(env: Record<string, string | undefined>): StoreConfig {
  const parsed = StoreConfigSchema.safeParse({
    ...(env.COPILOT_STORE ? { COPILOT_STORE: env.COPILOT_STORE } : {}),
    ...(env.DATABASE_URL ? { DATABASE_URL: env.DATABASE_URL } : {}),
  });
  if (!parsed.success) throw new AppError('bad_request', 'COPILOT_STORE must be `embedded` or `postgres` (or unset: Postgres when DATABASE_URL is set).');
  return parsed.data;
}

export interface OpenStoreOptions {
  config: StoreConfig;
  /** The embedded store's folder. */
  indexDir: string;
  embedder: EmbedderInfo;
}

/**
 * The embedded store's helper threads as the server and the CLI run them (benches use the same): the
 * vector graph on its own thread, so hnswlib inserts run beside storing and embedding, and the WAL
 * checkpoints on another, so no commit on the event loop copies pages or waits for an fsync, and in
 * a large knowledge base a third that scores part of each large lexical query.
 */
export function embeddedStoreThreads(): Pick<EmbeddedStoreOptions, 'vectorGraphs' | 'walCheckpoints' | 'lexicalHelpers'> {
  return { vectorGraphs: threadVectorGraphs, walCheckpoints: threadWalCheckpoints(), lexicalHelpers: threadLexicalHelpers };
}

/** Builds the configured knowledge store; the composition roots (server, CLI) call this and nothing else constructs one. */
export async function openStore(options: OpenStoreOptions): Promise<KnowledgeStore> {
  if (options.config.kind === 'embedded') return EmbeddedStore.open({ indexDir: options.indexDir, embedder: options.embedder, ...embeddedStoreThreads() });
  if (!options.config.databaseUrl)
    throw new AppError('bad_request', 'COPILOT_STORE=postgres needs DATABASE_URL (postgres://user:password@host:5432/database).');
  return createPostgresStore({ connectionString: options.config.databaseUrl, embedder: options.embedder });
}
