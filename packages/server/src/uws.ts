/**
 * The only module that imports uWebSockets.js. The package is the npm alias
 * `@trufflesuite/uws-js-unofficial` (upstream installs from GitHub only); it ships native
 * binaries for Node 16/18/20 and otherwise falls back to a slow pure-JS implementation.
 */
import uws from 'uWebSockets.js';

export type {
  HttpRequest,
  HttpResponse,
  TemplatedApp,
  us_listen_socket,
  WebSocket,
} from 'uWebSockets.js';

/** The fallback exports only `App` and two helpers; the native addon exports compressor flags. */
export const uwsIsNative: boolean = 'SHARED_COMPRESSOR' in uws;

export const { App, us_listen_socket_close, us_socket_local_port } = uws;

/** `CompressOptions` value for no permessage-deflate (the fallback lacks the constant). */
export const COMPRESSION_DISABLED = 0;
