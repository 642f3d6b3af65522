import { setViewport } from '@web/test-runner-commands';
import { expect } from 'chai';
import type { EphemeralChat } from '../dist/lib/index.js';
import { deep, deepAll, mount, peer, signUp, uniqueName, unmountAll, waitFor } from './helpers.js';

/** The longest legal username: 32 characters. */
const longName = (prefix: string) => `${uniqueName(prefix)}${'_'.repeat(32)}`.slice(0, 32);

/** How many lines the text of `el` takes. */
function lines(el: Element): number {
  const range = document.createRange();
  range.selectNodeContents(el);
  const tops = [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top));
  return new Set(tops).size;
}

const within = (inner: Element, outer: Element) => {
  const a = inner.getBoundingClientRect();
  const b = outer.getBoundingClientRect();
  return a.left >= b.left - 0.5 && a.right <= b.right + 0.5;
};

describe('layout with 32-character usernames', () => {
  let el: EphemeralChat;

  afterEach(async () => {
    await setViewport({ width: 1000, height: 800 });
    await unmountAll();
  });

  for (const [label, width] of [
    ['on a phone', 390],
    ['in a wide frame', 1000],
  ] as const) {
    it(`keeps the chat row, its time and badge, the search box and the header inside the pane ${label}`, async () => {
      await setViewport({ width, height: 844 });
      el = await mount();
      el.style.cssText = 'display: block; height: 700px';
      const me = longName('me');
      await signUp(el, me);
      const bob = await peer(longName('peer'));
      const chat = await bob.client.open(me);
      await chat.send(`a preview long enough to need cutting ${'word '.repeat(40)}`);
      const item = await waitFor(() => deep(el, '[part~="chat-item"]'), 'the chat row');
      const badge = await waitFor(() => deep(el, '[part="unread-badge"]'), 'the unread badge');
      const side = deep(el, '[part="sidebar"]') as HTMLElement;

      expect(item.scrollWidth).to.be.at.most(item.clientWidth + 1);
      expect(within(item, side)).to.equal(true);
      expect(within(badge, item)).to.equal(true);
      expect(within(item.querySelector('time') as Element, item)).to.equal(true);
      const preview = item.querySelector('.preview') as HTMLElement;
      expect(getComputedStyle(preview).textOverflow).to.equal('ellipsis');
      expect(preview.scrollWidth).to.be.greaterThan(preview.clientWidth);
      const name = item.querySelector('.name') as HTMLElement;
      expect(getComputedStyle(name).textOverflow).to.equal('ellipsis');

      const input = deep<HTMLInputElement>(el, '[part="search-input"]') as HTMLInputElement;
      const before = input.getBoundingClientRect().width;
      input.value = bob.name;
      input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
      // The result as it is now (a later render of the results may replace the row). The check
      // caught a real bug, 1 run in 3: the results' grid column grew to the longest name.
      const result = () => deep(el, '[part="user"]');
      await waitFor(() => result()?.isConnected, 'a search result');
      expect(input.getBoundingClientRect().width).to.equal(before);
      expect(within(input, side)).to.equal(true);
      await waitFor(() => {
        const row = result();
        return row?.isConnected && within(row, side) ? row : undefined;
      }, 'the result inside the pane');

      const header = deep(el, '[part="header"]') as HTMLElement;
      expect(header.scrollWidth).to.be.at.most(header.clientWidth + 1);
      const signOut = deep(el, '[part="logout-button"]') as HTMLElement;
      expect(lines(signOut)).to.equal(1);
      expect(within(signOut, header)).to.equal(true);
      const del = deepAll(el.shadowRoot as ShadowRoot, '[part="delete-account-button"]')[0];
      expect(lines(del as Element)).to.equal(1);
      bob.client.disconnect();
    });
  }
});
