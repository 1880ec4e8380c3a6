#!/usr/bin/env node
// Copies the browser builds of the web UI's libraries from node_modules into web/vendor/, so the
// page loads only same-origin files (the machine may be offline; no CDN). Runs at install and
// start time; it is idempotent and fast, so there is no build step for the user to remember.
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const vendorDir = join(repoRoot, 'web', 'vendor');

/** [package-relative source, file name in web/vendor/] */
const FILES = [
  ['marked/lib/marked.esm.js', 'marked.esm.js'],
  ['dompurify/dist/purify.es.mjs', 'purify.es.mjs'],
  ['uplot/dist/uPlot.esm.js', 'uPlot.esm.js'],
  ['uplot/dist/uPlot.min.css', 'uPlot.min.css'],
];

function copyVendorFiles() {
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

try {
  const copied = copyVendorFiles();
  if (copied.length > 0) process.stdout.write(`web UI: copied ${copied.join(', ')} into web/vendor/\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
