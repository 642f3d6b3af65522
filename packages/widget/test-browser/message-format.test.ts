import { expect } from 'chai';
import type { EphemeralChat } from '../dist/lib/index.js';
import { deep, deepAll, mount, openChat, peer, signUp, unmountAll, waitFor } from './helpers.js';

const bubbles = (el: EphemeralChat) =>
  deepAll(el.shadowRoot as ShadowRoot, 'ec-message-bubble').map((b) => ({
    text: b.shadowRoot?.querySelector('[part="bubble-text"]')?.textContent,
    time: !!b.shadowRoot?.querySelector('time'),
    countdown: !!b.shadowRoot?.querySelector('ec-countdown'),
  }));

describe('message text and grouping', () => {
  afterEach(async () => {
    await unmountAll();
    sessionStorage.clear();
  });

  it('makes http(s) addresses links that open safely, and no other scheme', async () => {
    const el = await mount();
    const me = await signUp(el);
    const bob = await peer();
    const chat = await bob.client.open(me);
    await chat.send(
      'see https://example.com/a?b=1&c=<x>, or (http://example.org/wiki/Foo_(bar)). not javascript:alert(1) nor data:text/html,hi nor <a href="https://evil.test">x</a>',
    );
    await openChat(el, bob.name);
    const text = await waitFor(() => deep(el, '[part="bubble-text"]'), 'the message');
    const links = deepAll<HTMLAnchorElement>(el.shadowRoot as ShadowRoot, '[part="bubble-text"] a');
    expect(links.map((a) => a.getAttribute('href'))).to.deep.equal([
      'https://example.com/a?b=1&c=',
      'http://example.org/wiki/Foo_(bar)',
      'https://evil.test/',
    ]);
    for (const a of links) {
      expect(a.getAttribute('rel')).to.equal('noopener noreferrer nofollow');
      expect(a.getAttribute('target')).to.equal('_blank');
    }
    // The markup in the text stays text: the only elements are the links made here.
    expect(text.querySelectorAll('*').length).to.equal(3);
    expect(text.textContent).to.contain('<a href="');
    bob.client.disconnect();
  });

  it('shows the time and countdown once per run of messages, and a separator for another day', async () => {
    const el = await mount();
    const me = await signUp(el);
    const bob = await peer();
    const chat = await bob.client.open(me);
    for (const t of ['one', 'two', 'three']) await chat.send(t, { ttl: 3_600_000 });
    await chat.send('short-lived', { ttl: 60_000 });
    await openChat(el, bob.name);
    await waitFor(() => bubbles(el).length === 4, 'four bubbles');
    expect(bubbles(el)).to.deep.equal([
      { text: 'one', time: false, countdown: false },
      { text: 'two', time: false, countdown: false },
      { text: 'three', time: true, countdown: true },
      { text: 'short-lived', time: true, countdown: true },
    ]);
    expect(deep(el, '[part="day-separator"]')).to.equal(undefined);

    // Seen from tomorrow, these messages are yesterday's: one separator above them.
    const view = deep(el, 'ec-chat-view') as HTMLElement & {
      requestUpdate(): void;
      updateComplete: Promise<unknown>;
    };
    const now = Date.now;
    Date.now = () => now() + 86_400_000;
    try {
      view.requestUpdate();
      await view.updateComplete;
    } finally {
      Date.now = now;
    }
    const days = deepAll(el.shadowRoot as ShadowRoot, '[part="day-separator"]');
    expect(days.length).to.equal(1);
    const first = days[0]?.nextElementSibling?.querySelector('ec-message-bubble');
    expect(first?.shadowRoot?.textContent).to.contain('one');
    const weekday = new Intl.DateTimeFormat('en', { weekday: 'long' }).format(now());
    expect(days[0]?.textContent).to.contain(weekday);
    bob.client.disconnect();
  });
});
