import { expect } from 'chai';
import { deep, mount, openChat, peer, signUp, unmountAll, waitFor } from './helpers.js';

type Updating = HTMLElement & { updateComplete: Promise<unknown> };

describe('going offline', () => {
  afterEach(async () => {
    await unmountAll();
    sessionStorage.clear();
  });

  it('says so at the browser’s offline event, shows the peer offline meanwhile, and recovers', async () => {
    const el = await mount();
    await signUp(el);
    const bob = await peer();
    await openChat(el, bob.name);
    const status = () => deep(el, '[part="peer-status"]')?.textContent?.trim();
    await waitFor(() => status() === 'online', 'bob online');

    window.dispatchEvent(new Event('offline'));
    // Told at once: within the same turn of rendering, not after a heartbeat times out.
    await (deep(el, 'ec-status-bar') as Updating).updateComplete;
    await (deep(el, 'ec-chat-view') as Updating).updateComplete;
    expect(deep(el, '[part="status"]')?.textContent?.trim()).to.equal(
      'Connection lost. Reconnecting…',
    );
    expect(status()).to.equal('offline');

    window.dispatchEvent(new Event('online'));
    await waitFor(() => status() === 'online', 'bob online again', 10_000);
    await waitFor(() => !deep(el, '[part="status"]')?.textContent?.trim(), 'the status line gone');
    bob.client.disconnect();
  });
});
