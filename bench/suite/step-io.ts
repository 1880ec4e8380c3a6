import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { RUNTIME_NODE_FLAGS, TYPESCRIPT_RUNNER } from '../../lib/runtime-flags.ts';

/**
 * Each heavy benchmark step runs in its own Node process, so that its memory (RSS) is its own and
 * one size's garbage does not slow the next; it writes its result as JSON to the file named by
 * `--out`, which the runner reads back.
 */
export function writeStepResult(path: string, result: Record<string, unknown>): void {
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
}

const StepResultSchema = z.record(z.string(), z.unknown());
export type StepResult = z.infer<typeof StepResultSchema>;

export interface StepOptions {
  /** Extra Node flags, e.g. a larger heap or --cpu-prof. */
  nodeFlags?: string[];
  env?: Record<string, string>;
  timeoutMs: number;
}

/** Runs `node <the copilot's runtime flags> lib/run-typescript.mjs <script> ...args --out <tmp>` and returns the JSON it wrote. */
export async function runStep(script: string, args: string[], options: StepOptions): Promise<StepResult> {
  const dir = mkdtempSync(join(tmpdir(), 'copilot-bench-step-'));
  const out = join(dir, 'result.json');
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [...RUNTIME_NODE_FLAGS, ...(options.nodeFlags ?? []), ...TYPESCRIPT_RUNNER, script, ...args, '--out', out], {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, ...options.env },
      });
      const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMs);
      child.on('error', reject);
      child.on('exit', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    if (code !== 0) throw new Error(`${script} ${args.join(' ')} exited with ${code ?? 'a signal (timeout?)'}`);
    return StepResultSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
