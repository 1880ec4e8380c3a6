/**
 * Event-loop turns (check phases) that pass while `work` runs, with its result: 0 when it ran
 * synchronously on this thread, more when it let the loop through (I/O on libuv's threads).
 */
export async function loopTurnsDuring<T>(work: () => Promise<T>): Promise<{ turns: number; result: T }> {
  let turns = 0;
  let done = false;
  const count = () => {
    if (done) return;
    turns += 1;
    setImmediate(count);
  };
  setImmediate(count);
  try {
    const result = await work();
    return { turns, result };
  } finally {
    done = true;
  }
}
