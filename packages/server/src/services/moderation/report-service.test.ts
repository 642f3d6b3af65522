import type { Group } from '@ephemeral-chat/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryEngine } from '../../engine/memory-engine.js';
import { AppError } from '../../errors/app-error.js';
import type { NewReport, ReportStore } from '../../stores/reports/report-store.js';
import { Commitment, EPOCH_MS } from './commitment.js';
import { ReportService } from './report-service.js';

// The report rules with the message store in memory and a clock the test moves: expiry by TTL,
// the evidence window, and what is stored.

const t0 = 1_780_000_000_000;
const room = 'dm:alice:bob';

function setup() {
  const clock = { now: t0 };
  const engine = new MemoryEngine({ now: () => clock.now });
  const commitment = new Commitment({
    secret: Buffer.alloc(32, 1),
    evidenceDays: 7,
    now: () => clock.now,
  });
  const stored: NewReport[] = [];
  const reports: ReportStore = {
    add: async (r) => {
      stored.push(r);
      return { reportId: `r${stored.length}`, created: true };
    },
    get: async () => undefined,
    list: async () => [],
    resolve: async () => undefined,
    forgetReporter: async () => {},
    purge: async () => 0,
  };
  const service = new ReportService({
    reports,
    messages: engine.messages,
    groups: {
      get: async (): Promise<Group> => {
        throw new AppError('forbidden', 'You are not a member of this group.');
      },
    },
    directory: { byId: async (id) => ({ id, username: id.toUpperCase() }) },
    commitment,
    retentionMs: 30 * EPOCH_MS,
    now: () => clock.now,
  });
  const send = async (text: string, ttl = 10_000) => {
    const base = { room, from: 'bob', clientMsgId: `c${clock.now}`, createdAt: clock.now, text };
    const mac = commitment.sign(base);
    const { message } = await engine.messages.append({
      room,
      members: ['alice', 'bob'],
      from: 'bob',
      text,
      ttl,
      clientMsgId: base.clientMsgId,
      now: clock.now,
      mac,
    });
    return { message, copy: { ...base, mac } };
  };
  return { clock, engine, service, stored, send };
}

let engines: MemoryEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.map((e) => e.close()));
  engines = [];
});

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof AppError ? e.code : String(e)),
  );

describe('ReportService', () => {
  it('copies a live message, with the sender username and the retention deadline', async () => {
    const { engine, service, stored, send } = setup();
    engines.push(engine);
    const { message } = await send('you are awful');
    await service.report('alice', { room, seq: message.seq, reason: 'harassment', text: 'hm' });
    expect(stored).toEqual([
      {
        reporterId: 'alice',
        reason: 'harassment',
        comment: 'hm',
        now: t0,
        expiresAt: t0 + 30 * EPOCH_MS,
        source: 'live',
        message: {
          room,
          seq: message.seq,
          from: 'bob',
          fromUsername: 'BOB',
          text: 'you are awful',
          clientMsgId: message.clientMsgId,
          createdAt: t0,
        },
      },
    ]);
  });

  it('after the TTL, takes only the genuine copy, and only within the evidence window', async () => {
    const { clock, engine, service, stored, send } = setup();
    engines.push(engine);
    const { message, copy } = await send('gone soon');
    clock.now += 60_000;
    const report = (c?: typeof copy) =>
      service.report('alice', { room, seq: message.seq, reason: 'spam', copy: c });
    expect(await code(report())).toBe('message_expired');
    expect(await code(report({ ...copy, text: 'something else' }))).toBe('evidence_rejected');
    expect(await code(report(copy))).toBe('ok');
    expect(stored.at(-1)).toMatchObject({ source: 'copy', message: { text: 'gone soon' } });
    clock.now = t0 + 8 * EPOCH_MS;
    expect(await code(report(copy))).toBe('evidence_rejected');
  });

  it('refuses outsiders, unknown rooms and your own message', async () => {
    const { engine, service, send } = setup();
    engines.push(engine);
    const { message } = await send('hi');
    const frame = { room, seq: message.seq, reason: 'spam' as const };
    expect(await code(service.report('carol', frame))).toBe('forbidden');
    const group = { ...frame, room: 'g:00000000-0000-4000-8000-000000000000' };
    expect(await code(service.report('alice', group))).toBe('forbidden');
    expect(await code(service.report('bob', frame))).toBe('validation_failed');
  });
});
