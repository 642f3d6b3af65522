import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { limits } from './limits.js';
import {
  codePointLength,
  groupNameSchema,
  groupRoomIdSchema,
  hasVisibleText,
  roomIdSchema,
} from './primitives.js';

/** The rule, stated plainly: the model the schema is checked against. */
const valid = (name: string) =>
  codePointLength(name) >= 1 &&
  codePointLength(name) <= limits.groupNameMaxLength &&
  hasVisibleText(name) &&
  !/\p{Cc}/u.test(name);

describe('groupNameSchema', () => {
  it('accepts exactly the names of 1–64 code points with a visible character and no control', () => {
    const names = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 80 }),
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.string({ maxLength: 70 }),
      fc.constantFrom(
        ' ',
        '\u200b',
        '\u2800',
        'a\nb',
        'x'.repeat(64),
        'x'.repeat(65),
        '😀'.repeat(64),
      ),
    );
    fc.assert(
      fc.property(names, (name) => {
        expect(groupNameSchema.safeParse(name).success).toBe(valid(name));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps a name as typed', () => {
    expect(groupNameSchema.parse('  Team 😀 ')).toBe('  Team 😀 ');
  });
});

describe('group room ids', () => {
  it('accept g: and a lower-case UUID, as group rooms and as rooms', () => {
    fc.assert(
      fc.property(fc.uuid(), (u) => {
        expect(groupRoomIdSchema.safeParse(`g:${u}`).success).toBe(true);
        expect(roomIdSchema.safeParse(`g:${u}`).success).toBe(true);
      }),
    );
  });

  it.each([
    'g:',
    'g:abc',
    'G:0b6c2f1e-5d0a-4c1e-9a53-2f7d8e1b4c10',
    'g:0B6C2F1E-5D0A-4C1E-9A53-2F7D8E1B4C10',
    'dm:a:b',
  ])('refuses %j as a group room', (room) => {
    expect(groupRoomIdSchema.safeParse(room).success).toBe(false);
  });
});
