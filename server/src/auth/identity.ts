// Whose provider identities a portal token lets its user act as, and which organisation-level scope it grants.
// A valid token proves who the portal user is (`sub`); it said nothing about whose BSrE NIK, Peruri or Digisign
// e-mail that user may sign with, change or activate — so a portal user could act on other people's accounts
// (the red team moved someone's Digisign account to its own e-mail). The portal, which knows its user, now says:
//
//   "esign:nik":   "3171000000000001"            or ["3171…", …]  — NIKs the user may act as (BSrE, registration)
//   "esign:email": "budi@instansi.go.id"         or [ … ]         — provider e-mails the user may act as
//   "scope":       "esign:org"                   (space-separated, or an array) — organisation-level operations:
//                                                 the BSrE seal, Peruri signing system, bulk signing
//
// Routes that act on a person's account check the identity in their body against these claims (http/guards.ts).
// A deployment that has not adopted the claims yet sets IDENTITY_CLAIMS=off (warned at start).
import { TokenError } from './jwt.js';

export const NIK_CLAIM = 'esign:nik';
export const EMAIL_CLAIM = 'esign:email';
export const SCOPE_CLAIM = 'scope';
/** The scope of organisation-level operations. */
export const ORG_SCOPE = 'esign:org';

/** At most this many identities per claim (a token is a header: keep it small). */
const MAX_IDENTITIES = 100;
const NIK = /^\d{16}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface PortalGrant {
  /** The portal user. */
  sub: string;
  niks: ReadonlySet<string>;
  /** Lower-cased. */
  emails: ReadonlySet<string>;
  scopes: ReadonlySet<string>;
  /** False when IDENTITY_CLAIMS=off: every identity and scope is allowed. */
  enforced: boolean;
}

/** E-mail addresses are compared without regard to case (providers treat them so). */
export const normaliseEmail = (email: string) => email.trim().toLowerCase();

function listClaim(claims: Record<string, unknown>, name: string, check: RegExp, what: string): string[] {
  const value = claims[name];
  if (value === undefined) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length > MAX_IDENTITIES || !list.every((v) => typeof v === 'string' && check.test(v))) {
    throw new TokenError('token-claims', `The bearer token's "${name}" must be ${what} or an array of at most ${MAX_IDENTITIES} of them.`);
  }
  return list as string[];
}

/** The grant a verified token carries; a malformed identity claim is a refused token (401 token-claims). */
export function grantOf(claims: Record<string, unknown> & { sub: string }, enforced: boolean): PortalGrant {
  const niks = listClaim(claims, NIK_CLAIM, NIK, 'a 16-digit NIK');
  const emails = listClaim(claims, EMAIL_CLAIM, EMAIL, 'an e-mail address').map(normaliseEmail);
  const scope = claims[SCOPE_CLAIM];
  let scopes: string[] = [];
  if (typeof scope === 'string') scopes = scope.split(' ').filter(Boolean);
  else if (Array.isArray(scope) && scope.every((s) => typeof s === 'string')) scopes = scope as string[];
  else if (scope !== undefined) throw new TokenError('token-claims', 'The bearer token\'s "scope" must be a space-separated string or an array of strings.');
  return { sub: claims.sub, niks: new Set(niks), emails: new Set(emails), scopes: new Set(scopes), enforced };
}

/** Whether the grant lets its user act as this NIK or e-mail. */
export function mayActAs(grant: PortalGrant, kind: 'nik' | 'email', value: string): boolean {
  if (!grant.enforced) return true;
  return kind === 'nik' ? grant.niks.has(value) : grant.emails.has(normaliseEmail(value));
}

export function hasScope(grant: PortalGrant, scope: string): boolean {
  return !grant.enforced || grant.scopes.has(scope);
}
