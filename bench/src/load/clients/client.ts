/** One user's connection to a server under test, whatever its protocol. */
export interface Client {
  /** Resolves once connected and authenticated; rejects with the reason otherwise. */
  connect(): Promise<void>;
  /** Opens the 1:1 chat with `peer` and resolves with its room id. */
  open(peer: UserRef): Promise<string>;
  /** Sends one message; the outcome arrives through `ClientEvents.onAck`. */
  send(room: string, text: string, ttl: number, clientMsgId: string): void;
  /**
   * Marks `room` read up to `seq` (ours only: a `read` frame); the reply, a refusal and the read
   * events arrive through `ClientEvents.onRead`. The other dialects have no receipts and throw.
   */
  read(room: string, seq: number): void;
  /**
   * Creates a group of this user and `members` named `name`; resolves with its room id. (The relay
   * has no groups and throws.)
   */
  createGroup(name: string, members: UserRef[]): Promise<string>;
  /**
   * Resolves once this connection receives the group's messages: ours when its `group.changed`
   * event has arrived (the server joins members itself); Socket.IO once `group.join` is acked.
   */
  joinGroup(room: string): Promise<void>;
  /** Asks for the newest `limit` messages of a room; resolves when the reply arrives. */
  history(room: string, limit: number): Promise<void>;
  readonly isOpen: boolean;
  close(): void;
}

export interface ClientEvents {
  /** A send was acknowledged (`ok`) or refused. */
  onAck(ok: boolean): void;
  /**
   * A live message arrived; only its client message id is read (lean parsing). `frame` is the
   * raw event, for `seqOf` when the run marks messages read.
   */
  onMessage(clientMsgId: string, frame: Buffer): void;
  /**
   * Receipt traffic: `answered` the reply to this client's `read`, `refused` an error in its
   * place, `event` a live `read` event (the peer's receipt, or this user's own read echoed).
   */
  onRead(outcome: ReadOutcome): void;
  /** The connection closed after it had been established. */
  onClose(code: number): void;
}

export type ReadOutcome = 'answered' | 'refused' | 'event';

/** What the generator knows of a user. For the relay the token is the user id itself. */
export interface UserRef {
  id: string;
  username: string;
  token: string;
  /** Server base URL (http://host:port) this user connects to. */
  url: string;
}

export type Dialect = 'ours' | 'relay' | 'socketio';

export interface ConnectOptions {
  /** Source address to bind (127.0.0.x), to spread connections over several addresses. */
  localAddress: string | undefined;
}

const CLIENT_MSG_ID = Buffer.from('"clientMsgId":"');
const QUOTE = 0x22;

/** The client message id inside a message event, read without parsing the whole frame. */
export function clientMsgIdOf(frame: Buffer, from = 0): string | undefined {
  const at = frame.indexOf(CLIENT_MSG_ID, from);
  if (at < 0) return undefined;
  const start = at + CLIENT_MSG_ID.length;
  const end = frame.indexOf(QUOTE, start);
  return end < 0 ? undefined : frame.toString('latin1', start, end);
}

const SEQ = Buffer.from('"seq":');

/** The `seq` of a message event (its first `"seq":`, before the text), read without parsing. */
export function seqOf(frame: Buffer, from = 0): number | undefined {
  const at = frame.indexOf(SEQ, from);
  if (at < 0) return undefined;
  let n = 0;
  let i = at + SEQ.length;
  const start = i;
  for (let d = frame[i]; d !== undefined && d >= 0x30 && d <= 0x39; d = frame[++i]) {
    n = n * 10 + (d - 0x30);
  }
  return i === start ? undefined : n;
}
