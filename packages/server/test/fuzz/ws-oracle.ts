import { clientFrameSchema, closeCodes, errorCodes, limits } from '@ephemeral-chat/protocol';
import type { FuzzUser, WsView } from './ws-world.js';

/** What the protocol document says the server answers to one frame on one socket. */
export interface Expectation {
  /** The id the reply or error echoes; undefined: an error without id (or nothing). */
  id: number | undefined;
  /** Reply types that are the documented success. */
  ok: readonly string[];
  /** Error codes that are a documented answer. */
  errors: readonly string[];
  /** Success is silence (typing). */
  silentOk: boolean;
  /** Close codes that are a documented answer (instead of, or after, the reply). */
  closes: readonly number[];
  /** The socket must close (strike limit, rejected token, a frame too big to read). */
  mustClose: boolean;
  /** A frame that cannot be read: counts toward the strike limit. */
  strike: boolean;
  /** The socket's state may change after it (or whether it strikes is not settled): end the batch. */
  terminal: boolean;
  authAs?: FuzzUser;
  /** What makes this frame special, for the failure class (e.g. `reversed room`). */
  note?: string;
}

export interface SocketState {
  user: FuzzUser | undefined;
  view: WsView;
  readonly users: readonly FuzzUser[];
}

/** Codes this suite knows; a code added to the protocol later is accepted as documented. */
const KNOWN = new Set([
  'invalid_json',
  'validation_failed',
  'weak_password',
  'auth_required',
  'session_invalid',
  'invalid_credentials',
  'origin_not_allowed',
  'forbidden',
  'not_found',
  'user_not_found',
  'method_not_allowed',
  'username_taken',
  'payload_too_large',
  'unsupported_media_type',
  'message_too_long',
  'rate_limited',
  'unknown_type',
  'unavailable',
  'internal',
  // Issue 16: only where a block applies (listing it everywhere would let an id-less `blocked`
  // from a typing be matched to another id-less frame).
  'blocked',
]);
const newCodes = Object.keys(errorCodes).filter((c) => !KNOWN.has(c));
const always = ['rate_limited', ...newCodes];
const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Whitespace and zero-width characters only: an empty message (issue 12, item 11). */
const invisible = /^(?:\s|\u200b|\u200c|\u200d|\u2060|\ufeff)*$/;
const replyOf: Record<string, string> = {
  auth: 'welcome',
  open: 'opened',
  send: 'ack',
  history: 'history',
  resume: 'resumed',
  presence: 'presence',
  read: 'read',
  settings: 'settings',
  unsend: 'unsent',
  chats: 'chats',
  ping: 'pong',
  'group.create': 'group',
  'group.add': 'group',
  'group.remove': 'group',
  'group.leave': 'group.left',
  'group.rename': 'group',
  'group.admin': 'group',
  'group.get': 'group',
  'group.open': 'group.opened',
  groups: 'groups',
  block: 'blocked',
  unblock: 'unblocked',
  blocks: 'blocks',
  report: 'reported',
};
/** What the group rules may refuse (the fuzzer keeps no model of which groups exist). */
const groupRefusals = [
  'forbidden',
  'not_admin',
  'not_found',
  'user_not_found',
  'group_full',
  'too_many_groups',
  'validation_failed',
];

const base: Expectation = {
  id: undefined,
  ok: [],
  errors: [],
  silentOk: false,
  closes: [],
  mustClose: false,
  strike: false,
  terminal: false,
};

