import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '@ephemeral-chat/testkit';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './helpers/browser.js';

/**
 * A real browser on a page of another *site* (127.0.0.1 against the chat server's localhost:
 * different hosts, so Cross-Origin-Resource-Policy: same-site would apply, unlike two ports of
 * localhost) loads the script-tag bundle the way the README says, and probes the server the way
 * the SDK does when its origin is refused.
 */
const widgetDist = fileURLToPath(new URL('../packages/widget/dist/', import.meta.url));
const precompress = fileURLToPath(
  new URL('../packages/widget/scripts/precompress.mjs', import.meta.url),
);

let widgetDir: string;
let chat: TestServer;
let chatUrl: string;
let manifest: { path: string; integrity: string };
let site: Server;
let siteUrl: string;
let page = '';
let browser: Browser;

beforeAll(async () => {
  // A copy of the built bundle, compressed by the build's own step, so a rebuild elsewhere in the
  // tree cannot change the hash under the test.
  widgetDir = await mkdtemp(join(tmpdir(), 'ec-embed-'));
  await copyFile(
    join(widgetDist, 'ephemeral-chat.min.js'),
    join(widgetDir, 'ephemeral-chat.min.js'),
  );
  await copyFile(
    join(widgetDist, 'ephemeral-chat.min.js.map'),
    join(widgetDir, 'ephemeral-chat.min.js.map'),
  );
  await promisify(execFile)(process.execPath, [precompress, widgetDir]);
  manifest = JSON.parse(await readFile(join(widgetDir, 'ephemeral-chat.sri.json'), 'utf8'));
  chat = await startTestServer({ env: { WIDGET_DIR: widgetDir } });
  chatUrl = chat.url.replace('127.0.0.1', 'localhost');
  site = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => site?.close(resolve));
  await chat?.close();
  await rm(widgetDir, { recursive: true, force: true });
});

describe('embedding from another site', () => {
  it('loads the hashed bundle with integrity and crossorigin, brotli-compressed', async () => {
    page = `<!doctype html><script src="${chatUrl}${manifest.path}" integrity="${manifest.integrity}" crossorigin="anonymous"></script>`;
    const tab = await (await browser.newContext()).newPage();
    const script = tab.waitForResponse((r) => r.url().endsWith(manifest.path));
    await tab.goto(siteUrl);
    const res = await script;
    expect(res.status()).toBe(200);
    expect((await res.allHeaders())['content-encoding']).toBe('br');
    expect(await tab.evaluate(() => customElements.get('ephemeral-chat') !== undefined)).toBe(true);
  });

  it('refuses a bundle whose integrity does not match', async () => {
    const wrong = `sha384-${Buffer.alloc(48).toString('base64')}`;
    page = `<!doctype html><script src="${chatUrl}${manifest.path}" integrity="${wrong}" crossorigin="anonymous"></script>`;
    const tab = await (await browser.newContext()).newPage();
    await tab.goto(siteUrl);
    expect(await tab.evaluate(() => customElements.get('ephemeral-chat') === undefined)).toBe(true);
  });

  it('lets a refused site tell "not allowed" from "down": the no-cors probe of /healthz loads', async () => {
    page = '<!doctype html><title>shop</title>';
    const tab = await (await browser.newContext()).newPage();
    await tab.goto(siteUrl);
    const outcome = await tab.evaluate(async (server) => {
      const probe = await fetch(`${server}/healthz`, { mode: 'no-cors' }).then(
        (r) => r.type,
        (e: Error) => `failed: ${e.message}`,
      );
      const api = await fetch(`${server}/api/session`, { credentials: 'include' }).then(
        (r) => String(r.status),
        () => 'blocked',
      );
      const down = await fetch('http://localhost:9/healthz', { mode: 'no-cors' }).then(
        (r) => r.type,
        () => 'failed',
      );
      return { probe, api, down };
    }, chatUrl);
    expect(outcome).toEqual({ probe: 'opaque', api: 'blocked', down: 'failed' });
  });

  it('has the widget report origin_not_allowed, not a network error, on a refused site', async () => {
    page = `<!doctype html><script src="${chatUrl}/ephemeral-chat.js"></script>
      <ephemeral-chat server="${chatUrl}"></ephemeral-chat>`;
    const tab = await (await browser.newContext()).newPage();
    await tab.addInitScript(() => {
      const w = window as unknown as { ecErrors: string[] };
      w.ecErrors = [];
      document.addEventListener(
        'ec-error',
        (e) => w.ecErrors.push((e as CustomEvent<{ code: string }>).detail.code),
        true,
      );
    });
    await tab.goto(siteUrl);
    await expect
      .poll(() => tab.evaluate(() => (window as unknown as { ecErrors: string[] }).ecErrors), {
        timeout: 10_000,
      })
      .toContain('origin_not_allowed');
  });
});
