// What the project's bundles leave to Node (lib/run-typescript.mjs's entry points,
// lib/thread-script.ts's threads): every other package is bundled with the TypeScript. Loaded from
// node_modules, the server's packages were 1,705 files, each resolved, read, compiled and its
// source map looked for; bundled, a later start is healthy 0.8-1.1 s sooner (2.2-2.9 s before,
// docs/performance-log.md, session 32).

/**
 * Packages that stay imports of node_modules, and why. A bundled package runs from the bundle's
 * folder, so one that finds files beside its own code, loads a native addon or starts a thread
 * from its own file must stay where it is.
 */
export const EXTERNAL_PACKAGES = [
  // Native addons, loaded from their own build folders.
  'better-sqlite3',
  'hnswlib-node',
  // pg's optional native binding, which it requires only when asked for.
  'pg-native',
  // Files beside the code: PGlite's WebAssembly and data, pdf.js's worker and fonts, and the
  // fonts pdfkit (the benchmarks' PDF writer) requires through its package's own imports map.
  '@electric-sql/*',
  'pdfjs-dist',
  'pdfkit',
  // pino's transports start a thread from thread-stream's own file (by `__dirname`).
  'pino',
  'thread-stream',
  // Its published files include tests that import Deno modules, which no bundler resolves.
  'yahoo-finance2',
  // Its modules import each other in a cycle (schemas and iso formats), and bundled, the order they
  // run in depended on which package imported it first: the MCP server's entry, whose first import
  // is the MCP SDK's, failed at its start ("Class is not a constructor" in `z.custom`). Loaded by
  // Node, every bundle's zod and the SDK's are one copy, initialised in the order Node gives.
  'zod',
  // Tools, not the copilot: the bundler itself, the TypeScript fallback, tests' browser and runner.
  'esbuild',
  'tsx',
  'playwright-core',
  'vitest',
];

/**
 * The bundle is an ES module, where CommonJS's `require` does not exist; the CommonJS packages
 * bundled into it require Node's own modules (and esbuild's shim for a `require` it cannot resolve
 * calls the one in scope), so the bundle makes one at its top, resolving from the bundle's folder
 * inside the project. esbuild renames any top-level `require` of the bundled modules away from it.
 */
export const REQUIRE_BANNER = "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);";
