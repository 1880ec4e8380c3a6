import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An OpenAI-compatible `POST /v1/chat/completions` on 127.0.0.1 with scripted replies, one per
 * request in order, recording what it received. A reply is a streamed answer (SSE `data:` chunks,
 * then `[DONE]`), a JSON error with a status, or a hang (headers never sent).
 */
export type FakeReply =
  | { kind: 'sse'; chunks: unknown[] /** Stop after the chunks without `[DONE]` or closing: a stalled stream. */; stall?: boolean }
  | { kind: 'json'; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'hang' };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
}

/** A reply, or a function of the request that decides it (e.g. to cite a source number it was given). */
export type ScriptStep = FakeReply | ((request: RecordedRequest) => FakeReply);

export interface FakeOpenAI {
  /** Pass to `new OpenAI({ baseURL })`. */
  baseURL: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

export async function startFakeOpenAI(script: ScriptStep[]): Promise<FakeOpenAI> {
  const steps = [...script];
  const requests: RecordedRequest[] = [];

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const text = await readBody(request);
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Recorded as text; the test will see it.
    }
    const recorded: RecordedRequest = { method: request.method ?? '', path: request.url ?? '', headers: request.headers, body };
    requests.push(recorded);
    if (request.method !== 'POST' || recorded.path !== '/v1/chat/completions') {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: `no route ${recorded.path}`, type: 'invalid_request_error' } }));
      return;
    }
    const step = steps.shift();
    const reply: FakeReply =
      step === undefined
        ? { kind: 'json', status: 500, body: { error: { message: 'the fake server ran out of scripted replies', type: 'server_error' } } }
        : typeof step === 'function'
          ? step(recorded)
          : step;

    if (reply.kind === 'hang') return;
    if (reply.kind === 'json') {
      response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      response.end(JSON.stringify(reply.body));
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    for (const chunk of reply.chunks) response.write(`data: ${JSON.stringify(chunk)}\n\n`);
    if (reply.stall) return;
    response.end('data: [DONE]\n\n');
  };

  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        // Hanging and stalled replies hold their sockets open; cut them so close() returns.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const base = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
  id: 'chatcmpl-fake',
  object: 'chat.completion.chunk',
  created: 1_769_904_000,
  model: 'fake-model',
  choices: [{ index: 0, delta, finish_reason: finishReason }],
});

/** A streamed answer whose content arrives in the given pieces. */
export function textReply(pieces: string[], options: { stall?: boolean } = {}): FakeReply {
  return {
    kind: 'sse',
    chunks: [base({ role: 'assistant', content: '' }), ...pieces.map((piece) => base({ content: piece })), ...(options.stall ? [] : [base({}, 'stop')])],
    ...(options.stall ? { stall: true } : {}),
  };
}

/**
 * A streamed turn of tool calls. Each call's arguments arrive in `fragments` pieces, and the
 * fragments of different calls are interleaved, as parallel calls can be.
 */
export function toolCallReply(calls: { name: string; arguments: string; id?: string }[], options: { fragments?: number } = {}): FakeReply {
  const fragments = options.fragments ?? 3;
  const pieces = calls.map((call) => {
    const size = Math.max(1, Math.ceil(call.arguments.length / fragments));
    const parts: string[] = [];
    for (let start = 0; start < call.arguments.length; start += size) parts.push(call.arguments.slice(start, start + size));
    return parts;
  });
  const chunks: unknown[] = [base({ role: 'assistant', content: null })];
  calls.forEach((call, index) => {
    chunks.push(base({ tool_calls: [{ index, id: call.id ?? `call_fake_${index}`, type: 'function', function: { name: call.name, arguments: '' } }] }));
  });
  const longest = Math.max(0, ...pieces.map((parts) => parts.length));
  for (let part = 0; part < longest; part += 1) {
    pieces.forEach((parts, index) => {
      if (parts[part] !== undefined) chunks.push(base({ tool_calls: [{ index, function: { arguments: parts[part] } }] }));
    });
  }
  chunks.push(base({}, 'tool_calls'));
  return { kind: 'sse', chunks };
}

export function errorReply(status: number, options: { headers?: Record<string, string>; message?: string } = {}): FakeReply {
  return {
    kind: 'json',
    status,
    body: { error: { message: options.message ?? `scripted failure ${status}`, type: status === 429 ? 'rate_limit_error' : 'server_error', code: null } },
    ...(options.headers ? { headers: options.headers } : {}),
  };
}
