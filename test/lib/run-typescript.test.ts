import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '../..');
const ENTRIES = join(REPO, '.cache/entries');
// Inside the project (its own modules are the ones bundled), under the ignored cache folder.
const WORK = join(REPO, '.cache', `run-typescript-test-${process.pid}-${Date.now()}`);
const OUTSIDE = join(tmpdir(), `run-typescript-test-${process.pid}-${Date.now()}`);
const name = `probe${process.pid}`;
/** The runner names a bundle by its entry's path in the project. */
const bundleName = `.cache-${WORK.split('/').at(-1)}-${name}`;

afterAll(() => {
  rmSync(WORK, { recursive: true, force: true });
  rmSync(OUTSIDE, { recursive: true, force: true });
  // This test's entries' bundles, maps and manifests: all named after its folder.
  for (const file of existsSync(ENTRIES) ? readdirSync(ENTRIES) : []) if (file.startsWith(`.cache-${WORK.split('/').at(-1)}-`)) rmSync(join(ENTRIES, file));
});

let written = 0;
/**
 * An entry that reports what it sees of itself, and a module it imports from another folder; both
 * dated a while back (the runner keeps no manifest of files changed seconds before it bundled),
 * each writing a second later than the one before.
 */
function writeProbe(dir: string, sideValue: string): { entry: string; side: string } {
  mkdirSync(join(dir, 'other'), { recursive: true });
  const entry = join(dir, `${name}.ts`);
  const side = join(dir, 'other', 'side.ts');
  writeFileSync(side, `export const side = { url: import.meta.url, dirname: import.meta.dirname, value: ${JSON.stringify(sideValue)} };\n`);
  writeFileSync(
    entry,
    [
      "import { side } from './other/side.ts';",
      'const frame = (new Error().stack ?? "").split("\\n")[1] ?? "";',
      'const report: { argv: string[]; url: string; filename: string; side: typeof side; frame: string } = { argv: process.argv.slice(1), url: import.meta.url, filename: import.meta.filename, side, frame };',
      'process.stdout.write(JSON.stringify(report));',
      '',
    ].join('\n'),
  );
  written += 1;
  const date = new Date(Date.now() - 600_000 + written * 1_000);
  for (const path of [side, entry]) utimesSync(path, date, date);
  return { entry, side };
}

function run(launcher: string, entry: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [launcher, entry, ...args], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { argv: string[]; url: string; filename: string; side: { url: string; dirname: string; value: string }; frame: string };
}

const bundlesOf = () => readdirSync(ENTRIES).filter((file) => file.startsWith(`${bundleName}-`) && file.endsWith('.mjs'));

