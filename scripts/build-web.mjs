#!/usr/bin/env node
// Copies the web UI's libraries into web/vendor/ (lib/web-vendor.mjs): npm's postinstall and pretest.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyVendorFiles } from '../lib/web-vendor.mjs';

try {
  const copied = copyVendorFiles(join(dirname(fileURLToPath(import.meta.url)), '..'));
  if (copied.length > 0) process.stdout.write(`web UI: copied ${copied.join(', ')} into web/vendor/\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
