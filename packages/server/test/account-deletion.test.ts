import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerFrame } from '@ephemeral-chat/protocol';
import {
  deleteKeys,
  goodPassword,
  rawRedis,
  registerUser,
  startTestServer,
  type TestServer,
  TestSocket,
  type TestUser,
  uniquePrefix,
} from '@ephemeral-chat/testkit';
import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupReply } from './helpers/groups.js';

// Deletion on request, on both engines: the account, sessions, group memberships, blocks and
// every message it sent are gone at once; the others hear `unsent` (no text) and `left`; then a
// scan of Redis under the test prefix and of every SQL table finds no trace of the user's id,
// username or text. Reports the user filed stay, without their id.

interface Person {
  user: TestUser;
  s: TestSocket;
}

/** Every value Redis holds under the prefix, with the key names, as one text to search. */
async function redisDump(prefix: string): Promise<string> {
  const redis = rawRedis();
  try {
    const keys = await redis.keys(`${prefix}*`);
    const parts: string[] = [];
    for (const key of keys) {
      const type = await redis.type(key);
      let value: unknown;
      if (type === 'string') value = await redis.get(key);
      else if (type === 'hash') value = await redis.hgetall(key);
      else if (type === 'zset') value = await redis.zrange(key, '0', '-1', 'WITHSCORES');
      else if (type === 'set') value = await redis.smembers(key);
      else if (type === 'list') value = await redis.lrange(key, '0', '-1');
      parts.push(`${key} => ${JSON.stringify(value)}`);
    }
    return parts.join('\n');
  } finally {
    redis.disconnect();
  }
}

/** Every row of every table of the SQLite database, as one text to search. */
function sqlDump(file: string): string {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const tables = db.prepare("select name from sqlite_master where type = 'table'").all() as {
      name: string;
    }[];
    return tables
      .map((t) => `${t.name}: ${JSON.stringify(db.prepare(`select * from "${t.name}"`).all())}`)
      .join('\n');
  } finally {
    db.close();
  }
}

