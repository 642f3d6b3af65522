import { freePort } from '@ephemeral-chat/testkit';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './helpers/browser.js';
import { type ChatStack, type Spawned, startChatStack, startExample } from './helpers/stack.js';
import { widget } from './helpers/widget.js';

let stack: ChatStack;
let allowedPage: Spawned;
let refusedPage: Spawned;
let browser: Browser;

beforeAll(async () => {
  const [allowedPort, refusedPort] = await Promise.all([
    freePort('localhost'),
    freePort('localhost'),
  ]);
  stack = await startChatStack({ ALLOWED_ORIGINS: `http://localhost:${allowedPort}` });
  const start = (port: number) =>
    startExample(
      'examples/script-tag/serve.mjs',
      { PORT: String(port), CHAT_URL: stack.url },
      /script-tag example on (http:\/\/localhost:\d+)/,
    );
  [allowedPage, refusedPage] = await Promise.all([start(allowedPort), start(refusedPort)]);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([allowedPage?.[Symbol.asyncDispose](), refusedPage?.[Symbol.asyncDispose]()]);
  await stack?.[Symbol.asyncDispose]();
});

describe('the script-tag example', () => {
  it('works from its own origin with one script tag and one element', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(allowedPage.url);
    expect(new URL(page.url()).origin).not.toBe(new URL(stack.url).origin);
    await widget(page).register(
      `shopper_${process.pid}`.slice(0, 32),
      'correct horse battery staple',
    );
    await page.getByText(/Signed in as shopper_/).waitFor();
    // The session is an HttpOnly cookie of the chat server, partitioned under this site.
    const cookies = await page.context().cookies(stack.url);
    const session = cookies.find((c) => c.name === 'ec_session');
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: 'None' });
    expect(await page.evaluate(() => document.cookie)).not.toContain('ec_session');
  });

  it('tells a page on an origin the server does not allow, clearly, instead of failing silently', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(refusedPage.url);
    await expect
      .poll(async () => (await page.locator('ephemeral-chat').textContent()) ?? '', {
        timeout: 5000,
      })
      .toBeDefined();
    // The widget still loads (the bundle is public), and tells the visitor plainly that chat is not
    // available here: no operator wording (ALLOWED_ORIGINS), no Retry that cannot help.
    await page.getByText('Chat is not available on this site.').waitFor({ timeout: 5000 });
    expect(
      await page
        .locator('ephemeral-chat')
        .getByText(/ALLOWED_ORIGINS/)
        .count(),
    ).toBe(0);
    expect(await page.getByRole('button', { name: /retry/i }).count()).toBe(0);
  });
});
