import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEmbedder } from '../../ingest/embed/create-embedder.ts';
import { createOpenAIEmbedder, planBatches } from '../../ingest/embed/openai-embedder.ts';
import { AppError } from '../../lib/errors.ts';

interface RecordedRequest {
  path: string;
  authorization: string | undefined;
  body: { model: string; input: string[]; dimensions?: number; encoding_format?: string };
}

type Reply = { status: number; body?: unknown } | 'embed';

/** An OpenAI-compatible /v1/embeddings on 127.0.0.1 with scripted replies; 'embed' answers properly. */
let server: Server;
let baseURL: string;
let script: Reply[] = [];
let requests: RecordedRequest[] = [];

// A recognisable vector per input: [length, first char code, 1, 0, …], not unit length on purpose.
function fakeVector(input: string, dim: number): number[] {
  const vector = new Array<number>(dim).fill(0);
  vector[0] = input.length;
  vector[1] = input.charCodeAt(0);
  vector[2] = 1;
  return vector;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const body = JSON.parse(await readBody(request)) as RecordedRequest['body'];
  requests.push({ path: request.url ?? '', authorization: request.headers.authorization, body });
  const reply = script.shift() ?? 'embed';
  // retry-after-ms keeps the SDK's backoff short in tests; the SDK honours it.
  response.setHeader('retry-after-ms', '5');
  response.setHeader('content-type', 'application/json');
  if (reply === 'embed') {
    const dim = body.dimensions ?? (body.model === 'text-embedding-3-large' ? 3072 : 1536);
    // Answer in reverse order: the embedder must sort by `index`.
    const data = body.input.map((input, index) => ({ object: 'embedding', index, embedding: fakeVector(input, dim) })).reverse();
    response.end(JSON.stringify({ object: 'list', data, model: body.model, usage: { prompt_tokens: 1, total_tokens: 1 } }));
    return;
  }
  response.statusCode = reply.status;
  response.end(JSON.stringify(reply.body ?? { error: { message: 'scripted failure', type: 'server_error' } }));
}

beforeAll(async () => {
  server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  script = [];
  requests = [];
});

function norm(vector: Float32Array): number {
  return Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
}

