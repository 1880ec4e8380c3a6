import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { storeBundle } from './bundle-cache.mjs';

/**
 * Worker threads that run this project's TypeScript. A worker does not inherit the loader that
 * runs the parent's TypeScript (Vite under vitest; `npm start` runs a bundle, lib/run-typescript.mjs),
 * and registering tsx in each thread cost 34-36 MB of memory a thread (a thread of the lexical
 * helper's modules: 51-53 MB with tsx against 17 MB as plain JavaScript, measured in one process).
 * At 1M passages a store runs three such threads beside a 1.5 GB goal. So a thread's TypeScript
 * main module is bundled once per process into one plain JavaScript file (esbuild, what tsx itself
 * transforms with; packages stay imports of node_modules), and the thread runs that. Where the
 * bundle cannot be made or written (a read-only install), the thread registers tsx and imports the
 * module, as before.
 */
export const THREAD_SCRIPT_DEFAULTS = {
  /** Where bundles are written: inside the project, so that their imports of packages resolve to its node_modules. */
  dir: fileURLToPath(new URL('../.cache/threads/', import.meta.url)),
  /**
   * A bundle of a thread no process has started for this long is removed when another of the same
   * thread is made (each change to a thread's modules makes a new one); a process that still runs
   * an older one makes it again should it start that thread anew.
   */
  staleMs: 7 * 24 * 3600_000,
};

const TSX_ENTRY = new URL('./thread-tsx-entry.mjs', import.meta.url);

/** What runs a thread: a script, and the arguments it reads (the module, for the tsx entry). */
export interface ThreadScript {
  url: URL;
  argv: string[];
  bundled: boolean;
}

const scripts = new Map<string, ThreadScript>();

/**
 * The script for a thread whose main module is `entry`: a bundle of it when it is TypeScript (made
 * on first use in this process; the same bundle is reused across processes by its content hash),
 * the module itself when it is JavaScript.
 */
export function threadScript(entry: URL, dir = THREAD_SCRIPT_DEFAULTS.dir): ThreadScript {
  if (!entry.pathname.endsWith('.ts')) return { url: entry, argv: [], bundled: false };
  const key = `${dir}\n${entry.href}`;
  let script = scripts.get(key);
  if (!script || (script.bundled && !existsSync(script.url))) {
    script = bundle(entry, dir) ?? { url: TSX_ENTRY, argv: [entry.href], bundled: false };
    scripts.set(key, script);
  }
  return script;
}

/**
 * Starts a worker thread running `entry` (see `threadScript`). A bundle runs without the parent's
 * Node options: where the parent runs under a TypeScript loader (`--import tsx`, the tsx command,
 * or lib/run-typescript.mjs's fallback), they would register it in every thread again; a bundle
 * does not need it (4-5 MB a thread under the tsx command, measured).
 */
export function startThread(entry: URL, options: WorkerOptions = {}): Worker {
  const script = threadScript(entry);
  return new Worker(script.url, {
    ...(script.bundled ? { execArgv: [] } : {}),
    ...options,
    argv: [...script.argv, ...(options.argv ?? [])],
  });
}

function bundle(entry: URL, dir: string): ThreadScript | undefined {
  try {
    const code = execFileSync(
      esbuildBinary(),
      [fileURLToPath(entry), '--bundle', '--platform=node', '--format=esm', '--target=node20', '--packages=external', '--log-level=error'],
      { maxBuffer: 64 * 2 ** 20, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
    );
    const path = storeBundle(dir, basename(entry.pathname, '.ts'), code, THREAD_SCRIPT_DEFAULTS.staleMs);
    return { url: pathToFileURL(path), argv: [], bundled: true };
  } catch {
    return undefined;
  }
}

/**
 * The esbuild command of the installed package, run once per bundle (14 ms for the vector thread's).
 * Not its JavaScript API: under tsx that module is already loaded with its synchronous calls going
 * through a worker thread, which inherits tsx's loader and never answered (the process hung).
 */
function esbuildBinary(): string {
  return join(dirname(createRequire(import.meta.url).resolve('esbuild/package.json')), 'bin', 'esbuild');
}
