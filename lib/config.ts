import { join, resolve } from 'node:path';
import { z } from 'zod';
import { AppError } from './errors.ts';

/**
 * Configuration, read once from the environment by the entry points (server/main.ts, ingest/cli.ts)
 * and passed down. Nothing else reads process.env.
 *
 * Two folders are kept apart: the install (the checkout or the image: bundled price files, the
 * sample corpus, the word-vector cache under `.cache/`) and the data dir (`COPILOT_DATA_DIR`: the
 * index, the user's own price files and articles, rebuildable caches). Pointing the data dir
 * elsewhere (a Docker volume) keeps the bundled data in reach: user files add to or override it.
 */
/** The folder this copy of the copilot is installed in (the repository root). */
export const INSTALL_DIR = resolve(import.meta.dirname, '..');
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  COPILOT_DATA_DIR: z.string().min(1).optional(),
  COPILOT_INDEX_DIR: z.string().min(1).optional(),
  COPILOT_CACHE_DIR: z.string().min(1).optional(),
  COPILOT_WORD_VECTOR_CACHE_DIR: z.string().min(1).optional(),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.string().url('OPENAI_BASE_URL must be a URL such as http://127.0.0.1:11434/v1').optional(),
  COPILOT_CHAT_MODEL: z.string().min(1).default('gpt-4o-mini'),
  COPILOT_EMBEDDINGS: z.enum(['local', 'openai']).default('local'),
  COPILOT_EMBEDDING_MODEL: z.string().min(1).default('text-embedding-3-small'),
  COPILOT_API_KEY: z.string().min(16, 'COPILOT_API_KEY must be at least 16 characters').optional(),
  COPILOT_API_KEY_SCOPE: z.enum(['all', 'writes']).default('all'),
  COPILOT_TRUST_PROXY: z.string().optional(),
  COPILOT_RATE_LIMIT: z.coerce.number().int().min(0).default(120),
  COPILOT_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent']).default('info'),
  COPILOT_LOG_FORMAT: z.enum(['text', 'json']).default('text'),
  COPILOT_ALLOWED_HOSTS: z
    .string()
    .regex(/^[\w.:[\]-]+(?:\s*,\s*[\w.:[\]-]+)*$/, 'COPILOT_ALLOWED_HOSTS must be host names separated by commas, e.g. copilot.example.com,copilot.lan')
    .optional(),
  COPILOT_LIVE_PRICES: z.enum(['auto', 'off']).default('auto'),
  COPILOT_SAMPLE_DIR: z.string().min(1).optional(),
  COPILOT_PDF_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(32 * 1024 * 1024),
  COPILOT_PDF_MAX_PAGES: z.coerce.number().int().positive().default(1_000),
  COPILOT_PDF_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  COPILOT_FETCH_ALLOW_HOSTS: z.string().optional(),
  COPILOT_FETCH_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  COPILOT_FETCH_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(16 * 1024 * 1024),
  COPILOT_MCP_WRITES: z.enum(['true', 'false']).default('false'),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  indexDir: string;
  /** Rebuildable caches of the data dir (live price ranges). */
  cacheDir: string;
  /**
   * The local embedder's binary word-vector cache (140 MB, built once from the npm package in
   * about 7 s): under the install by default, so a new data dir does not rebuild it.
   */
  wordVectorCacheDir: string;
  /** The data shipped with the install (`data/` of the checkout). */
  bundledDataDir: string;
  /** Price folders, searched in order: the data dir's own files override the bundled ones. */
  pricesDirs: string[];
  /** Sample corpus folders ingested into an empty index: the bundled corpus and the data dir's `articles/`. */
  sampleArticlesDirs: string[];
  embeddings: 'local' | 'openai';
  embeddingModel: string;
  openai: { apiKey?: string; baseURL?: string; chatModel: string };
  serverApiKey?: string;
  apiKeyScope: 'all' | 'writes';
  /** Express `trust proxy`: false, true, a hop count, or a list of addresses/subnets. */
  trustProxy: boolean | number | string;
  /** Requests per client per minute on the expensive routes; 0 turns the limit off. */
  rateLimitPerMinute: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  /** `text`: one short line per request; `json`: structured lines for a log collector. */
  logFormat: 'text' | 'json';
  /** Host names served besides localhost, 127.0.0.1, [::1] and `host` (DNS-rebinding protection). */
  allowedHosts: string[];
  livePrices: boolean;
  /** Limits of one PDF (ingest/pdf): larger, longer or slower ones fail with the limit named. */
  pdf: { maxBytes: number; maxPages: number; timeoutMs: number };
  /** POST /api/articles {url}: hosts exempt from the private-address rule, time and size limits (ingest/fetch). */
  fetch: { allowHosts: string[]; timeoutMs: number; maxBytes: number; maxRedirects: number };
  /** Whether MCP clients may ingest and delete articles (read-only by default). */
  mcpWrites: boolean;
}

