import { describe, expect, it } from 'vitest';
import {
  authResponseSchema,
  clientFrameSchema,
  clientMsgIdSchema,
  codePointLength,
  errorBodySchema,
  errorFrameSchema,
  historyFrameSchema,
  limits,
  loginRequestSchema,
  messageSchema,
  messageTextSchema,
  passwordSchema,
  presenceFrameSchema,
  registerRequestSchema,
  roomIdSchema,
  searchQuerySchema,
  searchResponseSchema,
  sendFrameSchema,
  serverFrameSchema,
  ttlSchema,
  usernameSchema,
} from './index.js';

const emoji = '😀'; // one code point, two UTF-16 units
const alice = '0b6c2f1e-5d0a-4c1e-9a53-2f7d8e1b4c10';
const bob = '7f3e9a42-1c8b-4d6e-b2a1-9e0c5d4f3a21';
const room = `dm:${alice}:${bob}`;
const message = {
  room,
  seq: 1,
  from: alice,
  text: 'hi',
  clientMsgId: 'm1',
  createdAt: 1_000,
  ttl: 10_000,
  expiresAt: 11_000,
};
const ok = (schema: { safeParse(v: unknown): { success: boolean } }, value: unknown) =>
  schema.safeParse(value).success;

describe('codePointLength', () => {
  it('counts an astral character as one', () => {
    expect(codePointLength(`a${emoji}é`)).toBe(3);
    expect(emoji.length).toBe(2);
  });
});

describe('usernameSchema', () => {
  it('accepts 3 and 32 characters and refuses 2 and 33', () => {
    expect(ok(usernameSchema, 'abc')).toBe(true);
    expect(ok(usernameSchema, 'a'.repeat(32))).toBe(true);
    expect(ok(usernameSchema, 'ab')).toBe(false);
    expect(ok(usernameSchema, 'a'.repeat(33))).toBe(false);
  });

  it.each(['al ice', 'al-ice', 'álice', 'alice!', 'al.ice', 'alice\n', ''])(
    'refuses %j: only letters A–Z, digits and underscores',
    (name) => {
      expect(ok(usernameSchema, name)).toBe(false);
    },
  );

  it('keeps the case the user chose', () => {
    expect(usernameSchema.parse('Bob_42')).toBe('Bob_42');
  });
});

describe('passwordSchema', () => {
  it('counts code points: 8 emoji pass, 7 emoji (14 UTF-16 units) fail', () => {
    expect(ok(passwordSchema, emoji.repeat(8))).toBe(true);
    expect(ok(passwordSchema, emoji.repeat(7))).toBe(false);
  });

  it('refuses 7 characters and accepts 8', () => {
    expect(ok(passwordSchema, 'a'.repeat(7))).toBe(false);
    expect(ok(passwordSchema, 'a'.repeat(8))).toBe(true);
  });

  it('allows 64 characters and more, up to 256', () => {
    expect(ok(passwordSchema, 'a'.repeat(64))).toBe(true);
    expect(ok(passwordSchema, 'a'.repeat(100))).toBe(true);
    expect(ok(passwordSchema, 'a'.repeat(256))).toBe(true);
    expect(ok(passwordSchema, emoji.repeat(256))).toBe(true);
  });

  it('refuses more than 256 code points', () => {
    expect(ok(passwordSchema, 'a'.repeat(257))).toBe(false);
    expect(ok(passwordSchema, emoji.repeat(257))).toBe(false);
  });

  it('allows any Unicode, spaces included', () => {
    expect(ok(passwordSchema, 'пароль с пробелами')).toBe(true);
  });
});

describe('ttlSchema', () => {
  it('accepts the bounds 10 s and 24 h', () => {
    expect(ok(ttlSchema, 10_000)).toBe(true);
    expect(ok(ttlSchema, 86_400_000)).toBe(true);
  });

  it.each([9_999, 86_400_001, 0, -10_000])('refuses %i ms, out of bounds', (ttl) => {
    expect(ok(ttlSchema, ttl)).toBe(false);
  });

  it.each([10_000.5, Number.NaN, Number.POSITIVE_INFINITY, '60000'])(
    'refuses %s: not a whole number of milliseconds',
    (ttl) => {
      expect(ok(ttlSchema, ttl)).toBe(false);
    },
  );
});

