import { ChatError } from '@ephemeral-chat/sdk';
import { describe, expect, it } from 'vitest';
import { errorText, fieldErrors } from './errors.js';
import { defaultStrings } from './strings.js';

const fields = ['username', 'password'];

describe('fieldErrors', () => {
  it('puts validation details under the fields they name', () => {
    const err = new ChatError('validation_failed', 'Invalid body.', {
      details: [
        { path: 'username', message: 'Usernames have at least 3 characters.' },
        { path: 'password', message: 'Passwords have at least 8 characters.' },
        { path: 'cookie', message: 'Expected boolean.' },
      ],
    });
    expect(fieldErrors(err, fields, defaultStrings)).toEqual({
      username: 'Usernames have at least 3 characters.',
      password: 'Passwords have at least 8 characters.',
      form: 'Expected boolean.',
    });
  });

  it('puts a taken username and a weak password under their field, the rest on the form', () => {
    const taken = new ChatError('username_taken', 'Taken.');
    expect(fieldErrors(taken, fields, defaultStrings)).toEqual({
      username: 'That username is taken.',
    });
    const weak = new ChatError('weak_password', 'That password is too common.');
    expect(fieldErrors(weak, fields, defaultStrings)).toEqual({
      password: 'That password is too common.',
    });
    const wrong = new ChatError('invalid_credentials', 'Nope.');
    expect(fieldErrors(wrong, fields, defaultStrings)).toEqual({
      form: 'Wrong username or password.',
    });
  });
});

describe('errorText', () => {
  it('says how long to wait when rate limited', () => {
    const err = new ChatError('rate_limited', 'Slow down.', { retryAfter: 42 });
    expect(errorText(err, defaultStrings)).toBe('Too many attempts. Try again in 42 s.');
  });
});
