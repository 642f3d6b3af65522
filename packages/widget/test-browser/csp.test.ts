import { expect } from 'chai';
import type { EphemeralChat } from '../dist/lib/index.js';
import { bubbleTexts, chatUrl, deep, openChat, peer, signUp, waitFor } from './helpers.js';

type CspWindow = Window & typeof globalThis & { __violations: string[] };

describe('under a strict Content-Security-Policy', () => {
  let frame: HTMLIFrameElement;

  afterEach(async () => {
    const el = frame?.contentDocument?.querySelector('ephemeral-chat');
    await el?.logout().catch(() => {});
    frame?.remove();
  });

  it('renders, styles itself and chats from the script-tag bundle with no violation', async () => {
    frame = document.createElement('iframe');
    frame.style.cssText = 'width: 720px; height: 600px';
    frame.src = `/packages/widget/test-browser/csp.html?server=${encodeURIComponent(chatUrl)}`;
    document.body.append(frame);
    const win = await waitFor(
      () =>
        frame.contentWindow?.customElements?.get('ephemeral-chat') &&
        (frame.contentWindow as CspWindow),
      'the bundle to define the element',
    );
    const el = win.document.querySelector('ephemeral-chat') as EphemeralChat;

    const me = await signUp(el);
    const submitStyles = (el.shadowRoot as ShadowRoot).adoptedStyleSheets.length;
    expect(submitStyles).to.be.greaterThan(0);
    const root = deep(el, '[part="root"]') as HTMLElement;
    expect(win.getComputedStyle(root).backgroundColor).to.equal('rgb(255, 255, 255)');
    expect(win.getComputedStyle(root).borderTopStyle).to.equal('solid');

    const bob = await peer();
    await (await bob.client.open(me)).send('<img src=x onerror=alert(1)> hello', { ttl: 60_000 });
    await openChat(el, bob.name);
    await waitFor(() => bubbleTexts(el).length === 1, 'the message');
    expect(bubbleTexts(el)).to.deep.equal(['<img src=x onerror=alert(1)> hello']);
    expect(win.__violations).to.deep.equal([]);
    bob.client.disconnect();

    // The policy is really in force: eval and raw HTML sinks are refused.
    // (The errors come from the frame's realm: compare names, not classes.)
    expect(() => win.eval('1'))
      .to.throw()
      .with.property('name', 'EvalError');
    expect(() => {
      (el.shadowRoot as ShadowRoot).innerHTML = '<b>x</b>';
    })
      .to.throw()
      .with.property('name', 'TypeError');
  });
});
