import { createHmac } from 'node:crypto';
import { errorCodes } from '@ephemeral-chat/protocol';
import fc from 'fast-check';
import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors/app-error.js';
import { HostTokenVerifier } from './host-token-verifier.js';

const secret = 'a host secret of at least thirty-two bytes';
const issuer = 'https://host.example';
const audience = 'ephemeral-chat';
const key = new TextEncoder().encode(secret);
const nowS = () => Math.floor(Date.now() / 1000);

const verifier = new HostTokenVerifier({ issuer, audience, secret });

interface Claims {
  sub?: string;
  iss?: string;
  aud?: string;
  exp?: number;
  [claim: string]: unknown;
}

function sign(claims: Claims, signingKey: Uint8Array = key, alg = 'HS256'): Promise<string> {
  const body: Claims = { sub: 'u-1', iss: issuer, aud: audience, exp: nowS() + 300, ...claims };
  for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
  return new SignJWT(body).setProtectedHeader({ alg }).sign(signingKey);
}

/** Signed by hand: jose's SignJWT refuses to sign the malformed claim sets the fuzz wants. */
function hmacJwt(payloadJson: string): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64url');
  const input = `${b64('{"alg":"HS256"}')}.${b64(payloadJson)}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}

async function refusal(token: unknown, v = verifier): Promise<string> {
  try {
    await v.verify(token);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return (err as AppError).code;
  }
  throw new Error('the token was accepted');
}

describe('HostTokenVerifier with HS256', () => {
  it('accepts a token with sub, iss, aud and exp and reads its display name', async () => {
    const token = await sign({ sub: 'user-42', preferred_username: 'Ada' });
    const claims = await verifier.verify(token);
    expect(claims).toMatchObject({ issuer, subject: 'user-42', displayName: 'Ada' });
    expect(claims.expiresAt).toBeGreaterThan(Date.now());
  });

  it('falls back to the name claim for the display name', async () => {
    const claims = await verifier.verify(await sign({ name: 'Ada Lovelace' }));
    expect(claims.displayName).toBe('Ada Lovelace');
  });

  it('refuses an expired token with host_token_expired', async () => {
    expect(await refusal(await sign({ exp: nowS() - 120 }))).toBe('host_token_expired');
  });

  it('refuses a token not valid yet (nbf) with host_token_expired', async () => {
    expect(await refusal(await sign({ nbf: nowS() + 600 }))).toBe('host_token_expired');
  });

  it('refuses an exp more than 24 h ahead with host_token_lifetime', async () => {
    expect(await refusal(await sign({ exp: nowS() + 25 * 3600 }))).toBe('host_token_lifetime');
  });

  it('accepts an exp just under 24 h ahead', async () => {
    await expect(
      verifier.verify(await sign({ exp: nowS() + 24 * 3600 - 5 })),
    ).resolves.toBeTruthy();
  });

  it('refuses a wrong audience and a wrong issuer with host_token_claims', async () => {
    expect(await refusal(await sign({ aud: 'another-app' }))).toBe('host_token_claims');
    expect(await refusal(await sign({ iss: 'https://evil.example' }))).toBe('host_token_claims');
  });

  it.each(['sub', 'iss', 'aud', 'exp'])('refuses a token without %s', async (claim) => {
    const code = await refusal(await sign({ [claim]: undefined }));
    expect(code).toBe('host_token_claims');
  });

  it('refuses a token signed with another secret with host_token_invalid', async () => {
    const other = new TextEncoder().encode('another secret of at least thirty-two bytes');
    expect(await refusal(await sign({}, other))).toBe('host_token_invalid');
  });

  it('refuses an unsigned token (alg none) and other HMAC algorithms', async () => {
    const unsecured = new UnsecuredJWT({
      sub: 'x',
      iss: issuer,
      aud: audience,
      exp: nowS() + 60,
    }).encode();
    expect(await refusal(unsecured)).toBe('host_token_invalid');
    expect(await refusal(await sign({}, key, 'HS512'))).toBe('host_token_invalid');
  });

  it('refuses an HS256 token when only a JWKS is configured', async () => {
    const { JwksCache } = await import('./jwks-cache.js');
    const jwksOnly = new HostTokenVerifier({
      issuer,
      audience,
      jwksUrl: 'http://127.0.0.1:1/jwks.json',
      jwks: new JwksCache(),
    });
    expect(await refusal(await sign({}), jwksOnly)).toBe('host_token_invalid');
  });

  it('refuses a sub that is not a string', async () => {
    const token = await new SignJWT({ sub: 42 as unknown as string, iss: issuer, aud: audience })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('5m')
      .sign(key);
    expect(['host_token_claims', 'host_token_invalid']).toContain(await refusal(token));
  });

  it('refuses what is not a token at all', async () => {
    for (const bad of ['', 'abc', 'a.b.c', 42, null, undefined, {}, 'x'.repeat(9000)]) {
      expect(await refusal(bad)).toBe('host_token_invalid');
    }
  });
});

describe('HostTokenVerifier on arbitrary input (fuzz)', () => {
  const documented = new Set(Object.keys(errorCodes));
  const hostCodes = new Set([
    'host_token_invalid',
    'host_token_expired',
    'host_token_claims',
    'host_token_lifetime',
  ]);

  it('never crashes and refuses random strings with a documented code', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.base64String(), fc.stringMatching(/^[A-Za-z0-9_.-]{0,300}$/)),
        async (token) => {
          const code = await refusal(token);
          expect(documented.has(code)).toBe(true);
          expect(hostCodes.has(code)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses every garbled variant of a valid token with a documented code', async () => {
    const valid = await sign({});
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: valid.length - 1 }),
        fc.constantFrom(...'ABCxyz019-_.=%'.split('')),
        fc.constantFrom('replace', 'insert', 'delete'),
        async (at, ch, op) => {
          const garbled =
            op === 'replace'
              ? valid.slice(0, at) + ch + valid.slice(at + 1)
              : op === 'insert'
                ? valid.slice(0, at) + ch + valid.slice(at)
                : valid.slice(0, at) + valid.slice(at + 1);
          if (garbled === valid) return;
          try {
            // A change in base64url padding bits can leave the bytes, and the token, the same.
            await verifier.verify(garbled);
          } catch (err) {
            expect(err).toBeInstanceOf(AppError);
            expect(hostCodes.has((err as AppError).code)).toBe(true);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('refuses correctly signed payloads that are not JSON objects with documented codes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.json()), async (payload) => {
        const code = await refusal(hmacJwt(payload));
        expect(hostCodes.has(code)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses random claim sets signed with the right key only with documented codes', async () => {
    const claim = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string(), { maxLength: 3 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            sub: claim,
            iss: fc.oneof(claim, fc.constant(issuer)),
            aud: fc.oneof(claim, fc.constant(audience)),
            exp: fc.oneof(claim, fc.integer({ min: nowS() - 1000, max: nowS() + 200_000 })),
            nbf: claim,
          },
          { requiredKeys: [] },
        ),
        async (claims) => {
          const token = hmacJwt(JSON.stringify(claims));
          try {
            await verifier.verify(token);
          } catch (err) {
            expect(err).toBeInstanceOf(AppError);
            expect(hostCodes.has((err as AppError).code)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
