import { describe, expect, it } from 'vitest';
import { defaultStrings } from '../strings.js';
import { groupNotice } from './group-notice.js';

const names: Record<string, string> = { u1: 'You', u2: 'bob', u3: 'carol' };
const nameOf = (id: string) => names[id] ?? 'someone';
const notice = (change: Parameters<typeof groupNotice>[0]) =>
  groupNotice(change, nameOf, defaultStrings, 'en', 'u1');

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

  it('says "you" in a sentence of its own when the viewer is the one acted on', () => {
    expect(notice({ kind: 'added', by: 'u2', userIds: ['u1'] })).toBe('bob added you');
    expect(notice({ kind: 'added', by: 'u2', userIds: ['u1', 'u3'] })).toBe(
      'bob added you and carol',
    );
    expect(notice({ kind: 'admin', by: 'u2', userIds: ['u1'], admin: true })).toBe(
      'bob made you an admin',
    );
    expect(notice({ kind: 'admin', by: 'u2', userIds: ['u1'], admin: false })).toBe(
      'bob removed you as admin',
    );
  });

  it('keeps verbs agreeing with "you" in languages that conjugate', async () => {
    const { mergeStrings } = await import('../strings.js');
    const de = mergeStrings({}, (await import('../locales/de.js')).default);
    const fr = mergeStrings({}, (await import('../locales/fr.js')).default);
    const de1 = groupNotice({ kind: 'added', by: 'u1', userIds: ['u2'] }, nameOf, de, 'de', 'u1');
    expect(de1).toBe('Du hast bob hinzugefügt');
    const de2 = groupNotice({ kind: 'added', by: 'u2', userIds: ['u1'] }, nameOf, de, 'de', 'u1');
    expect(de2).toBe('bob hat dich hinzugefügt');
    const fr1 = groupNotice({ kind: 'added', by: 'u2', userIds: ['u1'] }, nameOf, fr, 'fr', 'u1');
    expect(fr1).toBe('bob vous a ajouté');
  });
});
