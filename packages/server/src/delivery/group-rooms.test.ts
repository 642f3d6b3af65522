import { describe, expect, it } from 'vitest';
import type { TopicListener } from '../engine/bus/bus.js';
import type { Socket } from '../ws/connection.js';
import { GroupRooms } from './group-rooms.js';
import { roomTopic } from './topics.js';

/** A bus, a hub with `present` users, and the frames each user got. */
function setup(present: string[], roomsOf: (userId: string) => Promise<string[]>) {
  const listeners = new Map<string, TopicListener>();
  let resubscribed = () => {};
  const delivered: [string, string][] = [];
  const sockets = new Set<Socket>([{} as Socket]);
  const rooms = new GroupRooms({
    bus: {
      subscribe: async (topic, listener) => void listeners.set(topic, listener),
      unsubscribe: async (topic) => void listeners.delete(topic),
      onResubscribed: (listener) => {
        resubscribed = listener;
      },
    },
    hub: {
      socketsOf: (userId) => (present.includes(userId) ? sockets : new Set()),
      users: () => present,
      deliverToUser: (userId, payload) => void delivered.push([userId, payload]),
    },
    roomsOf,
    logger: { warn: () => {} },
  });
  const publish = (room: string, payload: string) => listeners.get(roomTopic(room))?.(payload);
  return { rooms, listeners, delivered, publish, resubscribe: () => resubscribed() };
}

const removed = (room: string) => `{"type":"group.changed","room":"${room}","change":{}}`;
const added = (room: string, userId: string) =>
  `{"type":"group.changed","room":"${room}","group":{"members":[{"id":"${userId}"}]}}`;

describe('GroupRooms', () => {
  it('subscribes to a room while a local member is in it, and delivers to the members only', async () => {
    const t = setup(['u1', 'u2'], async (u) => (u === 'u1' ? ['g:1', 'g:2'] : ['g:1']));
    await t.rooms.load('u1');
    await t.rooms.load('u2');
    expect([...t.listeners.keys()].sort()).toEqual([roomTopic('g:1'), roomTopic('g:2')]);
    t.publish('g:2', '{"type":"typing"}');
    expect(t.delivered).toEqual([['u1', '{"type":"typing"}']]);
    t.rooms.userGone('u1');
    expect([...t.listeners.keys()]).toEqual([roomTopic('g:1')]);
  });

  it('reads the groups again when a change arrives during the read, so a removal is never undone', async () => {
    let reads = 0;
    let release = () => {};
    const t = setup(['u1'], async () => {
      reads++;
      if (reads === 1) {
        // The first read sees the group; the removal lands before it returns.
        await new Promise<void>((r) => {
          release = r;
        });
        return ['g:1'];
      }
      return [];
    });
    const loading = t.rooms.load('u1');
    t.rooms.changed('u1', removed('g:1'));
    release();
    await loading;
    expect(reads).toBe(2);
    expect(t.rooms.usersIn('g:1').size).toBe(0);
    expect(t.listeners.size).toBe(0);
  });

  it('leaves a room at once on a change without the group, and joins on one that lists the user', async () => {
    const t = setup(['u1'], async () => ['g:1']);
    await t.rooms.load('u1');
    t.rooms.changed('u1', removed('g:1'));
    t.publish('g:1', 'late');
    expect(t.delivered).toEqual([]);
    t.rooms.changed('u1', added('g:2', 'u1'));
    await Promise.resolve();
    t.publish('g:2', 'hello');
    expect(t.delivered).toEqual([['u1', 'hello']]);
  });

  it('drops a message event that arrives after its expiresAt', async () => {
    const t = setup(['u1'], async () => ['g:1']);
    await t.rooms.load('u1');
    t.publish('g:1', '{"type":"message","message":{"text":"x","expiresAt":1}}');
    expect(t.delivered).toEqual([]);
  });

  it('reads every local user’s groups again after the bus link came back', async () => {
    let groups = ['g:1'];
    const t = setup(['u1'], async () => groups);
    await t.rooms.load('u1');
    groups = ['g:2'];
    t.resubscribe();
    await new Promise((r) => setTimeout(r, 0));
    expect(t.rooms.usersIn('g:1').size).toBe(0);
    expect([...t.rooms.usersIn('g:2')]).toEqual(['u1']);
  });
});
