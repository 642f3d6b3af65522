import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '@ephemeral-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let server: TestServer;
let widgetDir: string;
let demoDir: string;

beforeAll(async () => {
  widgetDir = await mkdtemp(join(tmpdir(), 'ec-widget-'));
  demoDir = await mkdtemp(join(tmpdir(), 'ec-demo-'));
  await writeFile(
    join(widgetDir, 'ephemeral-chat.min.js'),
    'customElements.define("x-y",class extends HTMLElement{})',
  );
  await writeFile(join(demoDir, 'index.html'), '<!doctype html><title>demo</title>');
  await writeFile(join(demoDir, 'demo.css'), 'body{margin:0}');
  server = await startTestServer({ env: { WIDGET_DIR: widgetDir, DEMO_DIR: demoDir } });
});
afterAll(async () => {
  await server.close();
  await Promise.all([rm(widgetDir, { recursive: true }), rm(demoDir, { recursive: true })]);
});

describe('static assets', () => {
  it('serves the widget bundle at a stable path, loadable from any site', async () => {
    const res = await fetch(`${server.url}/ephemeral-chat.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.text()).toContain('customElements.define');
  });

  it('serves the bundle to a page on an origin the API refuses, so the widget can say why', async () => {
    const res = await fetch(`${server.url}/ephemeral-chat.js`, {
      headers: { origin: 'https://not-allowed.example' },
    });
    expect(res.status).toBe(200);
    const api = await server.api('/api/me', { headers: { origin: 'https://not-allowed.example' } });
    expect(api.status).toBe(403);
  });

  it('serves the demo page at / under a strict Content-Security-Policy', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.getSetCookie()).toEqual([]);
    const css = await fetch(`${server.url}/demo.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers 404 JSON for an asset that is not built', async () => {
    await rm(join(widgetDir, 'ephemeral-chat.min.js'));
    const res = await server.api('/ephemeral-chat.js');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toMatch(/npm run build/);
  });
});
