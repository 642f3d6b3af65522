import { expect } from 'chai';
import { deep, mount, unmountAll, waitFor } from './helpers.js';

const scheme = (el: HTMLElement) => getComputedStyle(deep(el as never, '[part="root"]') as Element);

describe('theme', () => {
  afterEach(() => unmountAll({ logout: false }));

  it('cycles auto → light → dark with the toggle and keeps the choice after a reload', async () => {
    const el = await mount();
    const toggle = deep<HTMLButtonElement>(el, '[part="theme-toggle"]') as HTMLButtonElement;
    expect(scheme(el).colorScheme).to.equal('light dark');
    expect(toggle.getAttribute('aria-label')).to.equal('Theme: automatic');
    toggle.click();
    await el.updateComplete;
    expect(scheme(el).colorScheme).to.equal('light');
    expect(scheme(el).backgroundColor).to.equal('rgb(255, 255, 255)');
    toggle.click();
    await el.updateComplete;
    expect(scheme(el).colorScheme).to.equal('dark');
    expect(scheme(el).backgroundColor).to.equal('rgb(21, 23, 28)');
    expect(localStorage.getItem('ephemeral-chat:theme')).to.equal('"dark"');
    el.remove();

    // A new element, as after a reload: the stored choice wins over the attribute.
    const again = await mount({ theme: 'light' });
    expect(scheme(again).colorScheme).to.equal('dark');
    expect(scheme(again).backgroundColor).to.equal('rgb(21, 23, 28)');
    expect(deep(again, '[part="theme-toggle"]')?.getAttribute('aria-label')).to.equal(
      'Theme: dark',
    );
  });

  it('follows the theme attribute until the user picks one', async () => {
    const el = await mount({ theme: 'dark' });
    expect(scheme(el).colorScheme).to.equal('dark');
    el.theme = 'light';
    await el.updateComplete;
    expect(scheme(el).colorScheme).to.equal('light');
  });

  it('is themed by the page through custom properties and ::part, and nothing leaks out', async () => {
    const style = document.createElement('style');
    style.textContent = `
      ephemeral-chat { --ec-accent: rgb(1, 2, 3); }
      ephemeral-chat::part(submit-button) { text-transform: uppercase; }
      button { letter-spacing: 7px; }`;
    document.head.append(style);
    try {
      const el = await mount({ theme: 'light' });
      const submit = await waitFor(() => deep(el, '[part="submit-button"]'), 'the form');
      expect(getComputedStyle(submit).backgroundColor).to.equal('rgb(1, 2, 3)');
      expect(getComputedStyle(submit).textTransform).to.equal('uppercase');
      expect(getComputedStyle(submit).letterSpacing).to.not.equal('7px');
      const outside = document.body.appendChild(document.createElement('button'));
      expect(getComputedStyle(outside).borderRadius).to.equal('0px');
      outside.remove();
    } finally {
      style.remove();
    }
  });
});
