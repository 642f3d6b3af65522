import { describe, expect, it } from 'vitest';
import { defaultStrings } from '../strings.js';
import { groupNotice } from './group-notice.js';

const names: Record<string, string> = { u1: 'You', u2: 'bob', u3: 'carol' };
const nameOf = (id: string) => names[id] ?? 'someone';
const notice = (change: Parameters<typeof groupNotice>[0]) =>
  groupNotice(change, nameOf, defaultStrings, 'en');

describe('groupNotice', () => {
  it('says who added or removed whom, listing several names in words', () => {
    expect(notice({ kind: 'added', by: 'u1', userIds: ['u2', 'u3'] })).toBe(
      'You added bob and carol',
    );
    expect(notice({ kind: 'removed', by: 'u2', userIds: ['u3'] })).toBe('bob removed carol');
  });

  it('says who left, who renamed the group to what, and who became or stopped being admin', () => {
    expect(notice({ kind: 'left', by: 'u2', userIds: ['u2'] })).toBe('bob left');
    expect(notice({ kind: 'renamed', by: 'u3', name: 'crew' })).toBe(
      'carol renamed the group to “crew”',
    );
    expect(notice({ kind: 'admin', by: 'u1', userIds: ['u2'], admin: true })).toBe(
      'You made bob an admin',
    );
    expect(notice({ kind: 'admin', by: 'u1', userIds: ['u2'], admin: false })).toBe(
      'You removed bob as admin',
    );
  });

  it('says who created the group and its name', () => {
    expect(notice({ kind: 'created', by: 'u2', userIds: ['u1', 'u3'], name: 'crew' })).toBe(
      'bob created the group “crew”',
    );
  });
});
