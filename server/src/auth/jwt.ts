// Portal tokens: JWTs the portal's backend mints for its logged-in user; every /api call but the public ones
// carries one. Verified with jose (signature, algorithm allow-list, `crit`, exp/nbf with 30 s of clock skew,
// optional iss/aud), against whichever keys the deployment configured:
// - PORTAL_SECRET: HS256 (a shared secret of at least 32 bytes);
// - PORTAL_PUBLIC_KEY: an RSA (RS256, PS256), EC (ES256/ES384/ES512 by curve) or Ed25519 (EdDSA) public key, PEM;
// - PORTAL_JWKS_URL: the portal's JWKS (any of those algorithms), fetched with a timeout and cached.
// The algorithm comes from the key, never from the token alone: an HS256 token is checked with the secret
// only, an RS/PS/ES/EdDSA token with the public key or the JWKS only; `none` and anything else are refused.
// On top of jose, the kit's lifetime rules: `sub` (1–256 characters) and `exp` are required, `exp` lies at
// most 15 minutes ahead, `iat` (when given) is not in the future and `exp − iat` is at most 15 minutes.
import { createHmac, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';

export const MAX_TOKEN_LIFETIME_SECONDS = 15 * 60;
/** Clock skew tolerated between the portal's backend and this server. */
export const CLOCK_SKEW_SECONDS = 30;

export interface PortalClaims {
  sub: string;
  exp: number;
  iat?: number;
  [claim: string]: unknown;
}

export type TokenProblem =
  | 'token-missing'
  | 'token-malformed'
  | 'token-algorithm'
  | 'token-signature'
  | 'token-expired'
  | 'token-lifetime'
  | 'token-claims'
  /** The portal's JWKS could not be fetched: not the token's fault (503). */
  | 'token-keys-unavailable';

export class TokenError extends Error {
  constructor(
    readonly code: TokenProblem,
    message: string,
  ) {
    super(message);
    this.name = 'TokenError';
  }
}

/** The asymmetric algorithms a JWKS may use. */
const JWKS_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/** The algorithms a public key can verify (the key decides, not the token). */
export function algorithmsFor(key: KeyObject): string[] {
  const type = key.asymmetricKeyType;
  if (type === 'rsa') return ['RS256', 'PS256'];
  if (type === 'rsa-pss') return ['PS256'];
  if (type === 'ed25519') return ['EdDSA', 'Ed25519'];
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const alg = ({ prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' } as Record<string, string>)[curve ?? ''];
    if (alg) return [alg];
  }
  throw new TypeError(
    `A portal public key must be RSA, EC (P-256, P-384, P-521) or Ed25519 (got ${type ?? 'unknown'}${key.asymmetricKeyDetails?.namedCurve ? ` ${key.asymmetricKeyDetails.namedCurve}` : ''}).`,
  );
}

/** A public key from PEM: SPKI (`BEGIN PUBLIC KEY`), PKCS#1 RSA or an X.509 certificate. Never a private key. */
export function publicKeyFromPem(pem: string): KeyObject {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem))
    throw new TypeError('This is a private key: give the public key (the private key stays with the portal).');
  const key = /-----BEGIN CERTIFICATE-----/.test(pem) ? new X509Certificate(pem).publicKey : createPublicKey(pem);
  algorithmsFor(key);
  return key;
}

export interface PortalKeys {
  /** PORTAL_SECRET: HS256. */
  secret?: string | undefined;
  /** PORTAL_PUBLIC_KEY (PEM). */
  publicKey?: string | undefined;
  /** PORTAL_JWKS_URL. */
  jwksUrl?: string | undefined;
  /** PORTAL_TOKEN_ISSUER: the `iss` every token must carry. */
  issuer?: string | undefined;
  /** PORTAL_TOKEN_AUDIENCE: an `aud` every token must carry. */
  audience?: string | undefined;
}

export interface VerifierOptions {
  /** How long a JWKS fetch may take (default 5 s). */
  jwksTimeoutMs?: number;
  /** How long fetched keys are used before they are fetched again (default 10 minutes). */
  jwksCacheMaxAgeMs?: number;
}

/** The JWKS could not be fetched (network, timeout, not a JWKS): passed through jose untouched. */
class KeysUnavailable extends Error {}

/** Verifies portal tokens against the configured keys; one per server (the JWKS cache lives in it). */
export class PortalTokenVerifier {
  readonly #secret: Uint8Array<ArrayBuffer> | undefined;
  readonly #publicKey: KeyObject | undefined;
  readonly #publicAlgorithms: string[];
  readonly #jwks: JWTVerifyGetKey | undefined;
  readonly #issuer: string | undefined;
  readonly #audience: string | undefined;

