import { roomFor } from '../../src/services/rooms.js';

export interface FuzzUser {
  id: string;
  username: string;
  token: string;
}

/** What one user's frames can refer to: its own room, its twin, rooms of others, tokens. */
export interface WsView {
  self: FuzzUser;
  peer: FuzzUser;
  ownRoom: string;
  /** `dm:<b>:<a>`: the own room's ids unsorted (issue 12, item 8). */
  reversedRoom: string;
  /** The room of two other users. */
  foreignRoom: string;
  tokens: string[];
}

export function viewOf(self: FuzzUser, peer: FuzzUser, third: FuzzUser): WsView {
  const ownRoom = roomFor(self.id, peer.id);
  const [, a, b] = ownRoom.split(':');
  return {
    self,
    peer,
    ownRoom,
    reversedRoom: `dm:${b}:${a}`,
    foreignRoom: roomFor(peer.id, third.id),
    tokens: [self.token, peer.token],
  };
}
