import { limits } from '@ephemeral-chat/protocol';
import fc from 'fast-check';
import {
  deepJson,
  hostileValue,
  hugeNumber,
  invalidUtf8,
  invisibleText,
  oddString,
} from './hostile.js';
import { BIG_ID, ID, obj, Raw } from './raw-json.js';
import type { WsView } from './ws-world.js';

/** One frame to send: a JSON template (or raw bytes), and the class it was drawn from. */
export interface FrameCase {
  label: string;
  template: unknown;
  binary?: boolean;
  /** Invalid UTF-8 spliced in at a relative position. */
  corrupt?: { bad: Uint8Array; at: number };
  /** Padded with JSON whitespace to this many bytes (oversize frames). */
  padTo?: number;
}

const max = limits.wsFrameMaxBytes;
const uuidish = fc.stringMatching(/^[A-Za-z0-9-]{1,40}$/);
const clientMsgId = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
const text = fc.oneof(
  { weight: 8, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 120 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 3000, maxLength: 4000 }) },
  { weight: 1, arbitrary: invisibleText },
  { weight: 1, arbitrary: oddString },
);
/** Burn after reading: mostly valid, sometimes above a short ttl (refused by the chat rules). */
const burn = fc.option(
  fc.oneof(fc.constantFrom(5_000, 10_000), fc.integer({ min: 5_000, max: 86_400_000 })),
  {
    nil: undefined,
  },
);
const ttl = fc.option(fc.oneof(fc.constant(10_000), fc.integer({ min: 10_000, max: 86_400_000 })), {
  nil: undefined,
});

