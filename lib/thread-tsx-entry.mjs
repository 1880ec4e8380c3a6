// A worker thread's entry when its TypeScript main module could not be bundled (thread-script.ts):
// registers tsx in this thread and imports the module named by the first argument. Plain JavaScript
// because a worker does not inherit the loader that runs the parent's TypeScript.
import { register } from 'tsx/esm/api';

const unregister = register();
await import(process.argv[2]);
// Loaded (a module that serves from its top level never gets here, which is fine): what it imports
// later is JavaScript (pdf.js on the first PDF), which tsx would put through its transform, about
// 5 s for pdf.js's 2 MB against 0.5 s without.
await unregister();
