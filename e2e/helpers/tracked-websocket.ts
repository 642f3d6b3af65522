import type { IncomingMessage } from 'node:http';
import type { WebSocketConstructor } from '@ephemeral-chat/sdk';
import WebSocket from 'ws';

/**
 * `ws`'s WebSocket (Node 20 has none built in) that notes which node HAProxy handed each socket
 * to, from the `X-Served-By` header of the upgrade response (deploy/haproxy.cfg sets it).
 */
export function trackedWebSocket(): { WebSocket: WebSocketConstructor; servedBy: string[] } {
  const servedBy: string[] = [];
  class Tracked extends WebSocket {
    constructor(url: string | URL) {
      super(url);
      this.on('upgrade', (res: IncomingMessage) => {
        servedBy.push(String(res.headers['x-served-by'] ?? 'unknown'));
      });
    }
  }
  return { WebSocket: Tracked, servedBy };
}
