import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { constants } from 'node:os';
import { lowerIngestPriority } from '../../ingest/background-priority.ts';
import { describeUnsupported } from '../../ingest/describe-unsupported.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { TYPESCRIPT_RUNNER } from '../../lib/runtime-flags.ts';

const REPO = resolve(import.meta.dirname, '../..');
const tempDir = useTempDirs();

function runIngest(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [...TYPESCRIPT_RUNNER, join(REPO, 'ingest/cli.ts'), ...args], {
    cwd: REPO,
    env: { ...process.env, ...env, OPENAI_API_KEY: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (data: Buffer) => (output += data.toString()));
  child.stderr.on('data', (data: Buffer) => (output += data.toString()));
  return new Promise((resolveExit) => child.on('exit', (code) => resolveExit({ code, output })));
}

describe('npm run ingest reports what it left out', () => {
  it('counts unsupported files by type with examples', () => {
    expect(describeUnsupported(['/a/x.docx', '/a/y.DOCX', '/a/NOTES', '/a/b/z.xlsx'], ['.md', '.txt'])).toBe(
      '  not ingested (type not supported; ingest reads .md .txt): 2 .docx (x.docx, y.DOCX), 1 .xlsx (z.xlsx), 1 without an extension (NOTES)',
    );
  });

  it('names skipped file types and exits 1 when a file failed, keeping what it ingested', async () => {
    const folder = join(tempDir(), 'inbox');
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      join(folder, 'harbor.md'),
      '# Harbor fees rise\n\nThe port authority raised berth fees by four percent for the coming season, citing dredging costs and a new crane.\n',
    );
    writeFileSync(join(folder, 'minutes.docx'), 'not a format ingest reads');
    writeFileSync(join(folder, 'broken.json'), '{"title": "half an object",');
    const dataDir = tempDir();
    const { code, output } = await runIngest([folder], { COPILOT_DATA_DIR: dataDir, COPILOT_WORD_VECTOR_CACHE_DIR: join(REPO, '.cache/word-vectors') });
    expect(output).toMatch(/added 1, updated 0, skipped 0, failed 1/);
    expect(output).toMatch(/failed: .*broken\.json: /);
    expect(output).toMatch(/not ingested \(type not supported; ingest reads [^)]*\): 1 \.docx \(minutes\.docx\)/);
    expect(output).toMatch(/knowledge base: 1 article,/);
    expect(code).toBe(1);
  });

  it('refuses an unknown --priority with exit 2 before touching the knowledge base', async () => {
    const dataDir = tempDir();
    const { code, output } = await runIngest(['some-folder', '--priority', 'urgent'], { COPILOT_DATA_DIR: dataDir });
    expect(output).toMatch(/--priority takes low or normal, not "urgent"/);
    expect(code).toBe(2);
  });
});

describe('npm run ingest leaves the cores to a server running beside it', () => {
  const LOWEST = constants.priority.PRIORITY_LOW;

  it('asks the lowest priority for every thread, and goes on when it cannot have it', () => {
    const asked: [number, number][] = [];
    expect(lowerIngestPriority({ threadIds: () => [41, 42], set: (id, priority) => asked.push([id, priority]) })).toBe(true);
    expect(asked).toEqual([
      [41, LOWEST],
      [42, LOWEST],
    ]);
    const refuse = () => {
      throw new Error('EACCES');
    };
    expect(lowerIngestPriority({ threadIds: () => [41, 42], set: refuse })).toBe(false);
    // A thread that ended between listing and lowering does not stop the others.
    const lowered: number[] = [];
    const endedFirst = (id: number) => {
      if (id === 41) throw new Error('ESRCH');
      lowered.push(id);
    };
    expect(lowerIngestPriority({ threadIds: () => [41, 42], set: endedFirst })).toBe(true);
    expect(lowered).toEqual([42]);
  });

  it('really lowers every thread of the process that calls it, those Node started before and the worker started after included', async () => {
    // Each thread's nice value (field 19 of /proc/self/task/<tid>/stat; Linux only).
    const script = [
      "const os = await import('node:os');",
      "const fs = await import('node:fs');",
      "const m = await import('./ingest/background-priority.ts');",
      "const { createJobRunner } = await import('./ingest/worker/job-runner.ts');",
      "const nice = () => process.platform === 'linux' ? fs.readdirSync('/proc/self/task').map((tid) => Number(fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')[16])) : [];",
      'm.lowerIngestPriority();',
      'const threads = nice();',
      // The ingest's worker, started after, lowers its own thread to below normal: it must not raise it.
      'const runner = createJobRunner();',
      "await runner.run('prepare-document', { content: 'Shares rose 3% on the day.', format: 'text' });",
      'const withWorker = nice();',
      'await runner.close();',
      'console.log(JSON.stringify({ process: os.getPriority(), threads, withWorker }));',
    ].join(' ');
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (data: Buffer) => (output += data.toString()));
    await new Promise((resolveExit) => child.on('exit', resolveExit));
    const { process: processPriority, threads, withWorker } = JSON.parse(output.trim()) as { process: number; threads: number[]; withWorker: number[] };
    expect(processPriority).toBe(LOWEST);
    if (process.platform === 'linux') {
      // V8's helpers and libuv's pool were started before the call: they are lowered too.
      expect(threads.length).toBeGreaterThan(1);
      expect(threads.every((nice) => nice === LOWEST)).toBe(true);
      expect(withWorker.length).toBeGreaterThan(threads.length);
      expect(withWorker.every((nice) => nice === LOWEST)).toBe(true);
    }
  });
});
