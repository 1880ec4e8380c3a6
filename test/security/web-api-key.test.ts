import { afterEach, describe, expect, it, vi } from 'vitest';
// @ts-expect-error: the UI's plain ES module has no type declarations.
import { api } from '../../web/lib/api.js';

const KEY = 'test-server-key-0123456789';

function memoryStorage(): Storage {
  const values = new Map<string, string>();
  return {
    get length() {
      return values.size;
    },
    clear: () => values.clear(),
    getItem: (name: string) => values.get(name) ?? null,
    key: (index: number) => [...values.keys()][index] ?? null,
    removeItem: (name: string) => void values.delete(name),
    setItem: (name: string, value: string) => void values.set(name, value),
  };
}

/** A server that wants the key: 401 without it, the health body with it; records what it was sent. */
function stubServer() {
  const seen: (string | undefined)[] = [];
  vi.stubGlobal('fetch', async (_path: string, init: { headers: Record<string, string> }) => {
    const authorization = init.headers.authorization;
    seen.push(authorization);
    return authorization === `Bearer ${KEY}`
      ? new Response(JSON.stringify({ status: 'ok' }), { status: 200, headers: { 'content-type': 'application/json' } })
      : new Response(JSON.stringify({ error: { code: 'unauthorized', message: 'This server requires an API key.' } }), {
          status: 401,
          headers: { 'content-type': 'application/json' },
        });
  });
  return seen;
}

afterEach(() => vi.unstubAllGlobals());

describe('finding 5: the web UI works with a server that requires an API key', () => {
  it('asks for the key on a 401, keeps it in sessionStorage only, and sends it on every later call', async () => {
    const session = memoryStorage();
    const local = memoryStorage();
    vi.stubGlobal('sessionStorage', session);
    vi.stubGlobal('localStorage', local);
    const prompt = vi.fn(() => KEY);
    vi.stubGlobal('prompt', prompt);
    const seen = stubServer();

    expect(await api.health()).toEqual({ status: 'ok' });
    expect(await api.health()).toEqual({ status: 'ok' });
    expect(prompt).toHaveBeenCalledTimes(1);
    expect(seen).toEqual([undefined, `Bearer ${KEY}`, `Bearer ${KEY}`]);
    expect(session.length).toBe(1);
    expect(local.length).toBe(0);
  });

  it('forgets a wrong key and reports the 401 when the user cancels', async () => {
    const session = memoryStorage();
    session.setItem('investment-copilot.api-key', 'a-stale-wrong-key-000000');
    vi.stubGlobal('sessionStorage', session);
    vi.stubGlobal(
      'prompt',
      vi.fn(() => null),
    );
    stubServer();
    await expect(api.health()).rejects.toMatchObject({ code: 'unauthorized', status: 401 });
    expect(session.length).toBe(0);
  });
});
