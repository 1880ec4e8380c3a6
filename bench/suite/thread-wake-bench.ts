import { parseArgs } from 'node:util';
import { measureThreadWake, THREAD_WAKE_DEFAULTS } from './thread-wake.ts';
import { writeStepResult } from './step-io.ts';

/**
 * The machine's thread wake-up latency (thread-wake.ts), in a process of its own: no store, no
 * copilot code, only two threads passing messages.
 *
 *   tsx bench/suite/thread-wake-bench.ts --messages 400 --out result.json
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { messages: { type: 'string' }, out: { type: 'string' } } });
  if (!values.out) throw new Error('--out FILE is required');
  const messages = Number(values.messages ?? THREAD_WAKE_DEFAULTS.messages);
  if (!Number.isInteger(messages) || messages <= 0) throw new Error(`--messages must be a positive integer: ${values.messages}`);
  writeStepResult(values.out, { ...(await measureThreadWake({ messages })) });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
