import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../../server/error-handler.ts';
import { createToolsRouter } from '../../server/routes/tools.ts';
import { createToolRegistry } from '../../server/tools/registry.ts';
import { createLocalContext } from './helpers.ts';

let server: Server;
let baseUrl: string;
const logged: unknown[] = [];

beforeAll(async () => {
  const app = express();
  app.use(express.json());
  const context = createLocalContext();
  app.use('/api/tools', createToolsRouter({ registry: createToolRegistry(), context: () => context }));
  app.use(errorHandler({ error: (object) => logged.push(object) }));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/tools`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function post(name: string, body: unknown) {
  const response = await fetch(`${baseUrl}/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

describe('tools router', () => {
  it('lists the tools with their JSON Schemas', async () => {
    const response = await fetch(baseUrl);
    expect(response.status).toBe(200);
    const tools = (await response.json()) as { name: string; parameters: { type: string } }[];
    expect(tools).toHaveLength(10);
    expect(tools.every((tool) => tool.parameters.type === 'object')).toBe(true);
  });

  it('runs a tool and answers {result}', async () => {
    const { status, body } = await post('performance', { arguments: { symbol: '^RUT', from: '2025-12-01', to: '2026-01-23', base: 'open' } });
    expect(status).toBe(200);
    expect(body.result).toMatchObject({ symbol: 'RUT', return_pct: 7.53, point_change: 186.93, provenance: { source: 'local' } });
    expect(body.result.summary).toMatch(/^Russell 2000 \(\^RUT, index level\): \+7\.53% \(\+186\.93 points\) from the open of 2025-12-01/);
  });

  it.each([
    ['performance', { symbol: 'NOT A SYMBOL', from: '2025-12-01', to: '2026-01-23' }, /Unknown symbol "NOT A SYMBOL"/],
    ['performance', { symbol: 'RUT', from: '2026-01-23', to: '2025-12-01' }, /from is after to/],
    ['moving_average', { symbol: 'RUT', window: 0 }, /window must be at least 1/],
    ['moving_average', { symbol: 'RUT', window: 10000 }, /window must be at most 1000/],
    ['calculator', { expression: 'process.exit()' }, /not allowed/],
    ['calculator', { expression: '1/0' }, /Division by zero/],
    ['range_52w', { symbol: 'RUT', asOf: '2010-01-01' }, /2010-01-01 is outside the data for RUT .* 2018-01-02 to 2026-08-21/],
    ['performance', { from: '2025-12-01', to: '2026-01-23' }, /symbol: /],
  ])('answers 400 for %s %j', async (name, args, message) => {
    const { status, body } = await post(name, { arguments: args });
    expect(status).toBe(400);
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toMatch(message);
  });

  it('answers 404 for an unknown tool and 400 for a body without an arguments object', async () => {
    const unknown = await post('stock_picker', { arguments: {} });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'not_found', message: expect.stringMatching(/Unknown tool "stock_picker"/) });
    const badBody = await post('calculator', { arguments: 'two plus two' });
    expect(badBody.status).toBe(400);
    expect(badBody.body.error.message).toMatch(/Request body must be \{"arguments": \{\.\.\.\}\}/);
  });

  it('keeps serving after bad requests, and none of them was logged as a server fault', async () => {
    const { status, body } = await post('calculator', { arguments: { expression: '2 + 2' } });
    expect(status).toBe(200);
    expect(body.result.value).toBe(4);
    expect(logged).toEqual([]);
  });
});