describe('messageTextSchema', () => {
  it.each(['', ' ', '\n\t '])('refuses the empty or blank text %j', (text) => {
    expect(ok(messageTextSchema, text)).toBe(false);
  });

  it('accepts 4,000 code points, emoji included', () => {
    expect(ok(messageTextSchema, 'a'.repeat(limits.messageMaxLength))).toBe(true);
    expect(ok(messageTextSchema, emoji.repeat(limits.messageMaxLength))).toBe(true);
  });

  it('refuses 4,001 code points with too_big, which the server answers as message_too_long', () => {
    for (const text of ['a'.repeat(4001), emoji.repeat(4001), 'a'.repeat(20_000)]) {
      const issues = messageTextSchema.safeParse(text).error?.issues ?? [];
      expect(issues.map((i) => i.code)).toEqual(['too_big']);
    }
  });
});

describe('ids', () => {
  it('accepts client message ids of 1–64 of A–Z a–z 0–9 _ -', () => {
    expect(ok(clientMsgIdSchema, 'm-1_A')).toBe(true);
    expect(ok(clientMsgIdSchema, 'x'.repeat(64))).toBe(true);
    expect(ok(clientMsgIdSchema, 'x'.repeat(65))).toBe(false);
    expect(ok(clientMsgIdSchema, '')).toBe(false);
    expect(ok(clientMsgIdSchema, 'a b')).toBe(false);
  });

  it('accepts only dm:<id>:<id> room ids', () => {
    expect(ok(roomIdSchema, room)).toBe(true);
    expect(ok(roomIdSchema, 'general')).toBe(false);
    expect(ok(roomIdSchema, `dm:${alice}`)).toBe(false);
    expect(ok(roomIdSchema, `dm:${alice}:${bob}:x`)).toBe(false);
  });
});

describe('HTTP bodies', () => {
  const credentials = { username: 'alice', password: 'correct horse' };

  it('accepts register and login bodies with an optional cookie flag', () => {
    expect(ok(registerRequestSchema, credentials)).toBe(true);
    expect(ok(registerRequestSchema, { ...credentials, cookie: true })).toBe(true);
    expect(ok(loginRequestSchema, { ...credentials, cookie: false })).toBe(true);
  });

  it('lets login through with a short password but not an empty one', () => {
    expect(ok(loginRequestSchema, { username: 'alice', password: 'x' })).toBe(true);
    expect(ok(loginRequestSchema, { username: 'alice', password: '' })).toBe(false);
    expect(ok(registerRequestSchema, { username: 'alice', password: 'x' })).toBe(false);
  });

  it('leaves token out of an auth response for cookie sessions', () => {
    const user = { id: alice, username: 'alice' };
    expect(ok(authResponseSchema, { user, expiresAt: 1 })).toBe(true);
    expect(ok(authResponseSchema, { user, token: 't', expiresAt: 1 })).toBe(true);
  });

  it('caps search queries at 32 username characters and results at 20', () => {
    expect(ok(searchQuerySchema, { q: 'a' })).toBe(true);
    expect(ok(searchQuerySchema, { q: '' })).toBe(false);
    expect(ok(searchQuerySchema, { q: 'a'.repeat(33) })).toBe(false);
    expect(ok(searchQuerySchema, { q: 'a%' })).toBe(false);
    const user = { id: alice, username: 'alice', online: true };
    expect(ok(searchResponseSchema, { users: Array(20).fill(user) })).toBe(true);
    expect(ok(searchResponseSchema, { users: Array(21).fill(user) })).toBe(false);
  });

  it('refuses an error body with an unknown code or a negative retryAfter', () => {
    const limited = { error: { code: 'rate_limited', message: 'm', retryAfter: 3 } };
    expect(ok(errorBodySchema, limited)).toBe(true);
    expect(ok(errorBodySchema, { error: { code: 'teapot', message: 'm' } })).toBe(false);
    const negative = { error: { code: 'rate_limited', message: 'm', retryAfter: -1 } };
    expect(ok(errorBodySchema, negative)).toBe(false);
  });
});

