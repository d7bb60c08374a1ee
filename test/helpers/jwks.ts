import { createServer, type Server } from 'node:http';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK, type JWTPayload, type CryptoKey } from 'jose';
import { closeServer, listen } from '../../src/util/listen.js';

export const ISSUER = 'https://id.example.test/';
export const AUDIENCE = 'smn-gateway';

export interface SigningKey {
  readonly kid: string;
  readonly alg: 'RS256' | 'ES256';
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
  readonly publicPem: string;
}

export async function makeKey(kid: string, alg: 'RS256' | 'ES256' = 'RS256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicJwk, publicPem: await exportSPKI(publicKey) };
}

export interface TokenOptions {
  readonly scope?: string;
  readonly claims?: JWTPayload;
  readonly issuer?: string;
  readonly audience?: string;
  readonly expiresIn?: string | number;
  readonly subject?: string;
}

/** A token as an identity provider would mint it. */
export async function mint(key: SigningKey, options: TokenOptions = {}): Promise<string> {
  const jwt = new SignJWT({ ...(options.scope !== undefined && { scope: options.scope }), ...options.claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setSubject(options.subject ?? 'user-1')
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '5m');
  return jwt.sign(key.privateKey);
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsigned token (`alg: none`) with otherwise valid claims. */
export function unsignedToken(scope: string): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = { iss: ISSUER, aud: AUDIENCE, sub: 'attacker', scope, iat: now, exp: now + 300 };
  return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.`;
}

/** The key-confusion attack: HS256 "signed" with the RSA public key as the HMAC secret. */
export async function hs256WithPublicKey(key: SigningKey, scope: string): Promise<string> {
  return new SignJWT({ scope })
    .setProtectedHeader({ alg: 'HS256', kid: key.kid, typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject('attacker')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(key.publicPem));
}

export interface JwksServer {
  readonly url: string;
  /** How many times the key set was fetched. */
  readonly fetches: number;
  publish(keys: readonly SigningKey[]): void;
  /** Answer 500 from now on (an identity provider outage). */
  fail(failing: boolean): void;
  stop(): Promise<void>;
}

/** A real JWKS endpoint on a loopback port. */
export async function startJwksServer(keys: readonly SigningKey[]): Promise<JwksServer> {
  let published = keys;
  let failing = false;
  let fetches = 0;
  const server: Server = createServer((req, res) => {
    fetches += 1;
    if (failing || req.url !== '/.well-known/jwks.json') {
      res.writeHead(failing ? 500 : 404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: published.map((key) => key.publicJwk) }));
  });
  const base = await listen(server, 0, '127.0.0.1');
  return {
    url: `${base}/.well-known/jwks.json`,
    get fetches() {
      return fetches;
    },
    publish: (next) => void (published = next),
    fail: (next) => void (failing = next),
    stop: () => closeServer(server),
  };
}

/** Environment for a gateway that verifies tokens from this JWKS. */
export function authEnv(jwks: JwksServer, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AUTH_DISABLED: 'false',
    AUTH_JWKS_URL: jwks.url,
    AUTH_ISSUER: ISSUER,
    AUTH_AUDIENCE: AUDIENCE,
    AUTH_JWKS_COOLDOWN_SECONDS: '0',
    ...extra,
  };
}
