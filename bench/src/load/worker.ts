import type { Command, Reply } from './commands.js';
import { Connections } from './connections.js';
import { fill, readLoad } from './fill-and-read.js';
import { runGroupTraffic } from './group-traffic.js';
import { type Pair, runTraffic } from './traffic.js';

/**
 * A load-generator process (forked by the pool): holds its share of the connections and runs
 * what the parent asks, one command at a time, answering each over IPC.
 */
const conns = new Connections();
let pairs: Pair[] = [];

async function handle(cmd: Command): Promise<unknown> {
  switch (cmd.op) {
    case 'connect':
      return conns.connect(cmd.dialect, cmd.users, cmd.localAddress, cmd.concurrency);
    case 'pair': {
      pairs = await Promise.all(
        cmd.pairs.map(async ([a, b]) => {
          const peer = conns.users[b];
          const client = conns.clients[a];
          if (!peer || !client) throw new Error(`no connection ${a} or ${b}`);
          return { a, b, room: await client.open(peer) };
        }),
      );
      return pairs.length;
    }
    case 'run':
      return runTraffic(conns, pairs, cmd);
    case 'group.create': {
      const creator = conns.clients[cmd.creator];
      if (!creator) throw new Error(`no connection ${cmd.creator}`);
      return creator.createGroup(cmd.name, cmd.members);
    }
    case 'group.join':
      await Promise.all(conns.clients.map((c) => c.joinGroup(cmd.room)));
      return conns.clients.length;
    case 'group.run':
      return runGroupTraffic(conns, cmd);
    case 'fill':
      return fill(conns, pairs, cmd.count, cmd.ttlsMs, cmd.window, cmd.textLength);
    case 'read':
      return readLoad(conns, pairs, cmd.durationMs, cmd.ratePerSec, cmd.limit);
    case 'status':
      return { open: conns.openCount(), rss: process.memoryUsage.rss() };
    case 'close':
      conns.closeAll();
      setTimeout(() => process.exit(0), 50);
      return null;
  }
}

process.on('message', (msg: { seq: number; cmd: Command }) => {
  handle(msg.cmd).then(
    (result) => reply({ seq: msg.seq, ok: true, result }),
    (err: unknown) => reply({ seq: msg.seq, ok: false, error: (err as Error).message }),
  );
});
// The parent going away (Ctrl-C, crash) must not leave a generator running.
process.on('disconnect', () => process.exit(0));

function reply(r: Reply): void {
  process.send?.(r);
}

process.send?.({ ready: true });
