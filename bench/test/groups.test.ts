import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { UserRef } from '../src/load/clients/client.js';
import { groupMsgId, monoMs, parseGroupMsgId } from '../src/load/group-ids.js';
import { parseOptions } from '../src/options.js';
import { isGroupRoom, newGroupRoom, roomFor, sendTarget } from '../src/peers/rooms.js';
import { placeGroup, rateShare } from '../src/sut/group-placement.js';

/** The protocol's client message id rule (packages/protocol primitives: charset, 64 at most). */
const CLIENT_MSG_ID = /^[A-Za-z0-9_-]{1,64}$/;

const users = (n: number): UserRef[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `u${i}`,
    username: `user${i}`,
    token: `t${i}`,
    url: 'http://a',
  }));

describe('Socket.IO baseline: where a send goes', () => {
  const group = newGroupRoom();

  it('lets a member of a 1:1 room send to both members, and nobody else', () => {
    expect(sendTarget(roomFor('a', 'b'), 'a', new Set())).toEqual({
      kind: 'dm',
      members: ['a', 'b'],
    });
    expect(sendTarget(roomFor('a', 'b'), 'c', new Set())).toBeUndefined();
  });

  it('lets a socket send to a group room only once it has joined it', () => {
    expect(sendTarget(group, 'a', new Set(['user:a', group]))).toEqual({
      kind: 'group',
      room: group,
    });
    expect(sendTarget(group, 'a', new Set(['user:a']))).toBeUndefined();
  });

  it('refuses a room id that is neither a 1:1 room nor a group room, even if joined', () => {
    for (const room of ['user:a', 'g:not-a-uuid', 42, undefined]) {
      expect(sendTarget(room, 'a', new Set(['user:a', 'g:not-a-uuid']))).toBeUndefined();
    }
  });

  it('makes group room ids in the protocol shape (g: and a lower-case UUID), each new', () => {
    expect(isGroupRoom(group)).toBe(true);
    expect(newGroupRoom()).not.toBe(group);
    expect(isGroupRoom(group.toUpperCase())).toBe(false);
  });
});

describe('group run message ids', () => {
  it('carry the sender node and send time in an id the protocol accepts', () => {
    const at = monoMs();
    const id = groupMsgId(1, 17, 123_456, at);
    expect(id).toMatch(CLIENT_MSG_ID);
    const parsed = parseGroupMsgId(id);
    expect(parsed?.node).toBe(1);
    expect(Math.abs((parsed?.atMs ?? 0) - at)).toBeLessThan(0.001);
  });

  it('ignore ids of other runs', () => {
    expect(parseGroupMsgId('3-41')).toBeUndefined();
    expect(parseGroupMsgId('a_b_c_d')).toBeUndefined();
  });

  it('time sends on a clock that another process reads alike', () => {
    const before = monoMs();
    const child = Number(
      execFileSync(process.execPath, [
        '-e',
        'const [s, ns] = process.hrtime(); console.log(s * 1000 + ns / 1e6)',
      ]),
    );
    const after = monoMs();
    expect(child).toBeGreaterThanOrEqual(before);
    expect(child).toBeLessThanOrEqual(after);
  });
});

describe('group placement', () => {
  const shares = placeGroup(users(50), ['http://a', 'http://b'], 2, 10);
  const all = shares.flatMap((s) =>
    s.users.map((u, i) => ({ u, node: s.nodes[i], sends: s.senders.includes(i) })),
  );

  it('puts half the members on each node, each pointed at its node', () => {
    expect(all).toHaveLength(50);
    expect(all.filter((m) => m.node === 0)).toHaveLength(25);
    expect(all.every((m) => m.u.url === (m.node === 0 ? 'http://a' : 'http://b'))).toBe(true);
    expect(new Set(all.map((m) => m.u.id)).size).toBe(50);
  });

  it('gives every worker members of both nodes, and the creator first to worker 0', () => {
    for (const s of shares) expect(new Set(s.nodes)).toEqual(new Set([0, 1]));
    expect(shares[0]?.users[0]?.id).toBe('u0');
  });

  it('spreads the senders evenly over the nodes and the rate over the workers by senders', () => {
    const senders = all.filter((m) => m.sends);
    expect(senders).toHaveLength(10);
    expect(senders.filter((m) => m.node === 0)).toHaveLength(5);
    const rates = shares.map((s) => rateShare(s, shares, 300));
    expect(rates.reduce((a, b) => a + b, 0)).toBeCloseTo(300);
  });
});

describe('groups options', () => {
  it('runs in the default scenario list and takes its group size and senders', () => {
    expect(parseOptions([], '/tmp/r').scenarios).toContain('groups');
    const o = parseOptions(['groups', '--group-size=20', '--group-senders=4'], '/tmp/r');
    expect([o.groupSize, o.groupSenders]).toEqual([20, 4]);
  });

  it('refuses a group larger than the server allows or more senders than members', () => {
    expect(() => parseOptions(['--group-size=300'], '/tmp/r')).toThrow(/2 to 256/);
    expect(() => parseOptions(['--group-size=4', '--group-senders=5'], '/tmp/r')).toThrow(
      /no larger/,
    );
  });
});
