import type { Group, GroupSummary } from '@ephemeral-chat/protocol';

/** The bounds a membership change is checked against, inside its transaction. */
export interface GroupLimits {
  /** Members of one group, at most. */
  maxMembers: number;
  /** Groups one user may be a member of, at most. */
  maxGroupsPerUser: number;
}

/**
 * Why a change was refused; nothing changed. `not_member`: the actor is not in the group (or it
 * does not exist). `target_not_member`: the user acted on is not in it. `last_admin`: the only
 * admin cannot be demoted. `too_many_groups` names the users at their cap.
 */
export type GroupRefusal =
  | { refused: 'not_member' | 'not_admin' | 'group_full' | 'target_not_member' | 'last_admin' }
  | { refused: 'too_many_groups'; userIds: string[] };

export type GroupResult<T> = T | GroupRefusal;

export function isRefusal<T extends object>(r: GroupResult<T>): r is GroupRefusal {
  return 'refused' in r;
}

export interface NewGroup {
  room: string;
  name: string;
  creatorId: string;
  /** Other members, by id (the creator left out, no duplicates). */
  memberIds: readonly string[];
  now: number;
}

/**
 * Permanent groups and membership. Every change is one transaction that checks the actor's role
 * and the limits against the state it changes, so racing changes cannot pass a limit or act on a
 * role that was just taken away. Throws `UnavailableError` when the database cannot be reached.
 */
export interface GroupStore {
  create(group: NewGroup, limits: GroupLimits): Promise<GroupResult<{ group: Group }>>;
  /** Admins only; members already in are skipped (`added` lists who was new, joined at `now`). */
  add(
    room: string,
    by: string,
    userIds: readonly string[],
    limits: GroupLimits,
    now: number,
  ): Promise<GroupResult<{ group: Group; added: string[] }>>;
  /** Admins only; `userId` must be a member other than `by`. */
  remove(room: string, by: string, userId: string): Promise<GroupResult<{ group: Group }>>;
  /**
   * Any member. The group is deleted when nobody is left (`group` undefined); when the last admin
   * leaves, the longest-standing member left becomes admin (`promoted`).
   */
  leave(
    room: string,
    userId: string,
  ): Promise<GroupResult<{ group: Group | undefined; promoted: string | undefined }>>;
  rename(room: string, by: string, name: string): Promise<GroupResult<{ group: Group }>>;
  /** Admins only; demoting the only admin is refused (`last_admin`). */
  setAdmin(
    room: string,
    by: string,
    userId: string,
    admin: boolean,
  ): Promise<GroupResult<{ group: Group; changed: boolean }>>;
  /** The group with its members in join order, or undefined. */
  get(room: string): Promise<Group | undefined>;
  /** The user's groups ordered by room id, after `after`, `limit` at most. */
  listFor(userId: string, after: string | undefined, limit: number): Promise<GroupSummary[]>;
}
