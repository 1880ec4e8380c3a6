import { readFileSync, readdirSync } from 'node:fs';

/**
 * CPU seconds of this process's main thread and of all its other threads (workers, libuv, GC),
 * read from Linux's /proc (undefined elsewhere). `process.cpuUsage` sums every thread; on a shared
 * machine this split says which thread bounds a pipeline, whatever the wall clock does.
 */
export interface ThreadCpu {
  mainSeconds: number;
  otherSeconds: number;
}

const TICKS_PER_SECOND = 100;

export function readThreadCpu(): ThreadCpu | undefined {
  try {
    const tasks = readdirSync('/proc/self/task');
    let main = 0;
    let other = 0;
    for (const task of tasks) {
      const stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
      if (Number(task) === process.pid) main += seconds;
      else other += seconds;
    }
    return { mainSeconds: main, otherSeconds: other };
  } catch {
    return undefined;
  }
}

/** What each side used since `start`. */
export function threadCpuSince(start: ThreadCpu | undefined): ThreadCpu | undefined {
  const now = readThreadCpu();
  if (!start || !now) return undefined;
  return { mainSeconds: now.mainSeconds - start.mainSeconds, otherSeconds: now.otherSeconds - start.otherSeconds };
}
