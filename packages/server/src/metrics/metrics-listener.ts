import { Registry } from 'prom-client';
import type { Logger } from '../logger.js';
import {
  App,
  type HttpResponse,
  type us_listen_socket,
  us_listen_socket_close,
  us_socket_local_port,
} from '../uws.js';

/** The METRICS_PORT listener, to close with the server (or with a primary that owns it). */
export interface MetricsListener {
  readonly port: number;
  close(): void;
}

const NOT_FOUND = 'Not found: this port serves GET /metrics only.\n';

/**
 * `GET /metrics` (and HEAD) with no token on a port of its own, for a scraper on a private
 * network (METRICS_PORT); every other path answers 404. `source` gives the body, so a process
 * running several servers can serve them all from one listener.
 */
export function listenMetrics(
  port: number,
  host: string,
  source: () => Promise<string>,
  logger: Pick<Logger, 'error'>,
): Promise<MetricsListener> {
  const app = App();
  const serve = (res: HttpResponse, head: boolean) => {
    const state = { aborted: false };
    res.onAborted(() => {
      state.aborted = true;
    });
    source().then(
      (text) => {
        if (state.aborted) return;
        res.cork(() => {
          res.writeStatus('200 OK');
          res.writeHeader('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE);
          res.writeHeader('Cache-Control', 'no-store');
          if (head) res.endWithoutBody(Buffer.byteLength(text));
          else res.end(text);
        });
      },
      (err: unknown) => {
        logger.error({ err }, 'could not collect the metrics');
        if (state.aborted) return;
        res.cork(() => {
          res.writeStatus('500 Internal Server Error').end('Could not collect the metrics.\n');
        });
      },
    );
  };
  app.get('/metrics', (res) => serve(res, false));
  app.head('/metrics', (res) => serve(res, true));
  app.any('/*', (res, req) => {
    const head = req.getMethod() === 'head';
    // uWS does not count endWithoutBody as an answer when it checks the handler's return: a HEAD
    // answered that way aborts the process unless an abort handler is attached.
    res.onAborted(() => {});
    res.cork(() => {
      res.writeStatus('404 Not Found');
      res.writeHeader('Content-Type', 'text/plain; charset=utf-8');
      if (head) res.endWithoutBody(Buffer.byteLength(NOT_FOUND));
      else res.end(NOT_FOUND);
    });
  });
  return new Promise((done, fail) => {
    app.listen(host, port, (socket: us_listen_socket | false) => {
      if (!socket) {
        fail(
          new Error(`Cannot listen on ${host}:${port} (METRICS_PORT): in use or not permitted.`),
        );
        return;
      }
      done({ port: us_socket_local_port(socket), close: () => us_listen_socket_close(socket) });
    });
  });
}
