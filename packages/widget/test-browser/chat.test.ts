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

function pickTtl(el: EphemeralChat, ttl: number): void {
  const select = deep<HTMLSelectElement>(el, '[part="expiry-picker"]') as HTMLSelectElement;
  select.value = String(ttl);
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

describe('chatting', () => {
  let el: EphemeralChat;
  let me: string;
  let bob: { client: Client; name: string };

  beforeEach(async () => {
    el = await mount();
    me = await signUp(el);
    bob = await peer();
  });

  afterEach(async () => {
    bob.client.disconnect();
    await unmountAll();
  });

  it('finds users with a presence dot that follows them online and offline', async () => {
    const input = deep<HTMLInputElement>(el, '[part="search-input"]') as HTMLInputElement;
    input.value = bob.name;
    input.dispatchEvent(new InputEvent('input'));
    const result = await waitFor(() => deep(el, '[part="user"]'), 'a search result');
    expect(result.textContent).to.contain(bob.name);
    expect(result.textContent).to.contain('online');
    const dot = result.querySelector('ec-presence-dot') as Element;
    expect(dot.hasAttribute('online')).to.equal(true);
    bob.client.disconnect();
    await waitFor(() => !dot.hasAttribute('online'), 'the dot to go offline');
    expect(result.textContent).to.contain('offline');
  });

  it('sends with Enter, shows a live countdown, and receives the peer’s reply', async () => {
    await openChat(el, bob.name);
    expect(deep(el, '[part="peer-status"]')?.textContent).to.contain('online');
    pickTtl(el, 30_000);
    const sent = nextEvent(el, 'ec-message');
    await send(el, 'hello bob');
    const e = await sent;
    expect(e.detail.own).to.equal(true);
    expect(e.detail.message.ttl).to.equal(30_000);
    await waitFor(() => bubbleTexts(el).includes('hello bob'), 'my bubble');
    expect(deep(el, '[part~="bubble-own"]')).to.not.equal(undefined);
    const countdown = await waitFor(() => deep(el, '[part="countdown"]'), 'the countdown');
    expect(countdown.getAttribute('role')).to.equal('timer');
    const first = countdown.textContent?.trim();
    expect(first).to.match(/^disappears in 0:(30|29|28)$/);
    await waitFor(() => countdown.textContent?.trim() !== first, 'the countdown to tick', 3000);

    const chat = await bob.client.open(me);
    expect(chat.messages().map((m) => m.text)).to.include('hello bob');
    const received = nextEvent(el, 'ec-message');
    await chat.send('hi there', { ttl: 60_000 });
    expect((await received).detail.own).to.equal(false);
    await waitFor(() => bubbleTexts(el).includes('hi there'), 'the reply');
    expect(deep(el, '[part~="bubble-other"] [part="bubble-text"]')?.textContent).to.equal(
      'hi there',
    );
    const announcer = deep(el, 'ec-announcer') as HTMLElement;
    await waitFor(
      () => announcer.shadowRoot?.textContent?.includes(`New message from ${bob.name}`),
      'the announcement',
      4000,
    );
    expect(document.title).to.not.contain('hi there');
  });

  it('remembers the expiry choice per chat', async () => {
    await openChat(el, bob.name);
    pickTtl(el, 300_000);
    deep<HTMLButtonElement>(el, '[part="back-button"]')?.click();
    await waitFor(() => !deep(el, 'ec-chat-view'), 'the chat to close');
    await openChat(el, bob.name);
    expect(deep<HTMLSelectElement>(el, '[part="expiry-picker"]')?.value).to.equal('300000');
  });

  it('shows the peer typing', async () => {
    await openChat(el, bob.name);
    const chat = await bob.client.open(me);
    chat.typing(true);
    const typing = deep(el, '[part="typing"]') as HTMLElement;
    await waitFor(() => typing.textContent?.includes(`${bob.name} is typing`), 'the typing line');
    chat.typing(false);
    await waitFor(() => !typing.textContent?.trim(), 'the typing line to clear');
  });

  it('lists chats newest first with unread counts that clear once read', async () => {
    const carol = await peer();
    const fromBob = await bob.client.open(me);
    await fromBob.send('one', { ttl: 60_000 });
    await fromBob.send('two', { ttl: 60_000 });
    await sleep(20);
    await (await carol.client.open(me)).send('three', { ttl: 60_000 });
    const items = () => deepAll(el.shadowRoot as ShadowRoot, '[part="chat-item"]');
    await waitFor(() => items().length === 2, 'two chats');
    const [first, second] = items() as [HTMLElement, HTMLElement];
    expect(first.textContent).to.contain(carol.name);
    await waitFor(
      () => first.querySelector('[part="unread-badge"]')?.textContent === '1',
      'carol 1',
    );
    await waitFor(
      () => second.querySelector('[part="unread-badge"]')?.textContent === '2',
      'bob 2',
    );
    expect(second.textContent).to.contain('2 unread');
    second.click();
    await waitFor(() => bubbleTexts(el).includes('two'), "bob's messages");
    // Straight back, before the observer has reported what is in view: going back itself marks
    // read what is on screen (it used to stay unread now and then, and this test failed).
    deep<HTMLButtonElement>(el, '[part="back-button"]')?.click();
    await waitFor(
      () => items().length === 2 && !items()[1]?.querySelector('[part="unread-badge"]'),
      'read',
    );
    carol.client.disconnect();
  });

  it('lets a 10 s message vanish at its expiry', async function () {
    this.timeout(30_000);
    await openChat(el, bob.name);
    pickTtl(el, 10_000);
    await send(el, 'gone soon');
    const countdown = await waitFor(() => deep(el, '[part="countdown"]'), 'the countdown');
    const sentAt = Date.now();
    expect(countdown.textContent?.trim()).to.match(/^disappears in 0:(10|09|08)$/);
    let sawLeaving = false;
    await waitFor(
      () => {
        sawLeaving ||= !!deep(el, 'ec-message-bubble[leaving]');
        return !bubbleTexts(el).includes('gone soon');
      },
      'the message to vanish',
      15_000,
    );
    const lived = Date.now() - sentAt;
    expect(lived).to.be.within(8000, 12_500);
    expect(sawLeaving).to.equal(true);
    // Bob never read it: a notice without its text takes its place.
    expect(deep(el, '[part~="expired-notice"]')?.textContent).to.contain(
      'Your message expired before it was seen',
    );
  });

  it('shows one pane at a time when narrow, and the list beside the chat when wide', async () => {
    const shown = (part: string) => (deep(el, `[part="${part}"]`)?.offsetWidth ?? 0) > 0;
    el.style.width = '360px';
    await openChat(el, bob.name);
    expect([shown('sidebar'), shown('main')]).to.deep.equal([false, true]);
    el.style.width = '900px';
    await waitFor(() => shown('sidebar') && shown('main'), 'both panes');
    const side = deep(el, '[part="sidebar"]') as HTMLElement;
    const main = deep(el, '[part="main"]') as HTMLElement;
    expect(side.getBoundingClientRect().right).to.be.at.most(main.getBoundingClientRect().left + 1);
  });

  it('offers no earlier messages for a chat of exactly one page', async () => {
    const chat = await bob.client.open(me);
    for (let i = 0; i < 50; i++) await chat.send(`page ${i}`, { ttl: 60_000 });
    await openChat(el, bob.name);
    await waitFor(() => bubbleTexts(el).length === 50, 'the page of fifty');
    await sleep(50);
    expect(deep(el, '[part="earlier-button"]'), 'an earlier button').to.equal(undefined);
  });

  it('offers earlier messages when there are more than a page, and loads them', async () => {
    const chat = await bob.client.open(me);
    for (let i = 0; i < 51; i++) await chat.send(`old ${i}`, { ttl: 60_000 });
    // A fresh widget on the same session (cookie), so none of these arrived live.
    await unmountAll({ logout: false });
    el = await mount();
    await waitFor(() => deep(el, '[part="search-input"]'), 'the resumed session');
    await openChat(el, bob.name);
    await waitFor(() => bubbleTexts(el).length === 50, 'the newest fifty');
    expect(bubbleTexts(el)[0]).to.equal('old 1');
    const earlier = await waitFor(
      () => deep<HTMLButtonElement>(el, '[part="earlier-button"]'),
      'the earlier button',
    );
    earlier.click();
    await waitFor(() => bubbleTexts(el).length === 51, 'the oldest message');
    expect(bubbleTexts(el)[0]).to.equal('old 0');
    await waitFor(() => !deep(el, '[part="earlier-button"]'), 'the earlier button to go');
  });

  it('keeps a reader who scrolled up in place and offers a jump to the newest', async () => {
    await openChat(el, bob.name);
    const chat = await bob.client.open(me);
    for (let i = 0; i < 12; i++) await chat.send(`message ${i}\n\n\n\nend`, { ttl: 60_000 });
    await waitFor(() => bubbleTexts(el).length === 12, 'twelve bubbles');
    expect(deep(el, '[part="earlier-button"]'), 'no earlier messages to offer').to.equal(undefined);
    const log = deep(el, '[part="message-list"]') as HTMLElement;
    const fromBottom = () => log.scrollHeight - log.scrollTop - log.clientHeight;
    await waitFor(() => fromBottom() < 50, 'the log to follow the newest');
    expect(log.scrollHeight).to.be.greaterThan(log.clientHeight);

    log.scrollTop = 0;
    log.dispatchEvent(new Event('scroll'));
    await chat.send('while you read', { ttl: 60_000 });
    await waitFor(() => bubbleTexts(el).includes('while you read'), 'the new bubble');
    await sleep(50);
    expect(log.scrollTop).to.equal(0);
    const jump = await waitFor(
      () => deep<HTMLButtonElement>(el, '[part="jump-button"]'),
      'the jump button',
    );
    jump.click();
    await waitFor(() => fromBottom() < 50, 'the log to reach the newest');
  });
});
