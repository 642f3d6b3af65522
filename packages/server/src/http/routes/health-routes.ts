import type { HealthResponse, ReadyResponse } from '@ephemeral-chat/protocol';
import type { Engine } from '../../engine/engine.js';
import type { UserStore } from '../../stores/users/user-store.js';
import type { Route } from '../route.js';

const CHECK_TIMEOUT_MS = 2000;

export function healthRoutes(engine: Pick<Engine, 'ping'>, users: UserStore): Route[] {
  return [
    {
      method: 'GET',
      path: '/healthz',
      // A page whose origin is refused probes this with a `no-cors` fetch to tell "refused" from
      // "down" (the SDK does). Such a fetch is blocked unless the answer allows any site to load
      // it, and it says nothing but "ok"; the API's answers stay `same-site`.
      anyOrigin: true,
      async handle() {
        const body: HealthResponse = { status: 'ok' };
        return { status: 200, body, headers: { 'Cross-Origin-Resource-Policy': 'cross-origin' } };
      },
    },
    {
      method: 'GET',
      path: '/readyz',
      async handle() {
        const [engineOk, dbOk] = await Promise.all([check(engine.ping()), check(users.ping())]);
        const body: ReadyResponse = {
          status: engineOk && dbOk ? 'ready' : 'unready',
          checks: { engine: engineOk ? 'ok' : 'down', database: dbOk ? 'ok' : 'down' },
        };
        return { status: body.status === 'ready' ? 200 : 503, body };
      },
    },
  ];
}

/** True when the probe resolves within the timeout. */
async function check(probe: Promise<void>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([probe.then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
