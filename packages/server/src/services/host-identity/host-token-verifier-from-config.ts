import type { HostAuthConfig } from '../../config/server-options.js';
import { HostTokenVerifier } from './host-token-verifier.js';
import { JwksCache } from './jwks-cache.js';

/** The verifier HOST_JWT_* configure, or undefined when host sign-in is off. */
export function hostTokenVerifier(c: HostAuthConfig): HostTokenVerifier | undefined {
  if (c.secret === undefined && c.jwksUrl === undefined) return undefined;
  // The env schema requires both with either key source.
  if (c.issuer === undefined || c.audience === undefined) {
    throw new Error('HOST_JWT_ISSUER and HOST_JWT_AUDIENCE are required for host sign-in.');
  }
  return new HostTokenVerifier({
    issuer: c.issuer,
    audience: c.audience,
    secret: c.secret,
    jwksUrl: c.jwksUrl,
    jwks: c.jwksUrl === undefined ? undefined : new JwksCache(),
  });
}
