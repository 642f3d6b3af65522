import { emulateMedia } from '@web/test-runner-commands';
import { expect } from 'chai';
import type { EphemeralChat } from '../dist/lib/index.js';
import {
  bubbleTexts,
  deep,
  mount,
  openChat,
  peer,
  signUp,
  unmountAll,
  waitFor,
} from './helpers.js';

/**
 * Every WebSocket the page opens from now on, so a test can cut one as a network would; while
 * `down`, new sockets go to a closed port and fail, like a network that is still out.
 */
function trackSockets() {
  const Original = window.WebSocket;
  const state = { sockets: [] as WebSocket[], down: false, restore() {} };
  class Tracked extends Original {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(state.down ? 'ws://127.0.0.1:9/' : url, protocols);
      state.sockets.push(this);
    }
  }
  window.WebSocket = Tracked;
  state.restore = () => {
    window.WebSocket = Original;
  };
  return state;
}

const statusText = (el: EphemeralChat) => deep(el, '[part="status"]')?.textContent?.trim() ?? '';

describe('a lost connection', () => {
  let tracked: ReturnType<typeof trackSockets>;
  let el: EphemeralChat;

  beforeEach(async () => {
    tracked = trackSockets();
    el = await mount();
  });
  afterEach(async () => {
    tracked.restore();
    await unmountAll();
  });

  it('shows the reconnecting banner, clears it once back, and shows what arrived meanwhile', async () => {
    const me = await signUp(el);
    const socket = tracked.sockets.at(-1);
    const bob = await peer();
    await openChat(el, bob.name);
    const chat = await bob.client.open(me);
    await chat.send('before the cut', { ttl: 60_000 });
    await waitFor(() => bubbleTexts(el).includes('before the cut'), 'the first message');

    expect(socket?.readyState).to.equal(WebSocket.OPEN);
    tracked.down = true;
    socket?.close(3000, 'test: cut');
    await waitFor(() => statusText(el).includes('Reconnecting'), 'the reconnecting banner');
    await chat.send('while you were away', { ttl: 60_000 });
    // At least one failed attempt while the network is out, then it comes back.
    const cutAt = tracked.sockets.length;
    await waitFor(() => tracked.sockets.length > cutAt, 'a failed reconnect attempt', 10_000);
    expect(statusText(el)).to.contain('Reconnecting');
    tracked.down = false;

    await waitFor(() => statusText(el) === '', 'the banner to clear', 10_000);
    await waitFor(
      () => bubbleTexts(el).includes('while you were away'),
      'the message sent during the cut',
    );
    expect(bubbleTexts(el).filter((t) => t === 'while you were away')).to.have.length(1);
    bob.client.disconnect();
  });
});

describe('prefers-reduced-motion', () => {
  afterEach(() => emulateMedia({ reducedMotion: 'no-preference' }));

  /** The computed animation of a leaving bubble. */
  async function leavingAnimation(): Promise<{ name: string; opacity: string }> {
    const bubble = document.createElement('ec-message-bubble') as HTMLElement & {
      message: { text: string; createdAt: number };
      leaving: boolean;
      updateComplete: Promise<unknown>;
    };
    bubble.message = { text: 'going', createdAt: Date.now() };
    bubble.leaving = true;
    // The theme's token, which the widget's root would provide.
    bubble.style.setProperty('--ec-vanish-duration', '320ms');
    document.body.append(bubble);
    await bubble.updateComplete;
    const inner = bubble.shadowRoot?.querySelector('.bubble') as HTMLElement;
    const style = getComputedStyle(inner);
    const result = { name: style.animationName, opacity: style.opacity };
    bubble.remove();
    return result;
  }

  it('plays the vanish animation by default and none when the user asks for less motion', async () => {
    await emulateMedia({ reducedMotion: 'no-preference' });
    expect((await leavingAnimation()).name).to.equal('vanish');
    await emulateMedia({ reducedMotion: 'reduce' });
    expect(await leavingAnimation()).to.deep.equal({ name: 'none', opacity: '0' });
  });
});
