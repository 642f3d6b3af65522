import { expect } from 'chai';
import type { EphemeralChat } from '../dist/lib/index.js';
import {
  bubbleTexts,
  deep,
  deepActive,
  deepAll,
  mount,
  openChat,
  peer,
  signUp,
  unmountAll,
  waitFor,
} from './helpers.js';

const signInRequests = () =>
  performance.getEntriesByType('resource').filter((e) => /\/(login|register)\b/.test(e.name))
    .length;

/** Sets the composer's text as typing would (an input event). */
function typeInto(el: EphemeralChat, text: string): HTMLTextAreaElement {
  const input = deep<HTMLTextAreaElement>(el, '[part="composer-input"]') as HTMLTextAreaElement;
  input.value = text;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  return input;
}

const pressEnter = (input: HTMLElement) =>
  input.dispatchEvent(
    new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }),
  );

describe('forms that say what they need', () => {
  afterEach(async () => {
    await unmountAll();
    sessionStorage.clear();
  });

  it('states the username and password rules before the user submits a sign-up', async () => {
    const el = await mount();
    await waitFor(() => deep(el, '[part="mode-toggle"]'), 'the form');
    expect(deep(el, '[part="field-hint"]')).to.equal(undefined);
    deep(el, '[part="mode-toggle"]')?.click();
    await waitFor(() => deep(el, '[part="field-hint"]'), 'the rules');
    const hints = deepAll(el.shadowRoot as ShadowRoot, '[part="field-hint"]').map((h) =>
      h.textContent?.trim(),
    );
    expect(hints).to.deep.equal([
      '3–32 characters: letters A–Z, digits and _',
      'At least 8 characters',
    ]);
    expect(deep(el, '#username')?.getAttribute('aria-describedby')).to.equal('username-hint');
    expect(deep(el, '#password')?.getAttribute('aria-describedby')).to.equal('password-hint');
  });

  it('refuses an empty sign-in without asking the server, and says which field is missing', async () => {
    const el = await mount();
    const form = await waitFor(
      () => deep<HTMLFormElement>(el, 'form[part="login-form"]'),
      'the form',
    );
    const before = signInRequests();
    form.requestSubmit();
    await waitFor(() => deep(el, '[part="field-error"]'), 'the field errors');
    const errors = deepAll(el.shadowRoot as ShadowRoot, '[part="field-error"]').map((e) =>
      e.textContent?.trim(),
    );
    expect(errors).to.deep.equal(['Enter your username.', 'Enter your password.']);
    expect(deepActive()?.id).to.equal('username');
    expect(deep(el, '#username')?.getAttribute('aria-describedby')).to.equal('username-error');
    await new Promise((r) => setTimeout(r, 300));
    expect(signInRequests()).to.equal(before);
  });

  it('counts characters near the limit, refuses a too-long message, and clears the error once shortened', async () => {
    const el = await mount();
    await signUp(el);
    const bob = await peer();
    await openChat(el, bob.name);
    typeInto(el, 'x'.repeat(3500));
    await (deep(el, 'ec-composer') as unknown as { updateComplete: Promise<unknown> })
      .updateComplete;
    expect(deep(el, '[part="char-count"]')).to.equal(undefined);

    typeInto(el, 'x'.repeat(3700));
    const counter = await waitFor(() => deep(el, '[part="char-count"]'), 'the counter');
    expect(counter.textContent?.trim()).to.equal('3700 of 4000 characters');

    const input = typeInto(el, `${'x'.repeat(4000)}🙂🙂`);
    const alert = await waitFor(() => deep(el, '[part="length-error"]'), 'the length error');
    expect(alert.getAttribute('role')).to.equal('alert');
    expect(alert.textContent?.trim()).to.equal('Too long by 2 characters: shorten it to send.');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    pressEnter(input);
    await new Promise((r) => setTimeout(r, 200));
    expect(bubbleTexts(el)).to.deep.equal([]);
    expect(input.value.length).to.equal(4004);

    typeInto(el, `${'x'.repeat(3998)}🙂🙂`);
    await waitFor(() => !deep(el, '[part="length-error"]'), 'the error gone');
    expect(input.getAttribute('aria-invalid')).to.equal('false');
    pressEnter(input);
    await waitFor(() => bubbleTexts(el).length === 1, 'the message sent');
    bob.client.disconnect();
  });

  it('clears the search once a chat is opened, so the peer is listed once', async () => {
    const el = await mount();
    await signUp(el);
    const bob = await peer();
    await openChat(el, bob.name);
    const search = deep<HTMLInputElement>(el, '[part="search-input"]') as HTMLInputElement;
    expect(search.value).to.equal('');
    expect(deep(el, '[part="user"]')).to.equal(undefined);
    typeInto(el, 'hello');
    pressEnter(deep(el, '[part="composer-input"]') as HTMLElement);
    await waitFor(() => deep(el, '[part~="chat-item"]'), 'the chat row');
    const side = deep(el, '[part="sidebar"]') as HTMLElement;
    const mentions = deepAll(side, '[part="user"], [part~="chat-item"]').filter((b) =>
      b.textContent?.includes(bob.name),
    );
    expect(mentions.length).to.equal(1);
    bob.client.disconnect();
  });
});
