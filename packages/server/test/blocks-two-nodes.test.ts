import { type NodeProcess, registerAt as register } from '@ephemeral-chat/testkit';
import { describe, expect, it } from 'vitest';
import { useTwoNodes } from './helpers/two-nodes.js';

// A block made on node A holds on node B as soon as its reply is out: node B had the pair's
// "not blocked" answer cached, and the `blocks` notice dropped it (one Redis, one PostgreSQL).

const nodes = useTwoNodes();
const authed = (node: NodeProcess, token: string) => nodes.authed(node, token);

describe('blocks across two nodes', () => {
  it('stops a send, typing and presence of the blocked user on node B right after the reply on node A', async () => {
    const [alice, bob] = await Promise.all([
      register(nodes.a.url, 'alice'),
      register(nodes.b.url, 'bob'),
    ]);
    const a = await authed(nodes.a, alice.token);
    const b = await authed(nodes.b, bob.token);
    const room = alice.id < bob.id ? `dm:${alice.id}:${bob.id}` : `dm:${bob.id}:${alice.id}`;
    for (let round = 0; round < 5; round++) {
      // Node B checks (and caches) the pair: not blocked.
      expect(await b.request({ type: 'open', username: alice.username })).toMatchObject({
        type: 'opened',
      });
      const ack = await b.request({
        type: 'send',
        room,
        text: `hi ${round}`,
        clientMsgId: `r${round}`,
      });
      expect(ack.type).toBe('ack');
      expect(await b.request({ type: 'presence', userIds: [alice.id] })).toMatchObject({
        online: [alice.id],
      });

      expect(await a.request({ type: 'block', userId: bob.id })).toMatchObject({ type: 'blocked' });
      const send = await b.request({ type: 'send', room, text: 'after', clientMsgId: `x${round}` });
      expect(send).toMatchObject({ type: 'error', error: { code: 'blocked' } });
      expect(await b.request({ type: 'open', username: alice.username })).toMatchObject({
        error: { code: 'blocked' },
      });
      expect(await b.request({ type: 'presence', userIds: [alice.id] })).toMatchObject({
        online: [],
      });
      const search = await fetch(`${nodes.b.url}/api/users/search?q=${alice.username}`, {
        headers: { authorization: `Bearer ${bob.token}` },
      });
      expect(await search.json()).toEqual({ users: [] });

      expect(await a.request({ type: 'unblock', userId: bob.id })).toMatchObject({
        type: 'unblocked',
      });
    }
    const history = await a.request({ type: 'history', room, limit: 100 });
    if (history.type !== 'history') throw new Error(JSON.stringify(history));
    expect(history.messages.map((m) => m.text)).toEqual([0, 1, 2, 3, 4].map((i) => `hi ${i}`));
  });
});
