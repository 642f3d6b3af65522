import type { ChainableCommander } from 'ioredis';
import { UnavailableError } from '../../errors/app-error.js';

/** Runs a Redis command; any failure (refused, timeout, script error) becomes UnavailableError. */
export async function call<T>(command: () => Promise<T>): Promise<T> {
  try {
    return await command();
  } catch (err) {
    throw new UnavailableError('engine', err);
  }
}

/** Sends a pipeline in one round trip and returns its replies, or throws its first error. */
export async function execPipeline(pipeline: ChainableCommander): Promise<unknown[]> {
  const replies = await call(() => pipeline.exec());
  if (!replies) throw new UnavailableError('engine', new Error('pipeline aborted'));
  return replies.map(([err, reply]) => {
    if (err) throw new UnavailableError('engine', err);
    return reply;
  });
}