describe('OpenAI embedder', () => {
  it('fails at creation with a clear message when there is no API key', () => {
    for (const apiKey of [undefined, '', '  ']) {
      let caught: unknown;
      try {
        createOpenAIEmbedder({ apiKey, baseURL });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(AppError);
      expect((caught as AppError).code).toBe('bad_request');
      expect((caught as AppError).message).toMatch(/COPILOT_EMBEDDINGS=openai needs OPENAI_API_KEY/);
    }
  });

  it('names the model and takes its size from the model or from `dimensions`', () => {
    expect(createOpenAIEmbedder({ apiKey: 'k', baseURL })).toMatchObject({ id: 'openai:text-embedding-3-small', dim: 1536 });
    expect(createOpenAIEmbedder({ apiKey: 'k', baseURL, model: 'text-embedding-3-large' })).toMatchObject({ dim: 3072 });
    expect(createOpenAIEmbedder({ apiKey: 'k', baseURL, dimensions: 256 })).toMatchObject({ id: 'openai:text-embedding-3-small:256', dim: 256 });
    expect(() => createOpenAIEmbedder({ apiKey: 'k', baseURL, model: 'some-local-model' })).toThrow(/dimensions/);
  });

  it('sends the model and key, and returns unit-length vectors in input order', async () => {
    const embedder = createOpenAIEmbedder({ apiKey: 'test-key', baseURL, model: 'text-embedding-3-large' });
    const vectors = await embedder.embedDocuments(['alpha', 'be', 'gamma ray']);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ path: '/v1/embeddings', authorization: 'Bearer test-key' });
    expect(requests[0]!.body).toMatchObject({ model: 'text-embedding-3-large', input: ['alpha', 'be', 'gamma ray'], encoding_format: 'float' });
    expect(vectors.map((vector) => vector.length)).toEqual([3072, 3072, 3072]);
    for (const vector of vectors) expect(norm(vector)).toBeCloseTo(1, 5);
    // The first component encodes the input length, so order is checkable after normalisation.
    expect(vectors.map((vector) => Math.round(vector[0]! / vector[2]!))).toEqual([5, 2, 9]);
  });

  it('splits large inputs into several requests by count and by characters, keeping order', async () => {
    const embedder = createOpenAIEmbedder({ apiKey: 'k', baseURL, dimensions: 8, batchSize: 4, maxBatchChars: 30 });
    const texts = Array.from({ length: 10 }, (_, index) => `text number ${index}`); // 13-14 characters each
    const vectors = await embedder.embedDocuments(texts);
    expect(requests.map((request) => request.body.input.length)).toEqual([2, 2, 2, 2, 2]);
    expect(requests.flatMap((request) => request.body.input)).toEqual(texts);
    expect(requests[0]!.body.dimensions).toBe(8);
    expect(vectors.map((vector) => Math.round(vector[0]! / vector[2]!))).toEqual(texts.map((text) => text.length));
  });

  it('plans batches by count and by a character budget', () => {
    const items = ['aaaa', 'bb', 'cccccc', 'd', 'e', 'f'].map((input) => ({ input }));
    expect(planBatches(items, 3, 8).map((batch) => batch.map((item) => item.input).join('+'))).toEqual(['aaaa+bb', 'cccccc+d+e', 'f']);
    expect(planBatches([{ input: 'x'.repeat(50) }], 3, 8)).toHaveLength(1);
    expect(planBatches([], 3, 8)).toEqual([]);
  });

  it('gives empty texts a zero vector without asking the service', async () => {
    const embedder = createOpenAIEmbedder({ apiKey: 'k', baseURL, dimensions: 4 });
    const vectors = await embedder.embedDocuments(['', 'real', '  ']);
    expect(requests.map((request) => request.body.input)).toEqual([['real']]);
    expect(Array.from(vectors[0]!)).toEqual([0, 0, 0, 0]);
    expect(Array.from(vectors[2]!)).toEqual([0, 0, 0, 0]);
    expect(norm(vectors[1]!)).toBeCloseTo(1, 5);
  });

  it('retries after a 429 and succeeds', async () => {
    script = [{ status: 429, body: { error: { message: 'slow down', type: 'rate_limit' } } }, 'embed'];
    const embedder = createOpenAIEmbedder({ apiKey: 'k', baseURL, dimensions: 4, maxRetries: 2 });
    const vector = await embedder.embedQuery('rates');
    expect(requests).toHaveLength(2);
    expect(norm(vector)).toBeCloseTo(1, 5);
  });

  it('gives up on repeated 500s after the retry limit with upstream_unavailable', async () => {
    script = Array.from({ length: 5 }, () => ({ status: 500 }));
    const embedder = createOpenAIEmbedder({ apiKey: 'k', baseURL, dimensions: 4, maxRetries: 2 });
    await expect(embedder.embedQuery('rates')).rejects.toMatchObject({ name: 'AppError', code: 'upstream_unavailable' });
    expect(requests).toHaveLength(3); // the first try and two retries
  });

  it('maps a refused key to unauthorized and an unreachable server to upstream_unavailable', async () => {
    script = [{ status: 401, body: { error: { message: 'bad key', type: 'invalid_request_error' } } }];
    const embedder = createOpenAIEmbedder({ apiKey: 'k', baseURL, dimensions: 4, maxRetries: 0 });
    await expect(embedder.embedQuery('rates')).rejects.toMatchObject({ code: 'unauthorized' });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const unreachable = createOpenAIEmbedder({ apiKey: 'k', baseURL: `http://127.0.0.1:${port}/v1`, dimensions: 4, maxRetries: 0 });
    await expect(unreachable.embedQuery('rates')).rejects.toMatchObject({ code: 'upstream_unavailable' });
  });

  it('rejects a response with vectors of the wrong size', async () => {
    script = [{ status: 200, body: { object: 'list', data: [{ index: 0, embedding: [1, 2] }] } }];
    const embedder = createOpenAIEmbedder({ apiKey: 'k', baseURL, dimensions: 4, maxRetries: 0 });
    await expect(embedder.embedQuery('rates')).rejects.toMatchObject({ code: 'upstream_unavailable' });
  });

  it('is what the factory builds for kind "openai"', async () => {
    const embedder = await createEmbedder({ kind: 'openai', dataDir: '/unused', openai: { apiKey: 'k', baseURL, dimensions: 4 } });
    expect(embedder.id).toBe('openai:text-embedding-3-small:4');
    await expect(createEmbedder({ kind: 'openai', dataDir: '/unused' })).rejects.toMatchObject({ code: 'bad_request' });
  });
});
