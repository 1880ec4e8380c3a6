/**
 * Event-loop turns shared fairly between requests. The store starts each read on a turn of its own
 * so that no request's chain of synchronous steps runs as one block; but a plain `setImmediate`
 * per waiting request lets every waiting request take its step in the same check phase, one after
 * the other: four searches and two chats in flight blocked the loop for 110–140 ms at 100k
 * passages, though no single step took more than 50. Here waiting requests queue, and each
 * event-loop iteration runs one of them, so timers, incoming requests and I/O get a turn between
 * any two steps, and requests alternate in arrival order.
 */
const waiting: (() => void)[] = [];
let scheduled = false;

/** Resolves on a later event-loop iteration than any step already waiting resumes on. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (!scheduled) {
      scheduled = true;
      setImmediate(resumeOne);
    }
  });
}

function resumeOne(): void {
  // Its continuation runs in the microtask checkpoint right after this callback; an immediate set
  // from inside the check phase runs on the next iteration, after the poll phase.
  waiting.shift()?.();
  if (waiting.length > 0) setImmediate(resumeOne);
  else scheduled = false;
}
