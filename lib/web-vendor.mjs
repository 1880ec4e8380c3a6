// Copies the browser builds of the web UI's libraries from node_modules into web/vendor/, so the
// page loads only same-origin files (the machine may be offline; no CDN). Run at install time
// (scripts/build-web.mjs, npm's postinstall and pretest) and by the server as it starts
// (server/main.ts): idempotent and fast, so there is no build step for the user to remember.
// Plain JavaScript: the install runs it before any TypeScript can.
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** [package-relative source, file name in web/vendor/] */
const FILES = [
  ['marked/lib/marked.esm.js', 'marked.esm.js'],
  ['dompurify/dist/purify.es.mjs', 'purify.es.mjs'],
  ['uplot/dist/uPlot.esm.js', 'uPlot.esm.js'],
  ['uplot/dist/uPlot.min.css', 'uPlot.min.css'],
];

/** Copies what is missing or out of date into `repoRoot`/web/vendor/; returns the names copied. Throws when a package file is missing. */
export function copyVendorFiles(repoRoot) {
  const vendorDir = join(repoRoot, 'web', 'vendor');
  mkdirSync(vendorDir, { recursive: true });
  const copied = [];
  for (const [source, name] of FILES) {
    const from = join(repoRoot, 'node_modules', source);
    const to = join(vendorDir, name);
    if (!existsSync(from)) throw new Error(`web UI: ${source} is missing from node_modules; run npm install`);
    if (isUpToDate(from, to)) continue;
    copyFileSync(from, to);
    copied.push(name);
  }
  return copied;
}

function isUpToDate(from, to) {
  if (!existsSync(to)) return false;
  if (statSync(from).size !== statSync(to).size) return false;
  return readFileSync(from).equals(readFileSync(to));
}
