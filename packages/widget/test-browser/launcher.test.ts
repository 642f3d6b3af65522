import { sendKeys, setViewport } from '@web/test-runner-commands';
import { expect } from 'chai';
import { deep, deepActive, mount, openChat, peer, signUp, unmountAll, waitFor } from './helpers.js';

const focusedPart = () => deepActive()?.getAttribute('part');

describe('launcher mode', () => {
  afterEach(async () => {
    await setViewport({ width: 1000, height: 800 });
    await unmountAll();
  });

  it('is a labelled button in the bottom right corner that opens and closes the panel by keyboard', async () => {
    await setViewport({ width: 1000, height: 800 });
    const el = await mount({ mode: 'launcher' });
    const button = await waitFor(() => deep(el, '[part="launcher-button"]'), 'the launcher button');
    const panel = deep(el, '[part="launcher-panel"]') as HTMLElement;
    expect(button.tagName).to.equal('BUTTON');
    expect(button.textContent).to.contain('Chat');
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    expect(panel.getAttribute('role')).to.equal('dialog');
    expect(panel.getAttribute('aria-label')).to.equal('Chat');
    expect(panel.hidden).to.equal(true);
    expect(el.getBoundingClientRect().height).to.equal(0);
    const r = button.getBoundingClientRect();
    expect(innerWidth - r.right).to.be.within(8, 40);
    expect(innerHeight - r.bottom).to.be.within(8, 40);

    button.focus();
    await sendKeys({ press: 'Enter' });
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    expect(panel.hidden).to.equal(false);
    // Focus moves into the panel: the sign-in form's first field.
    await waitFor(() => deepActive()?.id === 'username', 'focus in the sign-in form');
    const p = panel.getBoundingClientRect();
    expect(p.bottom).to.be.lessThan(r.top);
    expect(p.width).to.be.greaterThan(300);

    await sendKeys({ press: 'Escape' });
    await waitFor(() => focusedPart() === 'launcher-button', 'focus back on the button');
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    expect(panel.hidden).to.equal(true);
  });

  it('sits bottom left with side="left"', async () => {
    await setViewport({ width: 1000, height: 800 });
    const el = await mount({ mode: 'launcher', side: 'left' });
    const button = await waitFor(() => deep(el, '[part="launcher-button"]'), 'the launcher button');
    expect(button.getBoundingClientRect().left).to.be.within(8, 40);
    button.click();
    await waitFor(() => !(deep(el, '[part="launcher-panel"]') as HTMLElement).hidden, 'open');
    expect(deep(el, '[part="launcher-panel"]')?.getBoundingClientRect().left).to.be.within(8, 40);
  });

  it('shows the unread total on the button, and names it for screen readers', async () => {
    const el = await mount({ mode: 'launcher' });
    (await waitFor(() => deep(el, '[part="launcher-button"]'), 'button')).click();
    const me = await signUp(el);
    const bob = await peer();
    const chat = await bob.client.open(me);
    await chat.send('hello from bob');
    const button = deep(el, '[part="launcher-button"]') as HTMLElement;
    await waitFor(() => deep(el, '[part="launcher-badge"]')?.textContent === '1', 'the badge');
    expect(button.textContent?.replace(/\s+/g, ' ')).to.contain('1 unread');
    bob.client.disconnect();
  });

  it('counts what arrives in the open chat while the panel is closed, and reads it once opened', async () => {
    const el = await mount({ mode: 'launcher' });
    const button = await waitFor(() => deep(el, '[part="launcher-button"]'), 'button');
    button.click();
    const me = await signUp(el);
    const bob = await peer();
    await openChat(el, bob.name);
    button.click();
    await waitFor(() => button.getAttribute('aria-expanded') === 'false', 'closed');
    const chat = await bob.client.open(me);
    await chat.send('while you were away');
    await waitFor(() => deep(el, '[part="launcher-badge"]')?.textContent === '1', 'the badge');
    button.click();
    await waitFor(() => !deep(el, '[part="launcher-badge"]'), 'read once seen', 8000);
    bob.client.disconnect();
  });

  it('goes back from a chat on the first Escape and closes on the second', async () => {
    const el = await mount({ mode: 'launcher' });
    (await waitFor(() => deep(el, '[part="launcher-button"]'), 'button')).click();
    await signUp(el);
    const bob = await peer();
    await openChat(el, bob.name);
    deep<HTMLTextAreaElement>(el, '[part="composer-input"]')?.focus();
    await sendKeys({ press: 'Escape' });
    await waitFor(() => !deep(el, 'ec-chat-view'), 'back at the list');
    expect(deep(el, '[part="launcher-button"]')?.getAttribute('aria-expanded')).to.equal('true');
    await waitFor(() => deepActive()?.getAttribute('part'), 'focus in the panel');
    await sendKeys({ press: 'Escape' });
    await waitFor(() => focusedPart() === 'launcher-button', 'focus back on the button');
    bob.client.disconnect();
  });

  it('opens full screen on a phone, with a close button that returns focus to the launcher', async () => {
    await setViewport({ width: 390, height: 844 });
    const el = await mount({ mode: 'launcher', side: 'left' });
    const button = await waitFor(() => deep(el, '[part="launcher-button"]'), 'button');
    button.click();
    const panel = deep(el, '[part="launcher-panel"]') as HTMLElement;
    await waitFor(() => !panel.hidden, 'open');
    const p = panel.getBoundingClientRect();
    expect([p.left, p.top, p.width, p.height]).to.deep.equal([0, 0, 390, 844]);
    const close = deep(el, '[part="close-button"]') as HTMLButtonElement;
    expect(close.getAttribute('aria-label')).to.equal('Close chat');
    const c = close.getBoundingClientRect();
    expect(c.right).to.be.at.most(390);
    expect(c.top).to.be.at.least(0);
    close.click();
    await waitFor(() => focusedPart() === 'launcher-button', 'focus back on the button');
    expect(panel.hidden).to.equal(true);
  });
});
