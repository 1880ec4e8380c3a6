import { readdirSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createJobRunner } from '../../ingest/worker/job-runner.ts';
import { lowerThreadPriority } from '../../lib/thread-priority.ts';

const BELOW_NORMAL = constants.priority.PRIORITY_BELOW_NORMAL;

describe('lowerThreadPriority', () => {
  it('lowers the priority of the calling thread by its id', () => {
    const calls: [number, number][] = [];
    expect(lowerThreadPriority({ threadId: () => 4242, get: () => 0, set: (id, priority) => calls.push([id, priority]) })).toBe(true);
    expect(calls).toEqual([[4242, BELOW_NORMAL]]);
  });

  it('never raises a thread that already runs lower (a worker of npm run ingest, whose threads all run at the lowest)', () => {
    const calls: number[] = [];
    const lowest = constants.priority.PRIORITY_LOW;
    expect(lowerThreadPriority({ threadId: () => 4242, get: () => lowest, set: (_id, priority) => calls.push(priority) })).toBe(true);
    expect(lowerThreadPriority({ threadId: () => 4242, get: () => BELOW_NORMAL, set: (_id, priority) => calls.push(priority) })).toBe(true);
    expect(calls).toEqual([]);
    expect(lowerThreadPriority({ threadId: () => 4242, get: () => BELOW_NORMAL, set: (_id, priority) => calls.push(priority), priority: lowest })).toBe(true);
    expect(calls).toEqual([lowest]);
  });

  it('changes nothing when the thread id is unknown (never the whole process)', () => {
    const calls: number[] = [];
    expect(lowerThreadPriority({ threadId: () => undefined, set: (id) => calls.push(id) })).toBe(false);
    expect(calls).toEqual([]);
  });

  it('reports a refused change instead of throwing', () => {
    const refuse = () => {
      throw new Error('EACCES');
    };
    expect(lowerThreadPriority({ threadId: () => 1, get: () => 0, set: refuse })).toBe(false);
  });
});

/** Nice value of each thread of this process (field 19 of /proc/<pid>/task/<tid>/stat). */
function threadNiceValues(): Map<number, number> {
  const values = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      values.set(Number(tid), Number(fields[16]));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return values;
}

describe.skipIf(process.platform !== 'linux')("the job runner's worker", () => {
  it('runs below normal priority while the rest of the process keeps its own', async (context) => {
    const processNice = threadNiceValues().get(process.pid)!;
    // A process already running at or below that priority has nothing to show.
    if (processNice >= BELOW_NORMAL) context.skip();
    const lowered = () => [...threadNiceValues().values()].filter((nice) => nice === BELOW_NORMAL).length;
    expect(lowered()).toBe(0);
    const runner = createJobRunner();
    try {
      await runner.run('prepare-document', { content: 'Shares rose 3% on the day.', format: 'text' });
      expect(lowered()).toBe(1);
      expect(threadNiceValues().get(process.pid)).toBe(processNice);
    } finally {
      await runner.close();
    }
  });

  it('keeps normal priority when asked to', async (context) => {
    if (threadNiceValues().get(process.pid)! >= BELOW_NORMAL) context.skip();
    const runner = createJobRunner({ lowPriority: false });
    try {
      await runner.run('prepare-document', { content: 'Shares rose 3% on the day.', format: 'text' });
      expect([...threadNiceValues().values()].filter((nice) => nice === BELOW_NORMAL)).toEqual([]);
    } finally {
      await runner.close();
    }
  });
});