export function loadConfig(env: Record<string, string | undefined>, cwd: string = process.cwd(), installDir: string = INSTALL_DIR): Config {
  // Empty strings in the environment mean "unset" (e.g. `OPENAI_API_KEY= npm start`).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const message = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new AppError('bad_request', `Invalid configuration: ${message}`);
  }
  const values = parsed.data;
  const bundledDataDir = join(installDir, 'data');
  const dataDir = values.COPILOT_DATA_DIR ? resolve(cwd, values.COPILOT_DATA_DIR) : bundledDataDir;
  const cacheDir = values.COPILOT_CACHE_DIR ? resolve(cwd, values.COPILOT_CACHE_DIR) : join(dataDir, 'cache');
  if (values.COPILOT_EMBEDDINGS === 'openai' && !values.OPENAI_API_KEY) {
    throw new AppError(
      'bad_request',
      'COPILOT_EMBEDDINGS=openai needs OPENAI_API_KEY. Set the key, or unset COPILOT_EMBEDDINGS to use the offline word-vector embedder.',
    );
  }
  return {
    port: values.PORT,
    host: values.HOST,
    dataDir,
    indexDir: values.COPILOT_INDEX_DIR ? resolve(cwd, values.COPILOT_INDEX_DIR) : join(dataDir, 'index'),
    cacheDir,
    wordVectorCacheDir: values.COPILOT_WORD_VECTOR_CACHE_DIR
      ? resolve(cwd, values.COPILOT_WORD_VECTOR_CACHE_DIR)
      : values.COPILOT_CACHE_DIR
        ? cacheDir
        : join(installDir, '.cache', 'word-vectors'),
    bundledDataDir,
    pricesDirs: unique([join(dataDir, 'prices'), join(bundledDataDir, 'prices')]),
    sampleArticlesDirs: values.COPILOT_SAMPLE_DIR
      ? [resolve(cwd, values.COPILOT_SAMPLE_DIR)]
      : unique([join(bundledDataDir, 'articles'), join(dataDir, 'articles')]),
    embeddings: values.COPILOT_EMBEDDINGS,
    embeddingModel: values.COPILOT_EMBEDDING_MODEL,
    openai: {
      ...(values.OPENAI_API_KEY ? { apiKey: values.OPENAI_API_KEY } : {}),
      ...(values.OPENAI_BASE_URL ? { baseURL: values.OPENAI_BASE_URL } : {}),
      chatModel: values.COPILOT_CHAT_MODEL,
    },
    ...(values.COPILOT_API_KEY ? { serverApiKey: values.COPILOT_API_KEY } : {}),
    apiKeyScope: values.COPILOT_API_KEY_SCOPE,
    trustProxy: parseTrustProxy(values.COPILOT_TRUST_PROXY),
    rateLimitPerMinute: values.COPILOT_RATE_LIMIT,
    logLevel: values.COPILOT_LOG_LEVEL,
    logFormat: values.COPILOT_LOG_FORMAT,
    allowedHosts: (values.COPILOT_ALLOWED_HOSTS ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
    livePrices: values.COPILOT_LIVE_PRICES === 'auto',
    pdf: { maxBytes: values.COPILOT_PDF_MAX_BYTES, maxPages: values.COPILOT_PDF_MAX_PAGES, timeoutMs: values.COPILOT_PDF_TIMEOUT_MS },
    fetch: {
      allowHosts: (values.COPILOT_FETCH_ALLOW_HOSTS ?? '')
        .split(',')
        .map((host) => host.trim())
        .filter((host) => host.length > 0),
      timeoutMs: values.COPILOT_FETCH_TIMEOUT_MS,
      maxBytes: values.COPILOT_FETCH_MAX_BYTES,
      maxRedirects: 5,
    },
    mcpWrites: values.COPILOT_MCP_WRITES === 'true',
  };
}

function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

function unique(paths: string[]): string[] {
  return [...new Set(paths)];
}
