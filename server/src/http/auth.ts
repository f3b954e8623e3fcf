// Bearer authentication of the API: a portal token verified with jose (auth/jwt.ts), whose identity claims become
// the request's grant (auth/identity.ts).
import type { Request, RequestHandler } from 'express';
import { grantOf, type PortalGrant } from '../auth/identity.js';
import { TokenError, type PortalTokenVerifier } from '../auth/jwt.js';

export interface AuthedRequest extends Request {
  portalUser?: string;
  /** The identities and scope the token names (auth/identity.ts). */
  portalGrant?: PortalGrant;
}

/**
 * Every /api route except the public ones needs `Authorization: Bearer <JWT>`, verified with jose against the
 * configured portal keys (auth/jwt.ts); its identity claims become the request's grant. Authenticated answers
 * name a user's documents, orders and traces: never stored by a cache (`Cache-Control: no-store`).
 */
export function requireAuth(verifier: PortalTokenVerifier, identityClaims: boolean, isPublic: (req: Request) => boolean): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'OPTIONS' || isPublic(req)) return next();
    const header = req.headers.authorization ?? '';
    const m = /^Bearer ([^\s]+)$/i.exec(header);
    res.setHeader('WWW-Authenticate', 'Bearer');
    if (!m) return next(new TokenError('token-missing', 'This route needs Authorization: Bearer <token>.'));
    verifier
      .verify(m[1]!)
      .then((claims) => {
        const grant = grantOf(claims, identityClaims);
        (req as AuthedRequest).portalUser = claims.sub;
        (req as AuthedRequest).portalGrant = grant;
        res.removeHeader('WWW-Authenticate');
        res.setHeader('Cache-Control', 'no-store');
      })
      .then(
        () => next(),
        (err: unknown) => next(err),
      );
  };
}

export const userOf = (req: Request): string => (req as AuthedRequest).portalUser ?? 'anonymous';
