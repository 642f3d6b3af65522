import { APPEND, TOUCH_USER_ROOM } from './append-scripts.js';
import { GROUP_JOIN, GROUP_READ } from './group-scripts.js';
import { READ_AFTER, READ_BEFORE } from './read-scripts.js';
import { MARKS, READ_STATE } from './read-state-scripts.js';
import { SET_SETTINGS } from './settings-scripts.js';
import { UNSEND } from './unsend-script.js';

/** The message seam's scripts, as custom commands on the shared connection. */
export const messageScripts = {
  // No fixed key count: a batch of n sends passes its keys' count first.
  ecAppend: { lua: APPEND },
  ecReadAfter: { numberOfKeys: 2, lua: READ_AFTER },
  ecReadBefore: { numberOfKeys: 2, lua: READ_BEFORE },
  // No fixed key count either: a batch of n marks.
  ecMarks: { lua: MARKS },
  ecSetSettings: { numberOfKeys: 1, lua: SET_SETTINGS },
  ecReadState: { numberOfKeys: 3, lua: READ_STATE },
  ecUnsend: { numberOfKeys: 4, lua: UNSEND },
  ecTouchUserRoom: { numberOfKeys: 1, lua: TOUCH_USER_ROOM },
  ecGroupRead: { numberOfKeys: 5, lua: GROUP_READ },
  ecGroupJoin: { numberOfKeys: 3, lua: GROUP_JOIN },
} as const;
