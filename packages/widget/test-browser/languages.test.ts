import { expect } from 'chai';
import type { EphemeralChat } from '../dist/lib/index.js';
import ar from '../dist/lib/locales/ar.js';
import de from '../dist/lib/locales/de.js';
import es from '../dist/lib/locales/es.js';
import fr from '../dist/lib/locales/fr.js';
import ja from '../dist/lib/locales/ja.js';
import { chatUrl, deep, mount, openChat, peer, signUp, unmountAll, waitFor } from './helpers.js';

const heading = (el: EphemeralChat) => deep(el, '[part="heading"]')?.textContent?.trim();
const root = (el: EphemeralChat) => deep(el, '[part="root"]') as HTMLElement;

/** Waits for the sign-in form's heading to read `text` (a language loads asynchronously). */
const headingIs = (el: EphemeralChat, text: string | undefined) =>
  waitFor(() => heading(el) === text, `the heading "${text}" (got "${heading(el)}")`);

describe('languages', () => {
  const pageLang = document.documentElement.lang;

  afterEach(async () => {
    document.documentElement.lang = pageLang;
    delete (navigator as { languages?: unknown }).languages;
    await unmountAll();
  });

  it('speaks the language of its lang attribute, and marks its frame with it', async () => {
    const el = await mount({ lang: 'de' });
    await headingIs(el, de.signInHeading);
    expect(root(el).lang).to.equal('de');
    expect(root(el).dir).to.equal('ltr');
    expect(deep(el, '[part="submit-button"]')?.textContent?.trim()).to.equal(de.signIn);
  });

  it('follows a change of the lang attribute', async () => {
    const el = await mount({ lang: 'de' });
    await headingIs(el, de.signInHeading);
    el.lang = 'ja';
    await headingIs(el, ja.signInHeading);
    el.removeAttribute('lang');
    await headingIs(el, 'Sign in'); // back to the test page's <html lang="en">
  });

  it('takes the page language when it has no lang of its own, and follows it', async () => {
    document.documentElement.lang = 'fr-CA';
    const el = await mount();
    await headingIs(el, fr.signInHeading);
    expect(root(el).lang).to.equal('fr-CA');
    document.documentElement.lang = 'es';
    await headingIs(el, es.signInHeading);
  });

  it('passes over a language it lacks to the next choice, down to the browser’s', async () => {
    document.documentElement.lang = '';
    Object.defineProperty(navigator, 'languages', {
      configurable: true,
      get: () => ['it-IT', 'ja-JP', 'en'],
    });
    const el = await mount({ lang: 'nl' });
    await headingIs(el, ja.signInHeading);
    expect(root(el).lang).to.equal('ja-JP');
  });

  it('falls back to English when nothing asked for is built in', async () => {
    document.documentElement.lang = 'it';
    Object.defineProperty(navigator, 'languages', { configurable: true, get: () => ['nl'] });
    const el = await mount();
    await headingIs(el, 'Sign in');
    expect(root(el).lang).to.equal('en');
  });

  it('lets the host’s strings win over the built-in translation', async () => {
    const el = document.createElement('ephemeral-chat');
    el.strings = { signInHeading: 'Willkommen zurück', errors: { network: 'Offline.' } };
    el.setAttribute('lang', 'de');
    el.setAttribute('server', chatUrl);
    document.body.append(el);
    await headingIs(el, 'Willkommen zurück');
    // The rest is still German.
    expect(deep(el, '[part="submit-button"]')?.textContent?.trim()).to.equal(de.signIn);
  });

  it('lays Arabic out right to left, with Arabic times and a mirrored back arrow', async () => {
    const el = await mount({ lang: 'ar' });
    await headingIs(el, ar.signInHeading);
    const frame = root(el);
    expect(frame.dir).to.equal('rtl');
    expect(getComputedStyle(frame).direction).to.equal('rtl');

    const me = await signUp(el);
    // The title starts the header: on the right.
    const title = deep(el, '[part="title"]') as HTMLElement;
    const header = deep(el, '[part="header"]') as HTMLElement;
    expect(title.textContent).to.equal(ar.title);
    expect(
      header.getBoundingClientRect().right - title.getBoundingClientRect().right,
    ).to.be.lessThan(20);

    const bob = await peer();
    await (await bob.client.open(me)).send('مرحبا', { ttl: 60_000 });
    await openChat(el, bob.name);
    const time = await waitFor(
      () => deep(el, '[part~="bubble"] time')?.textContent?.trim(),
      'the message time',
    );
    expect(time).to.match(/[صم]$/); // Arabic a.m./p.m.: Intl with the chosen locale
    const arrow = deep(el, '[part="back-button"] span') as HTMLElement;
    expect(getComputedStyle(arrow).transform).to.equal('matrix(-1, 0, 0, 1, 0, 0)');
    // The peer's bubble starts the line: on the right.
    const bubble = deep(el, '[part~="bubble"]') as HTMLElement;
    const log = deep(el, '[part="message-list"]') as HTMLElement;
    expect(log.getBoundingClientRect().right - bubble.getBoundingClientRect().right).to.be.lessThan(
      40,
    );
    bob.client.disconnect();
  });

  it('loads a language beside the script-tag bundle, under a strict CSP', async () => {
    const frame = document.createElement('iframe');
    frame.style.cssText = 'width: 720px; height: 600px';
    frame.src = `/packages/widget/test-browser/languages.html?server=${encodeURIComponent(chatUrl)}`;
    document.body.append(frame);
    try {
      const el = await waitFor(
        () =>
          frame.contentWindow?.customElements?.get('ephemeral-chat') &&
          (frame.contentDocument?.querySelector('ephemeral-chat') as EphemeralChat | null),
        'the bundle to define the element',
      );
      await waitFor(() => heading(el) === ar.signInHeading, 'the Arabic form', 10_000);
      expect(root(el).dir).to.equal('rtl');
      expect(
        (frame.contentWindow as Window & { __violations: string[] }).__violations,
      ).to.deep.equal([]);
    } finally {
      frame.remove();
    }
  });
});
