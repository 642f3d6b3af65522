import { AppError } from '../errors/app-error.js';
import type { GroupLimits, GroupRefusal } from '../stores/groups/group-store.js';
import type { UserDirectory } from './user-directory.js';

export function notMember(): AppError {
  return new AppError('forbidden', 'You are not a member of this group.');
}

/** The documented error for a change the group store refused (nothing changed). */
export function refusalError(
  r: GroupRefusal,
  limits: GroupLimits,
  directory: Pick<UserDirectory, 'known'>,
): AppError {
  switch (r.refused) {
    case 'not_member':
      return notMember();
    case 'not_admin':
      return new AppError('not_admin', 'Only an admin of the group may do this.');
    case 'group_full':
      return new AppError(
        'group_full',
        `A group has at most ${limits.maxMembers} members; nobody was added.`,
      );
    case 'too_many_groups': {
      const names = r.userIds.map((id) => directory.known(id)?.username ?? id);
      return new AppError(
        'too_many_groups',
        `A user may be in at most ${limits.maxGroupsPerUser} groups: ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} in as many already.`,
      );
    }
    case 'target_not_member':
      return new AppError('not_found', 'That user is not a member of this group.');
    case 'last_admin':
      return new AppError(
        'validation_failed',
        'A group needs an admin: promote another member before demoting the last one.',
      );
  }
}
