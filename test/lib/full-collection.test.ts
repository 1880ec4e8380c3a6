import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fullCollection } from '../../lib/full-collection.ts';
import { RUNTIME_NODE_FLAGS } from '../../lib/runtime-flags.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('fullCollection', () => {
  it("is V8's collector when the process exposes it, and undefined when it does not", () => {
    vi.stubGlobal('gc', undefined);
    expect(fullCollection()).toBeUndefined();
    const collect = vi.fn();
    vi.stubGlobal('gc', collect);
    fullCollection()!();
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it('collects in a process started with the runtime flags', () => {
    // The flags package.json's scripts pass (test/lib/runtime-flags.test.ts): the collector is there
    // and frees what nothing holds any more.
    const script = [
      "const { fullCollection } = await import('./lib/full-collection.ts');",
      'const collect = fullCollection();',
      'let held = Array.from({ length: 200_000 }, (_, i) => ({ i }));',
      'const ref = new WeakRef(held[0]);',
      'held = undefined;',
      'collect();',
      'await new Promise((resolve) => setTimeout(resolve, 0));',
      'collect();',
      "process.stdout.write(JSON.stringify({ exposed: typeof collect === 'function', freed: ref.deref() === undefined }));",
    ].join('\n');
    const child = spawnSync(process.execPath, [...RUNTIME_NODE_FLAGS, '--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: `${import.meta.dirname}/../..`,
      encoding: 'utf8',
    });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({ exposed: true, freed: true });
  });
});
