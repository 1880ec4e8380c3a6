import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createRequestActivity } from '../../server/middleware/request-activity.ts';

/** An app whose `/hold` answers only when the test releases it. */
async function serve() {
  const activity = createRequestActivity();
  const app = express();
  app.use(activity.middleware);
  const held: (() => void)[] = [];
  app.get('/hold', (_request, response) => {
    held.push(() => response.send('released'));
  });
  app.get('/quick', (_request, response) => {
    response.send('quick');
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  servers.push(server);
  return { activity, base, held, server };
}

const servers: import('node:http').Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Whether `promise` has settled within 20 ms (used to check that it has not). */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setTimeout(resolve, 20));
  return done;
}

describe('request activity', () => {
  it('is idle at once with no request in flight, and not while one is', async () => {
    const { activity, base, held } = await serve();
    await activity.idle();
    const answer = fetch(`${base}/hold`).then((response) => response.text());
    while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(activity.inFlight()).toBe(1);
    const idle = activity.idle();
    expect(await settled(idle)).toBe(false);
    // Another request that finishes leaves the held one counted.
    expect(await (await fetch(`${base}/quick`)).text()).toBe('quick');
    expect(await settled(idle)).toBe(false);
    held[0]!();
    expect(await answer).toBe('released');
    // Resolves (or the test times out) once the answer has gone.
    await idle;
    expect(activity.inFlight()).toBe(0);
  });

  it('stops counting a request whose client went away before its answer', async () => {
    const { activity, base, held } = await serve();
    const client = new AbortController();
    const answer = fetch(`${base}/hold`, { signal: client.signal }).catch(() => 'aborted');
    while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const idle = activity.idle();
    client.abort();
    expect(await answer).toBe('aborted');
    await idle;
    expect(activity.inFlight()).toBe(0);
  });

  it('stops waiting when its signal aborts', async () => {
    const { activity, base, held } = await serve();
    void fetch(`${base}/hold`).catch(() => undefined);
    while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const stop = new AbortController();
    const idle = activity.idle(stop.signal);
    expect(await settled(idle)).toBe(false);
    stop.abort();
    await idle;
    expect(activity.inFlight()).toBe(1);
  });
});
