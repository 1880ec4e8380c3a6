// The vector graph thread's entry. Plain JavaScript because a worker does not inherit the loader
// that runs the parent's TypeScript (tsx under `npm start`, Vite under vitest): it registers tsx
// itself, loads the host and answers every message (see vector-thread.ts).
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

const unregister = register();
const { createVectorThreadHost } = await import('./vector-thread-host.ts');
await unregister();

const host = createVectorThreadHost();
parentPort.on('message', async (request) => {
  parentPort.postMessage(await host.handle(request));
});
parentPort.postMessage({ ready: true });
