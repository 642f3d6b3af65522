/**
 * What survives a reload of the tab, in sessionStorage (this tab only, gone when it closes): the
 * user's unsent drafts per chat and the chat that was open. Never anyone else's text. Keys carry
 * the user's id, and signing out forgets them all. Storage can be blocked (third-party contexts,
 * private modes): then they last for the page only.
 */
const PREFIX = 'ephemeral-chat:draft:';
const OPEN = 'ephemeral-chat:open';

/** Which chat was open: a 1:1 chat by the peer's username, a group by its room. */
export type OpenChat = { username: string } | { room: string };

function store(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined;
  }
}

function set(key: string, value: string | undefined): void {
  try {
    if (value) store()?.setItem(key, value);
    else store()?.removeItem(key);
  } catch {
    // full or blocked: the draft lasts for this page only
  }
}

export function loadDraft(user: string, room: string): string {
  return store()?.getItem(`${PREFIX}${user}:${room}`) ?? '';
}

/** Keeps `text` as the draft of `room` (an empty text removes it). */
export function saveDraft(user: string, room: string, text: string): void {
  set(`${PREFIX}${user}:${room}`, text);
}

export function saveOpenChat(user: string, chat: OpenChat | undefined): void {
  set(OPEN, chat ? JSON.stringify({ user, ...chat }) : undefined);
}

/** The chat `user` had open when the tab was reloaded, if any. */
export function loadOpenChat(user: string): OpenChat | undefined {
  try {
    const v: unknown = JSON.parse(store()?.getItem(OPEN) ?? 'null');
    if (!v || typeof v !== 'object' || (v as { user?: unknown }).user !== user) return undefined;
    const { username, room } = v as { username?: unknown; room?: unknown };
    if (typeof room === 'string') return { room };
    if (typeof username === 'string') return { username };
  } catch {
    // unreadable: nothing to reopen
  }
  return undefined;
}

/** Signing out: no draft or open chat of this user stays in the tab. */
export function forgetAll(): void {
  const s = store();
  if (!s) return;
  try {
    for (const key of Object.keys(s)) {
      if (key.startsWith(PREFIX) || key === OPEN) s.removeItem(key);
    }
  } catch {
    // blocked: nothing was stored
  }
}