/** Well-formed frames of every type, aimed at rooms and users that exist (and some that do not). */
export function wellFormed(v: WsView): fc.Arbitrary<FrameCase> {
  const room = fc.oneof(
    { weight: 6, arbitrary: fc.constant(v.ownRoom) },
    { weight: 1, arbitrary: fc.constant(v.reversedRoom) },
    { weight: 1, arbitrary: fc.constant(v.foreignRoom) },
    { weight: 1, arbitrary: fc.tuple(uuidish, uuidish).map(([a, b]) => `dm:${a}:${b}`) },
  );
  const username = fc.oneof(
    { weight: 4, arbitrary: fc.constant(v.peer.username) },
    { weight: 1, arbitrary: fc.constant(v.peer.username.toUpperCase()) },
    { weight: 1, arbitrary: fc.constant(v.self.username) },
    { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_]{3,32}$/) },
  );
  /** Group rooms nobody here is in (and, now and then, a 1:1 room where a group room belongs). */
  const groupRoom = fc.oneof(
    { weight: 4, arbitrary: fc.uuid({ version: 4 }).map((u) => `g:${u}`) },
    { weight: 1, arbitrary: fc.constant(v.ownRoom) },
  );
  const groupName = fc.oneof(
    { weight: 6, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 64 }) },
    { weight: 1, arbitrary: invisibleText },
    { weight: 1, arbitrary: oddString },
  );
  const userId = fc.oneof(fc.constantFrom(v.self.id, v.peer.id), uuidish);
  const token = fc.oneof(fc.constantFrom(...v.tokens), fc.string({ minLength: 1, maxLength: 256 }));
  const seq = fc.oneof(fc.nat(), fc.constant(0), fc.maxSafeInteger());
  const frames: fc.Arbitrary<[string, [string, unknown][]]>[] = [
    token.map((t) => [
      'auth',
      [
        ['type', 'auth'],
        ['id', ID],
        ['token', t],
      ],
    ]),
    username.map((u) => [
      'open',
      [
        ['type', 'open'],
        ['id', ID],
        ['username', u],
      ],
    ]),
    fc
      .tuple(room, text, ttl, burn, clientMsgId)
      .map(([r, t, l, b, c]) => [
        'send',
        [
          ['type', 'send'],
          ['id', ID],
          ['room', r],
          ['text', t],
          ...(l === undefined ? [] : [['ttl', l] as [string, unknown]]),
          ...(b === undefined ? [] : [['burn', b] as [string, unknown]]),
          ['clientMsgId', c],
        ],
      ]),
    fc.tuple(room, seq).map(([r, q]) => [
      'unsend',
      [
        ['type', 'unsend'],
        ['id', ID],
        ['room', r],
        ['seq', q],
      ],
    ]),
    fc
      .tuple(
        room,
        seq,
        fc.oneof(
          fc.constantFrom('spam', 'harassment', 'hate', 'sexual', 'violence', 'self_harm', 'other'),
          oddString,
        ),
        fc.option(fc.string({ maxLength: 600 }), { nil: undefined }),
        fc.option(
          fc.record({
            from: userId,
            text: fc.string({ maxLength: 50 }),
            clientMsgId: fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/),
            createdAt: fc.integer({ min: 0, max: 2 ** 42 }),
            mac: fc.oneof(fc.base64String({ maxLength: 64 }), fc.string({ maxLength: 70 })),
          }),
          { nil: undefined },
        ),
      )
      .map(([r, q, reason, text, copy]) => [
        'report',
        [
          ['type', 'report'],
          ['id', ID],
          ['room', r],
          ['seq', q],
          ['reason', reason],
          ...(text === undefined ? [] : [['text', text] as [string, unknown]]),
          ...(copy === undefined ? [] : [['copy', copy] as [string, unknown]]),
        ],
      ]),
    fc.tuple(room, seq).map(([r, q]) => [
      'delivered',
      [
        ['type', 'delivered'],
        ['room', r],
        ['seq', q],
      ],
    ]),
    fc
      .tuple(room, ttl, fc.option(burn, { nil: null }))
      .map(([r, l, b]) => [
        'settings',
        [
          ['type', 'settings'],
          ['id', ID],
          ['room', r],
          ...(l === undefined ? [] : [['ttl', l] as [string, unknown]]),
          ...(b === undefined ? [] : [['burn', b] as [string, unknown]]),
        ],
      ]),
    fc
      .tuple(room, fc.option(seq), fc.option(fc.integer({ min: 1, max: 100 })))
      .map(([r, b, l]) => [
        'history',
        [
          ['type', 'history'],
          ['id', ID],
          ['room', r],
          ...(b === null ? [] : [['before', b] as [string, unknown]]),
          ...(l === null ? [] : [['limit', l] as [string, unknown]]),
        ],
      ]),
    fc.tuple(room, seq).map(([r, a]) => [
      'resume',
      [
        ['type', 'resume'],
        ['id', ID],
        ['room', r],
        ['after', a],
      ],
    ]),
    fc.tuple(room, seq).map(([r, q]) => [
      'read',
      [
        ['type', 'read'],
        ['id', ID],
        ['room', r],
        ['seq', q],
      ],
    ]),
    fc.tuple(room, fc.boolean()).map(([r, t]) => [
      'typing',
      [
        ['type', 'typing'],
        ['room', r],
        ['typing', t],
      ],
    ]),
    fc
      .array(fc.oneof(fc.constantFrom(v.self.id, v.peer.id), uuidish), { maxLength: 20 })
      .map((ids) => [
        'presence',
        [
          ['type', 'presence'],
          ['id', ID],
          ['userIds', ids],
        ],
      ]),
    fc.constant([
      'chats',
      [
        ['type', 'chats'],
        ['id', ID],
      ],
    ]),
    fc.tuple(groupName, fc.array(username, { maxLength: 8 })).map(([n, us]) => [
      'group.create',
      [
        ['type', 'group.create'],
        ['id', ID],
        ['name', n],
        ['usernames', us],
      ],
    ]),
    fc.tuple(groupRoom, fc.array(username, { minLength: 1, maxLength: 8 })).map(([r, us]) => [
      'group.add',
      [
        ['type', 'group.add'],
        ['id', ID],
        ['room', r],
        ['usernames', us],
      ],
    ]),
    fc.tuple(groupRoom, userId).map(([r, u]) => [
      'group.remove',
      [
        ['type', 'group.remove'],
        ['id', ID],
        ['room', r],
        ['userId', u],
      ],
    ]),
    fc.tuple(groupRoom, groupName).map(([r, n]) => [
      'group.rename',
      [
        ['type', 'group.rename'],
        ['id', ID],
        ['room', r],
        ['name', n],
      ],
    ]),
    fc.tuple(groupRoom, userId, fc.boolean()).map(([r, u, a]) => [
      'group.admin',
      [
        ['type', 'group.admin'],
        ['id', ID],
        ['room', r],
        ['userId', u],
        ['admin', a],
      ],
    ]),
    fc.tuple(fc.constantFrom('group.leave', 'group.get', 'group.open'), groupRoom).map(([t, r]) => [
      t,
      [
        ['type', t],
        ['id', ID],
        ['room', r],
      ],
    ]),
    fc
      .option(groupRoom, { nil: undefined })
      .map((r) => [
        'groups',
        [
          ['type', 'groups'],
          ['id', ID],
          ...(r === undefined ? [] : [['after', r] as [string, unknown]]),
        ],
      ]),
    fc.tuple(fc.constantFrom('block', 'unblock'), userId).map(([t, u]) => [
      t,
      [
        ['type', t],
        ['id', ID],
        ['userId', u],
      ],
    ]),
    fc.constant([
      'blocks',
      [
        ['type', 'blocks'],
        ['id', ID],
      ],
    ]),
    fc.constant([
      'ping',
      [
        ['type', 'ping'],
        ['id', ID],
      ],
    ]),
  ];
  return fc.oneof(...frames).map(([type, entries]) => ({
    label: `well-formed ${type}`,
    template: obj(entries),
  }));
}

