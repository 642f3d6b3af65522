/** One user's connection to a server under test, whatever its protocol. */
export interface Client {
  /** Resolves once connected and authenticated; rejects with the reason otherwise. */
  connect(): Promise<void>;
  /** Opens the 1:1 chat with `peer` and resolves with its room id. */
  open(peer: UserRef): Promise<string>;
  /** Sends one message; the outcome arrives through `ClientEvents.onAck`. */
  send(room: string, text: string, ttl: number, clientMsgId: string): void;
  /** Asks for the newest `limit` messages of a room; resolves when the reply arrives. */
  history(room: string, limit: number): Promise<void>;
  readonly isOpen: boolean;
  close(): void;
}

export interface ClientEvents {
  /** A send was acknowledged (`ok`) or refused. */
  onAck(ok: boolean): void;
  /** A live message arrived; only its client message id is read (lean parsing). */
  onMessage(clientMsgId: string): void;
  /** The connection closed after it had been established. */
  onClose(code: number): void;
}

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
