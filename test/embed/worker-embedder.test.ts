import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalEmbedder, type LocalEmbedder } from '../../ingest/embed/local-embedder.ts';
import { createWorkerEmbedder, warmUpDocumentEmbedding } from '../../ingest/embed/worker-embedder.ts';
import { createJobRunner, type JobRunner } from '../../ingest/worker/job-runner.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cacheDir = resolve(repoRoot, '.cache/word-vectors');

const TEXTS = [
  'Quarterly revenue rose 12% to $4.1 billion while operating margin narrowed.',
  "The board didn't approve the buyback; R&D spending grew in the U.S. and the U.K.",
  '净利润同比增长 8.5%，毛利率保持稳定。',
  'mid-1990s all-time highs, ticker XQZW, 2,698.17 points',
  '',
];

describe('worker embedder (local embedder in the ingest worker thread)', () => {
  let local: LocalEmbedder;
  let jobs: JobRunner;
  beforeAll(async () => {
    local = await createLocalEmbedder({ cacheDir });
    jobs = createJobRunner();
  });
  afterAll(() => jobs.close());

  it('shares the word vectors with the worker instead of copying them', () => {
    expect(local.source.cacheBytes?.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('gives vectors identical bit for bit to embedding on this thread, in order, across batches', async () => {
    const worker = createWorkerEmbedder(local, jobs, { batchSize: 2 });
    expect(worker.id).toBe(local.id);
    expect(worker.dim).toBe(local.dim);
    const fromWorker = await worker.embedDocuments(TEXTS);
    const here = await local.embedDocuments(TEXTS);
    expect(fromWorker).toHaveLength(TEXTS.length);
    fromWorker.forEach((vector, index) => {
      expect(vector).toBeInstanceOf(Float32Array);
      expect(
        Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).equals(
          Buffer.from(here[index]!.buffer, here[index]!.byteOffset, here[index]!.byteLength),
        ),
      ).toBe(true);
    });
    expect(await worker.embedQuery(TEXTS[0]!)).toEqual(await local.embedQuery(TEXTS[0]!));
  });

  it("warms the worker's copy of a local embedder up with an empty job, and leaves any other embedder alone", async () => {
    const runs: { name: string; input: unknown; timeBudgetMs?: number }[] = [];
    const recording: JobRunner = {
      run: async (name, input, options) => {
        runs.push({ name, input, ...(options?.timeBudgetMs === undefined ? {} : { timeBudgetMs: options.timeBudgetMs }) });
        return [] as never;
      },
      warmUp: async () => undefined,
      close: async () => undefined,
      closed: false,
    };
    await warmUpDocumentEmbedding(local, recording);
    expect(runs).toEqual([{ name: 'embed-passages', input: { source: local.source, texts: [] }, timeBudgetMs: 120_000 }]);
    const remote = { id: 'remote', dim: 3, embedDocuments: async () => [], embedQuery: async () => new Float32Array(3) };
    await warmUpDocumentEmbedding(remote, recording);
    expect(runs).toHaveLength(1);
    // The real worker answers the empty job (its embedder built) and embeds as before afterwards.
    await warmUpDocumentEmbedding(local, jobs);
    expect(await createWorkerEmbedder(local, jobs).embedDocuments(TEXTS.slice(0, 1))).toHaveLength(1);
  });

  it('queues the next batches before the first answers, keeps the order, and leaves no failure unread', async () => {
    const asked: string[][] = [];
    const answers: ((vectors: Float32Array[]) => void)[] = [];
    const failures: ((error: Error) => void)[] = [];
    const scripted: JobRunner = {
      run: (async (_name: string, input: { texts: string[] }) =>
        new Promise<Float32Array[]>((resolve, reject) => {
          asked.push(input.texts);
          answers.push(resolve);
          failures.push(reject);
        })) as JobRunner['run'],
      warmUp: async () => undefined,
      close: async () => undefined,
      closed: false,
    };
    const texts = Array.from({ length: 7 }, (_, index) => `t${index}`);
    const worker = createWorkerEmbedder(local, scripted, { batchSize: 2, batchesAhead: 3 });
    const embedded = worker.embedDocuments(texts);
    await Promise.resolve();
    expect(asked).toEqual([
      ['t0', 't1'],
      ['t2', 't3'],
      ['t4', 't5'],
    ]);
    const vector = (text: string) => Float32Array.of(Number(text.slice(1)));
    // Answers out of order: the second batch first; the fourth is queued once the first is read.
    answers[1]!(asked[1]!.map(vector));
    answers[0]!(asked[0]!.map(vector));
    await new Promise((resolve) => setImmediate(resolve));
    expect(asked).toHaveLength(4);
    answers[2]!(asked[2]!.map(vector));
    answers[3]!(asked[3]!.map(vector));
    expect((await embedded).map((row) => row[0])).toEqual([0, 1, 2, 3, 4, 5, 6]);

    // A failed batch fails the call; the batches queued behind it settle unread (no unhandled rejection).
    asked.length = 0;
    const failing = worker.embedDocuments(texts);
    await Promise.resolve();
    failures[4]!(new Error('worker crashed'));
    failures[5]!(new Error('worker crashed'));
    await expect(failing).rejects.toThrow('worker crashed');
    failures[6]!(new Error('worker crashed'));
    await new Promise((resolve) => setImmediate(resolve));
  });

  it('stops before sending work when the caller has gone away', async () => {
    const worker = createWorkerEmbedder(local, jobs);
    const controller = new AbortController();
    controller.abort();
    await expect(worker.embedDocuments(TEXTS, controller.signal)).rejects.toThrow();
  });
});
