// Runs one of this project's TypeScript entry points: `node [flags] lib/run-typescript.mjs ENTRY.ts
// [arguments]` (package.json's start, ingest and mcp; the benchmarks' processes, through
// lib/runtime-flags.ts). The entry, every project module it imports and the packages those import
// (but those lib/bundle-options.mjs keeps as imports of node_modules) are bundled by esbuild into
// one JavaScript file under .cache/entries/ (named by content hash, reused while nothing changed),
// which Node then loads as it is. Through tsx's loader, importing the server's modules took 1.8-2.2
// s of a 4 s start (each module resolved and transformed on the loader's thread and handed back,
// its source map read); the bundle of the project's modules alone loaded in 0.7-0.9 s, with Node
// still loading 1,700 files of packages; with them bundled too a later start is healthy 0.8-1.1 s
// sooner. Making the bundle again, when a file changed, takes about a second. Each module's
// `import.meta.url`, `dirname` and `filename` are written into the bundle as the module's own, so
// paths the code finds from its own file stay the same.
//
// Where the bundle cannot be made or written (a read-only install), the entry runs through tsx's ES
// module loader instead. Never the `tsx` command, nor `--import tsx`: they also hook CommonJS on the
// main thread, where their lexer's WebAssembly memory grows while the modules load; growing detaches
// the old memory, and once any buffer has been detached V8 compiles every typed-array access of that
// thread with a detach check (typed-array loops 15-20 % slower; see lib/runtime-flags.ts and
// docs/performance-log.md, session 29).
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { recordInputs, reusableBundle, storeBundle } from './bundle-cache.mjs';
import { EXTERNAL_PACKAGES, REQUIRE_BANNER } from './bundle-options.mjs';

const PROJECT = resolve(import.meta.dirname, '..');
const DIR = join(PROJECT, '.cache', 'entries');
/**
 * An entry's bundles no process has loaded for an hour are removed when a newer one is written: a
 * process needs its bundle only while it starts (a thread's bundle may be needed days later, so
 * lib/thread-script.ts keeps those a week), and each edit makes a new one of a few megabytes.
 */
const STALE_MS = 3600_000;

/**
 * The bundled TypeScript with its `import.meta` fields written in as literals, each module's own
 * (its real path, as Node's loader gives it: a module reached through a symbolic link names the
 * file linked to).
 */
const ownImportMeta = {
  name: 'own-import-meta',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
      if (path.includes(`${sep}node_modules${sep}`)) return undefined;
      const source = await readFile(path, 'utf8');
      const fields = { url: pathToFileURL(path).href, dirname: dirname(path), filename: path };
      // Any other use (`import.meta.resolve`, the object itself) gets these three fields alone: it
      // fails where it would otherwise resolve from the bundle's folder.
      const contents = source
        .replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_, field) => JSON.stringify(fields[field]))
        .replace(/\bimport\.meta\b/g, `(${JSON.stringify(fields)})`);
      return { contents, loader: 'ts' };
    });
  },
};

/**
 * The entry's bundle: the last one made when none of the files it was made from changed since (the
 * bundler's own start and run take 0.3-0.5 s of a start here), otherwise a new one; undefined when
 * it cannot be made or written.
 */
async function bundle(entry) {
  // Named by its path in the project: entries of the same file name in other folders keep apart.
  const inside = entry.startsWith(PROJECT + sep);
  const name = (inside ? relative(PROJECT, entry) : basename(entry)).replace(/\.ts$/, '').replaceAll(sep, '-');
  const manifest = join(DIR, `${name}.inputs.json`);
  const reused = reusableBundle(manifest);
  if (reused) return reused;
  try {
    const esbuild = await import('esbuild');
    try {
      const began = Date.now();
      const result = await esbuild.build({
        entryPoints: [entry],
        absWorkingDir: PROJECT,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        external: [...EXTERNAL_PACKAGES],
        banner: { js: REQUIRE_BANNER },
        plugins: [ownImportMeta],
        // Source paths in the map are relative to where the bundle is written.
        outfile: join(DIR, `${name}.mjs`),
        sourcemap: 'external',
        // Stack traces need the mappings alone; the sources' own text would double the map Node
        // reads and parses at every start.
        sourcesContent: false,
        metafile: true,
        write: false,
        logLevel: 'silent',
      });
      const code = result.outputFiles.find((file) => file.path.endsWith('.mjs'));
      const map = result.outputFiles.find((file) => file.path.endsWith('.map'));
      if (!code) return undefined;
      const path = storeBundle(DIR, name, code.text, STALE_MS, map?.text);
      recordInputs(
        manifest,
        path,
        [
          fileURLToPath(import.meta.url),
          fileURLToPath(new URL('./bundle-options.mjs', import.meta.url)),
          ...Object.keys(result.metafile.inputs).map((input) => resolve(PROJECT, input)),
        ],
        began,
      );
      return path;
    } finally {
      // The bundler's own process is not needed again.
      await esbuild.stop();
    }
  } catch {
    return undefined;
  }
}

const target = process.argv[2];
if (!target?.endsWith('.ts')) {
  process.stderr.write('usage: node lib/run-typescript.mjs ENTRY.ts [arguments]\n');
  process.exit(2);
}
const entry = resolve(target);
// The entry sees itself as the script, its own arguments after it.
process.argv.splice(1, 2, entry);
const bundled = await bundle(entry);
if (bundled) {
  // Stack traces name the TypeScript's files and lines, as under tsx.
  process.setSourceMapsEnabled(true);
  await import(pathToFileURL(bundled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(entry).href);
}
