// The lexical helper thread's entry. Plain JavaScript because a worker does not inherit the loader
// that runs the parent's TypeScript (tsx under `npm start`, Vite under vitest): it registers tsx
// itself, loads the host, says it is ready and serves until closed (see lexical-helper.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

const unregister = register();
const { serveLexicalHelper } = await import('./lexical-helper-host.ts');
await unregister();

parentPort.postMessage({ ready: true });
serveLexicalHelper(workerData);