describe('lib/run-typescript.mjs', () => {
  it("runs an entry as one bundle that keeps each module's own import.meta, the entry's arguments and TypeScript stack frames", () => {
    const { entry, side } = writeProbe(WORK, 'first');
    const report = run(join(REPO, 'lib/run-typescript.mjs'), entry, '--index', 'somewhere', 'x');
    expect(report.argv).toEqual([entry, '--index', 'somewhere', 'x']);
    // Each module's real path, as Node's loader gives it (a copy of the project may link its .cache).
    expect(report.url).toBe(pathToFileURL(realpathSync(entry)).href);
    expect(report.filename).toBe(realpathSync(entry));
    expect(report.side).toEqual({ url: pathToFileURL(realpathSync(side)).href, dirname: realpathSync(join(WORK, 'other')), value: 'first' });
    // Through the bundle's source map: the entry's own file and line.
    expect(report.frame).toContain(`${name}.ts:2`);
    expect(bundlesOf()).toHaveLength(1);
    expect(existsSync(join(ENTRIES, `${bundlesOf()[0]}.map`))).toBe(true);
  });

  it('reuses the bundle while no file it was made from changed, and makes a new one when one did', () => {
    const manifest = join(ENTRIES, `${bundleName}.inputs.json`);
    let { entry } = writeProbe(WORK, 'first');
    run(join(REPO, 'lib/run-typescript.mjs'), entry);
    const before = statSync(manifest).mtimeMs;
    ({ entry } = writeProbe(WORK, 'first'));
    // Rewritten with the same content: another modification time, so a new bundling (of the same code).
    const again = run(join(REPO, 'lib/run-typescript.mjs'), entry);
    expect(again.side.value).toBe('first');
    const rebuilt = statSync(manifest).mtimeMs;
    expect(rebuilt).toBeGreaterThan(before);
    expect(bundlesOf()).toHaveLength(1);
    // Nothing touched: the bundle is loaded without bundling (the manifest is not written again).
    run(join(REPO, 'lib/run-typescript.mjs'), entry);
    expect(statSync(manifest).mtimeMs).toBe(rebuilt);
    // An imported module changed: a new bundle with it.
    writeProbe(WORK, 'second');
    expect(run(join(REPO, 'lib/run-typescript.mjs'), entry).side.value).toBe('second');
    expect(bundlesOf()).toHaveLength(2);
    // Changed seconds before: bundled, but no manifest kept (it may have changed while being read).
    const fresh = new Date();
    utimesSync(entry, fresh, fresh);
    const unsettled = statSync(manifest).mtimeMs;
    run(join(REPO, 'lib/run-typescript.mjs'), entry);
    expect(statSync(manifest).mtimeMs).toBe(unsettled);
  });

  it('bundles the packages an entry imports, but for those kept as imports of node_modules', () => {
    mkdirSync(WORK, { recursive: true });
    const entry = join(WORK, `packages${process.pid}.ts`);
    writeFileSync(
      entry,
      [
        "import { createRequire } from 'node:module';",
        "import Database from 'better-sqlite3';",
        "import matter from 'gray-matter';",
        "import { LRUCache } from 'lru-cache';",
        "import { z } from 'zod';",
        // A module's own top-level `require`, beside the one the bundle makes for CommonJS packages.
        'const require = createRequire(import.meta.url);',
        "const title = z.string().parse((matter('---\\ntitle: entry\\n---\\nbody').data as { title?: string }).title);",
        "const database = new Database(':memory:');",
        "const { sum } = database.prepare('SELECT 2 + 3 AS sum').get() as { sum: number };",
        "const cache = new LRUCache<string, number>({ max: 1 }).set('a', sum);",
        "process.stdout.write(JSON.stringify({ title, sum: cache.get('a'), resolved: require.resolve('zod').includes('node_modules') }));",
        '',
      ].join('\n'),
    );
    const result = spawnSync(process.execPath, [join(REPO, 'lib/run-typescript.mjs'), entry], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ title: 'entry', sum: 5, resolved: true });
    const bundles = readdirSync(ENTRIES).filter((file) => file.startsWith(`.cache-${WORK.split('/').at(-1)}-packages${process.pid}-`) && file.endsWith('.mjs'));
    expect(bundles).toHaveLength(1);
    const code = readFileSync(join(ENTRIES, bundles[0]!), 'utf8');
    // esbuild names each bundled file in a comment (through a linked node_modules, by its real path).
    expect(code).toMatch(/^\/\/ \S*node_modules\/lru-cache\//m);
    expect(code).toMatch(/^\/\/ \S*node_modules\/gray-matter\//m);
    expect(code).not.toMatch(/from "lru-cache"/);
    expect(code).toMatch(/from "better-sqlite3"/);
    expect(code).toMatch(/from "zod"/);
  });

  it('runs the TypeScript through tsx where the bundle cannot be written (a read-only install)', () => {
    // A copy of the runner in a project whose cache folder cannot be made: `.cache` is a file.
    mkdirSync(join(OUTSIDE, 'lib'), { recursive: true });
    for (const file of ['run-typescript.mjs', 'bundle-cache.mjs', 'bundle-options.mjs']) copyFileSync(join(REPO, 'lib', file), join(OUTSIDE, 'lib', file));
    symlinkSync(join(REPO, 'node_modules'), join(OUTSIDE, 'node_modules'));
    writeFileSync(join(OUTSIDE, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(join(OUTSIDE, '.cache'), 'not a folder');
    const { entry, side } = writeProbe(join(OUTSIDE, 'src'), 'fallback');
    const report = run(join(OUTSIDE, 'lib/run-typescript.mjs'), entry, '--flag');
    expect(report.argv).toEqual([entry, '--flag']);
    expect(report.url).toBe(pathToFileURL(entry).href);
    expect(report.side).toEqual({ url: pathToFileURL(side).href, dirname: join(OUTSIDE, 'src', 'other'), value: 'fallback' });
  });
});
