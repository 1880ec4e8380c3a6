import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { z } from 'zod';
import { recordInputs, reusableBundle, storeBundle } from './bundle-cache.mjs';
import { EXTERNAL_PACKAGES, REQUIRE_BANNER } from './bundle-options.mjs';

/**
 * Worker threads that run this project's TypeScript. A worker does not inherit the loader that
 * runs the parent's TypeScript (Vite under vitest; `npm start` runs a bundle, lib/run-typescript.mjs),
 * and registering tsx in each thread cost 34-36 MB of memory a thread (a thread of the lexical
 * helper's modules: 51-53 MB with tsx against 17 MB as plain JavaScript, measured in one process).
 * At 1M passages a store runs three such threads beside a 1.5 GB goal. So a thread's TypeScript
 * main module is bundled into one plain JavaScript file (esbuild, what tsx itself transforms with;
 * with the packages it imports, but for those lib/bundle-options.mjs keeps out), and the thread
 * runs that; a later process reuses it while none of the files it was made from changed
 * (lib/bundle-cache.mjs's manifest). Where the bundle cannot be made or written (a read-only
 * install), the thread registers tsx and imports the module, as before.
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
 * The script for a thread whose main module is `entry`: a bundle of it when it is TypeScript (looked
 * up or made on first use in this process), the module itself when it is JavaScript.
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
  const name = basename(entry.pathname, '.ts');
  // The last bundle, while none of the files it was made from changed: running the bundler took
  // 14-30 ms of the event loop per thread, four threads at a server's start.
  const manifest = join(dir, `${name}.inputs.json`);
  const reused = reusableBundle(manifest);
  if (reused) return { url: pathToFileURL(reused), argv: [], bundled: true };
  // The bundler writes the code and the list of its inputs here; the code is then stored by its hash.
  const outfile = join(dir, `${name}.${process.pid}.out.js`);
  const metafile = join(dir, `${name}.${process.pid}.meta.json`);
  try {
    mkdirSync(dir, { recursive: true });
    const began = Date.now();
    execFileSync(
      esbuildBinary(),
      [
        fileURLToPath(entry),
        '--bundle',
        '--platform=node',
        '--format=esm',
        '--target=node20',
        ...EXTERNAL_PACKAGES.map((name) => `--external:${name}`),
        `--banner:js=${REQUIRE_BANNER}`,
        '--log-level=error',
        `--outfile=${outfile}`,
        `--metafile=${metafile}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], cwd: PROJECT },
    );
    const path = storeBundle(dir, name, readFileSync(outfile, 'utf8'), THREAD_SCRIPT_DEFAULTS.staleMs);
    const inputs = Object.keys(MetafileSchema.parse(JSON.parse(readFileSync(metafile, 'utf8'))).inputs).map((input) => resolve(PROJECT, input));
    // This module's options and the packages kept out shape the bundle too.
    recordInputs(manifest, path, [fileURLToPath(import.meta.url), fileURLToPath(new URL('./bundle-options.mjs', import.meta.url)), ...inputs], began);
    return { url: pathToFileURL(path), argv: [], bundled: true };
  } catch {
    return undefined;
  } finally {
    for (const file of [outfile, metafile]) {
      try {
        rmSync(file, { force: true });
      } catch {
        // The folder could not be made: nothing was written.
      }
    }
  }
}

/** What esbuild's metafile says of its inputs: their paths, relative to the working directory. */
const MetafileSchema = z.object({ inputs: z.record(z.string(), z.unknown()) });
const PROJECT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The esbuild command of the installed package, run once per bundle (14 ms for the vector thread's).
 * Not its JavaScript API: under tsx that module is already loaded with its synchronous calls going
 * through a worker thread, which inherits tsx's loader and never answered (the process hung).
 */
function esbuildBinary(): string {
  return join(dirname(createRequire(import.meta.url).resolve('esbuild/package.json')), 'bin', 'esbuild');
}
