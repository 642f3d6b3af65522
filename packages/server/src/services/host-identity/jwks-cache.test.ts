import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors/app-error.js';
import { HostTokenVerifier } from './host-token-verifier.js';
import { JwksCache } from './jwks-cache.js';

const audience = 'ephemeral-chat';

/** A host's JWKS served over HTTP from this process; counts the fetches it answers. */
class JwksServer {
  keys: JWK[] = [];
  hits = 0;
  #server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.#server = createServer((_req, res) => {
      this.hits++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: this.keys }));
    });
    await new Promise<void>((r) => this.#server?.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/jwks.json`;
    return this;
  }

  close(): Promise<void> {
    return new Promise((r) => this.#server?.close(() => r()));
  }
}

type Alg = 'RS256' | 'ES256' | 'EdDSA';

async function keyPair(alg: Alg, kid: string) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { privateKey, jwk };
}

function token(
  privateKey: CryptoKey,
  alg: Alg,
  kid: string,
  iss: string,
  sub = 'u-1',
): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg, kid })
    .setSubject(sub)
    .setIssuer(iss)
    .setAudience(audience)
    .setExpirationTime('10m')
    .sign(privateKey);
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return (err as AppError).code;
  }
  throw new Error('accepted');
}

describe('host tokens verified against a JWKS', () => {
  let a: JwksServer;
  let b: JwksServer;
  beforeAll(async () => {
    a = await new JwksServer().start();
    b = await new JwksServer().start();
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it.each(['RS256', 'ES256', 'EdDSA'] as const)(
    'accepts a %s token whose kid is in the set',
    async (alg) => {
      const k = await keyPair(alg, `k-${alg}`);
      a.keys = [k.jwk];
      const v = new HostTokenVerifier({
        issuer: 'https://a.example',
        audience,
        jwksUrl: a.url,
        jwks: new JwksCache(),
      });
      const claims = await v.verify(
        await token(k.privateKey, alg, `k-${alg}`, 'https://a.example'),
      );
      expect(claims.subject).toBe('u-1');
    },
  );

  it('refetches for an unknown kid at most once per interval', async () => {
    let now = 1_000_000;
    const cache = new JwksCache({ minRefetchMs: 30_000, now: () => now });
    const old = await keyPair('ES256', 'old');
    const next = await keyPair('ES256', 'next');
    a.keys = [old.jwk];
    a.hits = 0;
    const v = new HostTokenVerifier({
      issuer: 'https://a.example',
      audience,
      jwksUrl: a.url,
      jwks: cache,
    });
    await v.verify(await token(old.privateKey, 'ES256', 'old', 'https://a.example'));
    expect(a.hits).toBe(1);
    // An unknown kid within the interval: no fetch, refused.
    now += 1000;
    const unknown = await token(next.privateKey, 'ES256', 'next', 'https://a.example');
    for (let i = 0; i < 5; i++) {
      expect(await codeOf(v.verify(unknown))).toBe('host_token_invalid');
    }
    expect(a.hits).toBe(1);
    // After the interval the host has rotated: one fetch finds the new key.
    a.keys = [old.jwk, next.jwk];
    now += 30_000;
    await Promise.all([v.verify(unknown), v.verify(unknown), v.verify(unknown)]);
    expect(a.hits).toBe(2);
    // Known kids do not fetch.
    await v.verify(unknown);
    expect(a.hits).toBe(2);
  });

  it("never lets one issuer's key verify another issuer's token, even with the same kid", async () => {
    const cache = new JwksCache({ minRefetchMs: 0 });
    const keyA = await keyPair('RS256', 'shared-kid');
    const keyB = await keyPair('RS256', 'shared-kid');
    a.keys = [keyA.jwk];
    b.keys = [keyB.jwk];
    const issuerA = 'https://a.example';
    const issuerB = 'https://b.example';
    const va = new HostTokenVerifier({ issuer: issuerA, audience, jwksUrl: a.url, jwks: cache });
    const vb = new HostTokenVerifier({ issuer: issuerB, audience, jwksUrl: b.url, jwks: cache });
    await va.verify(await token(keyA.privateKey, 'RS256', 'shared-kid', issuerA));
    await vb.verify(await token(keyB.privateKey, 'RS256', 'shared-kid', issuerB));
    // A's key signing a token that claims to be B's: B's verifier looks up (B's URL, B, kid).
    const forged = await token(keyA.privateKey, 'RS256', 'shared-kid', issuerB, 'admin-of-b');
    expect(await codeOf(vb.verify(forged))).toBe('host_token_invalid');
    // And A's verifier refuses B's issuer outright.
    expect(await codeOf(va.verify(forged))).toBe('host_token_claims');
  });

  it('never fetches one set twice within the interval, whatever kids arrive when (property)', async () => {
    const ec = await keyPair('ES256', 'known');
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            advanceMs: fc.integer({ min: 0, max: 20_000 }),
            kid: fc.constantFrom('known', 'unknown-1', 'unknown-2', 'x'),
          }),
          { minLength: 1, maxLength: 60 },
        ),
        async (steps) => {
          let now = 0;
          const fetchedAt: number[] = [];
          const cache = new JwksCache({
            minRefetchMs: 30_000,
            now: () => now,
            fetch: async () => {
              fetchedAt.push(now);
              return new Response(JSON.stringify({ keys: [ec.jwk] }));
            },
          });
          const source = { url: 'https://a.example/jwks', issuer: 'https://a.example' };
          for (const { advanceMs, kid } of steps) {
            now += advanceMs;
            await cache.key(source, kid, 'ES256').catch((err: unknown) => {
              expect((err as AppError).code).toBe('host_token_invalid');
            });
          }
          for (let i = 1; i < fetchedAt.length; i++) {
            expect((fetchedAt[i] ?? 0) - (fetchedAt[i - 1] ?? 0)).toBeGreaterThanOrEqual(30_000);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a kid-less token, a key of the wrong type, and an HS256 token forged from a public key', async () => {
    const ec = await keyPair('ES256', 'ec');
    a.keys = [ec.jwk];
    const v = new HostTokenVerifier({
      issuer: 'https://a.example',
      audience,
      jwksUrl: a.url,
      jwks: new JwksCache({ minRefetchMs: 0 }),
    });
    const noKid = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('x')
      .setIssuer('https://a.example')
      .setAudience(audience)
      .setExpirationTime('5m')
      .sign(ec.privateKey);
    expect(await codeOf(v.verify(noKid))).toBe('host_token_invalid');
    const rsa = await keyPair('RS256', 'ec');
    // The header says RS256 with the EC key's kid.
    expect(
      await codeOf(v.verify(await token(rsa.privateKey, 'RS256', 'ec', 'https://a.example'))),
    ).toBe('host_token_invalid');
    // The classic confusion: the public key's bytes as an HMAC secret.
    const hmacKey = new TextEncoder().encode(JSON.stringify(ec.jwk));
    const confused = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: 'ec' })
      .setSubject('x')
      .setIssuer('https://a.example')
      .setAudience(audience)
      .setExpirationTime('5m')
      .sign(hmacKey);
    expect(await codeOf(v.verify(confused))).toBe('host_token_invalid');
  });

  it('answers unavailable when the JWKS cannot be fetched', async () => {
    const v = new HostTokenVerifier({
      issuer: 'https://a.example',
      audience,
      jwksUrl: 'http://127.0.0.1:1/jwks.json',
      jwks: new JwksCache({ timeoutMs: 1000 }),
    });
    const k = await keyPair('ES256', 'k');
    expect(
      await codeOf(v.verify(await token(k.privateKey, 'ES256', 'k', 'https://a.example'))),
    ).toBe('unavailable');
  });
});
