import { connect as tcpConnect } from 'node:net';
import { freePort, startTestServer, type TestServer } from '@ephemeral-chat/testkit';
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
