// Runs this project's TypeScript in a long-running process: `node --import ./lib/typescript-loader.mjs
// server/main.ts` (package.json's start, ingest and mcp scripts; the benchmarks' processes). tsx's
// ES module loader alone: the project is ES modules throughout. The `tsx` command (or `--import tsx`)
// also hooks CommonJS on the main thread, where its lexer's WebAssembly memory grows while the
// server's modules load; growing detaches the old memory, and once any buffer has been detached V8
// compiles every typed-array access of that thread with a detach check. Typed-array loops ran 15-20 %
// slower for it (the lexical index's scoring: 1.1-1.7x the time the same code took on a thread
// without it; see lib/runtime-flags.ts and docs/performance-log.md, session 29).
import { register } from 'tsx/esm/api';

register();
