import { performance } from 'node:perf_hooks';
import type { Command } from 'ioredis';

/** The one method of an ioredis client that every command (pipelines and scripts too) goes through. */
export interface CommandSender {
  sendCommand(command: Command, ...rest: never[]): unknown;
}

/**
 * Times every command of one connection, from the call to its reply (or failure), by command
 * name — a closed set chosen by the server's code (`evalsha`, `get`, …), never by a client. The
 * cost is one clock read and one settled-promise callback per command.
 */
export function timeRedisCommands(
  client: CommandSender,
  observe: (command: string, ms: number) => void,
): void {
  const send = client.sendCommand.bind(client);
  // A Cluster client passes a third argument (the node a pipeline runs on): forward them all.
  client.sendCommand = (command, ...rest) => {
    const start = performance.now();
    const done = () => observe(command.name, performance.now() - start);
    // A second listener on the command's promise: its rejection stays its caller's to handle.
    command.promise.then(done, done);
    return send(command, ...rest);
  };
}
