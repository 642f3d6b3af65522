import type { GroupChange } from '@ephemeral-chat/sdk';
import { fill, type Strings } from '../strings.js';
import { formatNames } from './names.js';

/**
 * The timeline notice for a change of a group: "alice added bob", "bob left", "alice renamed the
 * group to “crew”". `nameOf` turns a user id into what to show (the user's own: "You").
 */
export function groupNotice(
  change: GroupChange,
  nameOf: (userId: string) => string,
  s: Strings,
  locale?: string,
): string {
  const values = {
    name: nameOf(change.by),
    names: formatNames((change.userIds ?? []).map(nameOf), locale),
    group: change.name ?? '',
  };
  const template = {
    created: s.groupCreated,
    added: s.groupAdded,
    removed: s.groupRemoved,
    left: s.groupLeft,
    renamed: s.groupRenamed,
    admin: change.admin ? s.groupAdminOn : s.groupAdminOff,
  }[change.kind];
  return fill(template, values);
}
