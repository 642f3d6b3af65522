import type { Page } from 'playwright-core';

/** The widget's controls, found by role and label (Playwright's locators pierce shadow DOM). */
export function widget(page: Page) {
  return {
    async register(username: string, password: string) {
      await page.getByRole('button', { name: 'New here? Create an account' }).click();
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('searchbox', { name: 'Find people' }).waitFor();
    },
    async search(query: string) {
      await page.getByRole('searchbox', { name: 'Find people' }).fill(query);
    },
    /** The search result or chat row of `username` (its name comes first: not the chat's menu). */
    result(username: string) {
      return page.getByRole('button', { name: new RegExp(`^${username}`) });
    },
    async openChat(username: string) {
      await this.result(username).click();
      await page.getByLabel(`Message to ${username}`).waitFor();
    },
    /** Sends with the expiry picker set to `ttlMs` when given. */
    async send(peer: string, text: string, ttlMs?: number) {
      if (ttlMs) await page.locator('select[part~="expiry-picker"]').selectOption(String(ttlMs));
      await page.getByLabel(`Message to ${peer}`).fill(text);
      await page.getByLabel(`Message to ${peer}`).press('Enter');
    },
    bubble(text: string) {
      return page.locator('[part~="bubble-text"]', { hasText: text });
    },
    /** Sets the chat's burn after reading (ms; 0: off). */
    async burn(ms: number) {
      await page.locator('select[part~="burn-picker"]').selectOption(ms ? String(ms) : '');
    },
    /** The receipt of the user's own message with `text`: its `data-state` and its words. */
    receipt(text: string) {
      return page
        .locator('[part~="bubble"]', {
          has: page.locator('[part~="bubble-text"]', { hasText: text }),
        })
        .locator('[part~="receipt"]');
    },
  };
}
