import { parentPort } from 'node:worker_threads';
import { createVectorThreadHost, type VectorThreadRequest } from './vector-thread-host.ts';

// The vector graph thread's main module (started through lib/thread-script.ts): answers every
// message (see vector-thread.ts).
const host = createVectorThreadHost();
parentPort?.on('message', async (request: VectorThreadRequest) => {
  parentPort?.postMessage(await host.handle(request));
});
parentPort?.postMessage({ ready: true });
