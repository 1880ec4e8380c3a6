/**
 * Node flags every long-running process of the copilot starts with: package.json's `start`,
 * `ingest` and `mcp` scripts pass the same ones (test/lib/runtime-flags.test.ts keeps them in
 * step), and the benchmarks start their processes with them to measure what users run.
 *
 * `--v8-pool-size=0`: V8's helper threads (concurrent marking and sweeping, parallel scavenges)
 * sized by Node to the cores less one, instead of four whatever the cores. On two cores, four
 * helpers marking at once left the event loop waiting up to 32 ms for a core (its thread's
 * run-queue wait in /proc, read around each stall); with one helper, idle search and chat p99 fell
 * about a tenth and event-loop stalls over 20 ms from 42 to 18 in four bench runs (README).
 */
export const RUNTIME_NODE_FLAGS: readonly string[] = ['--v8-pool-size=0'];
