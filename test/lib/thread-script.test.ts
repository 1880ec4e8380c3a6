import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { startThread, threadScript } from '../../lib/thread-script.ts';

const ENTRY = new URL('./fixtures/report-thread.ts', import.meta.url);

/** Runs `script` in a thread and returns its one report. */
async function report(script: ReturnType<typeof threadScript>): Promise<{ code: string; title: string; sum: number; execArgv: string[]; argv: string[] }> {
  const worker = new Worker(script.url, { ...(script.bundled ? { execArgv: [] } : {}), argv: script.argv });
  try {
    return await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  } finally {
    await worker.terminate();
  }
}

describe('threadScript', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'thread-script-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('bundles a TypeScript main module into one JavaScript file that a thread runs without a loader', async () => {
    // Inside the project, as the default folder is, so that the bundle's imports of packages resolve.
    const dir = join(fileURLToPath(new URL('../../.cache/', import.meta.url)), `thread-script-test-${process.pid}`);
    dirs.push(dir);
    const script = threadScript(ENTRY, dir);
    expect(script.bundled).toBe(true);
    expect(script.url.pathname.endsWith('.mjs')).toBe(true);
    const files = readdirSync(dir).filter((file) => file.endsWith('.mjs'));
    expect(files).toEqual([expect.stringMatching(/^report-thread-[0-9a-f]{16}\.mjs$/)]);
    // Beside it, the list of what it was made from (and nothing the bundler left behind), which
    // lets a later process reuse it without bundling.
    expect(readdirSync(dir).sort()).toEqual([files[0], 'report-thread.inputs.json']);
    const manifest = JSON.parse(readFileSync(join(dir, 'report-thread.inputs.json'), 'utf8')) as { bundle: string; inputs: [string][] };
    expect(manifest.bundle).toBe(join(dir, files[0]!));
    expect(manifest.inputs.map(([input]) => input)).toEqual(
      expect.arrayContaining([
        fileURLToPath(ENTRY),
        fileURLToPath(new URL('../../lib/errors.ts', import.meta.url)),
        fileURLToPath(new URL('../../lib/thread-script.ts', import.meta.url)),
        fileURLToPath(new URL('../../lib/bundle-options.mjs', import.meta.url)),
      ]),
    );
    const code = readFileSync(join(dir, files[0]!), 'utf8');
    // The project's modules are in it, and the packages too but for those kept out.
    expect(code).toContain('this.name = "AppError"');
    // esbuild names each bundled file in a comment (through a linked node_modules, by its real path).
    expect(code).toMatch(/^\/\/ \S*node_modules\/lru-cache\//m);
    expect(code).toMatch(/^\/\/ \S*node_modules\/gray-matter\//m);
    expect(code).not.toMatch(/from "lru-cache"/);
    expect(code).toMatch(/from "better-sqlite3"/);
    expect(code).toMatch(/from "zod"/);
    expect(manifest.inputs.map(([input]) => input)).toEqual(expect.arrayContaining([expect.stringContaining('/node_modules/lru-cache/')]));
    // The same script again, without bundling anew.
    expect(threadScript(ENTRY, dir)).toBe(script);
    const answer = await report(script);
    expect(answer).toMatchObject({ code: 'bad_request', title: 'thread', sum: 5, execArgv: [] });
  });

  it('removes bundles of the same thread unused for a week when it makes a new one, and makes a removed one again', () => {
    const dir = join(fileURLToPath(new URL('../../.cache/', import.meta.url)), `thread-script-stale-${process.pid}`);
    dirs.push(dir);
    mkdirSync(dir, { recursive: true });
    const longAgo = new Date(Date.now() - 8 * 24 * 3600_000);
    const old = join(dir, 'report-thread-0000000000000000.mjs');
    const recent = join(dir, 'report-thread-1111111111111111.mjs');
    const otherThread = join(dir, 'other-thread-2222222222222222.mjs');
    for (const path of [old, recent, otherThread]) writeFileSync(path, '');
    utimesSync(old, longAgo, longAgo);
    utimesSync(otherThread, longAgo, longAgo);
    const script = threadScript(ENTRY, dir);
    expect(script.bundled).toBe(true);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(recent)).toBe(true);
    expect(existsSync(otherThread)).toBe(true);
    rmSync(script.url);
    expect(threadScript(ENTRY, dir).url).toEqual(script.url);
    expect(existsSync(script.url)).toBe(true);
  });

  it('runs the module through tsx when the bundle cannot be written', async () => {
    const dir = tempDir();
    const blocked = join(dir, 'a-file');
    writeFileSync(blocked, '');
    chmodSync(blocked, 0o444);
    const script = threadScript(ENTRY, join(blocked, 'threads'));
    expect(script.bundled).toBe(false);
    expect(script.url.pathname.endsWith('/lib/thread-tsx-entry.mjs')).toBe(true);
    expect(script.argv).toEqual([ENTRY.href]);
    const answer = await report(script);
    expect(answer.code).toBe('bad_request');
  });

  it('starts the bundle without the Node options this process runs with (a loader it does not need)', async () => {
    // Vitest runs its workers with options (conditions, a preload): a thread would inherit them.
    expect(process.execArgv.length).toBeGreaterThan(0);
    const worker = startThread(ENTRY);
    try {
      const answer = await new Promise<{ code: string; execArgv: string[] }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      expect(answer).toMatchObject({ code: 'bad_request', execArgv: [] });
    } finally {
      await worker.terminate();
    }
  });

  it('leaves a JavaScript module as it is', () => {
    const entry = new URL('./fixtures/report-thread.mjs', import.meta.url);
    expect(threadScript(entry, tempDir())).toEqual({ url: entry, argv: [], bundled: false });
  });
});
