import { expect } from 'chai';
import type { EphemeralChat } from '../dist/lib/index.js';
import {
  bubbleTexts,
  deep,
  deepAll,
  mount,
  openChat,
  peer,
  signUp,
  unmountAll,
  waitFor,
} from './helpers.js';

const hostile = [
  '<img src=x onerror=alert(1)>',
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=1</script>',
  '"><svg onload="window.__xss=1">',
  '\'><iframe src="javascript:window.__xss=1"></iframe>',
  '<a href="javascript:window.__xss=1">click</a>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal `${…}` is the payload.
  '${window.__xss=1}',
  '{{constructor.constructor("window.__xss=1")()}}',
  '<!-- --><b onmouseover=window.__xss=1>x</b>',
];

type Probe = Window & { __xss?: number };

/**
 * No element that a payload could have created exists anywhere in the widget (its own icons are
 * `svg.icon`).
 */
function injected(el: EphemeralChat): Element[] {
  return deepAll(el.shadowRoot as ShadowRoot, 'img, script, svg:not(.icon), iframe, a, b');
}

describe('hostile input', () => {
  const alerts: unknown[] = [];
  const realAlert = window.alert;

  beforeEach(() => {
    alerts.length = 0;
    window.alert = (m?: unknown) => void alerts.push(m);
    delete (window as Probe).__xss;
  });

  afterEach(async () => {
    window.alert = realAlert;
    await unmountAll();
  });

  it('renders hostile message texts as text, in bubbles and in the chat list', async () => {
    const el = await mount();
    const me = await signUp(el);
    const bob = await peer();
    const chat = await bob.client.open(me);
    for (const text of hostile) await chat.send(text, { ttl: 60_000 });
    await waitFor(() => deep(el, '[part="chat-item"]'), 'the chat in the list');
    await waitFor(
      () => deep(el, '[part="chat-item"]')?.textContent?.includes(hostile.at(-1) as string),
      'the newest message in the list',
    );
    await openChat(el, bob.name);
    await waitFor(() => bubbleTexts(el).length === hostile.length, 'every bubble');
    expect(bubbleTexts(el)).to.deep.equal(hostile);
    await new Promise((r) => setTimeout(r, 200));
    expect(injected(el)).to.have.length(0);
    expect((window as Probe).__xss).to.equal(undefined);
    expect(alerts).to.deep.equal([]);
    bob.client.disconnect();
  });

  it('treats usernames like __proto__ and constructor as plain data', async () => {
    const el = await mount();
    const me = await signUp(el);
    const proto = await peer('__proto__');
    const ctor = await peer('constructor');
    await (await proto.client.open(me)).send('from proto', { ttl: 60_000 });
    await (await ctor.client.open(me)).send('from ctor', { ttl: 60_000 });
    const items = () => deepAll(el.shadowRoot as ShadowRoot, '[part="chat-item"]');
    await waitFor(() => items().length === 2, 'both chats');
    const names = items().map((i) => i.querySelector('.name')?.textContent);
    expect(names).to.have.members(['__proto__', 'constructor']);
    await waitFor(
      () => items().every((i) => i.querySelector('[part="unread-badge"]')?.textContent === '1'),
      'one unread each',
    );
    await openChat(el, '__proto__');
    expect(deep(el, '[part="peer-name"]')?.textContent).to.equal('__proto__');
    expect(bubbleTexts(el)).to.deep.equal(['from proto']);
    proto.client.disconnect();
    ctor.client.disconnect();
  });

  it('shows a hostile search query back only as text', async () => {
    const el = await mount();
    await signUp(el);
    const input = deep<HTMLInputElement>(el, '[part="search-input"]') as HTMLInputElement;
    input.value = '<img src=x onerror=alert(1)>';
    input.dispatchEvent(new InputEvent('input'));
    const error = await waitFor(() => deep(el, '[part="search-error"]'), 'the inline error');
    expect(error.textContent).to.contain('letters');
    expect(injected(el)).to.have.length(0);
    expect(alerts).to.deep.equal([]);
  });
});