/** One field of a well-formed frame wrong: dropped, retyped, out of range, or an extra key. */
export function nearMiss(v: WsView): fc.Arbitrary<FrameCase> {
  const wrong = fc.oneof(
    fc.constantFrom(-1, 1.5, 0, 2 ** 31, 10_001, 86_400_001, 9_999, 101, ''),
    fc.constantFrom('x'.repeat(257), 'a'.repeat(65), 'b'.repeat(33), `dm:${'a'.repeat(160)}:b`),
    fc.constantFrom(BIG_ID, 'dm:a', 'DM:a:b', `dm:${v.self.id}`, Array(201).fill(v.peer.id)),
    fc.jsonValue({ maxDepth: 2 }),
  );
  return fc
    .tuple(wellFormed(v), fc.nat(), wrong, fc.constantFrom('drop', 'retype', 'extra'))
    .map(([base, pick, value, how]) => {
      const entries = Object.entries(base.template as Record<string, unknown>);
      const i = pick % entries.length;
      const key = entries[i]?.[0] ?? 'type';
      if (how === 'drop') entries.splice(i, 1);
      else if (how === 'extra') entries.push([pick % 3 === 0 ? '__proto__' : 'extra', value]);
      else entries[i] = [key, value];
      return {
        label: `near-miss ${base.label.slice(12)}: ${how} ${how === 'extra' ? '' : key}`.trim(),
        template: obj(entries),
      };
    });
}

/** Deep nesting, huge numbers, odd Unicode, invalid UTF-8, binary, empty and oversize frames. */
export function hostile(v: WsView): fc.Arbitrary<FrameCase> {
  const base = wellFormed(v);
  const inField = (name: string, value: fc.Arbitrary<unknown>) =>
    fc.tuple(base, fc.nat(), value).map(([b, pick, val]) => {
      const entries = Object.entries(b.template as Record<string, unknown>);
      const i = pick % entries.length;
      entries[i] = [entries[i]?.[0] ?? 'type', val];
      return { label: `hostile ${name} in ${entries[i]?.[0]}`, template: obj(entries) };
    });
  const deepType = deepJson.map((d) => ({
    label: 'hostile deep nesting in type',
    template: obj([
      ['type', d],
      ['id', ID],
    ]),
  }));
  return fc.oneof(
    inField('deep nesting', deepJson),
    deepType,
    inField('huge number', hugeNumber),
    inField('odd unicode', oddString),
    inField('any value', hostileValue),
    fc.tuple(base, invalidUtf8, fc.double({ min: 0, max: 1, noNaN: true })).map(([b, bad, at]) => ({
      label: 'hostile invalid UTF-8',
      template: b.template,
      corrupt: { bad, at },
    })),
    fc.tuple(base, fc.boolean()).map(([b, json]) => ({
      label: 'hostile binary frame',
      template: json ? b.template : new Raw(''),
      binary: true,
    })),
    fc
      .constantFrom(
        '',
        ' ',
        'null',
        '[]',
        '"ping"',
        '1e400',
        '{',
        '{"type":"ping","id":1}x',
        '\ufeff{"type":"ping","id":1}',
      )
      .map((t) => ({
        label: `hostile not a frame ${JSON.stringify(t)}`,
        template: new Raw(t),
      })),
    fc.tuple(base, fc.integer({ min: max + 1, max: 4 * max })).map(([b, size]) => ({
      label: 'hostile oversize frame',
      template: b.template,
      padTo: size,
    })),
    fc.tuple(base, fc.integer({ min: max - 64, max })).map(([b, size]) => ({
      label: 'hostile frame at the size limit',
      template: b.template,
      padTo: size,
    })),
    fc.tuple(base, fc.integer({ min: 4 * max + 1, max: 5 * max })).map(([b, size]) => ({
      label: 'hostile frame over 4x the limit',
      template: b.template,
      padTo: size,
    })),
  );
}

/** The mix of one batch: mostly mixed, sometimes only bad frames to reach the strike limit. */
export function batchArb(v: WsView, size: number): fc.Arbitrary<FrameCase[]> {
  const mixed = fc.oneof(
    { weight: 4, arbitrary: wellFormed(v) },
    { weight: 3, arbitrary: nearMiss(v) },
    { weight: 3, arbitrary: hostile(v) },
  );
  const bad = fc.oneof(nearMiss(v), hostile(v));
  return fc.oneof(
    { weight: 9, arbitrary: fc.array(mixed, { minLength: size, maxLength: size }) },
    { weight: 1, arbitrary: fc.array(bad, { minLength: size, maxLength: size }) },
  );
}
