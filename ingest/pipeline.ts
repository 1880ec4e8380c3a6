import { readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import type { KnowledgeStore, UpsertPlan } from '../kb/store.ts';
import type { ParsedArticle } from '../kb/types.ts';
import { AppError, type ErrorCode } from '../lib/errors.ts';
import type { ChunkDraft } from './chunk.ts';
import type { Embedder } from './embed/embedder.ts';
import { isPdfFilename, isPdfInput, preparePdfDocument, type InputFormat, type PdfOptions, type PreparedInput } from './parse-input.ts';
import { PDF_DEFAULTS } from './pdf/parse-pdf.ts';
import type { DocumentFormat, ParseInput } from './parse/parse-document.ts';
import { prepareDocument, type PreparedDocument } from './worker/prepare-document.ts';

export const INGEST_DEFAULTS = {
  extensions: ['.html', '.htm', '.md', '.markdown', '.txt', '.json', '.pdf'],
  /** Larger files are reported as failed rather than parsed (a 20 MB page is chrome, not an article). */
  maxBytes: 8 * 1024 * 1024,
  embedBatchSize: 64,
  /** Files staged (parsed, planned, embedded) ahead of the one being stored. */
  filesAhead: 2,
};

export type DocumentStatus = 'added' | 'updated' | 'skipped' | 'failed' | 'empty';

export interface DocumentReport {
  origin: string;
  status: DocumentStatus;
  reason?: string;
  /** For a failure with a more precise meaning than a bad request (413 too large, 422 unreadable PDF). */
  code?: ErrorCode;
  articleIds: string[];
  chunks: number;
  warnings: string[];
}

export interface DocumentInput {
  content: Uint8Array | string;
  filename?: string;
  format?: InputFormat;
  defaults?: ParseInput['defaults'];
  /** Where it came from (absolute path or URL); the same origin with new content is an update. */
  origin?: string;
}

export interface IngestDeps {
  kb: KnowledgeStore;
  embedder: Embedder;
  /** Parses and chunks a document; the server runs this in a worker thread (ingest/worker). */
  prepare?: (input: ParseInput, signal?: AbortSignal) => Promise<PreparedDocument>;
  signal?: AbortSignal;
  /** PDF limits and reader (default: pdf.js in a worker thread with PDF_DEFAULTS). */
  pdf?: PdfOptions;
}

/**
 * Parses, chunks, embeds and stores one document (a file or an API body); each article is durable
 * when this resolves. Never throws for bad content; only for a broken knowledge base, a failed
 * embedder, or an abort.
 */
export async function ingestDocument(input: DocumentInput, deps: IngestDeps, maxBytes = INGEST_DEFAULTS.maxBytes): Promise<DocumentReport> {
  return commitDocument(await prepareForStore(input, deps, maxBytes), deps);
}

/**
 * A document parsed, planned and embedded, not yet stored: the CPU-heavy half of ingest, which a
 * bulk ingest runs for the next files while this thread stores the previous one.
 */
type StagedDocument = { status: 'done'; report: DocumentReport } | { status: 'staged'; origin: string; warnings: string[]; articles: StagedArticle[] };

interface StagedArticle {
  article: ParsedArticle;
  drafts: ChunkDraft[];
  origin: string | undefined;
  plan: UpsertPlan;
  /** Absent when the plan stores nothing new (skip, duplicate, no passages). */
  vectors?: Float32Array[];
}

async function prepareForStore(input: DocumentInput, deps: IngestDeps, maxBytes: number): Promise<StagedDocument> {
  const origin = input.origin ?? input.defaults?.url ?? '(request body)';
  // PDFs have their own reader (pdf.js in its own worker); every other type goes to `prepare`.
  const outcome: PreparedInput = isPdfInput(input)
    ? await preparePdfDocument(input, deps.pdf)
    : await (deps.prepare ?? prepareInProcess)(
        {
          content: input.content,
          ...(input.filename ? { filename: input.filename } : {}),
          ...(input.format ? { format: input.format as DocumentFormat } : {}),
          ...(input.defaults ? { defaults: input.defaults } : {}),
          maxBytes,
        },
        deps.signal,
      );
  if (outcome.status === 'failed') {
    return {
      status: 'done',
      report: { origin, status: 'failed', reason: outcome.reason, ...(outcome.code ? { code: outcome.code } : {}), articleIds: [], chunks: 0, warnings: [] },
    };
  }
  if (outcome.status !== 'ok')
    return { status: 'done', report: { origin, status: outcome.status, reason: outcome.reason, articleIds: [], chunks: 0, warnings: [] } };
  const multiple = outcome.articles.length > 1;
  const articles: StagedArticle[] = [];
  for (const [position, { article, drafts }] of outcome.articles.entries()) {
    // Each article of a JSON array gets its own origin so one can be updated without the others.
    const articleOrigin = input.origin && multiple ? `${input.origin}#${position}` : input.origin;
    articles.push(await stageArticle(article, drafts, articleOrigin, deps));
  }
  return { status: 'staged', origin, warnings: outcome.warnings, articles };
}

async function commitDocument(staged: StagedDocument, deps: IngestDeps): Promise<DocumentReport> {
  if (staged.status === 'done') return staged.report;
  const report: DocumentReport = { origin: staged.origin, status: 'skipped', articleIds: [], chunks: 0, warnings: [...staged.warnings] };
  const statuses: DocumentStatus[] = [];
  const reasons: string[] = [];
  for (const article of staged.articles) {
    const result = await commitArticle(article, deps);
    statuses.push(result.status);
    report.articleIds.push(result.articleId);
    report.chunks += result.chunks;
    if (result.reason) reasons.push(result.reason);
  }
  report.status = statuses.includes('added') ? 'added' : statuses.includes('updated') ? 'updated' : 'skipped';
  if (reasons.length > 0) report.reason = reasons.join('; ');
  return report;
}

async function prepareInProcess(input: ParseInput): Promise<PreparedDocument> {
  return prepareDocument(input);
}

interface ArticleOutcome {
  status: 'added' | 'updated' | 'skipped';
  articleId: string;
  chunks: number;
  reason?: string;
}

/** Plans an article and embeds its passages unless the plan stores nothing new (no embedding is spent on unchanged content). */
async function stageArticle(article: ParsedArticle, drafts: ChunkDraft[], origin: string | undefined, deps: IngestDeps): Promise<StagedArticle> {
  const plan = await deps.kb.planUpsert(article, origin);
  if (plan.action === 'skip' || plan.action === 'duplicate' || drafts.length === 0) return { article, drafts, origin, plan };
  const vectors: Float32Array[] = [];
  for (let start = 0; start < drafts.length; start += INGEST_DEFAULTS.embedBatchSize) {
    deps.signal?.throwIfAborted();
    const batch = drafts.slice(start, start + INGEST_DEFAULTS.embedBatchSize);
    vectors.push(
      ...(await deps.embedder.embedDocuments(
        batch.map((draft) => draft.embedText),
        deps.signal,
      )),
    );
  }
  return { article, drafts, origin, plan, vectors };
}

async function commitArticle(staged: StagedArticle, deps: IngestDeps): Promise<ArticleOutcome> {
  const { article, drafts, plan } = staged;
  if (plan.action === 'skip' || plan.action === 'duplicate') {
    try {
      await deps.kb.upsert(plan, article, [], []);
    } catch (error) {
      // Staged ahead of an earlier file that changed the content this plan relied on: plan again now.
      if (error instanceof AppError && error.code === 'conflict') return commitArticle(await stageArticle(article, drafts, staged.origin, deps), deps);
      throw error;
    }
    const reason = plan.action === 'duplicate' ? `same content as article ${plan.articleId}; stored once` : 'unchanged';
    return { status: 'skipped', articleId: plan.articleId, chunks: 0, reason };
  }
  if (!staged.vectors) return { status: 'skipped', articleId: plan.articleId, chunks: 0, reason: 'no passages to index' };
  deps.signal?.throwIfAborted();
  // The store re-plans inside its write transaction, so a change made meanwhile (by this process
  // or another) is never overwritten: the result says what really happened.
  const passages = drafts.map((draft) => ({
    text: draft.text,
    ...(draft.section ? { section: draft.section } : {}),
    ...(draft.page !== undefined ? { page: draft.page } : {}),
    ...(draft.table !== undefined ? { table: draft.table } : {}),
  }));
  const result = await deps.kb.upsert(plan, article, passages, staged.vectors);
  if (result.action === 'duplicate')
    return { status: 'skipped', articleId: result.articleId, chunks: 0, reason: `same content as article ${result.articleId}; stored once` };
  if (result.action === 'skip') return { status: 'skipped', articleId: result.articleId, chunks: 0 };
  return { status: result.action === 'update' ? 'updated' : 'added', articleId: result.articleId, chunks: result.chunks };
}

export interface IngestProgress {
  filesDone: number;
  filesTotal: number;
  chunks: number;
  elapsedMs: number;
  current?: string;
}

export interface IngestSummary {
  added: number;
  updated: number;
  skipped: number;
  failed: { path: string; reason: string }[];
  empty: { path: string; reason: string }[];
  /** Files in the folders given whose type ingest does not read. */
  unsupported: string[];
  chunksIndexed: number;
  elapsedMs: number;
  totals: { articles: number; chunks: number };
  reports: DocumentReport[];
}

export interface IngestPathsOptions extends IngestDeps {
  onProgress?: (progress: IngestProgress) => void;
  onReport?: (report: DocumentReport) => void;
  maxBytes?: number;
  clock?: () => number;
  /** Files in flight at once (staged ahead of storing); default INGEST_DEFAULTS.filesAhead. */
  concurrency?: number;
}

/**
 * Expands files and folders (recursively) into the files ingest understands, sorted for a stable
 * order; the other files found in folders are listed as `unsupported`, so a caller can say what it
 * left out (a `.docx` in an ingest folder must not vanish silently).
 */
export function listIngestibleFiles(paths: string[]): { files: string[]; missing: string[]; unsupported: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const unsupported: string[] = [];
  const visit = (path: string, explicit: boolean): void => {
    let stats;
    try {
      stats = statSync(path);
    } catch {
      if (explicit) missing.push(path);
      return;
    }
    if (stats.isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        if (entry.startsWith('.') || entry === 'node_modules') continue;
        visit(join(path, entry), false);
      }
    } else if (stats.isFile() && (explicit || INGEST_DEFAULTS.extensions.includes(extname(path).toLowerCase()))) {
      if (/^readme\.md$/i.test(path.split(/[\\/]/).pop() ?? '') && !explicit) return;
      files.push(path);
    } else if (stats.isFile()) {
      unsupported.push(path);
    }
  };
  for (const path of paths) visit(resolve(path), true);
  return { files: [...new Set(files)], missing, unsupported };
}

