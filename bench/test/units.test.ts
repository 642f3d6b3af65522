import { describe, expect, it } from 'vitest';
import { clientMsgIdOf } from '../src/load/clients/client.js';
import { parseOptions } from '../src/options.js';
import { membersOf, roomFor } from '../src/peers/rooms.js';
import { bucketOf, bucketValue, Histogram } from '../src/stats/histogram.js';

describe('Histogram', () => {
  it('reports quantiles within the bucket precision', () => {
    const h = new Histogram();
    for (let i = 1; i <= 1000; i++) h.record(i / 10); // 0.1 … 100 ms
    expect(h.count).toBe(1000);
    expect(h.quantile(0.5)).toBeCloseTo(50, -0.5);
    expect(Math.abs(h.quantile(0.99) - 99) / 99).toBeLessThan(0.02);
    expect(h.quantile(1)).toBe(100);
  });

  it('merges what other processes recorded', () => {
    const a = new Histogram();
    const b = new Histogram();
    a.record(1);
    b.record(3);
    a.merge(JSON.parse(JSON.stringify(b.toJSON())));
    expect(a.count).toBe(2);
    expect(a.max).toBe(3);
  });

  it('maps every bucket back to a value inside it', () => {
    for (const us of [0, 1, 63, 64, 65, 127, 128, 1000, 123_456, 2 ** 30]) {
      expect(bucketOf(Math.round(bucketValue(bucketOf(us))))).toBe(bucketOf(us));
    }
  });
});

describe('lean frame reading', () => {
  it('finds the client message id in a message event without parsing it', () => {
    const frame = Buffer.from(
      JSON.stringify({
        type: 'message',
        message: {
          room: 'dm:a:b',
          seq: 7,
          from: 'a',
          text: 'hi "clientMsgId":"x"',
          clientMsgId: '3-41',
        },
      }),
    );
    expect(clientMsgIdOf(frame)).toBe('3-41');
    expect(clientMsgIdOf(Buffer.from('42["message",{"clientMsgId":"9-1"}]'))).toBe('9-1');
    expect(clientMsgIdOf(Buffer.from('{"type":"ack"}'))).toBeUndefined();
  });

  it('derives the room id both members agree on', () => {
    expect(roomFor('b', 'a')).toBe('dm:a:b');
    expect(membersOf('dm:a:b')).toEqual(['a', 'b']);
    expect(membersOf('room')).toBeUndefined();
  });
});

describe('options', () => {
  it('takes quick figures, then overrides', () => {
    const o = parseOptions(['--quick', 'throughput', '--pairs=5', '--ttls=10,20'], '/tmp/r');
    expect(o.scenarios).toEqual(['throughput']);
    expect(o.pairs).toBe(5);
    expect(o.ttls).toEqual([10, 20]);
    expect(o.quick).toBe(true);
  });

  it('refuses what it does not know, saying what to use', () => {
    expect(() => parseOptions(['--ttls=5'], '/tmp/r')).toThrow(/between 10/);
    expect(() => parseOptions(['nope'], '/tmp/r')).toThrow(/Unknown scenario/);
    expect(() => parseOptions(['--systems=redis'], '/tmp/r')).toThrow(/ours-redis/);
  });
});
