import type { ChainableCommander } from 'ioredis';
import type { RedisClient } from './redis-client-type.js';

/** A Lua script as an ioredis custom command (no numberOfKeys: the key count goes first). */
export interface ScriptDefinition {
  readonly lua: string;
  readonly numberOfKeys?: number;
}

export type ScriptSet = Readonly<Record<string, ScriptDefinition>>;

type Arg = string | number;
type ScriptCommands<S extends ScriptSet, R> = { [K in keyof S]: (...keysThenArgs: Arg[]) => R };

export type ScriptedRedis<S extends ScriptSet> = RedisClient & ScriptCommands<S, Promise<unknown>>;
export type ScriptedPipeline<S extends ScriptSet> = ChainableCommander &
  ScriptCommands<S, ChainableCommander>;

/**
 * Defines a seam's scripts as custom commands on the shared connection: ioredis sends EVAL the
 * first time on each connection and EVALSHA after that, and falls back to EVAL on NOSCRIPT (e.g.
 * after a restart). On a Cluster each call goes to the node of its first key's slot.
 */
export function defineScripts<S extends ScriptSet>(
  redis: RedisClient,
  scripts: S,
): ScriptedRedis<S> {
  for (const [name, definition] of Object.entries(scripts)) redis.defineCommand(name, definition);
  return redis as ScriptedRedis<S>;
}

export function scriptedPipeline<S extends ScriptSet>(
  redis: ScriptedRedis<S>,
): ScriptedPipeline<S> {
  return redis.pipeline() as ScriptedPipeline<S>;
}
