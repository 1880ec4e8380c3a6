import { MessageChannel, type MessagePort, receiveMessageOnPort, type Worker } from 'node:worker_threads';
import { startThread } from '../lib/thread-script.ts';
import {
  CONTROL,
  type LexicalHelperAnswer,
  type LexicalHelperData,
  type LexicalHelperLink,
  type LexicalHelperReply,
  type LexicalHelperRequest,
  nextSequence,
  offerRequest,
  phaseOf,
  STATE,
  type SharedLexicalMemory,
  stateWord,
  takeBackRequest,
} from './lexical-shared.ts';

/**
 * A thread that scores part of each large lexical query: the snapshot's posting lists, in shared
 * memory, over the labels below a split, while the index's own thread scores the rest (see
 * `LexicalIndex.search`). At 1M passages a question whose lists hold 300k+ postings spent 10 ms in
 * the lexical search on the main thread while the vector thread sat idle after its 4 ms; each half of
 * the labels costs about half.
 *
 * No message wakes an event loop: the helper waits on a shared counter (`Atomics.wait`), takes the
 * request from its port synchronously, and claims it by moving a shared state from REQUESTED to
 * RUNNING (the state word names the request, so a helper woken late cannot claim a later one); the
 * index's thread, done with its own part, takes the request back if it is still unclaimed and
 * scores it itself (about a quarter of the parts in the hybrid search at 1M, whose vector search
 * holds the other core for its first milliseconds). So a query never waits on a helper that has
 * not started, and a helper that fails is bypassed.
 */
export const LEXICAL_HELPER_DEFAULTS = {
  /** Knowledge bases from this size get a helper (below it the largest queries take a few milliseconds alone). */
  minPassages: 250_000,
  /**
   * How long the index's thread waits for a part the helper claimed before it gives up on the
   * helper (and scores the part itself): a part takes at most a few tens of milliseconds at 1M
   * passages, and the event loop is held while it waits.
   */
  answerWaitMs: 500,
};

const ENTRY = new URL('./lexical-helper-thread.ts', import.meta.url);

export class LexicalHelper implements LexicalHelperLink {
  private sequence = 0;
  private failed = false;
  private closed = false;

  private constructor(
    private readonly worker: Worker,
    private readonly control: Int32Array,
    private readonly port: MessagePort,
  ) {
    worker.on('error', () => {
      this.failed = true;
    });
    worker.on('exit', () => {
      this.failed = true;
    });
  }

  /** Starts a helper over `memory`; resolves once it waits for requests. */
  static async start(memory: SharedLexicalMemory, entry: URL = ENTRY): Promise<LexicalHelper> {
    const control = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
    const { port1, port2 } = new MessageChannel();
    const data: LexicalHelperData = { memory, control, port: port2 };
    const worker = startThread(entry, { workerData: data, transferList: [port2] });
    try {
      await new Promise<void>((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
        worker.once('exit', () => reject(new Error('the lexical helper stopped before it started')));
      });
    } catch (error) {
      await worker.terminate();
      throw error;
    }
    worker.removeAllListeners();
    // Blocked in Atomics.wait between requests, the thread must not keep the process alive.
    worker.unref();
    return new LexicalHelper(worker, control, port1);
  }

  get usable(): boolean {
    return !this.failed && !this.closed;
  }

  /** Whether a part handed over is still waiting or being scored (not yet answered nor taken back). */
  get busy(): boolean {
    const phase = phaseOf(Atomics.load(this.control, CONTROL.state));
    return phase === STATE.requested || phase === STATE.running;
  }

  begin(request: LexicalHelperRequest): void {
    this.sequence = nextSequence(this.sequence);
    // The request is on the port before the counter moves, so the woken helper finds it there.
    this.port.postMessage({ sequence: this.sequence, request });
    offerRequest(this.control, this.sequence);
  }

  end(): LexicalHelperAnswer | undefined {
    const { control, sequence } = this;
    // Unclaimed: taken back, and scored by the caller.
    if (takeBackRequest(control, sequence)) return undefined;
    const deadline = performance.now() + LEXICAL_HELPER_DEFAULTS.answerWaitMs;
    for (;;) {
      if (Atomics.load(control, CONTROL.state) === stateWord(sequence, STATE.done)) {
        const reply = receiveMessageOnPort(this.port)?.message as LexicalHelperReply | undefined;
        if (reply && reply.sequence !== sequence) continue;
        if (reply) {
          Atomics.store(control, CONTROL.state, stateWord(sequence, STATE.idle));
          if ('answer' in reply) return reply.answer;
          this.failed = true;
          return undefined;
        }
      }
      const left = deadline - performance.now();
      if (left <= 0) {
        // Claimed and never answered: the helper is stuck or gone; the caller scores the part.
        this.failed = true;
        return undefined;
      }
      Atomics.wait(control, CONTROL.state, stateWord(sequence, STATE.running), Math.min(left, 1));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.control, CONTROL.closed, 1);
    Atomics.notify(this.control, CONTROL.sequence);
    this.port.close();
    await this.worker.terminate();
  }
}

/** A helper as the store holds it: the index's link, and a way to stop the thread. */
export type StartedLexicalHelper = LexicalHelperLink & { close(): Promise<void> };

export interface LexicalHelperFactory {
  start(memory: SharedLexicalMemory): Promise<StartedLexicalHelper>;
}

/** The helper on a worker thread of its own (the server's and the CLI's, through `embeddedStoreThreads`). */
export const threadLexicalHelpers: LexicalHelperFactory = { start: (memory) => LexicalHelper.start(memory) };
