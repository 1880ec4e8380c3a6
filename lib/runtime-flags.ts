import { fileURLToPath } from 'node:url';

/**
 * Node flags every long-running process of the copilot starts with: package.json's `start`,
 * `ingest` and `mcp` scripts pass the same ones (test/lib/runtime-flags.test.ts keeps them in
 * step), and the benchmarks start their processes with them to measure what users run.
 *
 * `--v8-pool-size=0`: V8's helper threads (concurrent marking and sweeping, parallel scavenges)
 * sized by Node to the cores less one, instead of four whatever the cores. On two cores, four
 * helpers marking at once left the event loop waiting up to 32 ms for a core (its thread's
 * run-queue wait in /proc, read around each stall); with one helper, the store bench's event-loop
 * stalls over 20 ms fell from 72 in six runs to 25 in six, alternating (docs/performance-log.md, session 16).
 *
 * `--expose-gc`: lets the warm-up after the start run one full collection before its searches
 * (lib/full-collection.ts, server/retrieval/warm-up.ts); nothing else calls it.
 */
export const RUNTIME_NODE_FLAGS: readonly string[] = ['--v8-pool-size=0', '--expose-gc'];

/**
 * How those processes run the project's TypeScript: bundled by lib/run-typescript.mjs (which says
 * why, and why never through the `tsx` command), as `node ...RUNTIME_NODE_FLAGS ...TYPESCRIPT_RUNNER
 * entry.ts [arguments]`.
 */
export const TYPESCRIPT_RUNNER: readonly string[] = [fileURLToPath(new URL('./run-typescript.mjs', import.meta.url))];
