import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { serverOptions } from './server-options.js';

describe('REDIS_CLUSTER', () => {
  it('parses seed nodes into hosts and ports', () => {
    const config = loadConfig({
      REDIS_CLUSTER: '10.0.0.1:7000, redis-b.internal:7001,[::1]:7002',
    });
    expect(config.REDIS_CLUSTER).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: 'redis-b.internal', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
    expect(serverOptions(config).redis).toMatchObject({
      url: undefined,
      cluster: config.REDIS_CLUSTER,
    });
  });

  it('is unset by default and when empty', () => {
    expect(loadConfig({}).REDIS_CLUSTER).toBeUndefined();
    expect(loadConfig({ REDIS_CLUSTER: '' }).REDIS_CLUSTER).toBeUndefined();
  });

  it.each(['localhost', 'redis://localhost:7000', 'a:7000,,b:7001', 'a:0', 'a:70000', 'a:port'])(
    'stops with a message naming REDIS_CLUSTER for %j',
    (value) => {
      const attempt = () => loadConfig({ REDIS_CLUSTER: value });
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(/REDIS_CLUSTER:.*host:port/);
    },
  );

  it('refuses REDIS_URL and REDIS_CLUSTER together', () => {
    const attempt = () =>
      loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CLUSTER: '127.0.0.1:7000' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/REDIS_CLUSTER: Set either REDIS_URL .* or REDIS_CLUSTER/);
  });
});