describe('strict objects', () => {
  it.each([
    [
      'registerRequestSchema',
      registerRequestSchema,
      { username: 'alice', password: 'password1', email: 'a@b' },
    ],
    [
      'loginRequestSchema',
      loginRequestSchema,
      { username: 'alice', password: 'p', remember: true },
    ],
    ['searchQuerySchema', searchQuerySchema, { q: 'al', limit: '5' }],
    [
      'searchResponseSchema',
      searchResponseSchema,
      { users: [{ id: alice, username: 'alice', online: true, admin: true }] },
    ],
    ['errorBodySchema', errorBodySchema, { error: { code: 'internal', message: 'm', stack: 'x' } }],
    ['messageSchema', messageSchema, { ...message, edited: false }],
    ['clientFrameSchema', clientFrameSchema, { type: 'ping', id: 1, extra: 1 }],
    ['serverFrameSchema', serverFrameSchema, { type: 'pong', id: 1, serverTime: 1, extra: 1 }],
  ] as const)('%s rejects an extra field', (_name, schema, value) => {
    expect(ok(schema, value)).toBe(false);
  });
});

describe('client frames', () => {
  it('rejects an unknown or missing type', () => {
    expect(ok(clientFrameSchema, { type: 'subscribe', id: 1 })).toBe(false);
    expect(ok(clientFrameSchema, { id: 1 })).toBe(false);
  });

  it('sends with the default TTL when ttl is left out, and refuses a TTL out of bounds', () => {
    const send = { type: 'send', id: 1, room, text: 'hi', clientMsgId: 'm1' };
    expect(sendFrameSchema.parse(send).ttl).toBeUndefined();
    expect(ok(sendFrameSchema, { ...send, ttl: 9_999 })).toBe(false);
    expect(ok(clientFrameSchema, { ...send, ttl: 60_000 })).toBe(true);
  });

  it('keeps request ids within [0, 2^31 − 1]', () => {
    expect(ok(clientFrameSchema, { type: 'ping', id: 0 })).toBe(true);
    expect(ok(clientFrameSchema, { type: 'ping', id: 2 ** 31 - 1 })).toBe(true);
    expect(ok(clientFrameSchema, { type: 'ping', id: 2 ** 31 })).toBe(false);
    expect(ok(clientFrameSchema, { type: 'ping', id: -1 })).toBe(false);
    expect(ok(clientFrameSchema, { type: 'ping', id: 1.5 })).toBe(false);
  });

  it('pages history by 1–100 messages', () => {
    const history = { type: 'history', id: 1, room };
    expect(ok(historyFrameSchema, history)).toBe(true);
    expect(ok(historyFrameSchema, { ...history, limit: 100 })).toBe(true);
    expect(ok(historyFrameSchema, { ...history, limit: 101 })).toBe(false);
    expect(ok(historyFrameSchema, { ...history, limit: 0 })).toBe(false);
  });

  it('watches the presence of at most 200 users', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `user-${i}`);
    expect(ok(presenceFrameSchema, { type: 'presence', id: 1, userIds: ids(200) })).toBe(true);
    expect(ok(presenceFrameSchema, { type: 'presence', id: 1, userIds: ids(201) })).toBe(false);
  });

  it('sends typing without a request id', () => {
    expect(ok(clientFrameSchema, { type: 'typing', room, typing: true })).toBe(true);
    expect(ok(clientFrameSchema, { type: 'typing', id: 1, room, typing: true })).toBe(false);
  });
});

describe('server frames', () => {
  it('sends an error for an unreadable frame without an id', () => {
    const error = { code: 'invalid_json', message: 'The frame is not valid JSON.' };
    expect(ok(errorFrameSchema, { type: 'error', error })).toBe(true);
    expect(ok(serverFrameSchema, { type: 'error', id: 7, error })).toBe(true);
  });

  it('carries whole messages in acks and events', () => {
    expect(ok(serverFrameSchema, { type: 'ack', id: 1, message })).toBe(true);
    expect(ok(serverFrameSchema, { type: 'message', message })).toBe(true);
    expect(ok(serverFrameSchema, { type: 'message', message: { ...message, ttl: 5 } })).toBe(false);
  });
});
