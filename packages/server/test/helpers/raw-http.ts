import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  /** Header lines as sent, lower-cased names. */
  headers: [string, string][];
  body: Buffer;
}

/**
 * One HTTP/1.1 request over a plain socket, for what fetch cannot send: repeated header lines,
 * bytes that are not UTF-8. `Connection: close` is added, so the response ends with the socket.
 */
export function rawRequest(
  port: number,
  head: string[],
  body: Buffer = Buffer.alloc(0),
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      const lines = [...head, 'Host: 127.0.0.1', 'Connection: close'];
      if (body.length > 0) lines.push(`Content-Length: ${body.length}`);
      socket.write(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]));
    });
    const chunks: Buffer[] = [];
    socket.setTimeout(5_000, () => socket.destroy(new Error('raw request timed out')));
    socket.on('data', (c) => {
      chunks.push(c);
      // A HEAD answer ends with its headers, whatever Content-Length says.
      if (head[0]?.startsWith('HEAD ') && Buffer.concat(chunks).includes('\r\n\r\n')) {
        socket.destroy();
      }
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      const [statusLine = '', ...headerLines] = all
        .subarray(0, end < 0 ? all.length : end)
        .toString('latin1')
        .split('\r\n');
      resolve({
        status: Number(statusLine.split(' ')[1]),
        headers: headerLines.map((l) => {
          const i = l.indexOf(':');
          return [l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim()];
        }),
        body: end < 0 ? Buffer.alloc(0) : all.subarray(end + 4),
      });
    });
  });
}
