import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('gives the embedded defaults with nothing set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 8080,
      HOST: '0.0.0.0',
      DATA_DIR: './data',
      BCRYPT_COST: 12,
      ALLOWED_ORIGINS: [],
      LOG_FORMAT: 'pretty',
    });
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.DATABASE_URL).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('parses origins, numbers and booleans', () => {
    const config = loadConfig({
      PORT: '9000',
      ALLOWED_ORIGINS: 'https://a.example, http://localhost:5173',
      COOKIE_SECURE: 'false',
      NODE_ENV: 'production',
    });
    expect(config.PORT).toBe(9000);
    expect(config.ALLOWED_ORIGINS).toEqual(['https://a.example', 'http://localhost:5173']);
    expect(config.COOKIE_SECURE).toBe(false);
    expect(config.LOG_FORMAT).toBe('json');
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', REDIS_URL: '' }).PORT).toBe(8080);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['BCRYPT_COST', '3'],
    ['ALLOWED_ORIGINS', 'https://a.example/path'],
    ['REDIS_URL', 'localhost:6379'],
    ['DATABASE_URL', 'mysql://x'],
    ['PASSWORD_PEPPER', 'short'],
    ['ADMIN_TOKEN', 'short'],
    ['ADMIN_TOKEN', 'a token with spaces that is long enough to pass'],
    ['METRICS_TOKEN', 'short'],
    ['METRICS_TOKEN', 'a token with spaces that is long enough to pass'],
    ['REPORT_SECRET', 'short'],
    ['REPORT_RETENTION_DAYS', '0'],
    ['REPORT_EVIDENCE_DAYS', 'seven'],
    ['COOKIE_SECURE', 'maybe'],
    ['LOG_LEVEL', 'loud'],
  ])('stops with a message naming %s when it is %s', (name, value) => {
    const attempt = () => loadConfig({ [name]: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(new RegExp(`${name}:`));
  });
});
