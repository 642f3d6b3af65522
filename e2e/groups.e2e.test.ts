import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoPassword, runName, useDemoPages } from './helpers/demo-pages.js';
import { widget } from './helpers/widget.js';

// Issue 15: three people in three browser contexts on the demo page, one group. Alice creates it
// with Bob and Carol, all three chat, Alice removes Carol, and Carol sees nothing more of it —
// not live, not after a reload.

const password = demoPassword;
const alice = runName('alice_grp');
const bob = runName('bob_grp');
const carol = runName('carol_grp');
const groupName = runName('Climbing');

const demo = useDemoPages();
const openDemo = (colorScheme?: 'light' | 'dark') => demo.open(colorScheme);

/** The group's row in the chat list. */
const groupRow = (page: Page) => page.locator('[part~="group-item"]', { hasText: groupName });
const composer = (page: Page) => page.getByLabel(`Message to ${groupName}`);

async function say(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await composer(page).press('Enter');
}

describe('a group chat in three browsers', () => {
  it('creates a group, chats, removes a member who then sees nothing more', {
    timeout: 120_000,
  }, async () => {
    const [a, b, c] = await Promise.all([openDemo(), openDemo(), openDemo()]);
    const [wa, wb, wc] = [widget(a), widget(b), widget(c)];
    await wa.register(alice, password);
    await wb.register(bob, password);
    await wc.register(carol, password);

    // Alice picks Bob and Carol from the search results, names the group, creates it.
    await a.getByRole('button', { name: 'New group' }).click();
    for (const name of [bob, carol]) {
      await wa.search(name);
      await wa.result(name).first().click();
      await a.getByRole('button', { name: `Take ${name} out of the new group` }).waitFor();
    }
    await a.getByLabel('Group name').fill(groupName);
    await a.getByRole('button', { name: 'Create group' }).click();
    await composer(a).waitFor();

    // Bob and Carol find it in their chat lists and open it.
    for (const page of [b, c]) {
      await groupRow(page).waitFor({ timeout: 10_000 });
      await groupRow(page).click();
      await composer(page).waitFor();
    }

    await say(a, 'Who brings the rope?');
    for (const w of [wb, wc]) await w.bubble('Who brings the rope?').waitFor({ timeout: 5000 });
    await say(b, 'I do');
    for (const w of [wa, wc]) await w.bubble('I do').waitFor({ timeout: 5000 });
    // Both others had it on screen: Alice sees it was seen by both.
    await expect
      .poll(
        async () =>
          (await a
            .locator('[part~="bubble"]', { hasText: 'Who brings the rope?' })
            .textContent()) ?? '',
        { timeout: 10_000 },
      )
      .toContain('Seen by 2 of 2');

    // Alice removes Carol through the members panel.
    await a.getByRole('button', { name: 'Members', exact: true }).click();
    await a.getByRole('button', { name: `Remove ${carol} from the group` }).click();
    // Carol's view closes and the group leaves her list; everyone else sees the notice.
    await composer(c).waitFor({ state: 'detached', timeout: 10_000 });
    await groupRow(c).waitFor({ state: 'detached', timeout: 10_000 });
    await b.locator('[part~="group-notice"]', { hasText: `removed ${carol}` }).waitFor({
      timeout: 10_000,
    });

    await say(a, 'Meet at 6, just us two');
    await wb.bubble('Meet at 6, just us two').waitFor({ timeout: 5000 });
    await c.waitForTimeout(1500);
    expect(await wc.bubble('Meet at 6, just us two').count()).toBe(0);

    // A reload brings nothing back for Carol: no group row, no message.
    await c.reload();
    await c.getByRole('searchbox', { name: 'Find people' }).waitFor();
    await c.waitForTimeout(1000);
    expect(await groupRow(c).count()).toBe(0);
    expect(await wc.bubble('Meet at 6, just us two').count()).toBe(0);
    // Bob still has the whole conversation after his reload.
    await b.reload();
    await groupRow(b).click();
    for (const text of ['Who brings the rope?', 'I do', 'Meet at 6, just us two']) {
      await wb.bubble(text).waitFor({ timeout: 5000 });
    }
  });
});
