import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { TYPESCRIPT_RUNNER } from '../../lib/runtime-flags.ts';

const REPO = resolve(import.meta.dirname, '../..');
const tempDir = useTempDirs();

function freePort(): Promise<number> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** What a user sets and nothing more (a Docker volume, say): the install's data must still be found. */
function userEnv(port: number, dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), COPILOT_DATA_DIR: dataDir, COPILOT_LIVE_PRICES: 'off', OPENAI_API_KEY: '' };
  for (const name of [
    'COPILOT_SAMPLE_DIR',
    'COPILOT_CACHE_DIR',
    'COPILOT_WORD_VECTOR_CACHE_DIR',
    'COPILOT_LOG_LEVEL',
    'COPILOT_LOG_FORMAT',
    'COPILOT_INDEX_DIR',
  ])
    delete env[name];
  return env;
}

/** The server as `npm start` runs it, on a free port with an empty data folder; `output()` is what it printed so far. */
async function startServer() {
  const port = await freePort();
  const dataDir = tempDir();
  const child = spawn(process.execPath, [...TYPESCRIPT_RUNNER, join(REPO, 'server/main.ts')], {
    cwd: REPO,
    env: userEnv(port, dataDir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  child.stdout!.on('data', (data: Buffer) => (printed += data.toString()));
  child.stderr!.on('data', (data: Buffer) => (printed += data.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
  return { port, dataDir, child, output: () => printed, exited };
}

describe('npm start', () => {
  it('with COPILOT_DATA_DIR an empty folder, ingests the bundled samples, says how to remove them, answers from the bundled prices, logs one line per request, and on SIGTERM finishes the request in flight before exiting cleanly', async () => {
    const { port, dataDir, child, output, exited } = await startServer();

    const base = `http://127.0.0.1:${port}`;
    let health: { status: string; articles: number; warm: boolean } | undefined;
    for (let attempt = 0; attempt < 600 && !health; attempt += 1) {
      try {
        health = await (await fetch(`${base}/api/health`)).json();
      } catch {
        await new Promise((resolveWait) => setTimeout(resolveWait, 100));
      }
    }
    expect(health, output()).toMatchObject({ status: 'ok' });
    expect(health!.articles).toBeGreaterThanOrEqual(12);
    // It listens first and warms up between requests; health says when that is done.
    expect(output()).toMatch(/ready in \d+ ms; warming up between requests/);
    for (let attempt = 0; attempt < 300 && !health!.warm; attempt += 1) {
      await new Promise((resolveWait) => setTimeout(resolveWait, 100));
      health = await (await fetch(`${base}/api/health`)).json();
    }
    expect(health!.warm, output()).toBe(true);
    // (How many answers fit its time budget depends on the machine's load.)
    expect(output()).toMatch(/warmed up: \d+ searches, \d+ answers/);
    // The UI is served at / (no CDN: every script is same-origin).
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);

    const inFlight = fetch(`${base}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ message: 'How much did the Russell 2000 gain from December 1, 2025 to January 23, 2026?' }),
    }).then((response) => response.text());
    await new Promise((resolveWait) => setTimeout(resolveWait, 20));
    child.kill('SIGTERM');
    const stream = await inFlight;
    expect(stream).toMatch(/event: done/);
    // Computed from the bundled price file, not "no local data".
    expect(stream).toContain('gained 7.53%');
    expect(await exited).toBe(0);
    expect(output()).toMatch(/sample articles .*remove them all with `npm run ingest -- --remove-samples`/);
    // Quiet by default: one plain line per request with its full path, no JSON request dumps.
    expect(output().match(/^\S+ POST \/api\/chat \d{3} /gm)).toHaveLength(1);
    expect(output()).toMatch(/^\S+ GET \/api\/health \d{3} /m);
    expect(output()).not.toMatch(/^\{"level"/m);
    // The 140 MB word-vector cache stays with the install; the new data dir does not rebuild it.
    const inDataDir = readdirSync(dataDir, { recursive: true }).map(String);
    expect(inDataDir.filter((path) => /word-vectors|\.bin$/.test(path))).toEqual([]);
  });

  it('stopped while it still warms up, ends the warm-up before closing the store and exits cleanly', async () => {
    const { child, output, exited } = await startServer();
    // Stopped as soon as it listens, before the warm-up can have finished.
    while (!/ready in \d+ ms/.test(output())) {
      if (child.exitCode !== null) break;
      await new Promise((resolveWait) => setTimeout(resolveWait, 10));
    }
    child.kill('SIGTERM');
    expect(await exited, output()).toBe(0);
    expect(output()).not.toMatch(/warmed up:|could not close|warm-up failed|WARN|ERROR/);
  });
});
