import type { GroupChange } from '@ephemeral-chat/sdk';
import { fill, type Strings } from '../strings.js';
import { formatNames } from './names.js';

/**
 * The timeline notice for a change of a group: "alice added bob", "bob left", "alice renamed the
 * group to “crew”". `nameOf` turns a user id into what to show. When the viewer (`me`) made the
 * change, or is the one it was made to, the sentence has its own template ("You added bob",
 * "alice added you"): a "you" put in the place of a name does not agree with the verb in most
 * languages ("Du hat …", "alice a ajouté Vous").
 */
export function groupNotice(
  change: GroupChange,
  nameOf: (userId: string) => string,
  s: Strings,
  locale?: string,
  me?: string,
): string {
  const byMe = me !== undefined && change.by === me;
  const targets = change.userIds ?? [];
  const toMe = !byMe && me !== undefined && targets.includes(me);
  const named = toMe ? targets.filter((id) => id !== me) : targets;
  const values = {
    name: nameOf(change.by),
    names: formatNames(named.map(nameOf), locale),
    group: change.name ?? '',
  };
  return fill(templateOf(change, s, byMe, toMe, named.length > 0), values);
}

function templateOf(
  change: GroupChange,
  s: Strings,
  byMe: boolean,
  toMe: boolean,
  others: boolean,
): string {
  switch (change.kind) {
    case 'created':
      return byMe ? s.groupCreatedByYou : s.groupCreated;
    case 'added':
      if (byMe) return s.groupAddedByYou;
      if (toMe) return others ? s.groupAddedYouAnd : s.groupAddedYou;
      return s.groupAdded;
    case 'removed':
      return byMe ? s.groupRemovedByYou : s.groupRemoved;
    case 'left':
      return s.groupLeft;
    case 'renamed':
      return byMe ? s.groupRenamedByYou : s.groupRenamed;
    case 'admin':
      if (byMe) return change.admin ? s.groupAdminOnByYou : s.groupAdminOffByYou;
      if (toMe) return change.admin ? s.groupAdminOnYou : s.groupAdminOffYou;
      return change.admin ? s.groupAdminOn : s.groupAdminOff;
  }
}
