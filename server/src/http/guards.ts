// The checks routes make before acting on someone's provider account, one call each: the identity in the body
// must be one the portal token names (auth/identity.ts), organisation-level operations need the org scope, and
// guessed secrets go through the attempt limiter (auth/attempts.ts).
import type { Request, Response } from 'express';
import type { ProviderId } from '../providers/adapters.js';
import type { AttemptLimiter, Guess } from '../auth/attempts.js';
import { EMAIL_CLAIM, hasScope, mayActAs, NIK_CLAIM, normaliseEmail, ORG_SCOPE, type PortalGrant } from '../auth/identity.js';
import type { DocumentStore } from '../store/documents.js';
import type { StateStore } from '../store/state.js';
import { HttpError } from './errors.js';
import { userOf, type AuthedRequest } from './auth.js';

function grantOf(req: Request): PortalGrant {
  const grant = (req as AuthedRequest).portalGrant;
  // Guarded routes are authenticated; without a grant nothing is allowed.
  return grant ?? { sub: userOf(req), niks: new Set(), emails: new Set(), scopes: new Set(), enforced: true };
}

export type Identity = [field: string, kind: 'nik' | 'email', value: string | undefined];

/** Refuses (403 identity-not-allowed, naming the body field) a NIK or e-mail the portal token does not name. */
export function actsAs(req: Request, ...identities: Identity[]): void {
  const grant = grantOf(req);
  for (const [field, kind, value] of identities) {
    if (value === undefined || mayActAs(grant, kind, value)) continue;
    const what = kind === 'nik' ? 'NIK' : 'e-mail address';
    throw new HttpError(
      'identity-not-allowed',
      `${field}: the portal token does not let this user act as this ${what} (claim "${kind === 'nik' ? NIK_CLAIM : EMAIL_CLAIM}").`,
      field,
    );
  }
}

/** The usual body fields: `nik` and/or `email`. */
export const actsAsSigner = (req: Request, body: { nik?: string | undefined; email?: string | undefined }) =>
  actsAs(req, ['nik', 'nik', body.nik], ['email', 'email', body.email]);

/** Organisation-level operations (the BSrE seal, Peruri signing system, bulk signing) need `scope: "esign:org"`. */
export function requireOrgScope(req: Request, what: string): void {
  if (hasScope(grantOf(req), ORG_SCOPE)) return;
  throw new HttpError('scope-required', `${what} is an organisation-level operation: the portal token needs scope "${ORG_SCOPE}".`, 'authorization');
}

/**
 * Where the signers who have already signed a reference are recorded, in order (a Peruri tier, §6: signers sign
 * one after the other): beside the order's signers, under a derived reference.
 */
const signedRef = (ref: string) => `${ref}#signed`;

/**
 * The token must name the signer whose turn it is (a single order: its signer; a tier: the first who has not
 * signed yet; once all have signed, any of them): the portal user who created an order goes on with it only
 * while acting as that signer. Requiring every signer of a tier would refuse each signer's own token. Returns
 * all the order's signers; references created before signers were recorded are checked for ownership only
 * (by the caller).
 */
export async function actsAsSignersOf(req: Request, store: DocumentStore, source: ProviderId, ref: string, field: string): Promise<string[] | undefined> {
  const signers = await store.signersOf(source, ref);
  if (!signers?.length) return signers?.map(normaliseEmail);
  const signed = (await store.signersOf(source, signedRef(ref)))?.length ?? 0;
  const turn = signed < signers.length ? [signers[signed]!] : signers;
  if (!turn.some((email) => mayActAs(grantOf(req), 'email', email))) {
    throw new HttpError(
      'identity-not-allowed',
      `${field}: the portal token does not let this user act as the signer whose turn it is on this ${source} reference (claim "${EMAIL_CLAIM}").`,
      field,
    );
  }
  return signers.map(normaliseEmail);
}

/**
 * Records that the signer whose turn it was has signed (after the provider accepted the signature): one turn
 * per call. A read-modify-write of the signed list, so under the lock `signed-turn:<source>:<ref>` (one holder
 * on every instance with PostgreSQL, in this process with files): two recordings at once would otherwise both
 * read the same list, and one turn would be lost — the next signer refused, the one before asked again.
 * Returns whether every signer has now signed.
 */
export async function recordSignedTurn(store: DocumentStore, state: StateStore, source: ProviderId, ref: string): Promise<boolean> {
  return state.withLock(`signed-turn:${source}:${ref}`, async () => {
    const signers = (await store.signersOf(source, ref)) ?? [];
    const signed = (await store.signersOf(source, signedRef(ref))) ?? [];
    if (signed.length < signers.length) await store.recordSigners(source, signedRef(ref), [...signed, signers[signed.length]!]);
    return signers.length > 0 && signed.length + 1 >= signers.length;
  });
}

/**
 * Wraps a route whose request carries a guessed secret (an OTP, a TOTP, a passphrase): `guess` reads the
 * target from the request (undefined: nothing to limit, e.g. a body the route will refuse anyway); the limiter
 * answers 429 while a back-off runs and counts the provider's refusal of the value.
 */
export function limitGuesses(
  limiter: AttemptLimiter,
  guess: (req: Request) => Omit<Guess, 'user'> | undefined,
  handler: (req: Request, res: Response) => Promise<void>,
): (req: Request, res: Response) => Promise<void> {
  return async (req, res) => {
    const g = guess(req);
    if (!g) return handler(req, res);
    await limiter.attempt({ ...g, user: userOf(req) }, () => handler(req, res));
  };
}

/** A body field as a guessing target: a string of the expected shape, normalised; undefined otherwise. */
export function targetOf(req: Request, field: string, shape: RegExp): string | undefined {
  const value = (req.body as Record<string, unknown> | undefined)?.[field];
  return typeof value === 'string' && shape.test(value.trim()) ? value.trim().toLowerCase() : undefined;
}

const NIK_SHAPE = /^\d{16}$/;
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * One BSrE signer as a guessing target, however the request names them: the NIK whenever the body names one,
 * else the e-mail. The other name counts alike (an alias) when the body gives both, or when the portal token
 * binds exactly one NIK and one e-mail (one person): otherwise 5 guesses by NIK and 5 more by e-mail would reach
 * BSrE for the same person within one back-off.
 */
export function signerTarget(req: Request): { target: string; aliases: string[] } | undefined {
  let nik = targetOf(req, 'nik', NIK_SHAPE);
  let email = targetOf(req, 'email', EMAIL_SHAPE);
  if (nik === undefined && email === undefined) return undefined;
  const grant = grantOf(req);
  if (grant.enforced && grant.niks.size === 1 && grant.emails.size === 1) {
    const [onlyNik] = grant.niks;
    const [onlyEmail] = grant.emails;
    if (nik === undefined && email === onlyEmail) nik = onlyNik;
    if (email === undefined && nik === onlyNik) email = onlyEmail;
  }
  return nik !== undefined ? { target: nik, aliases: email !== undefined ? [email] : [] } : { target: email!, aliases: [] };
}