export function expectFor(
  data: Uint8Array,
  binary: boolean,
  s: SocketState,
  documentedCloses: ReadonlySet<number>,
): Expectation {
  const max = limits.wsFrameMaxBytes;
  if (data.byteLength > 4 * max) {
    const closes = [1006, 1009].filter((c) => documentedCloses.has(c));
    return {
      ...base,
      closes,
      mustClose: true,
      terminal: true,
      strike: true,
      note: 'over 4x the limit',
    };
  }
  const bad = (errors: string[], id?: number): Expectation => ({
    ...base,
    id,
    errors,
    strike: true,
  });
  if (data.byteLength > max) return { ...bad(['payload_too_large']), note: 'oversize' };
  if (binary) return bad(['invalid_json', 'validation_failed']);
  let raw: unknown;
  try {
    raw = JSON.parse(utf8.decode(data));
  } catch (err) {
    if (err instanceof SyntaxError) return bad(['invalid_json']);
    // Not UTF-8: RFC 6455 §8.1 fails the connection — with 1007, or, where the document says the
    // WebSocket layer drops it without a close frame (uWebSockets.js does), 1006.
    const closes = [1006, 1007].filter((c) => documentedCloses.has(c));
    return { ...bad(['invalid_json']), closes, terminal: true, note: 'invalid UTF-8' };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return bad(['validation_failed', 'invalid_json']);
  const rec = raw as Record<string, unknown>;
  const id =
    Number.isSafeInteger(rec.id) && (rec.id as number) >= 0 ? (rec.id as number) + 0 : undefined;
  if (
    typeof rec.type !== 'string' ||
    (!Object.hasOwn(replyOf, rec.type) && rec.type !== 'typing' && rec.type !== 'delivered')
  ) {
    return bad(['unknown_type', 'validation_failed'], id);
  }
  const parsed = clientFrameSchema.safeParse(raw);
  if (!parsed.success) return bad(['validation_failed', 'message_too_long'], id);
  const f = parsed.data;
  const fid = 'id' in f ? f.id : undefined;
  const answer = (
    ok: string[],
    errors: string[],
    more: Partial<Expectation> = {},
  ): Expectation => ({
    ...base,
    id: fid,
    ok,
    errors: [...errors, ...always],
    ...more,
  });
  if (f.type === 'ping') return answer(['pong'], []);
  if (!s.user) {
    if (f.type !== 'auth') return answer([], ['auth_required']);
    const user = s.users.find((u) => u.token === f.token);
    if (user) return answer(['welcome'], [], { authAs: user, terminal: true });
    return answer([], ['session_invalid'], {
      closes: [closeCodes.session_invalid.code],
      mustClose: true,
      terminal: true,
    });
  }
  const v = s.view;
  switch (f.type) {
    case 'auth':
      return answer([], ['validation_failed']);
    case 'open': {
      const name = f.username.toLowerCase();
      if (name === v.self.username.toLowerCase()) return answer([], ['validation_failed']);
      if (name === v.peer.username.toLowerCase())
        return answer(
          ['opened'],
          f.username === v.peer.username ? ['blocked'] : ['user_not_found', 'blocked'],
        );
      return answer([], ['user_not_found']);
    }
    case 'presence':
    case 'chats':
      return answer([replyOf[f.type] ?? ''], []);
    case 'group.create':
    case 'group.add':
    case 'group.remove':
    case 'group.leave':
    case 'group.rename':
    case 'group.admin':
    case 'group.get':
    case 'group.open':
    case 'groups':
      return answer([replyOf[f.type] ?? ''], groupRefusals);
    case 'block':
    case 'unblock': {
      if (f.userId === v.self.id) return answer([], ['validation_failed']);
      // Unblocking anyone is idempotent; blocking needs a user that exists.
      const known = f.type === 'unblock' || s.users.some((u) => u.id === f.userId);
      return answer([replyOf[f.type] ?? ''], known ? [] : ['user_not_found']);
    }
    case 'blocks':
      return answer(['blocks'], []);
    default: {
      const room = f.room;
      if (f.type === 'send' && invisible.test(f.text)) {
        const errors = ['validation_failed', 'message_too_long'];
        // Membership may be checked first: then `forbidden` is as documented.
        if (room !== v.ownRoom) errors.push('forbidden');
        else errors.push('blocked');
        // Refused; whether as a bad frame (a strike) or by the chat rules is the server's choice.
        return answer([], errors, {
          terminal: true,
          note: 'invisible-only text',
        });
      }
      const silentOk = f.type === 'typing' || f.type === 'delivered';
      const ok = silentOk ? [] : [replyOf[f.type] ?? ''];
      // A burn above the (chat's) ttl is refused by the chat rules.
      const burnRule =
        (f.type === 'send' && f.burn !== undefined) || f.type === 'settings'
          ? ['validation_failed']
          : [];
      // The fuzzer may have blocked the peer (or been blocked): send, typing, settings refused.
      const blockRule = ['send', 'typing', 'settings'].includes(f.type) ? ['blocked'] : [];
      // No model of which seqs are live or whose: an unsend may find none, or the peer's message.
      const unsendRule = f.type === 'unsend' ? ['not_found', 'forbidden'] : [];
      // No model of what is live either: a report may find it expired, a copy may not verify,
      // and it may name one's own message.
      const reportRule =
        f.type === 'report'
          ? ['message_expired', 'evidence_rejected', 'validation_failed', 'not_found']
          : [];
      if (room === v.ownRoom) {
        return answer(ok, [...burnRule, ...blockRule, ...unsendRule, ...reportRule], {
          silentOk,
        });
      }
      if (room === v.reversedRoom)
        return answer([], ['forbidden', 'validation_failed'], {
          terminal: true,
          note: 'reversed room id',
        });
      return answer([], ['forbidden'], {
        note: room === v.foreignRoom ? "others' room" : 'unknown room',
      });
    }
  }
}
