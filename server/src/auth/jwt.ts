// HS256 JWTs (RFC 7519) with node:crypto: the portal's backend mints one per user with PORTAL_SECRET, and
// every /api call but health carries it. Only HS256 is accepted (no `none`, no algorithm switching), `exp`
// is required and may lie at most 15 minutes ahead, and the comparison of signatures is constant-time.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const MAX_TOKEN_LIFETIME_SECONDS = 15 * 60;
/** Clock skew tolerated between the portal's backend and this server. */
export const CLOCK_SKEW_SECONDS = 30;

export interface PortalClaims {
  sub: string;
  exp: number;
  iat?: number;
  [claim: string]: unknown;
}

export type TokenProblem = 'token-missing' | 'token-malformed' | 'token-algorithm' | 'token-signature' | 'token-expired' | 'token-lifetime' | 'token-claims';

export class TokenError extends Error {
  constructor(
    readonly code: TokenProblem,
    message: string,
  ) {
    super(message);
    this.name = 'TokenError';
  }
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function hmac(secret: string, input: string): Buffer {
  return createHmac('sha256', secret).update(input).digest();
}

/** Mints a token: `sub` = the portal's user, valid `ttlSeconds` (at most 15 minutes). */
export function signPortalToken(claims: { sub: string; [claim: string]: unknown }, secret: string, options: { ttlSeconds?: number; now?: number } = {}): string {
  const ttl = options.ttlSeconds ?? MAX_TOKEN_LIFETIME_SECONDS;
  if (!(ttl > 0 && ttl <= MAX_TOKEN_LIFETIME_SECONDS)) throw new RangeError(`ttlSeconds must be from 1 to ${MAX_TOKEN_LIFETIME_SECONDS}.`);
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify({ ...claims, iat, exp: iat + ttl }));
  return `${head}.${body}.${b64url(hmac(secret, `${head}.${body}`))}`;
}

function json(part: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new TokenError('token-malformed', 'The bearer token is not a JWT.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TokenError('token-malformed', 'The bearer token is not a JWT.');
  return value as Record<string, unknown>;
}

export function verifyPortalToken(token: string, secret: string, now = Date.now()): PortalClaims {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p)) || !parts[0] || !parts[1]) throw new TokenError('token-malformed', 'The bearer token is not a JWT.');
  const [head, body, sig] = parts as [string, string, string];
  const header = json(head);
  if (header.alg !== 'HS256') throw new TokenError('token-algorithm', 'The bearer token must be signed with HS256.');
  const expected = hmac(secret, `${head}.${body}`);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new TokenError('token-signature', 'The bearer token signature does not match.');
  const claims = json(body);
  if (typeof claims.sub !== 'string' || claims.sub === '' || claims.sub.length > 256) throw new TokenError('token-claims', 'The bearer token must name the user in "sub".');
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) throw new TokenError('token-claims', 'The bearer token must carry "exp".');
  const seconds = now / 1000;
  if (claims.exp <= seconds - CLOCK_SKEW_SECONDS) throw new TokenError('token-expired', 'The bearer token has expired.');
  if (claims.exp > seconds + MAX_TOKEN_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS) throw new TokenError('token-lifetime', 'The bearer token must expire within 15 minutes.');
  if (typeof claims.nbf === 'number' && claims.nbf > seconds + CLOCK_SKEW_SECONDS) throw new TokenError('token-claims', 'The bearer token is not valid yet.');
  // A long-lived token must not become acceptable in its last 15 minutes: when it says when it was issued, its
  // whole lifetime counts, and it cannot have been issued in the future.
  if (typeof claims.iat === 'number') {
    if (claims.iat > seconds + CLOCK_SKEW_SECONDS) throw new TokenError('token-claims', 'The bearer token was issued in the future.');
    if (claims.exp - claims.iat > MAX_TOKEN_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS) throw new TokenError('token-lifetime', 'The bearer token must expire within 15 minutes of being issued.');
  }
  return claims as PortalClaims;
}
