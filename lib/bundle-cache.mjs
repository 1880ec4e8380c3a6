import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
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
