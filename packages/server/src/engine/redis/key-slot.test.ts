import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawCluster } from '../../../test/helpers/redis-cluster-engine.js';
import { groupBySlot, hashPart, keySlot } from './key-slot.js';

describe('keySlot', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await rawCluster();
  });
  afterAll(() => cluster.disconnect());

  it('hashes only the first non-empty {…} tag', () => {
    expect(hashPart('ec:{dm:a:b}:seq')).toBe('dm:a:b');
    expect(hashPart('ec:{}:x{y}')).toBe('ec:{}:x{y}');
    expect(hashPart('ec:user:a')).toBe('ec:user:a');
    expect(keySlot('ec:{dm:a:b}:idx')).toBe(keySlot('ec:{dm:a:b}:room'));
  });

  it("agrees with the cluster's CLUSTER KEYSLOT", async () => {
    const keys = ['ec:{dm:a:b}:seq', 'ec:user:αβγ', 'ec:{}:x', 'foo{bar}{zap}', '123456789', ''];
    for (let i = 0; i < 50; i++) keys.push(`k${i}:{room-${i * 7919}}`);
    for (const key of keys) {
      expect(keySlot(key), key).toBe(await cluster.cluster('KEYSLOT', key));
    }
  });

  it('groups items by slot, keeping their order', () => {
    const groups = groupBySlot(['{a}1', '{b}1', '{a}2', '{b}2', '{a}3'], (k) => k);
    expect(groups).toEqual([
      ['{a}1', '{a}2', '{a}3'],
      ['{b}1', '{b}2'],
    ]);
  });
});
