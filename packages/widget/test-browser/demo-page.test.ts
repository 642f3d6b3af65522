import { expect } from 'chai';
import type { EphemeralChat } from '../dist/lib/index.js';
import { chatUrl, deep, openChat, peer, signUp, unmountAll, waitFor } from './helpers.js';

/**
 * The demo page (examples/demo) in a phone-sized frame: its own HTML and CSS, with the widget
 * from this package's build instead of the server's bundle.
 */
async function demoIn(width: number, height: number): Promise<HTMLIFrameElement> {
  const page = await (await fetch('/examples/demo/index.html')).text();
  const frame = document.createElement('iframe');
  frame.style.cssText = `width: ${width}px; height: ${height}px; border: 0`;
  frame.srcdoc = page
    .replace('href="/demo.css"', 'href="/examples/demo/demo.css"')
    .replace('src="/ephemeral-chat.js"', 'src="/packages/widget/dist/lib/index.js"')
    .replace(/<script[^>]*src="\/demo\.js"[^>]*><\/script>/, '')
    .replace('<ephemeral-chat>', `<ephemeral-chat server="${chatUrl}">`);
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  await loaded;
  return frame;
}

describe('the demo page on a phone', () => {
  let frame: HTMLIFrameElement | undefined;

  afterEach(async () => {
    const el = frame?.contentDocument?.querySelector('ephemeral-chat');
    await el?.logout().catch(() => {});
    frame?.remove();
    await unmountAll();
  });

  for (const [label, width, height] of [
    ['portrait 390×844', 390, 844],
    ['landscape 844×390', 844, 390],
  ] as const) {
    it(`shows the whole widget, Send included, without scrolling in ${label}`, async () => {
      frame = await demoIn(width, height);
      const win = frame.contentWindow as Window;
      const el = await waitFor(
        () =>
          (frame?.contentDocument?.querySelector('ephemeral-chat') as EphemeralChat | null)
            ?.shadowRoot && frame?.contentDocument?.querySelector('ephemeral-chat'),
        'the widget in the demo page',
        10_000,
      );
      await signUp(el as EphemeralChat);
      const bob = await peer();
      await openChat(el as EphemeralChat, bob.name);
      const send = deep(el as EphemeralChat, '[part="send-button"]') as HTMLElement;
      const input = deep(el as EphemeralChat, '[part="composer-input"]') as HTMLElement;
      expect(win.scrollY).to.equal(0);
      for (const target of [send, input, el as Element]) {
        const r = target.getBoundingClientRect();
        expect(r.top, `${target.localName} top`).to.be.at.least(0);
        expect(r.bottom, `${target.localName} bottom`).to.be.at.most(win.innerHeight);
        expect(r.right, `${target.localName} right`).to.be.at.most(win.innerWidth);
      }
      // The messages still get room to show.
      const log = deep(el as EphemeralChat, '[part="message-list"]') as HTMLElement;
      expect(log.getBoundingClientRect().height).to.be.at.least(80);
      bob.client.disconnect();
    });
  }
});
