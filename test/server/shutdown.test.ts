import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../helpers/temp-dir.ts';

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

describe('npm start', () => {
  it('ingests the sample corpus into an empty index, serves, and on SIGTERM finishes the request in flight before exiting cleanly', async () => {
    const port = await freePort();
    const dataDir = tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'server/main.ts')], {
      cwd: REPO,
      env: {
        ...process.env,
        PORT: String(port),
        COPILOT_DATA_DIR: dataDir,
        COPILOT_SAMPLE_DIR: join(REPO, 'data/articles'),
        COPILOT_CACHE_DIR: join(REPO, '.cache/word-vectors'),
        COPILOT_LIVE_PRICES: 'off',
        COPILOT_LOG_LEVEL: 'silent',
        OPENAI_API_KEY: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (data: Buffer) => (output += data.toString()));
    child.stderr!.on('data', (data: Buffer) => (output += data.toString()));
    const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));

    const base = `http://127.0.0.1:${port}`;
    let health: { status: string; articles: number } | undefined;
    for (let attempt = 0; attempt < 600 && !health; attempt += 1) {
      try {
        health = await (await fetch(`${base}/api/health`)).json();
      } catch {
        await new Promise((resolveWait) => setTimeout(resolveWait, 100));
      }
    }
    expect(health, output).toMatchObject({ status: 'ok' });
    expect(health!.articles).toBeGreaterThanOrEqual(12);
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
    expect(await exited).toBe(0);
  });
});
