import { describe, expect, it } from 'vitest';
import { cookieFreeUrl } from './cookie-free-url';

describe('cookieFreeUrl', () => {
  it('names localhost by its address, keeping scheme, port and path', () => {
    expect(cookieFreeUrl('http://localhost:8080')).toBe('http://127.0.0.1:8080');
    expect(cookieFreeUrl('http://localhost:8080/chat/')).toBe('http://127.0.0.1:8080/chat/');
  });

  it('names 127.0.0.1 as localhost', () => {
    expect(cookieFreeUrl('http://127.0.0.1:8080')).toBe('http://localhost:8080');
  });

  it('leaves any other host as it is', () => {
    expect(cookieFreeUrl('https://chat.example.com')).toBe('https://chat.example.com');
  });
});
