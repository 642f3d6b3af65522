import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { launchBrowser } from './helpers/browser.js';
import { type ChatStack, type Spawned, startChatStack, startExample } from './helpers/stack.js';
import { widget } from './helpers/widget.js';

let stack: ChatStack;
let bot: Spawned;
let browser: Browser;
const botName = `echo_bot_${process.pid}`.slice(0, 32);

beforeAll(async () => {
  stack = await startChatStack();
  bot = await startExample(
    'examples/node-bot/dist/main.js',
    { CHAT_URL: stack.url, BOT_USERNAME: botName, BOT_PASSWORD: 'a long bot passphrase' },
    /is listening on (\S+)/,
  );
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await bot?.[Symbol.asyncDispose]();
  await stack?.[Symbol.asyncDispose]();
});

describe('the node-bot example', () => {
  it('answers a message sent from the browser with how long it has left', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(stack.url);
    const w = widget(page);
    await w.register(`visitor_${process.pid}`.slice(0, 32), 'correct horse battery staple');
    await w.search(botName.slice(0, 10));
    await w.openChat(botName);
    await w.send(botName, 'hello bot', 60_000);
    await w.bubble('“hello bot” has').waitFor({ timeout: 10_000 });
  });
});
