import type { Group, ServerFrame } from '@ephemeral-chat/protocol';
import type { TestSocket } from '@ephemeral-chat/testkit';

/** Sends a group request and returns the group of its `group` reply (throws on anything else). */
export async function groupReply(
  socket: TestSocket,
  frame: Record<string, unknown>,
): Promise<Group> {
  const reply = await socket.request(frame);
  if (reply.type !== 'group') throw new Error(`expected group, got ${JSON.stringify(reply)}`);
  return reply.group;
}

/** Sends a request and returns the code of the error it is answered with. */
export async function errorCode(
  socket: TestSocket,
  frame: Record<string, unknown>,
): Promise<string> {
  const reply = await socket.request(frame);
  if (reply.type !== 'error') throw new Error(`expected an error, got ${JSON.stringify(reply)}`);
  return reply.error.code;
}

type Changed = Extract<ServerFrame, { type: 'group.changed' }>;

/** The next `group.changed` event about `room` (of `kind`, if given). */
export async function changed(
  socket: TestSocket,
  room: string,
  kind?: Changed['change']['kind'],
  timeoutMs = 5000,
): Promise<Changed> {
  const frame = await socket.next(
    (f) =>
      f.type === 'group.changed' &&
      f.room === room &&
      (kind === undefined || f.change.kind === kind),
    timeoutMs,
  );
  if (frame.type !== 'group.changed') throw new Error('unreachable');
  return frame;
}
