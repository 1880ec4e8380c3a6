import { parentPort, workerData } from 'node:worker_threads';
import { serveLexicalHelper } from './lexical-helper-host.ts';
import type { LexicalHelperData } from './lexical-shared.ts';

// The lexical helper thread's main module (started through lib/thread-script.ts): says it is ready,
// then serves until closed (see lexical-helper.ts).
parentPort?.postMessage({ ready: true });
serveLexicalHelper(workerData as LexicalHelperData);