/** Ingests files and folders into the knowledge base; each article is committed as it is stored. */
export async function ingestPaths(paths: string[], options: IngestPathsOptions): Promise<IngestSummary> {
  const clock = options.clock ?? Date.now;
  const started = clock();
  const { files, missing, unsupported } = listIngestibleFiles(paths);
  const summary: IngestSummary = {
    added: 0,
    updated: 0,
    skipped: 0,
    failed: missing.map((path) => ({ path, reason: 'no such file or folder' })),
    empty: [],
    unsupported,
    chunksIndexed: 0,
    elapsedMs: 0,
    totals: await options.kb.stats(),
    reports: [],
  };
  const maxBytes = options.maxBytes ?? INGEST_DEFAULTS.maxBytes;

  // Files are staged (parsed, planned, embedded) a few ahead and stored in order: with embedding
  // in a worker thread, the next file embeds while this thread stores the previous one.
  const concurrency = Math.max(1, options.concurrency ?? INGEST_DEFAULTS.filesAhead);
  const staging: Promise<StagedFile>[] = [];
  let nextToStage = 0;
  for (const [index, path] of files.entries()) {
    options.signal?.throwIfAborted();
    options.onProgress?.({ filesDone: index, filesTotal: files.length, chunks: summary.chunksIndexed, elapsedMs: clock() - started, current: path });
    while (staging.length < concurrency && nextToStage < files.length) {
      // stageFile never rejects: a failure comes back as a value and is raised in order, by commitFile.
      staging.push(stageFile(files[nextToStage]!, options, maxBytes));
      nextToStage += 1;
    }
    const report = await commitFile(path, await staging.shift()!, options);
    summary.reports.push(report);
    options.onReport?.(report);
    if (report.status === 'failed') summary.failed.push({ path, reason: report.reason ?? 'failed' });
    else if (report.status === 'empty') summary.empty.push({ path, reason: report.reason ?? 'no article text' });
    else summary[report.status] += 1;
    if (report.status === 'added' || report.status === 'updated') summary.chunksIndexed += report.chunks;
  }
  options.onProgress?.({ filesDone: files.length, filesTotal: files.length, chunks: summary.chunksIndexed, elapsedMs: clock() - started });
  summary.elapsedMs = clock() - started;
  summary.totals = await options.kb.stats();
  return summary;
}

