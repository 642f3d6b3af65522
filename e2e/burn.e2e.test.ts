import { describe, expect, it } from 'vitest';
import { demoPassword, runName, useDemoPages } from './helpers/demo-pages.js';
import { widget } from './helpers/widget.js';

const password = demoPassword;
const alice = runName('alice_burn');
const bob = runName('bob_burn');
const text = 'this burns ten seconds after you read it';

const demo = useDemoPages();
const openDemo = (colorScheme?: 'light' | 'dark') => demo.open(colorScheme);

describe('burn after reading, two people in two browsers', () => {
  it('shows the sender it was seen, then takes it from both screens ~10 s after the read, for good', {
    timeout: 90_000,
  }, async () => {
    const a = await openDemo();
    const b = await openDemo();
    const wa = widget(a);
    const wb = widget(b);
    await wa.register(alice, password);
    await wb.register(bob, password);
    await wa.search(bob);
    await wa.openChat(bob);

    // Alice sends with a 10 s burn (and the default 1 h lifetime). Bob's client receives it, but
    // he has not opened the chat: delivered, not seen, and no burn yet.
    await wa.burn(10_000);
    await wa.send(bob, text);
    await expect
      .poll(() => wa.receipt(text).getAttribute('data-state'), { timeout: 5000 })
      .toBe('delivered');
    expect(await a.locator('[part~="burn"]').first().textContent()).toContain(
      '10 sec after it is read',
    );
    await expect
      .poll(async () => (await wb.result(alice).textContent()) ?? '', { timeout: 5000 })
      .toContain(text);
    await a.waitForTimeout(2000);
    expect(await wa.receipt(text).getAttribute('data-state')).toBe('delivered');

    // Bob opens the chat: the message is on his screen, visible and focused, so it is read.
    await wb.openChat(alice);
    await wb.bubble(text).waitFor({ timeout: 5000 });
    const seenAt = Date.now();
    // The sender's copy says it was seen before it goes.
    await expect
      .poll(() => wa.receipt(text).getAttribute('data-state'), { timeout: 5000 })
      .toBe('seen');
    expect(await wa.receipt(text).textContent()).toContain('Seen');
    await expect
      .poll(async () => (await b.getByRole('timer').first().textContent()) ?? '', { timeout: 3000 })
      .toMatch(/disappears in 0:(10|0\d)/);

    await wa.bubble(text).waitFor({ state: 'detached', timeout: 15_000 });
    await wb.bubble(text).waitFor({ state: 'detached', timeout: 3_000 });
    const gone = Date.now() - seenAt;
    expect(gone).toBeGreaterThanOrEqual(8_000);
    expect(gone).toBeLessThan(13_000);

    // Reloads do not bring it back, on either side (the chat left the lists: found by search).
    await b.reload();
    await wb.search(alice);
    await wb.openChat(alice);
    await a.reload();
    await wa.search(bob);
    await wa.openChat(bob);
    await a.waitForTimeout(1000);
    expect(await wa.bubble(text).count()).toBe(0);
    expect(await wb.bubble(text).count()).toBe(0);
  });
});
