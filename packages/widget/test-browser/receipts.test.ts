import type { Client } from '@ephemeral-chat/sdk';
import { expect } from 'chai';
import type { EphemeralChat } from '../dist/lib/index.js';
import {
  bubbleTexts,
  deep,
  deepAll,
  mount,
  nextEvent,
  openChat,
  peer,
  send,
  signUp,
  unmountAll,
  waitFor,
} from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Pretends the page lost focus (`document.hasFocus()`) or was hidden, until `attend()`. */
function distract(how: 'blur' | 'hide'): void {
  if (how === 'blur')
    Object.defineProperty(document, 'hasFocus', { value: () => false, configurable: true });
  else Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
}

/** Undoes `distract` without telling anyone. */
function restore(): void {
  delete (document as { hasFocus?: unknown }).hasFocus;
  delete (document as { visibilityState?: unknown }).visibilityState;
}

/** The page is visible and focused again, and says so. */
function attend(): void {
  restore();
  window.dispatchEvent(new Event('focus'));
  document.dispatchEvent(new Event('visibilitychange'));
}

function select(el: EphemeralChat, part: string, value: string): void {
  const select = deep<HTMLSelectElement>(el, `[part="${part}"]`) as HTMLSelectElement;
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

const items = (el: EphemeralChat) => deepAll(el.shadowRoot as ShadowRoot, '[part="chat-item"]');
const badge = (el: EphemeralChat) =>
  items(el)[0]?.querySelector('[part="unread-badge"]')?.textContent ?? '';
const receipt = (el: EphemeralChat, text: string) =>
  deepAll(el.shadowRoot as ShadowRoot, 'ec-message-bubble')
    .find((b) => b.shadowRoot?.querySelector('[part="bubble-text"]')?.textContent === text)
    ?.shadowRoot?.querySelector<HTMLElement>('[part="receipt"]');
const notices = (el: EphemeralChat, part: string) =>
  deepAll(el.shadowRoot as ShadowRoot, `[part~="${part}"]`).map((n) => n.textContent?.trim());

describe('receipts, burn after reading and unread state', () => {
  let el: EphemeralChat;
  let me: string;
  let bob: { client: Client; name: string };

  beforeEach(async () => {
    el = await mount();
    me = await signUp(el);
    bob = await peer();
  });

  afterEach(async () => {
    attend();
    bob.client.disconnect();
    await unmountAll();
  });

  it('shows ✓ sent, ✓✓ delivered and seen on own messages, in words for screen readers', async () => {
    bob.client.disconnect();
    await openChat(el, bob.name);
    await send(el, 'are you there?');
    const sent = await waitFor(() => receipt(el, 'are you there?'), 'the receipt');
    expect(sent.dataset.state).to.equal('sent');
    expect(sent.textContent?.replace(/\s+/g, '')).to.equal('✓Sent');
    expect(sent.title).to.equal('Sent');
    // Bob's client comes back and opens the chat: it reports the message delivered by itself.
    await bob.client.connect();
    const chat = await bob.client.open(me);
    await waitFor(() => receipt(el, 'are you there?')?.dataset.state === 'delivered', '✓✓');
    expect(receipt(el, 'are you there?')?.textContent?.replace(/\s+/g, '')).to.equal('✓✓Delivered');
    // Only "seen" is written out in view; the others are named for screen readers.
    const hidden = receipt(el, 'are you there?')?.querySelector('.sr-only');
    expect(hidden?.textContent).to.equal('Delivered');
    await chat.markRead();
    await waitFor(() => receipt(el, 'are you there?')?.dataset.state === 'seen', 'seen');
    const seen = receipt(el, 'are you there?') as HTMLElement;
    expect(seen.querySelector('.sr-only')).to.equal(null);
    expect(seen.textContent).to.contain('Seen');
  });

  it('takes an unsent message off the screen at once, and it stays gone', async () => {
    await openChat(el, bob.name);
    const chat = await bob.client.open(me);
    const sent = await chat.send('wrong chat, sorry', { ttl: 60_000 });
    await chat.send('this one stays', { ttl: 60_000 });
    await waitFor(() => bubbleTexts(el).includes('wrong chat, sorry'), 'the message');
    await chat.unsend(sent.seq);
    // Nothing else happens in the chat: the unsent event alone must redraw it.
    await waitFor(() => !bubbleTexts(el).includes('wrong chat, sorry'), 'the message to go');
    expect(bubbleTexts(el)).to.include('this one stays');
    await sleep(300);
    expect(bubbleTexts(el)).not.to.include('wrong chat, sorry');
  });

  it('offers burn after reading beside the expiry, up to the lifetime, as a chat setting', async () => {
    const chat = await bob.client.open(me);
    await openChat(el, bob.name);
    const options = () =>
      [...(deep<HTMLSelectElement>(el, '[part="burn-picker"]')?.options ?? [])].map((o) => o.value);
    expect(options()).to.deep.equal(['', '5000', '10000', '30000', '60000', '300000', '3600000']);
    select(el, 'burn-picker', '10000');
    await waitFor(() => chat.settings.burn === 10_000, 'the setting to reach bob');
    const sent = nextEvent(el, 'ec-message');
    await send(el, 'read me once');
    const { message } = (await sent).detail;
    expect(message.burn).to.equal(10_000);
    const burn = await waitFor(() => deep(el, '[part="burn"]'), 'the burn label');
    expect(burn.textContent).to.contain('disappears 10 sec after it is read');
    expect(burn.querySelector('svg')).to.not.equal(null);
    // A lifetime shorter than the burn turns the burn off, and no longer burn is offered.
    select(el, 'expiry-picker', '10000');
    await waitFor(() => options().join() === ',5000,10000', 'burns up to 10 s');
    select(el, 'expiry-picker', '30000');
    await waitFor(() => options().includes('30000'), 'burns up to 30 s');
    select(el, 'burn-picker', '30000');
    await waitFor(() => chat.settings.burn === 30_000, 'a 30 s burn');
    select(el, 'expiry-picker', '10000');
    await waitFor(() => chat.settings.ttl === 10_000 && chat.settings.burn === undefined, 'off');
    expect(deep<HTMLSelectElement>(el, '[part="burn-picker"]')?.value).to.equal('');
  });

  it('labels the countdown with an icon and words, not a bare time', async () => {
    await openChat(el, bob.name);
    await send(el, 'tick tock');
    const countdown = await waitFor(() => deep(el, '[part="countdown"]'), 'the countdown');
    expect(countdown.textContent?.trim()).to.match(/^disappears in 1:00:00|^disappears in 59:5\d$/);
    expect(countdown.querySelector('svg[aria-hidden="true"]')).to.not.equal(null);
    expect(countdown.getAttribute('aria-label')).to.match(/^Disappears in/);
  });

  it('keeps the unread count of a chat that was opened and closed', async () => {
    const chat = await bob.client.open(me);
    await openChat(el, bob.name);
    deep<HTMLButtonElement>(el, '[part="back-button"]')?.click();
    await waitFor(() => !deep(el, 'ec-chat-view'), 'the chat to close');
    await chat.send('while you were away', { ttl: 60_000 });
    await waitFor(() => badge(el) === '1', 'a badge of 1');
    expect(items(el)[0]?.getAttribute('aria-current')).to.equal('false');
    expect(items(el)[0]?.textContent).to.contain('1 unread');
    // Still unread after a reload: the server keeps the count.
    await unmountAll({ logout: false });
    el = await mount();
    await waitFor(() => badge(el) === '1', 'the badge after a reload');
    await sleep(300);
    expect(chat.peerReadSeq).to.equal(0);
  });

  it('marks read only what is in view while the page is visible and focused', async () => {
    const chat = await bob.client.open(me);
    const first = await chat.send('first', { ttl: 60_000 });
    await waitFor(() => badge(el) === '1', 'a badge of 1');

    distract('hide');
    await openChat(el, bob.name);
    await waitFor(() => bubbleTexts(el).includes('first'), 'the message');
    await sleep(400);
    expect(chat.peerReadSeq, 'read while hidden').to.equal(0);
    restore();
    distract('blur');
    document.dispatchEvent(new Event('visibilitychange'));
    await sleep(400);
    expect(chat.peerReadSeq, 'read without focus').to.equal(0);
    expect(badge(el)).to.equal('1');
    attend();
    await waitFor(() => chat.peerReadSeq === first.seq, 'the read once focused');
    await waitFor(() => badge(el) === '', 'the badge to clear');

    // Scrolled away from the newest: what arrives below is not read until it is scrolled to.
    for (let i = 0; i < 12; i++) await chat.send(`long ${i}\n\n\n\nend`, { ttl: 60_000 });
    await waitFor(() => bubbleTexts(el).length === 13, 'thirteen bubbles');
    const log = deep(el, '[part="message-list"]') as HTMLElement;
    await waitFor(() => chat.peerReadSeq === first.seq + 12, 'all read at the bottom');
    log.scrollTop = 0;
    log.dispatchEvent(new Event('scroll'));
    const below = await chat.send('below the fold', { ttl: 60_000 });
    await waitFor(() => bubbleTexts(el).includes('below the fold'), 'the new bubble');
    await sleep(400);
    expect(chat.peerReadSeq, 'read out of view').to.equal(first.seq + 12);
    (await waitFor(() => deep<HTMLButtonElement>(el, '[part="jump-button"]'), 'jump')).click();
    await waitFor(() => chat.peerReadSeq === below.seq, 'the read once scrolled to');
  });

  it('shows the unread total in the tab title when asked, and fires ec-unread on every change', async () => {
    await unmountAll({ logout: false });
    document.title = 'Host page';
    el = await mount({ 'title-badge': '' });
    const totals: number[] = [];
    el.addEventListener('ec-unread', (e) => totals.push(e.detail.total));
    await waitFor(() => deep(el, '[part="search-input"]'), 'the resumed session');
    const chat = await bob.client.open(me);
    await chat.send('one', { ttl: 60_000 });
    await waitFor(() => document.title === '(1) Host page', 'the badge in the title');
    await chat.send('two', { ttl: 60_000 });
    await waitFor(() => document.title === '(2) Host page', 'two in the title');
    await openChat(el, bob.name);
    await waitFor(() => document.title === 'Host page', 'the title back once read');
    expect(totals).to.deep.equal([1, 2, 0]);
    // Off by default: a widget without the attribute leaves the title alone.
    el.removeAttribute('title-badge');
    await chat.send('three', { ttl: 60_000 });
    await sleep(300);
    expect(document.title).to.equal('Host page');
  });

  it('tells the sender a message expired unseen, and the reader how many expired unread', async function () {
    this.timeout(40_000);
    const carol = await peer();
    const fromCarol = await carol.client.open(me);
    // Bob is away: the message to him will expire before he reads it.
    bob.client.disconnect();
    await openChat(el, bob.name);
    select(el, 'expiry-picker', '10000');
    await send(el, 'you will never see this');
    await fromCarol.send('missed one', { ttl: 10_000 });
    await fromCarol.send('missed two', { ttl: 10_000 });
    await waitFor(() => badge(el) === '2', "carol's two unread");

    const tombstone = await waitFor(
      () => notices(el, 'expired-notice')[0],
      'the expired-unseen notice',
      15_000,
    );
    expect(tombstone).to.equal('Your message expired before it was seen');
    await waitFor(() => !bubbleTexts(el).includes('you will never see this'), 'the text gone');
    const row = await waitFor(
      () =>
        items(el).find((i) => i.textContent?.includes('2 messages expired before you read them')),
      "carol's row with what she missed",
      5000,
    );
    expect(row.querySelector('[part="unread-badge"]')).to.equal(null);

    await openChat(el, carol.name);
    await waitFor(
      () => notices(el, 'unseen-notice')[0] === '2 messages expired before you read them',
      'the notice in the chat',
    );
    // Seeing the notice acknowledges it: the count is gone from the list, the notice stays.
    await waitFor(
      () => !items(el).some((i) => i.textContent?.includes('expired before you read')),
      'the count to clear from the list',
    );
    expect(notices(el, 'unseen-notice')).to.have.length(1);
    carol.client.disconnect();
  });

  it('shows the chat settings and a notice in the timeline when either member changes them', async () => {
    const chat = await bob.client.open(me);
    await openChat(el, bob.name);
    await chat.setSettings({ ttl: 300_000, burn: 300_000 });
    await waitFor(
      () =>
        notices(el, 'settings-notice').includes(
          `${bob.name} set new messages to disappear 5 min after they are read`,
        ),
      "bob's change",
    );
    expect(deep<HTMLSelectElement>(el, '[part="expiry-picker"]')?.value).to.equal('300000');
    expect(deep<HTMLSelectElement>(el, '[part="burn-picker"]')?.value).to.equal('300000');
    select(el, 'burn-picker', '');
    await waitFor(
      () =>
        notices(el, 'settings-notice').includes(
          'You set new messages to disappear 5 min after they are sent',
        ),
      'my change',
    );
    await waitFor(() => chat.settings.burn === undefined, 'the change to reach bob');
    const sent = nextEvent(el, 'ec-message');
    await send(el, 'after the change');
    expect((await sent).detail.message).to.include({ ttl: 300_000 });
    expect((await sent).detail.message.burn).to.equal(undefined);
  });

  it('asks for notification permission only on a click, and never shows the text', async () => {
    const shown: { title: string; options?: NotificationOptions }[] = [];
    let asked = 0;
    class FakeNotification {
      static permission: NotificationPermission = 'default';
      static async requestPermission() {
        asked++;
        FakeNotification.permission = 'granted';
        return FakeNotification.permission;
      }
      onclick: (() => void) | null = null;
      constructor(title: string, options?: NotificationOptions) {
        shown.push({ title, ...(options ? { options } : {}) });
      }
      close() {}
    }
    const real = Object.getOwnPropertyDescriptor(window, 'Notification');
    Object.defineProperty(window, 'Notification', { value: FakeNotification, configurable: true });
    try {
      await unmountAll({ logout: false });
      el = await mount({ notifications: '' });
      const button = await waitFor(
        () => deep<HTMLButtonElement>(el, '[part="notifications-button"]'),
        'the button',
      );
      expect(asked).to.equal(0);
      button.click();
      await waitFor(() => !deep(el, '[part="notifications-button"]'), 'the button to go');
      expect(asked).to.equal(1);
      const chat = await bob.client.open(me);
      await chat.send('seen while here', { ttl: 60_000 });
      await waitFor(() => badge(el) === '1', 'the message');
      expect(shown).to.deep.equal([]);
      distract('blur');
      await chat.send('a secret text', { ttl: 60_000 });
      await waitFor(() => shown.length === 1, 'a notification');
      expect(shown[0]?.title).to.equal('New message');
      expect(shown[0]?.options?.body).to.equal(`New message from ${bob.name}`);
      expect(JSON.stringify(shown)).to.not.contain('secret');
    } finally {
      if (real) Object.defineProperty(window, 'Notification', real);
      else delete (window as { Notification?: unknown }).Notification;
    }
  });
});