type StagedFile = StagedDocument | { status: 'failed'; error: unknown };

async function stageFile(path: string, deps: IngestDeps, maxBytes: number): Promise<StagedFile> {
  const fail = (reason: string): StagedDocument => ({
    status: 'done',
    report: { origin: path, status: 'failed', reason, articleIds: [], chunks: 0, warnings: [] },
  });
  let size: number;
  try {
    size = statSync(path).size;
  } catch (error) {
    return fail(`cannot read: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}`);
  }
  // PDFs carry fonts and images besides their text: they have their own, larger limit.
  const limit = isPdfFilename(path) ? (deps.pdf?.limits?.maxBytes ?? PDF_DEFAULTS.maxBytes) : maxBytes;
  if (size > limit) {
    return fail(`file is ${(size / 1024 / 1024).toFixed(1)} MB; the limit is ${(limit / 1024 / 1024).toFixed(0)} MB`);
  }
  let content: Uint8Array;
  try {
    content = readFileSync(path);
  } catch (error) {
    return fail(`cannot read: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}`);
  }
  try {
    return await prepareForStore({ content, filename: path, origin: path }, deps, maxBytes);
  } catch (error) {
    return { status: 'failed', error };
  }
}

async function commitFile(path: string, staged: StagedFile, deps: IngestDeps): Promise<DocumentReport> {
  try {
    if (staged.status === 'failed') throw staged.error;
    return await commitDocument(staged, deps);
  } catch (error) {
    // Only infrastructure failures reach here (embedder, knowledge base): they stop the batch.
    if (error instanceof AppError && error.code === 'bad_request') {
      return { origin: path, status: 'failed', reason: error.message, articleIds: [], chunks: 0, warnings: [] };
    }
    throw error;
  }
}
