import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Bundles of this project's TypeScript kept in a folder under their name and content hash: worker
 * threads' main modules (lib/thread-script.ts) and entry points (lib/run-typescript.mjs). Plain
 * JavaScript so that the entry launcher, which runs before any TypeScript loader, can use it.
 *
 * A bundle is written whole under another name and renamed, so a process starting the same code
 * meanwhile never reads half a file; a bundle in use gets a fresh modification time, and bundles of
 * the same name no process has used for `staleMs` are removed when a new one is written (each
 * change to the code makes a new one). Returns the bundle's path. Throws when the folder cannot be
 * written (the caller falls back to loading the TypeScript itself).
 *
 * With `sourceMap`, the map is written beside the bundle (its name plus `.map`) and the bundle names it.
 */
export function storeBundle(dir, name, code, staleMs, sourceMap) {
  const hash = createHash('sha256').update(code);
  if (sourceMap !== undefined) hash.update('\0').update(sourceMap);
  const file = `${name}-${hash.digest('hex').slice(0, 16)}.mjs`;
  const path = join(dir, file);
  if (existsSync(path)) {
    // In use: not stale for other processes' clean-ups.
    const now = new Date();
    utimesSync(path, now, now);
    return path;
  }
  mkdirSync(dir, { recursive: true });
  if (sourceMap === undefined) writeWhole(path, code);
  else {
    writeWhole(`${path}.map`, sourceMap);
    writeWhole(path, `${code}\n//# sourceMappingURL=${file}.map\n`);
  }
  removeStale(dir, name, file, staleMs);
  return path;
}

/** Writes a file whole under another name first, then renames it: a reader never sees half of it. */
export function writeWhole(path, content) {
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, content);
  renameSync(partial, path);
}

/** Removes the other bundles of `name` in `dir` (and what goes with them) that no process has used for `staleMs`. */
function removeStale(dir, name, kept, staleMs) {
  const pattern = new RegExp(`^${name.replace(/[^\w-]/g, '\\$&')}-[0-9a-f]{16}\\.mjs$`);
  const before = Date.now() - staleMs;
  const files = readdirSync(dir);
  for (const file of files) {
    if (file === kept || !pattern.test(file)) continue;
    try {
      if (statSync(join(dir, file)).mtimeMs >= before) continue;
      for (const other of files) if (other === file || other.startsWith(`${file}.`)) rmSync(join(dir, other), { force: true });
    } catch {
      // Removed by another process meanwhile.
    }
  }
}

/** Files changed this close to a bundling may have changed during it: no manifest then (the next start bundles again). */
const SETTLE_MS = 2_000;

/**
 * Keeps, beside a bundle, the list of files it was made from with their modification times and
 * sizes (`manifest`, JSON), so that a later process can reuse the bundle without bundling again
 * (`reusableBundle`). Written only when none of them changed within seconds of `began` (when the
 * bundling started): an edit made during the bundling must not be taken as bundled.
 */
export function recordInputs(manifest, bundle, inputs, began) {
  const stamped = inputs.map((input) => [input, ...stamp(input)]);
  if (stamped.every(([, mtimeMs]) => mtimeMs < began - SETTLE_MS)) writeWhole(manifest, JSON.stringify({ bundle, node: process.version, inputs: stamped }));
}

/**
 * The bundle a manifest names, when it is still there, was made under this Node and every file it
 * was made from is as it was then; undefined otherwise (also for a missing or malformed manifest,
 * which only means bundling again).
 */
export function reusableBundle(manifest) {
  try {
    const { bundle, node, inputs } = JSON.parse(readFileSync(manifest, 'utf8'));
    const same = ([input, mtimeMs, size]) => {
      const [nowMtimeMs, nowSize] = stamp(input);
      return nowMtimeMs === mtimeMs && nowSize === size;
    };
    if (node !== process.version || !inputs.every(same)) return undefined;
    // In use: not stale for other processes' clean-ups.
    const now = new Date();
    utimesSync(bundle, now, now);
    return bundle;
  } catch {
    return undefined;
  }
}

/** A file's modification time and size. */
function stamp(path) {
  const { mtimeMs, size } = statSync(path);
  return [mtimeMs, size];
}
