import type { ChainableCommander, Redis } from 'ioredis';
import { APPEND, READ_AFTER, READ_BEFORE, TOUCH_USER_ROOM } from './message-scripts.js';
import { MARK_OFFLINE, MARK_ONLINE } from './presence-scripts.js';

/**
 * The engine's Lua scripts as ioredis custom commands: ioredis sends EVAL the first time on each
 * connection and EVALSHA after that, and falls back to EVAL on NOSCRIPT (e.g. after a restart).
 */
const scripts = {
  // No fixed key count: a batch of n sends passes 4n keys (the count goes first).
  ecAppend: { lua: APPEND },
  ecReadAfter: { numberOfKeys: 2, lua: READ_AFTER },
  ecReadBefore: { numberOfKeys: 2, lua: READ_BEFORE },
  ecTouchUserRoom: { numberOfKeys: 1, lua: TOUCH_USER_ROOM },
  ecMarkOnline: { numberOfKeys: 1, lua: MARK_ONLINE },
  ecMarkOffline: { numberOfKeys: 1, lua: MARK_OFFLINE },
} as const;

type Arg = string | number;
type ScriptCommands<R> = { [K in keyof typeof scripts]: (...keysThenArgs: Arg[]) => R };

export type ScriptedRedis = Redis & ScriptCommands<Promise<unknown>>;
export type ScriptedPipeline = ChainableCommander & ScriptCommands<ChainableCommander>;

export function defineScripts(redis: Redis): ScriptedRedis {
  for (const [name, definition] of Object.entries(scripts)) redis.defineCommand(name, definition);
  return redis as ScriptedRedis;
}

export function scriptedPipeline(redis: ScriptedRedis): ScriptedPipeline {
  return redis.pipeline() as ScriptedPipeline;
}
