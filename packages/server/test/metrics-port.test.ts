import { connect as tcpConnect } from 'node:net';
import { freePort, startTestServer, type TestServer } from '@ephemeral-chat/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { samplesOf } from './helpers/prometheus.js';

// METRICS_PORT: /metrics without a token on a listener of its own, nothing else there, and the
// main port's /metrics only with METRICS_TOKEN.

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789abcdef';

/** Opens (and closes) a fresh TCP connection to 127.0.0.1:port. */
function connect(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

describe('METRICS_PORT alone', () => {
  let server: TestServer;
  let metricsUrl: string;
  beforeAll(async () => {
    const port = await freePort();
    metricsUrl = `http://127.0.0.1:${port}`;
    server = await startTestServer({ redis: true, env: { METRICS_PORT: String(port) } });
  });
  afterAll(() => server.close());

  it('serves GET /metrics there without a token, in Prometheus text format', async () => {
    const res = await fetch(`${metricsUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = samplesOf(await res.text());
    expect(samples.has('ec_connections{state="open"}')).toBe(true);
    expect(samples.has('ec_expiry_overdue_total')).toBe(true);
  });

  it('answers HEAD /metrics with the headers only', async () => {
    const res = await fetch(`${metricsUrl}/metrics`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('answers 404 for every other path or method there', async () => {
    for (const [path, method] of [
      ['/', 'GET'],
      // A HEAD answer carries no body: the next answer on the kept-alive connection parses.
      ['/nothing', 'HEAD'],
      ['/health', 'GET'],
      ['/metrics/x', 'GET'],
      ['/ws', 'GET'],
      ['/metrics', 'POST'],
      ['/metrics', 'DELETE'],
    ] as const) {
      const res = await fetch(`${metricsUrl}${path}`, { method });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(await res.text()).not.toContain('ec_');
    }
  });

  it('answers 404 for /metrics on the main port, token or not', async () => {
    for (const headers of [{}, { Authorization: `Bearer ${METRICS_TOKEN}` }]) {
      const res = await fetch(`${server.url}/metrics`, { headers });
      expect(res.status).toBe(404);
    }
  });
});

describe('METRICS_PORT with METRICS_TOKEN', () => {
  it('serves both: the metrics port without a token, the main port behind it; closes both', async () => {
    const port = await freePort();
    const server = await startTestServer({
      env: { METRICS_PORT: String(port), METRICS_TOKEN },
    });
    try {
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
      expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
      const res = await fetch(`${server.url}/metrics`, {
        headers: { Authorization: `Bearer ${METRICS_TOKEN}` },
      });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('ec_frames_total');
    } finally {
      await server.close();
    }
    // Closed with the server: a new connection there is refused (fetch would reuse a kept-alive one).
    await expect(connect(port)).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('METRICS_PORT validation', () => {
  const load = (env: Record<string, string>) => () => loadConfig({ PORT: '8080', ...env });

  it('refuses METRICS_PORT equal to PORT, naming it', () => {
    expect(load({ METRICS_PORT: '8080' })).toThrow(/METRICS_PORT: Use a port other than PORT/);
  });

  it('refuses a port outside 1–65535 or not a whole number', () => {
    for (const bad of ['0', '65536', '-1', '80.5', 'nine']) {
      expect(load({ METRICS_PORT: bad }), bad).toThrow(/METRICS_PORT/);
    }
  });

  it('accepts another port, and leaves it unset by default', () => {
    expect(load({ METRICS_PORT: '9464' })().METRICS_PORT).toBe(9464);
    expect(load({})().METRICS_PORT).toBeUndefined();
  });
});

/** Writes raw bytes to 127.0.0.1:port and collects what comes back until the server closes or 1 s passes. */
function rawExchange(port: number, bytes: Uint8Array): Promise<string> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = () => {
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const timer = setTimeout(done, 1000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('error', () => {
      clearTimeout(timer);
      done();
    });
    socket.once('close', () => {
      clearTimeout(timer);
      done();
    });
    socket.once('connect', () => socket.end(bytes));
  });
}

describe('METRICS_PORT under hostile requests', () => {
  let server: TestServer;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    server = await startTestServer({ env: { METRICS_PORT: String(port) } });
  });
  afterAll(() => server.close());

  const token = fc.stringMatching(/^[A-Z]{1,8}$/);
  const path = fc.oneof(
    fc.constantFrom(
      '/metrics',
      '/metrics?x=1',
      '//metrics',
      '/metrics/',
      '/%2e%2e/etc/passwd',
      '*',
    ),
    fc.string({ maxLength: 300 }).map((s) => `/${s.replace(/[\r\n ]/g, '')}`),
  );
  const header = fc.tuple(
    fc.stringMatching(/^[A-Za-z-]{1,20}$/),
    fc.string({ maxLength: 200 }).map((s) => s.replace(/[\r\n]/g, '')),
  );
  const wellFormed = fc
    .record({
      method: fc.oneof(fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'OPTIONS', 'TRACE'), token),
      path,
      headers: fc.array(header, { maxLength: 8 }),
      body: fc.string({ maxLength: 2000 }),
    })
    .map(({ method, path, headers, body }) =>
      Buffer.from(
        `${method} ${path} HTTP/1.1\r\nHost: x\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      ),
    );
  const garbage = fc.uint8Array({ maxLength: 4096 }).map((b) => Buffer.from(b));

  it('answers or closes every request, never crashes, and keeps serving /metrics', async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(wellFormed, garbage), async (bytes) => {
        const reply = await rawExchange(port, bytes);
        if (reply.length > 0) {
          answered++;
          // Only /metrics is ever served there; every other answer is a bare status.
          expect(reply).toMatch(/^HTTP\/1\.1 (200|404|4\d\d) /);
          if (!/^(GET|HEAD) \/metrics(\?[^ ]*)? HTTP/.test(bytes.toString('latin1')))
            expect(reply).not.toContain('ec_frames_total');
        }
      }),
      { numRuns: 150 },
    );
    expect(answered).toBeGreaterThan(0);
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('ec_connections');
  }, 60_000);
});
