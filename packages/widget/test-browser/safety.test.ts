import type { Client } from '@ephemeral-chat/sdk';
import { expect } from 'chai';
import type { EphemeralChat } from '../dist/lib/index.js';
import {
  bubbleTexts,
  deep,
  deepActive,
  mount,
  nextEvent,
  openChat,
  PASSWORD,
  peer,
  send,
  signUp,
  unmountAll,
  waitFor,
} from './helpers.js';

type Peer = { client: Client; name: string };

const part = <E extends HTMLElement = HTMLButtonElement>(el: EphemeralChat, name: string) =>
  deep<E>(el, `[part~="${name}"]`);
const text = (el: EphemeralChat, name: string) => part(el, name)?.textContent?.trim() ?? '';
/** The dialog `name` once it is open. */
const openDialog = (el: EphemeralChat, name: string) =>
  waitFor(() => {
    const d = part<HTMLDialogElement>(el, name);
    return d?.open ? d : undefined;
  }, `the dialog ${name}`);

/** Opens the chat's menu and waits until it knows whether the peer is blocked. */
async function openMenu(el: EphemeralChat): Promise<HTMLButtonElement> {
  part(el, 'chat-menu-button')?.click();
  return waitFor(() => {
    const b = part(el, 'block-button');
    return b && !b.disabled ? b : undefined;
  }, 'the block button');
}

describe('block, report and account deletion', () => {
  let el: EphemeralChat;
  let me: string;
  let bob: Peer;

  beforeEach(async () => {
    el = await mount();
    me = await signUp(el);
    bob = await peer();
  });

  afterEach(async () => {
    bob.client.disconnect();
    await unmountAll();
  });

  it('blocks from the chat menu, shows the neutral refusal, and unblocks', async () => {
    await openChat(el, bob.name);
    const menuButton = part(el, 'chat-menu-button') as HTMLButtonElement;
    expect(menuButton.getAttribute('aria-label')).to.include(bob.name);
    expect(menuButton.getAttribute('aria-expanded')).to.equal('false');
    const block = await openMenu(el);
    expect(menuButton.getAttribute('aria-expanded')).to.equal('true');
    expect(block.textContent?.trim()).to.equal(`Block ${bob.name}`);
    block.click();
    await waitFor(() => text(el, 'safety-status').includes('You blocked'), 'the block notice');
    expect(part(el, 'safety-status')?.getAttribute('role')).to.equal('status');

    // The blocked user learns only the neutral refusal; so does the blocker.
    const toMe = await bob.client.open(me).catch((e: { code: string }) => e);
    expect(toMe).to.have.property('code', 'blocked');
    await send(el, 'are you there?');
    await waitFor(
      () => text(el, 'send-error') === "You can't message this user.",
      'the neutral refusal',
    );

    const unblock = await openMenu(el);
    expect(unblock.textContent?.trim()).to.equal(`Unblock ${bob.name}`);
    unblock.click();
    await waitFor(() => text(el, 'safety-status').includes('You unblocked'), 'the unblock');
    const chat = await bob.client.open(me);
    await chat.send('hello again');
    await waitFor(() => bubbleTexts(el).includes('hello again'), 'the message after unblocking');
  });

  it("reports the peer's messages with a reason, also one that expired and is gone from view", async () => {
    const chat = await bob.client.open(me);
    await openChat(el, bob.name);
    await chat.send('buy cheap watches');
    // The shortest lifetime there is: it is gone from the server too when the report goes.
    await chat.send('you will regret this', { ttl: 10_000 });
    await waitFor(() => bubbleTexts(el).length === 2, 'both messages');
    await waitFor(() => bubbleTexts(el).length === 1, 'the message to expire', 15_000);
    expect(bubbleTexts(el)).to.deep.equal(['buy cheap watches']);

    await openMenu(el);
    part(el, 'report-button')?.click();
    const dialog = await openDialog(el, 'report-dialog');
    // It says how many messages go, never what they said.
    expect(text(el, 'report-summary')).to.include(`${bob.name}'s last 2 messages`);
    expect(dialog.textContent).not.to.include('regret');
    const radios = [...dialog.querySelectorAll<HTMLInputElement>('input[type="radio"]')];
    expect(radios.map((r) => r.value)).to.deep.equal([
      'spam',
      'harassment',
      'hate',
      'sexual',
      'violence',
      'self_harm',
      'other',
    ]);
    radios[1]?.click();
    (part<HTMLTextAreaElement>(el, 'report-comment') as HTMLTextAreaElement).value = 'threats';
    part(el, 'report-submit')?.click();
    await waitFor(() => text(el, 'safety-status').startsWith('Thank you'), 'the report to be sent');
    expect(dialog.open).to.equal(false);
    // Reporting does not block.
    await chat.send('still here');
    await waitFor(() => bubbleTexts(el).includes('still here'), 'a message after the report');
  });

  it('reports and blocks at once, and has nothing to report in an empty chat', async () => {
    await openChat(el, bob.name);
    await openMenu(el);
    part(el, 'report-button')?.click();
    await openDialog(el, 'report-dialog');
    expect(text(el, 'report-summary')).to.include('Nothing from');
    expect(part(el, 'report-submit')?.disabled).to.equal(true);
    part(el, 'report-cancel')?.click();
    expect(part<HTMLDialogElement>(el, 'report-dialog')?.open).to.equal(false);

    const chat = await bob.client.open(me);
    await chat.send('spam spam spam');
    await waitFor(() => bubbleTexts(el).length === 1, 'the message');
    await openMenu(el);
    part(el, 'report-button')?.click();
    await openDialog(el, 'report-dialog');
    part<HTMLInputElement>(el, 'report-block')?.click();
    part(el, 'report-submit')?.click();
    await waitFor(() => text(el, 'safety-status').includes('is blocked'), 'report and block');
    await chat.send('more').then(
      () => expect.fail('a blocked send was accepted'),
      (e: { code: string }) => expect(e.code).to.equal('blocked'),
    );
  });

  it('closes the menu with Escape, keeping the chat open and focus on the menu button', async () => {
    await openChat(el, bob.name);
    const block = await openMenu(el);
    expect(deepActive()).to.equal(block);
    block.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }),
    );
    await waitFor(() => !part(el, 'chat-menu'), 'the menu to close');
    expect(deepActive()).to.equal(part(el, 'chat-menu-button'));
    expect(part(el, 'composer-input')).to.exist;
  });

  it('deletes the account only after confirming with the password', async () => {
    part(el, 'delete-account-button')?.click();
    const dialog = await openDialog(el, 'delete-dialog');
    expect(dialog.textContent).to.include('cannot be brought back');
    const password = part<HTMLInputElement>(el, 'delete-password') as HTMLInputElement;
    password.value = 'not my password';
    part(el, 'delete-confirm')?.click();
    await waitFor(() => text(el, 'delete-error') === 'That is not your password.', 'the refusal');
    expect(part(el, 'search-input')).to.exist;

    part(el, 'delete-cancel')?.click();
    expect(dialog.open).to.equal(false);
    part(el, 'delete-account-button')?.click();
    await waitFor(() => dialog.open, 'the confirmation again');
    password.value = PASSWORD;
    const out = nextEvent(el, 'ec-logout');
    part(el, 'delete-confirm')?.click();
    expect((await out).detail.reason).to.equal('account-deleted');
    await waitFor(() => text(el, 'notice') === 'Your account was deleted.', 'the notice');
    // The account is gone: its name cannot sign in, and others cannot find it.
    const found = await bob.client.searchUsers(me);
    expect(found.map((u) => u.username)).not.to.include(me);
  });
});
