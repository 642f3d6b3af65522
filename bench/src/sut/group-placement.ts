import type { UserRef } from '../load/clients/client.js';

/** One generator process's share of a group: its users (connection order) and their nodes. */
export interface GroupShare {
  users: UserRef[];
  /** Node of each connection, by index (0 = the first server). */
  nodes: number[];
  /** Indexes of this share's connections that send. */
  senders: number[];
}

/**
 * Spreads a group's members: member i on node i mod nodeUrls.length, and member pairs dealt
 * round-robin to the workers, so every worker holds members of every node; the first `senders`
 * members send (alternating nodes, so messages cross both ways). Member 0, the first connection
 * of worker 0, is the group's creator.
 */
export function placeGroup(
  users: readonly UserRef[],
  nodeUrls: readonly string[],
  workers: number,
  senders: number,
): GroupShare[] {
  const shares = Array.from(
    { length: workers },
    (): GroupShare => ({ users: [], nodes: [], senders: [] }),
  );
  const nodeCount = Math.max(1, nodeUrls.length);
  users.forEach((user, i) => {
    const node = i % nodeCount;
    const share = shares[Math.floor(i / nodeCount) % workers];
    if (!share) return;
    if (i < senders) share.senders.push(share.users.length);
    share.users.push({ ...user, url: nodeUrls[node] ?? user.url });
    share.nodes.push(node);
  });
  return shares;
}

/** A group run's rate split between workers in proportion to their senders. */
export function rateShare(share: GroupShare, shares: readonly GroupShare[], rate: number): number {
  const all = shares.reduce((sum, s) => sum + s.senders.length, 0);
  return all === 0 ? 0 : (rate * share.senders.length) / all;
}
