import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { loadStoreConfig, openStore } from '../kb/open-store.ts';
import { loadConfig } from '../lib/config.ts';
import { AppError } from '../lib/errors.ts';
import { pluralize } from '../lib/pluralize.ts';
import { listSampleArticles } from '../lib/samples.ts';
import { lowerIngestPriority } from './background-priority.ts';
import { createEmbedder } from './embed/create-embedder.ts';
import { describeUnsupported } from './describe-unsupported.ts';
import { INGEST_DEFAULTS, ingestPaths, type IngestProgress, type IngestSummary } from './pipeline.ts';
import { createJobRunner } from './worker/job-runner.ts';
import { offloadDocumentEmbedding, warmUpDocumentEmbedding } from './embed/worker-embedder.ts';

const USAGE = `Usage: npm run ingest -- PATH... [--index DIR] [--delete ID] [--priority low|normal]

  PATH                 files (${INGEST_DEFAULTS.extensions.join(' ')}) or folders (searched recursively)
  --index DIR          the knowledge-base folder (default: $COPILOT_DATA_DIR/index)
  --delete ID          remove an article (and its passages) by id; repeatable
  --remove-samples     remove every article of the bundled sample corpus
  --priority P         low (the default: a server running beside keeps the cores first) or normal

Each article is committed as soon as it is stored (a server running beside picks it up).`;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        index: { type: 'string' },
        delete: { type: 'string', multiple: true },
        'remove-samples': { type: 'boolean' },
        priority: { type: 'string', default: 'low' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || (positionals.length === 0 && !values.delete?.length && !values['remove-samples'])) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }

  if (values.priority !== 'low' && values.priority !== 'normal') {
    process.stderr.write(`--priority takes low or normal, not "${values.priority}"\n\n${USAGE}\n`);
    return 2;
  }
  // Before any worker thread starts (the embedder's, the graph's): threads take their creator's priority.
  if (values.priority === 'low') lowerIngestPriority();
  const config = loadConfig(process.env);
  const indexDir = values.index ? resolve(values.index) : config.indexDir;
  const embedder = await createEmbedder({
    kind: config.embeddings,
    dataDir: config.dataDir,
    cacheDir: config.wordVectorCacheDir,
    openai: { ...config.openai, model: config.embeddingModel },
  });
  const kb = await openStore({ config: loadStoreConfig(process.env), indexDir, embedder: { id: embedder.id, dim: embedder.dim } });
  const abort = new AbortController();
  const onSignal = () => abort.abort(new AppError('timeout', 'Interrupted; everything committed before the interruption is kept.'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    for (const id of values.delete ?? []) {
      const removed = await kb.deleteArticle(id);
      process.stdout.write(removed ? `deleted ${id}\n` : `not found: ${id}\n`);
    }
    if (values['remove-samples']) {
      const samples = await listSampleArticles(kb);
      for (const article of samples) await kb.deleteArticle(article.id);
      process.stdout.write(`removed ${pluralize(samples.length, 'sample article')}\n`);
    }
    if (positionals.length === 0) {
      printTotals(await kb.stats());
      return 0;
    }
    const progress = createProgressReporter(Boolean(process.stdout.isTTY));
    // At normal priority when asked: the whole process then works at the server's priority.
    const jobs = createJobRunner({ lowPriority: values.priority === 'low' });
    // The worker starts and builds its embedder while this thread reads the first files; should that
    // fail, the first file's own job fails and says why.
    warmUpDocumentEmbedding(embedder, jobs).catch(() => undefined);
    const summary = await ingestPaths(positionals, {
      kb,
      // Passages embed in the worker while this thread stores the previous file (two cores at work).
      embedder: offloadDocumentEmbedding(embedder, jobs),
      signal: abort.signal,
      // PDFs are read in the ingest worker within their time budget (started on the first PDF).
      pdf: { limits: config.pdf, jobs },
      onProgress: progress.update,
    });
    progress.stop();
    await jobs.close();
    printSummary(summary);
    // Any failed file fails the run, so a script or CI notices; what succeeded stays committed.
    return summary.failed.length > 0 ? 1 : 0;
  } finally {
    await kb.close();
  }
}

function createProgressReporter(tty: boolean) {
  if (tty) {
    const bar = new cliProgress.SingleBar(
      { format: 'ingest [{bar}] {value}/{total} files | {chunks} chunks | {rate} chunks/s', hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(progress: IngestProgress) {
        const payload = { chunks: progress.chunks, rate: rate(progress) };
        if (!started) {
          bar.start(progress.filesTotal, progress.filesDone, payload);
          started = true;
        } else bar.update(progress.filesDone, payload);
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let lastLine = 0;
  return {
    update(progress: IngestProgress) {
      // Plain lines for logs and CI: one every 2 s at most, plus the final one.
      const now = Date.now();
      if (progress.filesDone !== progress.filesTotal && now - lastLine < 2_000) return;
      lastLine = now;
      process.stdout.write(`ingest: ${progress.filesDone}/${progress.filesTotal} files, ${progress.chunks} chunks, ${rate(progress)} chunks/s\n`);
    },
    stop() {},
  };
}

function rate(progress: IngestProgress): string {
  return progress.elapsedMs > 0 ? ((progress.chunks * 1000) / progress.elapsedMs).toFixed(1) : '0.0';
}

function printSummary(summary: IngestSummary): void {
  const lines = [
    '',
    `added ${summary.added}, updated ${summary.updated}, skipped ${summary.skipped}, failed ${summary.failed.length}, empty ${summary.empty.length}` +
      ` (${summary.chunksIndexed} chunks indexed in ${(summary.elapsedMs / 1000).toFixed(1)} s)`,
  ];
  for (const failure of summary.failed) lines.push(`  failed: ${failure.path}: ${failure.reason}`);
  for (const empty of summary.empty) lines.push(`  empty:  ${empty.path}: ${empty.reason}`);
  for (const report of summary.reports) {
    if (report.status === 'skipped' && report.reason && report.reason !== 'unchanged') lines.push(`  skipped: ${report.origin}: ${report.reason}`);
  }
  if (summary.unsupported.length > 0) lines.push(describeUnsupported(summary.unsupported, INGEST_DEFAULTS.extensions));
  process.stdout.write(`${lines.join('\n')}\n`);
  printTotals(summary.totals);
}

function printTotals(totals: { articles: number; chunks: number }): void {
  process.stdout.write(`knowledge base: ${pluralize(totals.articles, 'article')}, ${pluralize(totals.chunks, 'chunk')}\n`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof AppError ? `${error.code}: ${error.message}` : ((error as Error).stack ?? String(error));
    process.stderr.write(`ingest failed: ${message}\n`);
    process.exitCode = 1;
  },
);
