import { freePort, registerAt, TestSocket } from '@ephemeral-chat/testkit';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './helpers/browser.js';
import { type ChatStack, type Spawned, startChatStack, startExample } from './helpers/stack.js';
import { widget } from './helpers/widget.js';

const secret = 'e2e host secret that is at least 32 bytes';
let stack: ChatStack;
let host: Spawned;
let browser: Browser;

beforeAll(async () => {
  const port = await freePort('localhost');
  const origin = `http://localhost:${port}`;
  const hostEnv = {
    HOST_JWT_SECRET: secret,
    HOST_JWT_ISSUER: origin,
    HOST_JWT_AUDIENCE: 'ephemeral-chat',
  };
  stack = await startChatStack({ ...hostEnv, ALLOWED_ORIGINS: origin });
  host = await startExample(
    'examples/host-auth/serve.mjs',
    { ...hostEnv, PORT: String(port), CHAT_URL: stack.url },
    /host-auth example on (http:\/\/localhost:\d+)/,
  );
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await host?.[Symbol.asyncDispose]();
  await stack?.[Symbol.asyncDispose]();
});

describe('the host-auth example', () => {
  it('signs a visitor of the host site into the chat without a login form, to chat with a local user', async () => {
    const local = await registerAt(stack.url, 'local');
    const page = await (await browser.newContext()).newPage();
    // Notes whether the widget's login form is ever put on the page, even for a moment.
    await page.addInitScript(() => {
      const define = customElements.define.bind(customElements);
      customElements.define = (name, ctor, options) => {
        if (name !== 'ec-login-view') return define(name, ctor, options);
        const base = ctor as unknown as { new (): HTMLElement; prototype: HTMLElement };
        class Watched extends base {
          connectedCallback(): void {
            (window as { loginFormShown?: boolean }).loginFormShown = true;
            (base.prototype as { connectedCallback?: () => void }).connectedCallback?.call(this);
          }
        }
        return define(name, Watched, options);
      };
    });
    await page.goto(host.url);
    expect(new URL(page.url()).origin).not.toBe(new URL(stack.url).origin);
    // The host site's own sign-in.
    await page.getByLabel('Shop username').fill('ada');
    await page.getByLabel('Shop password').fill('lovelace-1815');
    await page.getByRole('button', { name: 'Sign in to the shop' }).click();
    await page.getByText('Signed in to the shop as').waitFor();
    // The widget signs in by itself with the host token: it shows the signed-in view, and its
    // own login form never appears.
    const w = widget(page);
    await page.getByRole('searchbox', { name: 'Find people' }).waitFor({ timeout: 15_000 });
    await page.getByText(/Signed in as Ada/).waitFor();
    expect(await page.getByRole('button', { name: 'New here? Create an account' }).count()).toBe(0);
    expect(await page.evaluate(() => (window as { loginFormShown?: boolean }).loginFormShown)).toBe(
      undefined,
    );

    // Chat with a local user (signed in with a password, over the SDK-free test socket).
    const peer = await TestSocket.authed(stack.url, local.token);
    await w.search(local.username);
    await w.openChat(local.username);
    await w.send(local.username, 'hello from the bookshop');
    const got = await peer.next(
      (f) => f.type === 'message' && f.message.text === 'hello from the bookshop',
      10_000,
    );
    if (got.type !== 'message') throw new Error('no message');
    const reply = await peer.request({
      type: 'send',
      room: got.message.room,
      text: 'hello, Ada',
      clientMsgId: 'reply-1',
    });
    expect(reply.type).toBe('ack');
    await w.bubble('hello, Ada').waitFor();
    await peer.close();
  });
});
