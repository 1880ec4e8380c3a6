import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeAddress } from '../../ingest/fetch/address-policy.ts';
import { FETCH_DEFAULTS, fetchPage, type FetchPolicy, type ResolveHost } from '../../ingest/fetch/fetch-page.ts';
import { AppError } from '../../lib/errors.ts';
import { buildPdf, sampleReportSpec } from '../helpers/build-pdf.ts';

const PAGE = `<!doctype html><html><head><title>Harbour cranes get smarter</title></head><body><p>Port operators are fitting cranes with sensors that predict failures before they stop a ship.</p></body></html>`;

let server: Server;
let origin: string;
let pdf: Buffer;

beforeAll(async () => {
  pdf = await buildPdf(sampleReportSpec());
  server = createServer((request, response) => {
    const path = request.url ?? '/';
    if (path === '/page') return response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    if (path === '/report.pdf') return response.writeHead(200, { 'content-type': 'application/pdf' }).end(pdf);
    if (path === '/to-private') return response.writeHead(302, { location: 'http://10.0.0.7/admin' }).end();
    if (path === '/to-metadata') return response.writeHead(301, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    // Private targets in the forms a URL parser normalises: IPv4-mapped IPv6, decimal, hex.
    if (path === '/to-mapped') return response.writeHead(302, { location: 'http://[::ffff:127.0.0.1]/admin' }).end();
    if (path === '/to-decimal') return response.writeHead(302, { location: 'http://167772167/admin' }).end();
    if (path === '/to-hex') return response.writeHead(307, { location: 'http://0xc0a80001/admin' }).end();
    if (path === '/trickle') {
      // Headers at once, then a byte now and then: only the overall deadline stops it.
      response.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => response.write('.'), 50);
      response.on('close', () => clearInterval(timer));
      return undefined;
    }
    if (path === '/to-page') return response.writeHead(302, { location: '/page' }).end();
    if (path.startsWith('/loop')) return response.writeHead(302, { location: `/loop${path.length}` }).end();
    if (path === '/slow') return undefined; // never answers
    if (path === '/big') return response.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(3_000_000) }).end('x'.repeat(3_000_000));
    if (path === '/big-chunked') {
      response.writeHead(200, { 'content-type': 'text/plain' });
      for (let index = 0; index < 30; index += 1) response.write('y'.repeat(100_000));
      return response.end();
    }
    if (path === '/image') return response.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(100));
    if (path === '/missing') return response.writeHead(404, { 'content-type': 'text/html' }).end('<p>gone</p>');
    response.writeHead(500).end();
    return undefined;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const local: FetchPolicy = { ...FETCH_DEFAULTS, allowHosts: ['127.0.0.1'], timeoutMs: 3_000 };
const noDns: ResolveHost = () => Promise.reject(Object.assign(new Error('offline'), { code: 'EAI_AGAIN' }));

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('address policy', () => {
  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['10.1.2.3', 'a private network address'],
    ['172.16.5.4', 'a private network address'],
    ['192.168.1.1', 'a private network address'],
    ['169.254.169.254', 'a link-local address'],
    ['100.64.0.1', 'a carrier-grade NAT address'],
    ['0.0.0.0', 'an unspecified address (0.0.0.0 or ::)'],
    ['::1', 'a loopback address'],
    ['fe80::1', 'a link-local address'],
    ['fd12:3456::1', 'a unique-local IPv6 address'],
    ['::ffff:127.0.0.1', 'a loopback address'],
    ['::ffff:10.0.0.1', 'a private network address'],
    ['64:ff9b::7f00:1', 'an IPv4-embedding (NAT64) IPv6 address'],
    ['::7f00:1', 'an IPv4-compatible IPv6 address'],
    ['::a00:1', 'an IPv4-compatible IPv6 address'],
    ['::ffff:a9fe:a9fe', 'a link-local address'],
    ['fec0::1', 'a site-local IPv6 address'],
  ])('refuses %s as %s', (address, rule) => {
    expect(judgeAddress(address)).toMatchObject({ allowed: false, rule });
  });

  it('allows public unicast addresses', () => {
    expect(judgeAddress('93.184.216.34')).toEqual({ allowed: true, address: '93.184.216.34', family: 4 });
    expect(judgeAddress('2606:4700:4700::1111')).toMatchObject({ allowed: true, family: 6 });
  });
});