describe.each([
  { name: 'MemoryEngine', redis: false },
  { name: 'RedisEngine', redis: true },
])('account deletion with $name', ({ redis }) => {
  let server: TestServer;
  let dataDir: string;
  const prefix = uniquePrefix();
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ec-deletion-'));
    server = await startTestServer({
      redis,
      env: { DATA_DIR: dataDir, REDIS_KEY_PREFIX: prefix, WS_FRAME_BURST: '1000' },
    });
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await server.close();
    await deleteKeys(prefix);
    await rm(dataDir, { recursive: true, force: true });
  });

  async function person(base: string): Promise<Person> {
    const user = await registerUser(server, base);
    const s = await TestSocket.authed(server.url, user.token);
    sockets.push(s);
    return { user, s };
  }

  async function send(p: Person, room: string, text: string) {
    const reply = await p.s.request({ type: 'send', room, text, clientMsgId: randomUUID() });
    if (reply.type !== 'ack') throw new Error(`expected ack, got ${JSON.stringify(reply)}`);
    return reply.message;
  }

  const deleteAccount = (p: Person, password: string) =>
    server.api('/api/account/delete', { token: p.user.token, body: { password } });

  it('refuses a wrong password and deletes nothing', async () => {
    const a = await person('keep');
    const res = await deleteAccount(a, 'not the right password');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_credentials');
    expect((await server.api('/api/me', { token: a.user.token })).status).toBe(200);
    expect((await a.s.request({ type: 'ping' })).type).toBe('pong');
  });

  it('requires a session and a valid body', async () => {
    const a = await person('body');
    expect((await server.api('/api/account/delete', { body: { password: 'x' } })).status).toBe(401);
    const bad = await server.api('/api/account/delete', { token: a.user.token, body: { pw: 1 } });
    expect(bad.body.error.code).toBe('validation_failed');
  });

  it('deletes the account and everything of it at once, leaving no trace in Redis or SQL', async () => {
    const [alice, bob, carol] = [await person('gone'), await person('peer'), await person('third')];
    const secret = (label: string) => `${label} ${randomUUID()}`;
    const dm = await alice.s.request({ type: 'open', username: bob.user.username });
    if (dm.type !== 'opened') throw new Error(JSON.stringify(dm));
    const [t1, t2, t3, t4] = [
      secret('from alice'),
      secret('to alice'),
      secret('alice in group'),
      secret('carol in group'),
    ];
    const m1 = await send(alice, dm.room, t1);
    const m2 = await send(bob, dm.room, t2);
    const group = await groupReply(alice.s, {
      type: 'group.create',
      name: 'club',
      usernames: [bob.user.username, carol.user.username],
    });
    const m3 = await send(alice, group.room, t3);
    const m4 = await send(carol, group.room, t4);
    await carol.s.next((f) => f.type === 'message' && f.message.seq === m3.seq);
    // Blocks both ways, and a report alice filed (it stays, without her id).
    expect((await alice.s.request({ type: 'block', userId: carol.user.id })).type).toBe('blocked');
    const reported = await alice.s.request({
      type: 'report',
      room: group.room,
      seq: m4.seq,
      reason: 'spam',
    });
    expect(reported.type, JSON.stringify(reported)).toBe('reported');

    const res = await deleteAccount(alice, goodPassword);
    expect(res.status).toBe(204);

    expect((await alice.s.closed).reason).toBe('deleted');
    const unsent = (room: string, seq: number) => (f: ServerFrame) =>
      f.type === 'unsent' && f.room === room && f.seq === seq;
    for (const m of [m1, m2]) await bob.s.next(unsent(dm.room, m.seq));
    for (const p of [bob, carol]) {
      await p.s.next(unsent(group.room, m3.seq));
      await p.s.next(
        (f) => f.type === 'group.changed' && f.room === group.room && f.change.kind === 'left',
      );
    }
    // Nothing of alice is served any more; carol's message stays.
    const history = await carol.s.request({ type: 'history', room: group.room });
    if (history.type !== 'history') throw new Error(JSON.stringify(history));
    expect(history.messages.map((m) => m.text)).toEqual([t4]);
    // The 1:1 room went with alice (every node forgot her): it serves and takes nothing.
    const bobDm = await bob.s.request({ type: 'history', room: dm.room });
    expect(bobDm).toMatchObject({ type: 'error', error: { code: 'forbidden' } });
    const traces = [
      alice.user.id,
      alice.user.username,
      alice.user.username.toLowerCase(),
      t1,
      t2,
      t3,
    ];
    const sql = sqlDump(join(dataDir, 'ephemeral-chat.db'));
    expect(sql).toContain(t4); // the report of carol's message, and the scan sees the tables
    for (const trace of traces) expect(sql, `SQL still holds ${trace}`).not.toContain(trace);
    if (redis) {
      const dump = await redisDump(prefix);
      expect(dump).toContain(carol.user.id);
      const lines = dump.split('\n');
      for (const trace of traces)
        expect(
          lines.filter((l) => l.includes(trace)),
          `Redis still holds ${trace}`,
        ).toEqual([]);
    }
    // Afterwards (a failed sign-in leaves throttle counters for the name, as for any name).
    const login = await server.api('/api/login', {
      body: { username: alice.user.username, password: goodPassword },
    });
    expect(login.body.error.code).toBe('invalid_credentials');
    expect((await server.api('/api/me', { token: alice.user.token })).status).toBe(401);
  });

  it('allows 5 password attempts per 15 minutes, then answers rate_limited', async () => {
    const a = await person('guess');
    for (let i = 0; i < 5; i++) {
      expect((await deleteAccount(a, `wrong guess ${i}`)).body.error.code).toBe(
        'invalid_credentials',
      );
    }
    const limited = await deleteAccount(a, goodPassword);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect((await server.api('/api/me', { token: a.user.token })).status).toBe(200);
  });

  it('survives fuzzed deletion bodies, deleting nothing', async () => {
    const a = await person('fuzz');
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 40 })),
        async (body) => {
          const res = await server.api('/api/account/delete', {
            method: 'POST',
            token: a.user.token,
            body: typeof body === 'string' ? body : JSON.stringify(body),
          });
          const codes = [
            'validation_failed',
            'invalid_json',
            'invalid_credentials',
            'rate_limited',
          ];
          expect(codes, JSON.stringify(res.body)).toContain(res.body?.error?.code);
        },
      ),
      { numRuns: 60 },
    );
    expect((await server.api('/api/me', { token: a.user.token })).status).toBe(200);
  });

  it('lets two deletions of one account race: one answers 204, nothing is left', async () => {
    const a = await person('twice');
    const [r1, r2] = await Promise.all([
      deleteAccount(a, goodPassword),
      deleteAccount(a, goodPassword),
    ]);
    expect([r1.status, r2.status]).toContain(204);
    for (const r of [r1, r2]) expect([204, 401, 403]).toContain(r.status);
    const sql = sqlDump(join(dataDir, 'ephemeral-chat.db'));
    expect(sql).not.toContain(a.user.id);
  });
});
