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
/** Background steps: each runs on an iteration where no request's step waits (or once its wait is up). */
const background: (() => void)[] = [];
let scheduled = false;

/** Resolves on a later event-loop iteration than any step already waiting resumes on. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    schedule();
  });
}

/**
 * Resolves on an event-loop iteration where no request's step is waiting, or after `maxWaitMs`
 * in the ordinary queue: for work nobody waits for (applying another process's writes), which
 * then takes what requests leave, plus at least one turn per `maxWaitMs`.
 */
export function idleTurn(maxWaitMs: number): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const go = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      const index = background.indexOf(go);
      if (index >= 0) background.splice(index, 1);
      void nextTurn().then(go);
    }, maxWaitMs);
    background.push(go);
    schedule();
  });
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(resumeOne);
}

function resumeOne(): void {
  // Its continuation runs in the microtask checkpoint right after this callback; an immediate set
  // from inside the check phase runs on the next iteration, after the poll phase.
  const next = waiting.shift() ?? background.shift();
  next?.();
  if (waiting.length > 0 || background.length > 0) setImmediate(resumeOne);
  else scheduled = false;
}
