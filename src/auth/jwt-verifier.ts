import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { optionalString } from '../util/unknown-values.js';
import type { Caller } from './caller.js';

export interface JwtVerifierOptions {
  readonly jwksUrl: URL;
  /** Required `iss`. */
  readonly issuer: string;
  readonly audience: readonly string[];
  readonly algorithms: readonly string[];
  readonly clockToleranceSeconds: number;
  /** How long an unknown `kid` waits before the JWKS is fetched again. */
  readonly jwksCooldownMs: number;
  /** The claim scopes come from; undefined reads `scope`, then `scp`. */
  readonly scopeClaim: string | undefined;
  readonly tenantClaim: string;
}

/** Why a token was refused: a short reason safe to show the caller (never the token itself). */
export class TokenRejected extends Error {
  constructor(readonly reason: string) {
    super(`invalid token: ${reason}`);
    this.name = 'TokenRejected';
  }
}

/** The JWKS could not be fetched: our problem, not the caller's. */
export class KeysUnavailable extends Error {
  constructor(cause: unknown) {
    super('the token signing keys could not be fetched', { cause });
    this.name = 'KeysUnavailable';
  }
}

function scopesFrom(payload: JWTPayload, claim: string | undefined): Set<string> {
  const raw = claim ? payload[claim] : (payload.scope ?? payload.scp);
  if (typeof raw === 'string') return new Set(raw.split(' ').filter(Boolean));
  if (Array.isArray(raw)) return new Set(raw.filter((scope): scope is string => typeof scope === 'string'));
  return new Set();
}

/** Fetching the JWKS failed (network, timeout, non-200, not a key set), as opposed to a bad token. */
function isKeysProblem(error: unknown): boolean {
  return (
    !(error instanceof errors.JOSEError) ||
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    error.constructor === errors.JOSEError
  );
}

function reasonFor(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `claim "${error.claim}" ${error.reason}`;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'signing algorithm not allowed';
  if (error instanceof errors.JWKSNoMatchingKey) return 'signed by an unknown key';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad signature';
  if (error instanceof errors.JWTInvalid || error instanceof errors.JWSInvalid) return 'malformed';
  return 'not acceptable';
}

/**
 * Verifies bearer JWTs against a JWKS (jose): keys cached, fetched again when a token names an
 * unknown `kid` (at most once per cooldown), issuer, audience, algorithms and clock tolerance enforced.
 */
export function createJwtVerifier(options: JwtVerifierOptions) {
  const keys = createRemoteJWKSet(options.jwksUrl, {
    cooldownDuration: options.jwksCooldownMs,
    timeoutDuration: 5_000,
  });
  return async function verify(token: string): Promise<Caller> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: [...options.audience],
        algorithms: [...options.algorithms],
        clockTolerance: options.clockToleranceSeconds,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (error) {
      if (isKeysProblem(error)) throw new KeysUnavailable(error);
      throw new TokenRejected(reasonFor(error));
    }
    return {
      sub: payload.sub!,
      tenant: optionalString(payload[options.tenantClaim]),
      clientId: optionalString(payload.client_id) ?? optionalString(payload.azp),
      scopes: scopesFrom(payload, options.scopeClaim),
    };
  };
}

export type JwtVerifier = ReturnType<typeof createJwtVerifier>;
