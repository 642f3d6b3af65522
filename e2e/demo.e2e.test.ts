import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { demoPassword, runName, useDemoPages } from './helpers/demo-pages.js';
import { widget } from './helpers/widget.js';

/**
 * The README's screenshots are rewritten only when asked (UPDATE_SCREENSHOTS=1); an ordinary run
 * writes them to a temporary directory, so `npm test` leaves the working tree as it found it.
 */
function screenshotDir(flag: string | undefined): string {
  if (flag === '1') return fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
  if (flag === undefined || flag === '' || flag === '0')
    return join(tmpdir(), 'ephemeral-chat-e2e-screenshots/');
  throw new Error(
    `UPDATE_SCREENSHOTS must be 1 (rewrite docs/screenshots) or 0/unset, not ${JSON.stringify(flag)}`,
  );
}
const screenshots = screenshotDir(process.env.UPDATE_SCREENSHOTS);
const password = demoPassword;
const alice = runName('alice');
const bob = runName('bob');

const demo = useDemoPages();
const openDemo = (colorScheme?: 'light' | 'dark') => demo.open(colorScheme);

describe('the demo page, two people in two browsers', () => {
  it('registers both, finds the other online, chats live, and a 10 s message vanishes for good', {
    timeout: 60_000,
  }, async () => {
    const a = await openDemo();
    const b = await openDemo();
    const wa = widget(a);
    const wb = widget(b);
    await wa.register(alice, password);
    await wb.register(bob, password);

    // A finds B by search, online.
    await wa.search(bob.slice(0, 5));
    await expect
      .poll(async () => (await wa.result(bob).textContent()) ?? '', { timeout: 5000 })
      .toMatch(/\bonline/);
    await wa.openChat(bob);

    // Real time both ways.
    await wa.send(bob, 'hello from alice');
    // B sees the new chat in the list, with an unread count, and opens it.
    await expect
      .poll(async () => (await wb.result(alice).textContent()) ?? '', { timeout: 5000 })
      .toContain('hello from alice');
    await wb.openChat(alice);
    await wb.bubble('hello from alice').waitFor({ timeout: 5000 });
    await wb.send(alice, 'hi alice, bob here');
    await wa.bubble('hi alice, bob here').waitFor({ timeout: 5000 });

    await mkdir(screenshots, { recursive: true });
    await a.screenshot({ path: `${screenshots}demo-light.png` });

    // A 10 s message: on both screens with a countdown, gone from both at its expiry.
    const sentAt = Date.now();
    await wa.send(bob, 'this one lasts ten seconds', 10_000);
    await wb.bubble('this one lasts ten seconds').waitFor({ timeout: 5000 });
    await expect(a.getByRole('timer').first().getAttribute('aria-label')).resolves.toMatch(
      /Disappears in/,
    );
    await wa.bubble('this one lasts ten seconds').waitFor({ state: 'detached', timeout: 15_000 });
    await wb.bubble('this one lasts ten seconds').waitFor({ state: 'detached', timeout: 5_000 });
    const gone = Date.now() - sentAt;
    expect(gone).toBeGreaterThanOrEqual(9_000);
    expect(gone).toBeLessThan(14_000);

    // A reload does not bring it back; the longer-lived messages are still there.
    await b.reload();
    await wb.openChat(alice);
    await wb.bubble('hi alice, bob here').waitFor({ timeout: 5000 });
    expect(await wb.bubble('this one lasts ten seconds').count()).toBe(0);

    // B leaves: A sees B go offline.
    await b.context().close();
    await expect
      .poll(async () => (await a.getByText(/offline/).count()) > 0, { timeout: 10_000 })
      .toBe(true);
  });

  it('greets a signed-out visitor with the sign-in form, no failed request and no console error', async () => {
    const context = await demo.browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
    await page.goto(demo.stack.url);
    await page.getByRole('button', { name: 'New here? Create an account' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('keeps the theme chosen with the toggle across a reload, and screenshots it dark', async () => {
    const page = await openDemo('dark');
    const host = page.locator('ephemeral-chat');
    const toggle = page.getByRole('button', { name: /^Theme:/ });
    const label = async () => (await toggle.getAttribute('aria-label')) ?? '';
    const scheme = () =>
      host.evaluate((el) => {
        const root = el.shadowRoot?.querySelector('.root');
        return root ? getComputedStyle(root).colorScheme : '';
      });
    for (let i = 0; i < 3 && !(await label()).endsWith('dark'); i++) await toggle.click();
    expect(await label()).toBe('Theme: dark');
    expect(await scheme()).toBe('dark');
    await page.reload();
    await expect.poll(label).toBe('Theme: dark');
    expect(await scheme()).toBe('dark');
    await widget(page).register(runName('carol'), password);
    await page.screenshot({ path: `${screenshots}demo-dark.png` });
  });
});
