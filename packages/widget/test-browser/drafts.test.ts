import { sendKeys } from '@web/test-runner-commands';
import { expect } from 'chai';
import type { EphemeralChat } from '../dist/lib/index.js';
import {
  deep,
  deepActive,
  mount,
  openChat,
  peer,
  send,
  signUp,
  unmountAll,
  waitFor,
} from './helpers.js';

const composer = (el: EphemeralChat) =>
  deep<HTMLTextAreaElement>(el, '[part="composer-input"]') as HTMLTextAreaElement;

/** Types into the composer as a user would (input events, so the draft is kept). */
async function type(el: EphemeralChat, text: string): Promise<void> {
  composer(el).focus();
  await sendKeys({ type: text });
}

describe('drafts, reload and focus', () => {
  afterEach(async () => {
    await unmountAll();
    sessionStorage.clear();
  });

  it('keeps the draft when Escape closes the chat, per chat, and sends it only once', async () => {
    const el = await mount();
    await signUp(el);
    const bob = await peer();
    const carol = await peer();
    await openChat(el, bob.name);
    await type(el, 'half a thought for bob');
    await sendKeys({ press: 'Escape' });
    await waitFor(() => !deep(el, 'ec-chat-view'), 'back at the list');

    await openChat(el, carol.name);
    expect(composer(el).value).to.equal('');
    await type(el, 'for carol');
    await sendKeys({ press: 'Escape' });
    await waitFor(() => !deep(el, 'ec-chat-view'), 'back at the list');

    await openChat(el, bob.name);
    await waitFor(() => composer(el).value === 'half a thought for bob', 'bob’s draft back');
    await sendKeys({ press: 'Enter' });
    await waitFor(() => composer(el).value === '', 'sent');
    await sendKeys({ press: 'Escape' });
    await openChat(el, bob.name);
    expect(composer(el).value).to.equal('');
    bob.client.disconnect();
    carol.client.disconnect();
  });

  it('reopens the chat of before a reload with its draft, and stores no text of the peer', async () => {
    let el = await mount();
    const me = await signUp(el);
    const bob = await peer();
    await (await bob.client.open(me)).send('a secret from bob');
    await openChat(el, bob.name);
    await waitFor(() => deep(el, '[part="bubble-text"]'), 'bob’s message');
    await type(el, 'my unsent reply');

    // A reload: the element goes, a new one signs in again from the session cookie.
    await unmountAll({ logout: false });
    el = await mount();
    await waitFor(() => deep(el, '[part="composer-input"]'), 'the chat reopened', 10_000);
    expect(deep(el, '[part="peer-name"]')?.textContent).to.equal(bob.name);
    await waitFor(() => composer(el).value === 'my unsent reply', 'the draft back');
    // The page's focus is not taken by a reopening.
    expect(el.matches(':focus-within')).to.equal(false);

    const stored = JSON.stringify({ ...sessionStorage, ...localStorage });
    expect(stored).to.contain('my unsent reply');
    expect(stored).not.to.contain('a secret from bob');

    await el.logout();
    await waitFor(() => deep(el, 'form[part="login-form"]'), 'signed out');
    expect(JSON.stringify({ ...sessionStorage })).not.to.contain('my unsent reply');
    bob.client.disconnect();
  });

  it('puts focus back on the row of the chat the user closed', async () => {
    const el = await mount();
    const me = await signUp(el);
    const bob = await peer();
    const carol = await peer();
    await (await bob.client.open(me)).send('from bob');
    await (await carol.client.open(me)).send('from carol');
    const rows = await waitFor(() => {
      const r = [
        ...(el.shadowRoot
          ?.querySelector('ec-chat-list-view')
          ?.shadowRoot?.querySelectorAll<HTMLButtonElement>('[part~="chat-item"]') ?? []),
      ];
      return r.length === 2 ? r : undefined;
    }, 'two chat rows');
    const bobRow = rows.find((r) => r.textContent?.includes(bob.name)) as HTMLButtonElement;
    bobRow.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => deepActive()?.getAttribute('part') === 'composer-input', 'in the chat');
    await send(el, 'hello bob');
    await sendKeys({ press: 'Escape' });
    await waitFor(() => deepActive()?.getAttribute('part') === 'chat-item', 'focus on a row');
    expect(deepActive()?.textContent).to.contain(bob.name);
    bob.client.disconnect();
    carol.client.disconnect();
  });
});
