import type { ClientFrameType } from '@ephemeral-chat/protocol';
import { auth } from './auth.js';
import { block } from './block.js';
import { blocks } from './blocks.js';
import { chats } from './chats.js';
import type { FrameHandler } from './context.js';
import { delivered } from './delivered.js';
import { groupAdd } from './group-add.js';
import { groupAdmin } from './group-admin.js';
import { groupCreate } from './group-create.js';
import { groupGet } from './group-get.js';
import { groupLeave } from './group-leave.js';
import { groupOpen } from './group-open.js';
import { groupRemove } from './group-remove.js';
import { groupRename } from './group-rename.js';
import { groups } from './groups.js';
import { history } from './history.js';
import { open } from './open.js';
import { ping } from './ping.js';
import { presence } from './presence.js';
import { read } from './read.js';
import { report } from './report.js';
import { resume } from './resume.js';
import { send } from './send.js';
import { settings } from './settings.js';
import { typing } from './typing.js';
import { unblock } from './unblock.js';
import { unsend } from './unsend.js';

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
  unsend,
  chats,
  ping,
  'group.create': groupCreate,
  'group.add': groupAdd,
  'group.remove': groupRemove,
  'group.leave': groupLeave,
  'group.rename': groupRename,
  'group.admin': groupAdmin,
  'group.get': groupGet,
  'group.open': groupOpen,
  groups,
  block,
  unblock,
  blocks,
  report,
};
