import type { Client, ClientEvents, Dialect, ReadOutcome, UserRef } from './clients/client.js';
import { createClient } from './clients/create-client.js';
import type { ConnectResult } from './commands.js';

/** Events of connection `index`, routed to whatever traffic loop is running. */
export interface Sink {
  onAck(index: number, ok: boolean): void;
  onMessage(index: number, clientMsgId: string, frame: Buffer): void;
  onRead(index: number, outcome: ReadOutcome): void;
  onClose(index: number, code: number): void;
}

/** A sink that drops everything: between runs. */
export const idleSink: Sink = { onAck() {}, onMessage() {}, onRead() {}, onClose() {} };

/** This worker's connections, in the order the parent listed their users. */
export class Connections {
  readonly clients: Client[] = [];
  readonly users: UserRef[] = [];
  sink: Sink = idleSink;

  /** Connects and authenticates every user, `concurrency` at a time. */
  async connect(
    dialect: Dialect,
    users: UserRef[],
    localAddress: string | undefined,
    concurrency: number,
  ): Promise<ConnectResult> {
    const t0 = performance.now();
    const base = this.clients.length;
    let next = 0;
    let failed = 0;
    let firstError: string | undefined;
    const lane = async () => {
      while (next < users.length) {
        const i = next++;
        const user = users[i] as UserRef;
        const index = base + i;
        const events: ClientEvents = {
          onAck: (ok) => this.sink.onAck(index, ok),
          onMessage: (id, frame) => this.sink.onMessage(index, id, frame),
          onRead: (outcome) => this.sink.onRead(index, outcome),
          onClose: (code) => this.sink.onClose(index, code),
        };
        const client = createClient(dialect, user, localAddress, events);
        this.clients[index] = client;
        this.users[index] = user;
        try {
          await client.connect();
        } catch (err) {
          failed++;
          firstError ??= (err as Error).message;
          client.close();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, users.length) }, lane));
    return { connected: users.length - failed, failed, firstError, ms: performance.now() - t0 };
  }

  openCount(): number {
    return this.clients.filter((c) => c.isOpen).length;
  }

  closeAll(): void {
    for (const c of this.clients) c.close();
  }
}
