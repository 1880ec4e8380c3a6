/**
 * V8's full garbage collection, when the process was started with `--expose-gc` (one of
 * RUNTIME_NODE_FLAGS, so `npm start`, `ingest` and `mcp` have it); undefined otherwise (tests,
 * a user's own node command line). Read once at the edge (server/main.ts, benchmarks) and
 * injected: nothing else looks for the global.
 */
export function fullCollection(): (() => void) | undefined {
  const collect = (globalThis as { gc?: unknown }).gc;
  return typeof collect === 'function' ? () => void collect() : undefined;
}