  constructor(keys: PortalKeys, options: VerifierOptions = {}) {
    this.#secret = keys.secret !== undefined ? new TextEncoder().encode(keys.secret) : undefined;
    this.#publicKey = keys.publicKey !== undefined ? publicKeyFromPem(keys.publicKey) : undefined;
    this.#publicAlgorithms = this.#publicKey ? algorithmsFor(this.#publicKey) : keys.jwksUrl ? JWKS_ALGORITHMS : [];
    if (keys.jwksUrl !== undefined) {
      const remote = createRemoteJWKSet(new URL(keys.jwksUrl), {
        timeoutDuration: options.jwksTimeoutMs ?? 5000,
        cacheMaxAge: options.jwksCacheMaxAgeMs ?? 10 * 60_000,
        cooldownDuration: 30_000,
      });
      this.#jwks = async (header, token) => {
        try {
          return await remote(header, token);
        } catch (err) {
          // No key for this token is the token's problem; an unreachable or unreadable JWKS is ours.
          if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) throw err;
          throw new KeysUnavailable('jwks', { cause: err });
        }
      };
    }
    this.#issuer = keys.issuer;
    this.#audience = keys.audience;
    if (!this.#secret && !this.#publicKey && !this.#jwks) throw new TypeError('A portal token verifier needs a secret, a public key or a JWKS URL.');
  }

  #hmac: Promise<CryptoKey> | undefined;

  /** PORTAL_SECRET as a WebCrypto key, imported once (jose would import a raw secret again for every token). */
  #hmacKey(): Promise<CryptoKey> {
    return (this.#hmac ??= crypto.subtle.importKey('raw', this.#secret!, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']));
  }

  /** The algorithms a token may be signed with here. */
  get algorithms(): string[] {
    return [...(this.#secret ? ['HS256'] : []), ...this.#publicAlgorithms];
  }

  async verify(token: string, now = Date.now()): Promise<PortalClaims> {
    const parts = token.split('.');
    if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p)) || !parts[0] || !parts[1])
      throw new TokenError('token-malformed', 'The bearer token is not a JWT.');
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new TokenError('token-malformed', 'The bearer token is not a JWT.');
    }
    const allowed = this.algorithms;
    if (typeof alg !== 'string' || !allowed.includes(alg))
      throw new TokenError('token-algorithm', `The bearer token must be signed with ${allowed.join(', ')}.`);
    const options = {
      algorithms: [alg],
      clockTolerance: CLOCK_SKEW_SECONDS,
      currentDate: new Date(now),
      ...(this.#issuer !== undefined ? { issuer: this.#issuer } : {}),
      ...(this.#audience !== undefined ? { audience: this.#audience } : {}),
    };
    let claims: Record<string, unknown>;
    try {
      if (alg === 'HS256') claims = (await jwtVerify(token, await this.#hmacKey(), options)).payload;
      else if (this.#publicKey) claims = (await jwtVerify(token, this.#publicKey, options)).payload;
      else claims = (await jwtVerify(token, this.#jwks!, options)).payload;
    } catch (err) {
      throw tokenErrorOf(err);
    }
    return checkLifetime(claims, now);
  }
}

function tokenErrorOf(err: unknown): TokenError {
  if (err instanceof TokenError) return err;
  if (err instanceof KeysUnavailable)
    return new TokenError('token-keys-unavailable', "The portal's signing keys (PORTAL_JWKS_URL) could not be fetched; try again shortly.");
  if (err instanceof errors.JWTExpired) return new TokenError('token-expired', 'The bearer token has expired.');
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'nbf') return new TokenError('token-claims', 'The bearer token is not valid yet.');
    if (err.claim === 'iss' || err.claim === 'aud')
      return new TokenError('token-claims', `The bearer token's "${err.claim}" is not the one this server expects.`);
    return new TokenError('token-claims', `The bearer token's "${err.claim}" claim is invalid.`);
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return new TokenError('token-signature', 'The bearer token signature does not match.');
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys)
    return new TokenError('token-signature', "No single key of the portal's JWKS matches the bearer token.");
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported)
    return new TokenError('token-algorithm', 'The bearer token is signed with an algorithm this server does not accept.');
  return new TokenError('token-malformed', 'The bearer token is not a valid JWT.');
}

/** The kit's own rules, after jose has checked the signature, exp and nbf. */
function checkLifetime(claims: Record<string, unknown>, now: number): PortalClaims {
  if (typeof claims.sub !== 'string' || claims.sub === '' || claims.sub.length > 256)
    throw new TokenError('token-claims', 'The bearer token must name the user in "sub".');
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) throw new TokenError('token-claims', 'The bearer token must carry "exp".');
  const seconds = now / 1000;
  if (claims.exp > seconds + MAX_TOKEN_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS)
    throw new TokenError('token-lifetime', 'The bearer token must expire within 15 minutes.');
  // A long-lived token must not become acceptable in its last 15 minutes: when it says when it was issued, its
  // whole lifetime counts, and it cannot have been issued in the future.
  if (typeof claims.iat === 'number') {
    if (claims.iat > seconds + CLOCK_SKEW_SECONDS) throw new TokenError('token-claims', 'The bearer token was issued in the future.');
    if (claims.exp - claims.iat > MAX_TOKEN_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS)
      throw new TokenError('token-lifetime', 'The bearer token must expire within 15 minutes of being issued.');
  }
  return claims as PortalClaims;
}

/** Verifies an HS256 token with `secret` (tests and tools; the server keeps one PortalTokenVerifier). */
export function verifyPortalToken(token: string, secret: string, now = Date.now()): Promise<PortalClaims> {
  return new PortalTokenVerifier({ secret }).verify(token, now);
}

/**
 * Mints an HS256 token: `sub` = the portal's user, valid `ttlSeconds` (at most 15 minutes). For development
 * (`npm run token`), the sandbox's loopback token route and tests — synchronous, so that tests mint inline; a
 * portal mints in its own backend (docs/configuration.md has Node, PHP, Java and .NET). Every token it makes
 * is verified by jose like any portal's.
 */
export function signPortalToken(
  claims: { sub: string; [claim: string]: unknown },
  secret: string,
  options: { ttlSeconds?: number; now?: number } = {},
): string {
  const ttl = options.ttlSeconds ?? MAX_TOKEN_LIFETIME_SECONDS;
  if (!(ttl > 0 && ttl <= MAX_TOKEN_LIFETIME_SECONDS)) throw new RangeError(`ttlSeconds must be from 1 to ${MAX_TOKEN_LIFETIME_SECONDS}.`);
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ ...claims, iat, exp: iat + ttl })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}
