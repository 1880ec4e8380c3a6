import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, SAMPLE_DIR, WORD_VECTOR_CACHE } from '../retrieval/corpus.ts';
import { RUNTIME_NODE_FLAGS, TYPESCRIPT_RUNNER } from '../../lib/runtime-flags.ts';
import { writeStepResult } from './step-io.ts';
import { round } from './statistics.ts';

/**
 * Cold start: the time from launching the server to its first answered chat request, with the
 * sample corpus in a fresh data folder. The first launch ingests the corpus into the empty index;
 * later launches load the saved index, which is the figure the goal is about. Measured both as
 * `npm start` (what a user types; npm adds its own start-up and the UI copy) and as
 * `node lib/run-typescript.mjs server/main.ts`.
 *
 *   tsx bench/suite/cold-start-bench.ts --runs 3 --out result.json
 */
export const COLD_START_DEFAULTS = {
  question: 'What did the Russell 2000 close at on January 21, 2026?',
  pollMs: 20,
  timeoutMs: 60_000,
};

type Launcher = 'npm start' | 'node';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function launch(launcher: Launcher, env: Record<string, string>): ChildProcess {
  const options = { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: 'ignore' as const, detached: true };
  return launcher === 'npm start'
    ? spawn('npm', ['start', '--silent'], options)
    : spawn(process.execPath, [...RUNTIME_NODE_FLAGS, ...TYPESCRIPT_RUNNER, 'server/main.ts'], options);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // npm runs the server in a child of its own: signal the whole process group we created.
  process.kill(-child.pid, 'SIGTERM');
  await exited;
}

async function waitFor(check: () => Promise<boolean>, child: ChildProcess): Promise<void> {
  const deadline = performance.now() + COLD_START_DEFAULTS.timeoutMs;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before answering`);
    try {
      if (await check()) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, COLD_START_DEFAULTS.pollMs));
  }
  throw new Error('server did not answer within the timeout');
}

async function measureLaunch(launcher: Launcher, dataDir: string) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = launch(launcher, {
    PORT: String(port),
    HOST: '127.0.0.1',
    COPILOT_DATA_DIR: dataDir,
    COPILOT_SAMPLE_DIR: SAMPLE_DIR,
    COPILOT_CACHE_DIR: WORD_VECTOR_CACHE,
    COPILOT_LIVE_PRICES: 'off',
    OPENAI_API_KEY: '',
  });
  try {
    await waitFor(async () => (await fetch(`${base}/api/health`)).ok, child);
    const healthMs = performance.now() - started;
    const response = await fetch(`${base}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: COLD_START_DEFAULTS.question }),
    });
    const body = await response.text();
    if (!response.ok || !body.includes('"answer"')) throw new Error(`first chat answered ${response.status}: ${body.slice(0, 200)}`);
    return { launcher, healthMs: round(healthMs, 0), firstAnswerMs: round(performance.now() - started, 0) };
  } finally {
    await stop(child);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, out: { type: 'string' } } });
  const runs = Number(values.runs);
  if (!values.out || !(runs > 0)) throw new Error('usage: cold-start-bench.ts --runs N --out FILE');
  const dataDir = mkdtempSync(join(tmpdir(), 'copilot-bench-cold-'));
  try {
    // The sample prices are read-only inputs: share them rather than copy.
    symlinkSync(join(REPO_ROOT, 'data/prices'), join(dataDir, 'prices'));
    const first = await measureLaunch('npm start', dataDir);
    const later: Record<Launcher, { healthMs: number; firstAnswerMs: number }[]> = { 'npm start': [], node: [] };
    for (let run = 0; run < runs; run += 1) {
      for (const launcher of ['npm start', 'node'] as const) later[launcher].push(await measureLaunch(launcher, dataDir));
    }
    const summarize = (launcher: Launcher) => ({
      healthMs: median(later[launcher].map((run) => run.healthMs)),
      firstAnswerMs: median(later[launcher].map((run) => run.firstAnswerMs)),
      runs: later[launcher],
    });
    writeStepResult(values.out, {
      step: 'cold-start',
      question: COLD_START_DEFAULTS.question,
      firstRunWithIngest: first,
      npmStart: summarize('npm start'),
      node: summarize('node'),
    });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
