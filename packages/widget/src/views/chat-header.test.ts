import type { Chat, GroupChat } from '@ephemeral-chat/sdk';
import { describe, expect, it } from 'vitest';
import { defaultStrings as s } from '../strings.js';
import { nameIn, typingLine } from './chat-header.js';

const dm = { peer: { id: 'u2', username: 'bob', online: true } } as unknown as Chat;
const group = {
  group: {},
  members: [
    { id: 'u1', username: 'me', admin: true, joinedAt: 0 },
    { id: 'u3', username: 'carol', admin: false, joinedAt: 0 },
  ],
} as unknown as GroupChat;
const known: Record<string, string> = { u4: 'dave' };
const o = { userId: 'u1', nameOf: (id: string) => known[id] };

describe('nameIn', () => {
  it("names the user You, the peer or a member by username, a former member by what was met, else 'someone'", () => {
    expect(nameIn(dm, 'u1', o, s)).toBe('You');
    expect(nameIn(dm, 'u2', o, s)).toBe('bob');
    expect(nameIn(group, 'u3', o, s)).toBe('carol');
    expect(nameIn(group, 'u4', o, s)).toBe('dave');
    expect(nameIn(group, 'u9', o, s)).toBe('someone');
  });
});

describe('typingLine', () => {
  it('says nothing for nobody, one name for one, and a list for several', () => {
    expect(typingLine([], s, 'en')).toBe('');
    expect(typingLine(['bob'], s, 'en')).toBe('bob is typing…');
    expect(typingLine(['bob', 'carol', 'dave'], s, 'en')).toBe('bob, carol, and dave are typing…');
  });
});
