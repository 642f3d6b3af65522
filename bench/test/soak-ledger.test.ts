import { describe, expect, it } from 'vitest';
import { Ledger, type SendRecord } from '../src/soak/ledger.js';
import { RoomCursor } from '../src/soak/room-cursor.js';
import { keyOf, type WireMessage } from '../src/soak/wire.js';

const room = 'dm:a:b';

function send(ledger: Ledger, clientMsgId: string, from = 'a', to = 'b'): SendRecord {
  const r: SendRecord = {
    key: keyOf(from, clientMsgId),
    from,
    to,
    room,
    clientMsgId,
    outcome: 'pending',
  };
  ledger.sent(r);
  return r;
}

const msg = (clientMsgId: string, seq: number, expiresAt: number, from = 'a'): WireMessage => ({
  room,
  seq,
  from,
  clientMsgId,
  expiresAt,
});

describe('soak RoomCursor', () => {
  it('advances over consecutive seqs and reports a gap until it is filled', () => {
    const c = new RoomCursor();
    c.caughtUp(0, 10);
    c.see(11);
    c.see(13);
    expect(c.after).toBe(11);
    expect(c.hasGap).toBe(true);
    c.see(12);
    expect(c.after).toBe(13);
    expect(c.hasGap).toBe(false);
  });

  it('closes a gap once a catch-up asked after the highest seen seq completes', () => {
    const c = new RoomCursor();
    c.caughtUp(0, 10);
    c.see(14); // 11–13 expired: the resume returns nothing below 14
    c.caughtUp(14, 0);
    expect(c.after).toBe(14);
    expect(c.hasGap).toBe(false);
  });
});

describe('soak Ledger', () => {
  it('counts an acked, unexpired message the receiver never got as lost', () => {
    const l = new Ledger();
    const r = send(l, 'm1');
    l.acked(r, msg('m1', 1, 60_000), 1000);
    l.audit('b', room, 2000, 2100);
    expect(l.summary()).toMatchObject({ acknowledged: 1, lost: 1 });
  });

  it('does not count a message that expires before the catch-up (with its margin) or was acked after it was asked', () => {
    const l = new Ledger();
    const early = send(l, 'm1');
    l.acked(early, msg('m1', 1, 2500), 1000);
    const late = send(l, 'm2');
    l.acked(late, msg('m2', 2, 60_000), 3000);
    l.audit('b', room, 2000, 2100);
    expect(l.summary().lost).toBe(0);
  });

  it('forgives a flagged message delivered later, and counts it as recovered late', () => {
    const l = new Ledger();
    const r = send(l, 'm1');
    l.acked(r, msg('m1', 1, 60_000), 1000);
    l.audit('b', room, 2000, 2100);
    l.observe('cb', 'b', 'history', msg('m1', 1, 60_000), 3000);
    expect(l.summary()).toMatchObject({ lost: 0, recoveredLate: 1 });
  });

  it('counts a message served after its expiry, but not an ack', () => {
    const l = new Ledger();
    l.observe('cb', 'b', 'live', msg('m1', 1, 1000), 1200);
    l.observe('cb', 'b', 'resumed', msg('m2', 2, 1000), 1300);
    l.observe('ca', 'a', 'ack', msg('m3', 3, 1000), 5000);
    expect(l.summary().servedAfterExpiry).toBe(1);
  });

  it('counts a second stored copy, a second live delivery and a reused seq as duplicated', () => {
    const l = new Ledger();
    l.observe('cb', 'b', 'live', msg('m1', 1, 9e12), 0);
    l.observe('cb', 'b', 'resumed', msg('m1', 1, 9e12), 0); // resume overlapping live: fine
    expect(l.summary().duplicated).toBe(0);
    l.observe('cb', 'b', 'live', msg('m1', 1, 9e12), 0);
    l.observe('cb', 'b', 'history', msg('m1', 2, 9e12), 0);
    l.observe('cb', 'b', 'history', msg('m9', 2, 9e12), 0);
    expect(l.summary()).toMatchObject({
      duplicated: 3,
      duplicateLive: 1,
      duplicateStored: 1,
      seqConflicts: 1,
    });
  });

  it('counts a failed send that shows up anywhere, or is acked late, as answered failed but stored', () => {
    const l = new Ledger();
    const seen = send(l, 'm1');
    const late = send(l, 'm2');
    const probed = send(l, 'm3');
    const clean = send(l, 'm4');
    for (const r of [seen, late, probed, clean]) l.failed(r, 'unavailable');
    l.observe('cb', 'b', 'resumed', msg('m1', 1, 9e12), 0);
    l.acked(late, msg('m2', 2, 9e12), 0);
    l.storedAfterFailure(probed.key);
    expect(l.failedSends().map((r) => r.clientMsgId)).toEqual(['m4']);
    expect(l.summary()).toMatchObject({
      answeredFailed: 4,
      answeredFailedButStored: 3,
      lateAcks: 1,
      acknowledged: 0,
    });
  });

  it('keeps a send whose socket closed before any answer out of both sides', () => {
    const l = new Ledger();
    const r = send(l, 'm1');
    l.unanswered(r);
    l.observe('cb', 'b', 'live', msg('m1', 1, 9e12), 0);
    expect(l.summary()).toMatchObject({ unanswered: 1, answeredFailedButStored: 0 });
  });
});
