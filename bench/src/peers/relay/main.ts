import uws from 'uWebSockets.js';
import { membersOf } from '../rooms.js';

/**
 * The ceiling: a bare uWebSockets.js relay speaking the same frames as ephemeral-chat, doing the
 * least a chat relay can (parse, stamp, publish to both members' topics, ack) and storing
 * nothing — no validation, no sessions (the auth token is taken as the user id), no Redis.
 * The only module of bench/ that imports uWebSockets.js. Env: HOST, PORT.
 */
interface Conn {
  userId: string | undefined;
}

const decoder = new TextDecoder();
let seq = 0;
const app = uws.App();

app.ws<Conn>('/ws', {
  compression: 0,
  maxPayloadLength: 64 * 1024,
  idleTimeout: 60,
  maxBackpressure: 1024 * 1024,
  upgrade(res, req, context) {
    res.upgrade<Conn>(
      { userId: undefined },
      req.getHeader('sec-websocket-key'),
      req.getHeader('sec-websocket-protocol'),
      req.getHeader('sec-websocket-extensions'),
      context,
    );
  },
  message(ws, raw) {
    const frame = JSON.parse(decoder.decode(raw)) as Record<string, unknown>;
    const conn = ws.getUserData();
    if (frame.type === 'auth') {
      conn.userId = String(frame.token);
      ws.subscribe(`user:${conn.userId}`);
      const user = { id: conn.userId, username: conn.userId };
      ws.send(JSON.stringify({ type: 'welcome', id: frame.id, user, serverTime: Date.now() }));
      return;
    }
    const members = membersOf(frame.room);
    if (frame.type !== 'send' || !conn.userId || !members) return;
    const createdAt = Date.now();
    const ttl = Number(frame.ttl);
    const message = {
      room: frame.room,
      seq: ++seq,
      from: conn.userId,
      text: frame.text,
      clientMsgId: frame.clientMsgId,
      createdAt,
      ttl,
      expiresAt: createdAt + ttl,
    };
    ws.cork(() => ws.send(JSON.stringify({ type: 'ack', id: frame.id, message })));
    const event = JSON.stringify({ type: 'message', message });
    app.publish(`user:${members[0]}`, event);
    app.publish(`user:${members[1]}`, event);
  },
});

app.listen(process.env.HOST ?? '127.0.0.1', Number(process.env.PORT ?? 0), (socket) => {
  if (!socket) {
    console.error('relay: cannot listen');
    process.exit(1);
  }
  const url = `http://${process.env.HOST ?? '127.0.0.1'}:${uws.us_socket_local_port(socket)}`;
  console.log(JSON.stringify({ msg: `uWS relay listening on ${url}`, url }));
});

process.on('SIGTERM', () => process.exit(0));
