import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RUNTIME_NODE_FLAGS, TYPESCRIPT_RUNNER } from '../../lib/runtime-flags.ts';

const scripts = (JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

describe("the copilot's long-running processes", () => {
  it.each(['start', 'ingest', 'mcp'])('npm run %s starts Node with the runtime flags', (name) => {
    const words = scripts[name]!.split(/\s+/);
    expect(words[0]).toBe('node');
    const entry = words.findIndex((word) => word.endsWith('.ts'));
    expect(entry).toBeGreaterThan(0);
    for (const flag of RUNTIME_NODE_FLAGS) expect(words.slice(1, entry)).toContain(flag);
    // Bundled by the project's runner, never through the tsx command (lib/run-typescript.mjs says why).
    expect(words[entry - 1]).toBe('lib/run-typescript.mjs');
    expect(words.slice(1, entry).join(' ')).not.toContain('tsx');
  });

  it('runs the TypeScript without detaching an array buffer on the main thread (the tsx command did)', () => {
    // Detached once, V8 checks every typed-array access of the thread for it: 15-20 % slower loops.
    const probe = (...args: string[]) => {
      const script = fileURLToPath(new URL('./fixtures/detach-probe.ts', import.meta.url));
      const run = spawnSync(process.execPath, ['--allow-natives-syntax', ...TYPESCRIPT_RUNNER, script, ...args], {
        cwd: join(import.meta.dirname, '../..'),
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status, run.stderr).toBe(0);
      return JSON.parse(run.stdout) as { optimized: boolean; keptAfterDetaching: boolean };
    };
    // After loading the server's modules, the probe's code is thrown away at the first detach: none happened before.
    expect(probe()).toEqual({ optimized: true, keptAfterDetaching: false });
    // The probe sees one that did happen: its code, compiled after it, is kept.
    expect(probe('--detach-first')).toEqual({ optimized: true, keptAfterDetaching: true });
  });
});
