import { type Client, createClient } from '@ephemeral-chat/sdk';
import type { EphemeralChat } from '../dist/lib/index.js';
import '../dist/lib/index.js';

/** The real chat server started by the test runner (see chat-server.mjs). */
export const chatUrl = (window as unknown as { __CHAT_URL__: string }).__CHAT_URL__;

export const PASSWORD = 'a long and unusual passphrase';

let counter = 0;

/** A fresh legal username (`[A-Za-z0-9_]`, at most 32). */
export function uniqueName(prefix: string): string {
  const tail = `${Date.now().toString(36)}${(counter++).toString(36)}`;
  return `${prefix}_${tail}`.slice(0, 32);
}

/** Polls `check` until it returns something truthy; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T,
  what: string,
  timeoutMs = 5000,
): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every element matching `selector` in `root` and in every shadow root below it. */
export function deepAll<E extends Element = HTMLElement>(root: ParentNode, selector: string): E[] {
  const out = [...root.querySelectorAll<E>(selector)];
  for (const el of root.querySelectorAll('*')) {
    if (el.shadowRoot) out.push(...deepAll<E>(el.shadowRoot, selector));
  }
  return out;
}

export function deep<E extends Element = HTMLElement>(
  el: EphemeralChat,
  selector: string,
): E | undefined {
  return deepAll<E>(el.shadowRoot as ShadowRoot, selector)[0];
}

/** The focused element, through shadow roots. */
export function deepActive(): Element | null {
  let a = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
}

/** Adds an `<ephemeral-chat>` for the test server (plus `attributes`) and waits for it to settle. */
export async function mount(attributes: Record<string, string> = {}): Promise<EphemeralChat> {
  const el = document.createElement('ephemeral-chat');
  el.setAttribute('server', chatUrl);
  for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, v);
  document.body.append(el);
  await el.updateComplete;
  return el;
}

/** Removes every widget (signing out first where asked) and forgets stored preferences. */
export async function unmountAll({ logout = true } = {}): Promise<void> {
  for (const el of document.querySelectorAll('ephemeral-chat')) {
    if (logout) await el.logout().catch(() => {});
    el.remove();
  }
  localStorage.clear();
}

/** Fills and submits the widget's form: registers (or signs in) through the UI. */
export async function signInThroughForm(
  el: EphemeralChat,
  username: string,
  mode: 'register' | 'login' = 'register',
  password = PASSWORD,
): Promise<void> {
  const form = await waitFor(
    () => deep<HTMLFormElement>(el, 'form[part="login-form"]'),
    'the login form',
  );
  const toggle = deep<HTMLButtonElement>(el, '[part="mode-toggle"]');
  const registering = deep(el, '#password')?.getAttribute('autocomplete') === 'new-password';
  if (registering !== (mode === 'register')) toggle?.click();
  await deep<HTMLElement & { updateComplete: Promise<unknown> }>(el, 'ec-login-view')
    ?.updateComplete;
  (deep<HTMLInputElement>(el, '#username') as HTMLInputElement).value = username;
  (deep<HTMLInputElement>(el, '#password') as HTMLInputElement).value = password;
  form.requestSubmit();
}

/** Registers through the widget's form and waits until the signed-in view is there. */
export async function signUp(el: EphemeralChat, username = uniqueName('me')): Promise<string> {
  await signInThroughForm(el, username, 'register');
  await waitFor(() => deep(el, '[part="search-input"]'), 'the signed-in view');
  return username;
}

/**
 * Another user, signed in through the SDK with a bearer token: a second widget would share this
 * page's cookie jar, and so the widget's session.
 */
export async function peer(name = uniqueName('peer')): Promise<{ client: Client; name: string }> {
  const client = createClient({ url: chatUrl });
  await client.register({ username: name, password: PASSWORD });
  await client.connect();
  return { client, name };
}

/** Searches for `name` in the widget and opens the chat with them. */
export async function openChat(el: EphemeralChat, name: string): Promise<void> {
  const input = await waitFor(
    () => deep<HTMLInputElement>(el, '[part="search-input"]'),
    'search box',
  );
  input.value = name;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  const result = await waitFor(
    () =>
      deepAll<HTMLButtonElement>(el.shadowRoot as ShadowRoot, '[part="user"]').find((b) =>
        b.textContent?.includes(name),
      ),
    `search result ${name}`,
  );
  result.click();
  await waitFor(() => deep(el, '[part="composer-input"]'), 'the chat view');
}

/** Types `text` into the composer and sends it with Enter. */
export async function send(el: EphemeralChat, text: string): Promise<void> {
  const input = deep<HTMLTextAreaElement>(el, '[part="composer-input"]') as HTMLTextAreaElement;
  input.value = text;
  input.dispatchEvent(
    new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }),
  );
}

/** The texts of the bubbles shown, in order. */
export function bubbleTexts(el: EphemeralChat): string[] {
  return deepAll(el.shadowRoot as ShadowRoot, '[part="bubble-text"]').map(
    (p) => p.textContent ?? '',
  );
}

/** Resolves with the detail of the next `type` event from `el`. */
export function nextEvent<K extends keyof HTMLElementEventMap>(
  el: EventTarget,
  type: K,
): Promise<HTMLElementEventMap[K]> {
  return new Promise((resolve) =>
    el.addEventListener(type, (e) => resolve(e as HTMLElementEventMap[K]), { once: true }),
  );
}
