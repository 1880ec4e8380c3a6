import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RUNTIME_NODE_FLAGS } from '../../lib/runtime-flags.ts';

const scripts = (JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

describe("the copilot's long-running processes", () => {
  it.each(['start', 'ingest', 'mcp'])('npm run %s starts Node with the runtime flags', (name) => {
    const words = scripts[name]!.split(/\s+/);
    expect(words[0]).toBe('tsx');
    // tsx hands flags placed before the entry file to Node.
    const entry = words.findIndex((word) => word.endsWith('.ts'));
    expect(entry).toBeGreaterThan(0);
    for (const flag of RUNTIME_NODE_FLAGS) expect(words.slice(1, entry)).toContain(flag);
  });
});
