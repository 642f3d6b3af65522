import { sendKeys } from '@web/test-runner-commands';
import { expect } from 'chai';
import {
  bubbleTexts,
  deep,
  deepActive,
  mount,
  PASSWORD,
  peer,
  uniqueName,
  unmountAll,
  waitFor,
} from './helpers.js';

const focusedPart = () => deepActive()?.getAttribute('part');

describe('keyboard only', () => {
  let before: HTMLButtonElement;

  afterEach(async () => {
    before?.remove();
    await unmountAll();
  });

  it('signs in, searches, opens a chat and sends without a mouse', async () => {
    const bob = await peer();
    const account = await peer(uniqueName('kb'));
    account.client.disconnect();
    const received = new Promise<string>((resolve) =>
      bob.client.on('message', (m) => resolve(m.text)),
    );

    before = document.createElement('button');
    before.textContent = 'page content before the widget';
    document.body.prepend(before);
    before.focus();
    const el = await mount();
    await waitFor(() => deep(el, '#username'), 'the login form');

    for (let i = 0; i < 6 && deepActive()?.id !== 'username'; i++) await sendKeys({ press: 'Tab' });
    expect(deepActive()?.id).to.equal('username');
    await sendKeys({ type: account.name });
    await sendKeys({ press: 'Tab' });
    expect(deepActive()?.id).to.equal('password');
    expect(getComputedStyle(deepActive() as Element).outlineStyle).to.equal('solid');
    await sendKeys({ type: PASSWORD });
    await sendKeys({ press: 'Enter' });

    await waitFor(() => focusedPart() === 'search-input', 'focus in the search box');
    await sendKeys({ type: bob.name });
    await waitFor(() => deep(el, '[part="user"]'), 'a search result');
    await sendKeys({ press: 'ArrowDown' });
    expect(focusedPart()).to.equal('user');
    expect(getComputedStyle(deepActive() as Element).outlineStyle).to.equal('solid');
    await sendKeys({ press: 'Enter' });

    await waitFor(() => focusedPart() === 'composer-input', 'focus in the composer');
    await sendKeys({ type: 'line one' });
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ up: 'Shift' });
    await sendKeys({ type: 'line two' });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => bubbleTexts(el).includes('line one\nline two'), 'the sent bubble');
    expect(await received).to.equal('line one\nline two');

    await sendKeys({ press: 'Tab' });
    expect(focusedPart()).to.equal('expiry-picker');
    await sendKeys({ press: 'Tab' });
    expect(focusedPart()).to.equal('burn-picker');
    await sendKeys({ press: 'Tab' });
    expect(focusedPart()).to.equal('send-button');
    // The new chat joins the list once the server has it (a debounced refresh).
    await waitFor(() => deep(el, '[part~="chat-item"]'), 'the chat in the list');
    await sendKeys({ press: 'Escape' });
    // Back on the row of the chat just left (it holds the message sent).
    await waitFor(() => focusedPart() === 'chat-item', 'focus back on the chat row');
    expect(deepActive()?.textContent).to.contain(bob.name);
    bob.client.disconnect();
  });
});
