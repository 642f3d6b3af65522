import { type ClientFrame, errorBodySchema, serverFrameSchema } from '@ephemeral-chat/protocol';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.js';
import { errorResult } from '../http/respond.js';
import { authRequired, errorFrame, rateLimited } from './error-frames.js';

const ping: ClientFrame = { type: 'ping', id: 7 };
const invalid = new AppError('validation_failed', 'Bad input', {
  details: [{ path: 'text', message: 'Too long' }],
});
const limited = new AppError('rate_limited', 'Slow down', { retryAfter: 2 });

describe('error writers', () => {
  it('writes WS error frames the schema accepts, with and without a request id', () => {
    const frames = [
      errorFrame(invalid, 3),
      errorFrame(limited, undefined),
      rateLimited(ping, 1_500),
      authRequired(ping),
    ];
    for (const frame of frames)
      expect(serverFrameSchema.parse(JSON.parse(JSON.stringify(frame)))).toEqual(frame);
    expect(JSON.stringify(frames[2])).toBe(
      '{"type":"error","id":7,"error":{"code":"rate_limited","message":"Slow down; retry in 2 s.","retryAfter":2}}',
    );
  });

  it('writes HTTP error bodies the schema accepts, with the same payload as the WS frame', () => {
    for (const err of [invalid, limited, new AppError('internal')]) {
      const { body } = errorResult(err);
      expect(errorBodySchema.parse(body)).toEqual(body);
      // `{"error":<payload>}` over HTTP, `{"type":"error","error":<payload>}` over WS: same payload bytes.
      const payload = JSON.stringify(body).slice('{"error":'.length, -1);
      expect(JSON.stringify(errorFrame(err, undefined))).toBe(
        `{"type":"error","error":${payload}}`,
      );
    }
  });
});