describe('fetchPage refusals (nothing is connected to)', () => {
  it.each([
    ['http://127.0.0.1/', 'loopback'],
    ['http://2130706433/', 'loopback'],
    ['http://0x7f000001/', 'loopback'],
    ['http://0177.0.0.1/', 'loopback'],
    ['http://127.1/', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://[fd00::5]/', 'unique-local'],
    ['http://[::7f00:1]/', 'IPv4-compatible'],
    ['http://0xa9.0xfe.0xa9.0xfe/', 'link-local'],
    ['http://169.254.169.254/latest/meta-data/', 'link-local'],
  ])('refuses %s with a 403 naming the %s rule', async (url, rule) => {
    const error = await refusal(fetchPage(url, { ...FETCH_DEFAULTS, allowHosts: [] }, noDns));
    expect(error.code).toBe('forbidden');
    expect(error.message).toContain(rule);
    expect(error.message).toContain('rule: no loopback, private, link-local or unique-local addresses');
  });

  it('refuses schemes other than http and https, and credentials in the URL', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://files.example.org/a.pdf', 'gopher://example.org/']) {
      const error = await refusal(fetchPage(url, local, noDns));
      expect(error).toMatchObject({ code: 'forbidden' });
      expect(error.message).toContain('rule: only http and https');
    }
    expect((await refusal(fetchPage('http://user:pw@example.org/', local, noDns))).message).toContain('no user:password@');
  });

  it('refuses a name that resolves to a private address, and fails fast and clearly offline', async () => {
    const resolvesPrivate: ResolveHost = async () => [{ address: '192.168.0.10', family: 4 }];
    const privateName = await refusal(fetchPage('https://intranet.example.org/', { ...FETCH_DEFAULTS, allowHosts: [] }, resolvesPrivate));
    expect(privateName.message).toContain('intranet.example.org resolves to 192.168.0.10, a private network address');
    // One private address among public ones is enough to refuse: the connection could use any.
    const resolvesMixed: ResolveHost = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '::1', family: 6 },
    ];
    const mixed = await refusal(fetchPage('https://mixed.example.org/', { ...FETCH_DEFAULTS, allowHosts: [] }, resolvesMixed));
    expect(mixed.message).toContain('mixed.example.org resolves to ::1, a loopback address');
    const started = Date.now();
    const offline = await refusal(fetchPage('https://news.example.org/story', local, noDns));
    expect(offline).toMatchObject({ code: 'upstream_unavailable' });
    expect(offline.message).toBe('Could not fetch news.example.org: DNS did not answer (is this machine offline?).');
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('fetchPage against a local server', () => {
  it('fetches an HTML page and a PDF with their kinds', async () => {
    const page = await fetchPage(`${origin}/page`, local, noDns);
    expect(page).toMatchObject({ url: `${origin}/page`, kind: 'html', contentType: 'text/html' });
    expect(Buffer.from(page.bytes).toString('utf8')).toBe(PAGE);
    const report = await fetchPage(`${origin}/report.pdf`, local, noDns);
    expect(report.kind).toBe('pdf');
    expect(Buffer.from(report.bytes).equals(pdf)).toBe(true);
  });

  it('follows a redirect and checks every hop again', async () => {
    expect((await fetchPage(`${origin}/to-page`, local, noDns)).url).toBe(`${origin}/page`);
    const toPrivate = await refusal(fetchPage(`${origin}/to-private`, local, noDns));
    expect(toPrivate).toMatchObject({ code: 'forbidden' });
    expect(toPrivate.message).toContain('10.0.0.7, a private network address');
    expect((await refusal(fetchPage(`${origin}/to-metadata`, local, noDns))).message).toContain('169.254.169.254, a link-local address');
  });

  it('judges a redirect target in IPv4-mapped, decimal and hex forms as the address it is', async () => {
    expect((await refusal(fetchPage(`${origin}/to-mapped`, local, noDns))).message).toContain('127.0.0.1, a loopback address');
    expect((await refusal(fetchPage(`${origin}/to-decimal`, local, noDns))).message).toContain('10.0.0.7, a private network address');
    expect((await refusal(fetchPage(`${origin}/to-hex`, local, noDns))).message).toContain('192.168.0.1, a private network address');
  });

  it('stops after five redirects', async () => {
    const error = await refusal(fetchPage(`${origin}/loop`, local, noDns));
    expect(error).toMatchObject({ code: 'forbidden', message: 'Refused to fetch: more than 5 redirects (rule: at most 5).' });
  });

  it('gives up on a slow page at the time limit', async () => {
    const started = Date.now();
    const error = await refusal(fetchPage(`${origin}/slow`, { ...local, timeoutMs: 300 }, noDns));
    expect(error).toMatchObject({ code: 'timeout', message: 'Fetching 127.0.0.1 took longer than 0.3 s (COPILOT_FETCH_TIMEOUT_MS).' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('holds the time limit over a body that trickles in and over a resolver that never answers', async () => {
    const started = Date.now();
    const trickle = await refusal(fetchPage(`${origin}/trickle`, { ...local, timeoutMs: 400 }, noDns));
    expect(trickle).toMatchObject({ code: 'timeout', message: 'Fetching 127.0.0.1 took longer than 0.4 s (COPILOT_FETCH_TIMEOUT_MS).' });
    const hanging: ResolveHost = () => new Promise(() => {});
    const silentDns = await refusal(fetchPage('https://slow-dns.example.org/', { ...local, timeoutMs: 400 }, hanging));
    expect(silentDns).toMatchObject({ code: 'timeout', message: 'Fetching slow-dns.example.org took longer than 0.4 s (COPILOT_FETCH_TIMEOUT_MS).' });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('refuses a body over the size limit, declared or streamed', async () => {
    for (const path of ['/big', '/big-chunked']) {
      const error = await refusal(fetchPage(`${origin}${path}`, { ...local, maxBytes: 1024 * 1024 }, noDns));
      expect(error).toMatchObject({ code: 'payload_too_large' });
      expect(error.message).toContain('fetch limit of 1.0 MB (COPILOT_FETCH_MAX_BYTES)');
    }
  });

  it('refuses content types other than HTML, PDF and text, and reports an upstream error status', async () => {
    expect(await refusal(fetchPage(`${origin}/image`, local, noDns))).toMatchObject({ code: 'unsupported_media_type' });
    expect(await refusal(fetchPage(`${origin}/missing`, local, noDns))).toMatchObject({
      code: 'upstream_unavailable',
      message: 'Could not fetch 127.0.0.1: the page answered HTTP 404.',
    });
  });

  it('connects to the address it checked, not to what DNS answers later (no rebinding)', async () => {
    const port = (server.address() as AddressInfo).port;
    const answers = ['127.0.0.1', '10.9.9.9'];
    let calls = 0;
    const rebinding: ResolveHost = async () => [{ address: answers[Math.min(calls++, 1)]!, family: 4 }];
    const page = await fetchPage(`http://pinned.test:${port}/page`, { ...local, allowHosts: ['pinned.test'] }, rebinding);
    expect(page.kind).toBe('html');
    expect(calls).toBe(1);
  });
});
