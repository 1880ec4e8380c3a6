import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { RUNTIME_NODE_FLAGS, TYPESCRIPT_RUNNER } from '../../lib/runtime-flags.ts';
import { writeStepResult } from './step-io.ts';
import { round, summarizeLatencies } from './statistics.ts';

/**
 * Offline chat under load: starts bench/suite/chat-server.ts in its own process, measures one
 * request at a time (the latency a single user sees), then drives it with autocannon on
 * 127.0.0.1 for a bounded time with several connections, as JSON and as Server-Sent Events,
 * and reads the server's RSS after each phase.
 *
 *   tsx bench/suite/chat-load-bench.ts --seconds 10 --connections 10 --out result.json
 */
export const CHAT_BENCH_DEFAULTS = {
  questions: [
    'Why did the Russell 2000 rally in January 2026?',
    'What did the Russell 2000 close at on January 21, 2026?',
    'What P/E premium does the S&P 500 carry over the Russell 2000?',
    'How did the VIX behave during the April 2025 tariff shock?',
    'How sensitive are small caps to Federal Reserve rate cuts?',
  ],
  /** The body autocannon repeats. */
  loadQuestion: 'Why did the Russell 2000 rally in January 2026?',
  sequentialRounds: 20,
};

// Only the figures we report from autocannon's result.
const AutocannonResultSchema = z.object({
  latency: z.object({ p50: z.number(), p99: z.number(), average: z.number(), max: z.number() }),
  requests: z.object({ average: z.number(), total: z.number() }),
  non2xx: z.number(),
  errors: z.number(),
  timeouts: z.number(),
  duration: z.number(),
});

const ServerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('listening'), port: z.number().int(), chunks: z.number().int() }),
  z.object({ type: z.literal('memory'), rssMb: z.number() }),
]);
type ServerMessage = z.infer<typeof ServerMessageSchema>;

function nextMessage<T extends ServerMessage['type']>(child: ChildProcess, type: T): Promise<Extract<ServerMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (raw: unknown) => {
      const parsed = ServerMessageSchema.safeParse(raw);
      if (!parsed.success || parsed.data.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(parsed.data as Extract<ServerMessage, { type: T }>);
    };
    const onExit = (code: number | null) => reject(new Error(`chat server exited with ${code}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function serverRss(child: ChildProcess): Promise<number> {
  const reply = nextMessage(child, 'memory');
  child.send({ type: 'memory' });
  return (await reply).rssMb;
}

async function askOnce(url: string, message: string, stream: boolean): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: stream ? 'text/event-stream' : 'application/json' },
    body: JSON.stringify({ message }),
  });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`chat answered ${response.status}: ${body.slice(0, 200)}`);
  if (stream ? !body.includes('event: done') : !body.includes('"answer"')) throw new Error(`unexpected chat body: ${body.slice(0, 200)}`);
}

async function measureSequential(url: string, stream: boolean) {
  const { questions, sequentialRounds } = CHAT_BENCH_DEFAULTS;
  for (const question of questions) await askOnce(url, question, stream);
  const latencies: number[] = [];
  for (let round_ = 0; round_ < sequentialRounds; round_ += 1) {
    for (const question of questions) {
      const started = performance.now();
      await askOnce(url, question, stream);
      latencies.push(performance.now() - started);
    }
  }
  return summarizeLatencies(latencies);
}

async function runAutocannon(url: string, seconds: number, connections: number, stream: boolean) {
  const require = createRequire(import.meta.url);
  const autocannon: unknown = require('autocannon');
  if (typeof autocannon !== 'function') throw new Error('autocannon is not installed (npm install -D autocannon@^8)');
  const raw: unknown = await autocannon({
    url,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json', accept: stream ? 'text/event-stream' : 'application/json' },
    body: JSON.stringify({ message: CHAT_BENCH_DEFAULTS.loadQuestion }),
  });
  const result = AutocannonResultSchema.parse(raw);
  return {
    connections,
    seconds: result.duration,
    requestsPerSecond: round(result.requests.average, 1),
    requests: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    meanMs: round(result.latency.average, 2),
    maxMs: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '10' }, out: { type: 'string' } },
  });
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  if (!values.out || !(seconds > 0) || !(connections > 0)) throw new Error('usage: chat-load-bench.ts --seconds S --connections C --out FILE');

  const child = spawn(process.execPath, [...RUNTIME_NODE_FLAGS, ...TYPESCRIPT_RUNNER, join(import.meta.dirname, 'chat-server.ts')], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const { port, chunks } = await nextMessage(child, 'listening');
    const url = `http://127.0.0.1:${port}/api/chat`;
    const rssStartedMb = await serverRss(child);
    const sequentialJson = await measureSequential(url, false);
    const sequentialSse = await measureSequential(url, true);
    const rssSequentialMb = await serverRss(child);
    const loadJson = await runAutocannon(url, seconds, connections, false);
    const rssLoadJsonMb = await serverRss(child);
    const loadSse = await runAutocannon(url, seconds, connections, true);
    const rssLoadSseMb = await serverRss(child);
    writeStepResult(values.out, {
      step: 'chat',
      corpusChunks: chunks,
      loadQuestion: CHAT_BENCH_DEFAULTS.loadQuestion,
      sequential: { json: sequentialJson, sse: sequentialSse },
      load: { json: loadJson, sse: loadSse },
      memory: { rssStartedMb, rssSequentialMb, rssLoadJsonMb, rssLoadSseMb },
    });
  } finally {
    child.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
