import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { serverOptions } from './server-options.js';

describe('serverOptions', () => {
  it('groups the defaults by the part of the server that reads them', () => {
    const options = serverOptions(loadConfig({}));
    expect(options.http).toMatchObject({ host: '0.0.0.0', port: 8080, cookieSecure: true });
    expect(options.ws).toMatchObject({ authTimeoutMs: 5000, sendRate: 10, maxInFlight: 32 });
    expect(options.throttle).toMatchObject({ windowMs: 300_000, registrationWindowMs: 3_600_000 });
    expect(options.presence).toEqual({ ttlMs: 60_000, sweepMs: 15_000 });
    expect(options.redis).toEqual({ url: undefined, keyPrefix: 'ec:', commandTimeoutMs: 1000 });
    expect(options.nodeId).toBeUndefined();
    expect(options.hostAuth).toEqual({
      localAccounts: true,
      secret: undefined,
      jwksUrl: undefined,
      issuer: undefined,
      audience: undefined,
    });
  });

  it('carries each variable to its group', () => {
    const options = serverOptions(
      loadConfig({ WS_MAX_SOCKETS_PER_USER: '3', PRESENCE_TTL_MS: '9000', TRUST_PROXY: 'true' }),
    );
    expect(options.ws.maxSocketsPerUser).toBe(3);
    expect(options.presence.ttlMs).toBe(9000);
    expect(options.http.trustProxy).toBe(true);
  });

  it('leaves no grouped value undefined unless its variable is optional', () => {
    const options = serverOptions(loadConfig({}));
    const optional = [
      'url',
      // REDIS_CLUSTER: unset unless Redis is a cluster.
      'cluster',
      'schema',
      'pepper',
      'widgetDir',
      'demoDir',
      'nodeId',
      'reportSecret',
      'adminToken',
      // Host sign-in (HOST_JWT_*): unset unless a site signs its users in.
      'secret',
      'jwksUrl',
      'issuer',
      'audience',
    ];
    const missing = Object.entries(options).flatMap(([group, value]) =>
      value !== null && typeof value === 'object'
        ? Object.entries(value)
            .filter(([k, v]) => v === undefined && !optional.includes(k))
            .map(([k]) => `${group}.${k}`)
        : [],
    );
    expect(missing).toEqual([]);
  });
});
