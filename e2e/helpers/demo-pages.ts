import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser.js';
import { type ChatStack, startChatStack } from './stack.js';

/** The password every demo e2e user signs up with. */
export const demoPassword = 'correct horse battery staple';

/** A username unique to this run (`<base>_<pid>`), so reruns on one database do not collide. */
export const runName = (base: string): string => `${base}_${`${process.pid}`.slice(-4)}`;

export interface DemoPages {
  readonly stack: ChatStack;
  readonly browser: Browser;
  /** A new browser context (its own cookies) on the demo page. */
  open(colorScheme?: 'light' | 'dark'): Promise<Page>;
}

/** One chat stack and one Chromium for a test file, started before its tests, closed after. */
export function useDemoPages(): DemoPages {
  let stack: ChatStack | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    stack = await startChatStack();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.[Symbol.asyncDispose]();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the demo stack starts in beforeAll');
    return value;
  };
  return {
    get stack() {
      return started(stack);
    },
    get browser() {
      return started(browser);
    },
    async open(colorScheme = 'light') {
      const context = await started(browser).newContext({
        viewport: { width: 1000, height: 760 },
        colorScheme,
      });
      const page = await context.newPage();
      await page.goto(started(stack).url);
      return page;
    },
  };
}
