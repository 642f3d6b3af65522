import { describe, expect, it } from 'vitest';
import { errorBodySchema } from './error-body.js';
import { errorCodeList, errorCodes, isErrorCode } from './error-codes.js';

describe('errorCodes', () => {
  it.each(Object.entries(errorCodes))(
    'gives %s a 4xx or 5xx status and a description',
    (_code, entry) => {
      expect(entry.status).toBeGreaterThanOrEqual(400);
      expect(entry.status).toBeLessThan(600);
      expect(entry.description.length).toBeGreaterThan(0);
    },
  );

  it('lists every code once, in snake_case', () => {
    expect(errorCodeList).toEqual(Object.keys(errorCodes));
    for (const code of errorCodeList) expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });

  it('recognises its own codes and nothing else', () => {
    expect(isErrorCode('rate_limited')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode('RATE_LIMITED')).toBe(false);
    expect(isErrorCode(429)).toBe(false);
  });

  it('lets every code travel in an error body', () => {
    for (const code of errorCodeList) {
      expect(errorBodySchema.safeParse({ error: { code, message: 'm' } }).success).toBe(true);
    }
  });
});
