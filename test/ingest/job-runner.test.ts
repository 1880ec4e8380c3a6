import { afterEach, describe, expect, it } from 'vitest';
import { createJobRunner, type JobRunner } from '../../ingest/worker/job-runner.ts';

// A document the worker needs hundreds of milliseconds to prepare (about 2 MB of short sentences),
// and one it prepares in a few.
const LONG = { content: 'Stocks rose. '.repeat(150_000), format: 'text' as const };
const SHORT = { content: 'Stocks rose on the day as yields fell. '.repeat(20), format: 'text' as const };

const runners: JobRunner[] = [];
afterEach(async () => {
  for (const runner of runners.splice(0)) await runner.close();
});

async function startedRunner(): Promise<JobRunner> {
  const runner = createJobRunner();
  runners.push(runner);
  await runner.warmUp();
  return runner;
}

describe('the job runner hands the worker its next job early', () => {
  it('charges a job waiting behind a long one only for its own time', async () => {
    const jobs = await startedRunner();
    const started = performance.now();
    const long = jobs.run('prepare-document', LONG);
    // Posted to the worker at once, behind the long job: its budget starts when that one ends.
    const short = jobs.run('prepare-document', SHORT, { timeBudgetMs: 400 });
    await expect(long).resolves.toMatchObject({ status: 'ok' });
    const longMs = performance.now() - started;
    await expect(short).resolves.toMatchObject({ status: 'ok' });
    // Otherwise the check above proves nothing: the wait must exceed the short job's budget.
    expect(longMs).toBeGreaterThan(400);
  });

  it('lets the worker go on to the next job while this thread is busy', async () => {
    const jobs = await startedRunner();
    const first = jobs.run('prepare-document', SHORT);
    const second = jobs.run('prepare-document', LONG);
    await new Promise((resolve) => setImmediate(resolve));
    // This thread is busy (as a bulk ingest storing the last batch is) and handles no message.
    const busyUntil = performance.now() + 4_000;
    while (performance.now() < busyUntil) {
      // spin
    }
    const unblocked = performance.now();
    await first;
    await second;
    // The worker had the long job already and prepared it meanwhile: it does not start only now.
    expect(performance.now() - unblocked).toBeLessThan(300);
  });

  it('runs the jobs behind a stopped one on a fresh worker', async () => {
    const jobs = await startedRunner();
    const stopped = jobs.run('prepare-document', LONG, { timeBudgetMs: 5 });
    const next = jobs.run('prepare-document', SHORT);
    const after = jobs.run('prepare-document', SHORT);
    await expect(stopped).rejects.toMatchObject({ code: 'payload_too_large' });
    await expect(next).resolves.toMatchObject({ status: 'ok' });
    await expect(after).resolves.toMatchObject({ status: 'ok' });
  });

  it('answers a caller that goes away while its job waits, and still runs the jobs after it', async () => {
    const jobs = await startedRunner();
    const long = jobs.run('prepare-document', LONG);
    const controller = new AbortController();
    const abandoned = jobs.run('prepare-document', SHORT, { signal: controller.signal });
    const after = jobs.run('prepare-document', SHORT);
    let longDone = false;
    void long.then(() => {
      longDone = true;
    });
    setTimeout(() => controller.abort(), 20);
    await expect(abandoned).rejects.toMatchObject({ code: 'timeout' });
    // Answered while the long job still ran, not when its turn came.
    expect(longDone).toBe(false);
    await expect(long).resolves.toMatchObject({ status: 'ok' });
    await expect(after).resolves.toMatchObject({ status: 'ok' });
  });

  it('rejects the jobs it holds when closed', async () => {
    const jobs = await startedRunner();
    const running = jobs.run('prepare-document', LONG);
    const waiting = jobs.run('prepare-document', SHORT);
    const queued = jobs.run('prepare-document', SHORT);
    const settled = Promise.allSettled([running, waiting, queued]);
    await jobs.close();
    for (const result of await settled) expect(result).toMatchObject({ status: 'rejected', reason: { code: 'upstream_unavailable' } });
  });
});
