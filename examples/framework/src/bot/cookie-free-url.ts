/**
 * The chat server's URL under another name of the same machine, for the bot's client.
 *
 * The widget's session is a cookie for the server's host, and a browser sends it with every
 * WebSocket upgrade to that host, whatever the script asked for; the server then signs the socket
 * in as the cookie's user before the bot's `auth` frame arrives. Cookies are kept per host name,
 * so `localhost` and `127.0.0.1` keep the two sessions apart. Other hosts are returned unchanged.
 */
export function cookieFreeUrl(server: string): string {
  const url = new URL(server);
  if (url.hostname === 'localhost') url.hostname = '127.0.0.1';
  else if (url.hostname === '127.0.0.1') url.hostname = 'localhost';
  return url.pathname === '/' ? url.origin : url.href;
}
