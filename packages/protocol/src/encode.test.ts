import { describe, expect, it } from 'vitest';
import {
  encodeAck,
  encodeMessageEvent,
  errorBodySchema,
  errorFrameSchema,
  errorPayload,
  messageEventPrefix,
  serverFrameSchema,
} from './index.js';

const alice = '0b6c2f1e-5d0a-4c1e-9a53-2f7d8e1b4c10';
const bob = '7f3e9a42-1c8b-4d6e-b2a1-9e0c5d4f3a21';
// Key order as both engines store a message.
const message = {
  room: `dm:${alice}:${bob}`,
  seq: 1_700_000_000_001,
  from: alice,
  text: 'quote " backslash \\ and "expiresAt":1 inside',
  clientMsgId: 'm1',
  createdAt: 1_000,
  ttl: 10_000,
  expiresAt: 11_000,
};
const json = JSON.stringify(message);

describe('encoders', () => {
  it('wraps the stored JSON in a message event the schema accepts, byte for byte', () => {
    const frame = encodeMessageEvent(json);
    expect(frame).toBe(JSON.stringify({ type: 'message', message }));
    expect(frame.startsWith(messageEventPrefix)).toBe(true);
    expect(serverFrameSchema.parse(JSON.parse(frame))).toEqual({ type: 'message', message });
  });

  it('wraps the stored JSON in an ack the schema accepts, byte for byte', () => {
    const frame = encodeAck(42, json);
    expect(frame).toBe(JSON.stringify({ type: 'ack', id: 42, message }));
    expect(serverFrameSchema.parse(JSON.parse(frame))).toEqual({ type: 'ack', id: 42, message });
  });

  it('builds error payloads that parse as HTTP bodies and WS error frames', () => {
    const plain = errorPayload('auth_required', 'Send an auth frame first.');
    expect(plain).toEqual({ code: 'auth_required', message: 'Send an auth frame first.' });
    const limited = errorPayload('rate_limited', 'Slow down', { retryAfter: 3 });
    const invalid = errorPayload('validation_failed', 'Bad input', {
      retryAfter: undefined,
      details: [{ path: 'text', message: 'Too long' }],
    });
    expect(Object.keys(invalid)).toEqual(['code', 'message', 'details']);
    for (const error of [plain, limited, invalid]) {
      expect(errorBodySchema.safeParse({ error }).success).toBe(true);
      expect(errorFrameSchema.safeParse({ type: 'error', id: 1, error }).success).toBe(true);
      expect(errorFrameSchema.safeParse({ type: 'error', error }).success).toBe(true);
    }
  });

  it('keeps the message event prefix safe to embed in a single-quoted Lua string', () => {
    expect(messageEventPrefix).not.toMatch(/['\\\n]/);
  });
});
