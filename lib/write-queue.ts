/**
 * Runs async tasks one at a time, in arrival order. Knowledge-base writers in one process go
 * through it so two requests never interleave their upserts and saves.
 */
export interface WriteQueue {
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Resolves once every task queued so far has settled. */
  idle(): Promise<void>;
}

export function createWriteQueue(): WriteQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(task: () => Promise<T>): Promise<T> {
      const result = tail.then(task, task);
      // The queue continues whether the task failed or not; the caller sees the failure.
      tail = result.catch(() => undefined);
      return result;
    },
    idle() {
      return tail.then(() => undefined);
    },
  };
}
