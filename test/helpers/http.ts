import type { Express } from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterEach } from 'vitest';

export interface RunningApp {
  url: string;
  server: Server;
  json(path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
}

/** Starts an app on 127.0.0.1:0 for one test and closes it afterwards. */
export function useApp(): (app: Express) => Promise<RunningApp> {
  const running: Server[] = [];
  afterEach(async () => {
    await Promise.all(
      running.splice(0).map((server) => {
        server.closeAllConnections();
        return new Promise((resolve) => server.close(resolve));
      }),
    );
  });
  return async (app) => {
    const server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    running.push(server);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
      url,
      server,
      async json(path, init = {}) {
        const response = await fetch(url + path, {
          method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
          headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
          ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
        });
        const text = await response.text();
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          // Not JSON: the test sees the raw text.
        }
        return { status: response.status, body, headers: response.headers };
      },
    };
  };
}
