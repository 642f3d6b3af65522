import { ChatError } from '@ephemeral-chat/sdk';
import { expect } from 'chai';
import '../dist/lib/components/status-bar.js';

/** An auth state as the status bar sees it: unreachable for `error`. */
function unreachable(error: ChatError) {
  return { phase: 'unreachable', connection: 'idle', error, subscribe: () => () => {} };
}

async function statusFor(error: ChatError): Promise<ShadowRoot> {
  const bar = document.createElement('ec-status-bar');
  (bar as unknown as { auth: unknown }).auth = unreachable(error);
  document.body.append(bar);
  await bar.updateComplete;
  return bar.shadowRoot as ShadowRoot;
}

describe('a site the chat server does not allow', () => {
  afterEach(() => {
    for (const el of document.querySelectorAll('ec-status-bar')) el.remove();
  });

  it('tells the visitor plainly, without the operator’s wording or a Retry that cannot help', async () => {
    const root = await statusFor(
      new ChatError(
        'origin_not_allowed',
        'This site (https://shop.example) is not allowed to use this chat server; its operator can add it to ALLOWED_ORIGINS.',
      ),
    );
    const line = root.querySelector('[part="status"]') as HTMLElement;
    expect(line.textContent?.trim()).to.equal('Chat is not available on this site.');
    expect(line.textContent).not.to.contain('ALLOWED_ORIGINS');
    expect(root.querySelector('button')).to.equal(null);
  });

  it('still offers Retry when the server cannot be reached', async () => {
    const root = await statusFor(new ChatError('network', 'Failed to fetch'));
    const line = root.querySelector('[part="status"]') as HTMLElement;
    expect(line.textContent).to.contain('Cannot reach the chat server');
    expect(root.querySelector('button')?.textContent?.trim()).to.equal('Retry');
  });
});
