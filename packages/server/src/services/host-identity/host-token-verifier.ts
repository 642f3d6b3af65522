import { type JWTPayload, jwtVerify } from 'jose';
import { AppError } from '../../errors/app-error.js';
import type { JwksCache } from './jwks-cache.js';

/** Algorithms a JWKS key may sign with (asymmetric only: a JWKS never holds an HMAC secret). */
export const jwksAlgorithms = ['RS256', 'ES256', 'EdDSA'] as const;

/** A host token's exp may be at most this far ahead (the 24 h; longer-lived is refused). */
export const maxHostTokenLifetimeMs = 24 * 3_600_000;
/** Clock skew allowed between the host site and this server, in seconds. */
const clockToleranceS = 60;
/** Longer than any real JWT; bounds the work spent on garbage. */
export const maxHostTokenLength = 8192;

export interface HostTokenVerifierOptions {
  issuer: string;
  audience: string;
  /** HS256 secret (HOST_JWT_SECRET). */
  secret?: string | undefined;
  /** JWKS URL (HOST_JWKS_URL), read through `jwks`. */
  jwksUrl?: string | undefined;
  jwks?: JwksCache | undefined;
  now?: () => number;
}

/** What a verified host token says about its user. */
export interface HostClaims {
  issuer: string;
  subject: string;
  /** `preferred_username`, else `name`: seeds the username on first sight. */
  displayName: string | undefined;
  /** Epoch ms. */
  expiresAt: number;
}

/**
 * Verifies host tokens with jose: signature, `alg` from an allowlist per key source, `iss`, `aud`,
 * `exp` (at most 24 h ahead), `nbf`. Every refusal is an AppError with a documented code.
 */
export class HostTokenVerifier {
  readonly #o: HostTokenVerifierOptions;
  readonly #secret: Uint8Array | undefined;
  readonly #algorithms: string[];

  constructor(options: HostTokenVerifierOptions) {
    if (options.secret === undefined && options.jwksUrl === undefined) {
      throw new Error('HostTokenVerifier needs a secret or a JWKS URL.');
    }
    if (options.jwksUrl !== undefined && options.jwks === undefined) {
      throw new Error('HostTokenVerifier with a JWKS URL needs a JwksCache.');
    }
    this.#o = options;
    this.#secret =
      options.secret === undefined ? undefined : new TextEncoder().encode(options.secret);
    this.#algorithms = [
      ...(this.#secret ? ['HS256'] : []),
      ...(options.jwksUrl !== undefined ? jwksAlgorithms : []),
    ];
  }

  async verify(token: unknown): Promise<HostClaims> {
    if (typeof token !== 'string' || token.length === 0 || token.length > maxHostTokenLength) {
      throw invalid('The host token is missing or too long.');
    }
    const now = (this.#o.now ?? Date.now)();
    let payload: JWTPayload;
    try {
      // The key is chosen by the header's alg and kid; jwtVerify checks alg against the list.
      ({ payload } = await jwtVerify(token, (h) => this.#keyFor(h.alg, h.kid), {
        algorithms: this.#algorithms,
        issuer: this.#o.issuer,
        audience: this.#o.audience,
        requiredClaims: ['sub', 'iss', 'aud', 'exp'],
        clockTolerance: clockToleranceS,
        currentDate: new Date(now),
      }));
    } catch (err) {
      throw refusal(err);
    }
    const { sub, exp } = payload;
    if (typeof sub !== 'string' || sub.length === 0 || sub.length > 255) {
      throw new AppError(
        'host_token_claims',
        'The host token needs a `sub` of 1 to 255 characters.',
      );
    }
    const expiresAt = (exp as number) * 1000;
    if (expiresAt - now > maxHostTokenLifetimeMs + clockToleranceS * 1000) {
      throw new AppError('host_token_lifetime');
    }
    return {
      issuer: this.#o.issuer,
      subject: sub,
      displayName: nameClaim(payload.preferred_username) ?? nameClaim(payload.name),
      expiresAt,
    };
  }

  #keyFor(alg: string | undefined, kid: string | undefined) {
    if (alg === 'HS256' && this.#secret) return this.#secret;
    const { jwksUrl, jwks } = this.#o;
    if (alg !== undefined && jwksUrl !== undefined && jwks !== undefined && alg !== 'HS256') {
      return jwks.key({ url: jwksUrl, issuer: this.#o.issuer }, kid, alg);
    }
    throw invalid('The host token uses an algorithm this server does not accept.');
  }
}

function nameClaim(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= 256 ? value : undefined;
}

function invalid(message: string, cause?: unknown): AppError {
  return new AppError('host_token_invalid', message, { cause });
}

/** jose's error codes to ours; anything unforeseen is a token we cannot use (never a 500). */
function refusal(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as { code?: unknown; claim?: unknown };
  switch (e.code) {
    case 'ERR_JWT_EXPIRED':
      return new AppError('host_token_expired', undefined, { cause: err });
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (e.claim === 'nbf')
        return new AppError('host_token_expired', 'The host token is not valid yet.', {
          cause: err,
        });
      return new AppError(
        'host_token_claims',
        `The host token's \`${String(e.claim)}\` claim is missing or not the expected one.`,
        { cause: err },
      );
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return invalid('The host token signature does not verify.', err);
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return invalid('The host token uses an algorithm this server does not accept.', err);
    default:
      return invalid('The host token is not a well-formed signed JWT.', err);
  }
}
