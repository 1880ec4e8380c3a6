import { parentPort, workerData } from 'node:worker_threads';
import { lowerThreadPriority } from '../../lib/thread-priority.ts';
import { WORKER_JOBS } from './jobs.ts';

// The job runner's thread (started through lib/thread-script.ts): loads the job table and answers
// one message per job.
if ((workerData as { lowPriority?: boolean } | undefined)?.lowPriority) lowerThreadPriority();

interface JobMessage {
  id: number;
  name: string;
  input: unknown;
}

// One job at a time, in the order posted: the runner hands over the next job before this one
// ends (so this thread never waits for it) and starts its time budget when this one answers.
let previous = Promise.resolve();
parentPort?.on('message', ({ id, name, input }: JobMessage) => {
  previous = previous.then(() => runJob(id, name, input));
});

async function runJob(id: number, name: string, input: unknown): Promise<void> {
  try {
    const job = (WORKER_JOBS as Record<string, ((input: never) => unknown) | undefined>)[name];
    if (typeof job !== 'function') throw new Error(`unknown worker job "${name}"`);
    parentPort?.postMessage({ id, ok: true, output: await job(input as never) });
  } catch (error) {
    parentPort?.postMessage({ id, ok: false, message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
}
parentPort?.postMessage({ ready: true });
