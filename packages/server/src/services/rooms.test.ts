import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { membersOf, peerIn, roomFor } from './rooms.js';

const id = fc.stringMatching(/^[A-Za-z0-9-]{1,36}$/);

describe('1:1 room ids', () => {
  it('derive one id for a pair whichever member asks, and read back both members', () => {
    fc.assert(
      fc.property(id, id, (a, b) => {
        fc.pre(a !== b);
        const room = roomFor(a, b);
        expect(roomFor(b, a)).toBe(room);
        expect(peerIn(room, a)).toBe(b);
        expect(peerIn(room, b)).toBe(a);
      }),
    );
  });

  it('refuse every spelling of a room but the sorted one', () => {
    fc.assert(
      fc.property(id, id, (a, b) => {
        fc.pre(a !== b);
        const [lo, hi] = a < b ? [a, b] : [b, a];
        expect(membersOf(`dm:${hi}:${lo}`)).toBeUndefined();
        expect(membersOf(`dm:${a}:${a}`)).toBeUndefined();
        expect(peerIn(`dm:${hi}:${lo}`, lo)).toBeUndefined();
      }),
    );
  });

  it('treat a group room as no 1:1 room', () => {
    const group = 'g:0b6c2f1e-5d0a-4c1e-9a53-2f7d8e1b4c10';
    expect(membersOf(group)).toBeUndefined();
    expect(peerIn(group, '0b6c2f1e-5d0a-4c1e-9a53-2f7d8e1b4c10')).toBeUndefined();
  });
});
