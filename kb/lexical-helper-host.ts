import { receiveMessageOnPort } from 'node:worker_threads';
import { LexicalIndex } from './lexical-index.ts';
import { CONTROL, claimRequest, finishRequest, type LexicalHelperData, type LexicalHelperReply, type LexicalHelperRequest } from './lexical-shared.ts';

/**
 * The helper thread's loop (lexical-helper.ts): waits for the request counter to move, takes the
 * request from the port, claims it, scores it over the shared snapshot and answers. Returns once
 * the index's side closes it.
 */
export function serveLexicalHelper({ memory, control, port }: LexicalHelperData): void {
  const view = LexicalIndex.sharedView(memory);
  let seen = 0;
  for (;;) {
    // A second at most, so a close is noticed even if its wake-up is lost.
    Atomics.wait(control, CONTROL.sequence, seen, 1_000);
    if (Atomics.load(control, CONTROL.closed) === 1) return;
    const sequence = Atomics.load(control, CONTROL.sequence);
    if (sequence === seen) continue;
    seen = sequence;
    let request: LexicalHelperRequest | undefined;
    // Requests the other side took back before this thread woke are still on the port: skip them.
    for (let message = receiveMessageOnPort(port)?.message; message; message = receiveMessageOnPort(port)?.message) {
      if (message.sequence === sequence) {
        request = message.request;
        break;
      }
    }
    // Claimed only while it is still the request handed over (not one taken back and replaced since).
    if (!request || !claimRequest(control, sequence)) continue;
    let reply: LexicalHelperReply;
    try {
      reply = { sequence, answer: view.answer(request) };
    } catch (error) {
      reply = { sequence, error: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(reply);
    finishRequest(control, sequence);
  }
}
