// The worker thread's entry. Plain JavaScript because a worker does not inherit the loader that
// runs the parent's TypeScript (tsx under `npm start`, Vite under vitest): it registers tsx itself,
// loads the job table and answers one message per job.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

const unregister = register();
const { WORKER_JOBS } = await import('./jobs.ts');
if (workerData?.lowPriority) {
  const { lowerThreadPriority } = await import('../../lib/thread-priority.ts');
  lowerThreadPriority();
}
// The job modules are loaded; what they import later is JavaScript (pdf.js, on the first PDF),
// which tsx would put through its transform: about 5 s for pdf.js's 2 MB, against 0.5 s without.
await unregister();

// One job at a time, in the order posted: the runner hands over the next job before this one
// ends (so this thread never waits for it) and starts its time budget when this one answers.
let previous = Promise.resolve();
parentPort.on('message', ({ id, name, input }) => {
  previous = previous.then(() => runJob(id, name, input));
});

async function runJob(id, name, input) {
  try {
    const job = WORKER_JOBS[name];
    if (typeof job !== 'function') throw new Error(`unknown worker job "${name}"`);
    parentPort.postMessage({ id, ok: true, output: await job(input) });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
}
parentPort.postMessage({ ready: true });
