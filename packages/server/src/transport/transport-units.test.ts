import { describe, expect, it } from 'vitest';
import { readCookie, sessionCookie } from './cookies.js';
import { OriginPolicy } from './origin-policy.js';

describe('OriginPolicy', () => {
  const policy = new OriginPolicy(['https://shop.example']);

  it('lets requests without Origin through', () => {
    expect(policy.classify(undefined, 'chat.example')).toBe('none');
  });
  it('recognises the server’s own host', () => {
    expect(policy.classify('https://chat.example', 'chat.example')).toBe('same');
    expect(policy.classify('http://localhost:8080', 'localhost:8080')).toBe('same');
  });
  it('allows only exact configured origins', () => {
    expect(policy.classify('https://shop.example', 'chat.example')).toBe('cross');
    expect(policy.classify('https://shop.example:444', 'chat.example')).toBe('denied');
    expect(policy.classify('http://shop.example', 'chat.example')).toBe('denied');
    expect(policy.classify('null', 'chat.example')).toBe('denied');
  });
});

describe('cookies', () => {
  it('reads one cookie among several', () => {
    expect(readCookie('a=1; ec_session=tok; b=2', 'ec_session')).toBe('tok');
    expect(readCookie('a=1', 'ec_session')).toBeUndefined();
    expect(readCookie(undefined, 'ec_session')).toBeUndefined();
  });
  it('partitions the cookie only when set cross-site', () => {
    expect(sessionCookie('t', 10, { secure: true, crossSite: true })).toBe(
      'ec_session=t; Path=/; Max-Age=10; HttpOnly; Secure; SameSite=None; Partitioned',
    );
    expect(sessionCookie('t', 10, { secure: false, crossSite: false })).toBe(
      'ec_session=t; Path=/; Max-Age=10; HttpOnly; SameSite=Lax',
    );
  });
});
