import type { ClientFrameType } from '@ephemeral-chat/protocol';
import { auth } from './auth.js';
import { chats } from './chats.js';
import type { FrameHandler } from './context.js';
import { delivered } from './delivered.js';
import { history } from './history.js';
import { open } from './open.js';
import { ping } from './ping.js';
import { presence } from './presence.js';
import { read } from './read.js';
import { resume } from './resume.js';
import { send } from './send.js';
import { settings } from './settings.js';
import { typing } from './typing.js';

export type { FrameContext, FrameHandler, FrameServices, SessionContext } from './context.js';

/** One handler per client frame type; a type missing here does not compile. */
export const frameHandlers: { readonly [T in ClientFrameType]: FrameHandler<T> } = {
  auth,
  open,
  send,
  history,
  resume,
  typing,
  presence,
  read,
  delivered,
  settings,
  chats,
  ping,
};
