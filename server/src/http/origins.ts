// Cross-origin callers: CORS headers for PORTAL_ORIGINS only, and the API's refusal of a request a browser sent
// from any other origin.
import type { RequestHandler } from 'express';
import { HttpError } from './errors.js';

/**
 * CORS for PORTAL_ORIGINS only: the allowed origins get the CORS headers, a preflight from anywhere else is
 * refused. Requests themselves are refused per origin inside the API router (refuseForeignOrigins).
 */
export function cors(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    res.append('Vary', 'Origin');
    if (origin && allowed.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Expose-Headers', 'Content-Disposition, X-Checksum-Sha256, Retry-After');
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
        res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
        res.setHeader('Access-Control-Max-Age', '600');
        res.status(204).end();
        return;
      }
    } else if (req.method === 'OPTIONS' && origin) {
      res.status(403).json({ error: { code: 'forbidden', message: 'This origin is not in PORTAL_ORIGINS.', field: 'origin' } });
      return;
    }
    next();
  };
}

/**
 * The first middleware of the API router: an API request that a browser sent from another origin (it carries
 * `Origin`) is refused. Without it, a request CORS lets through without a preflight would still run here, with
 * only its answer hidden from the page. Mounted on the router rather than matched on the path, so that every
 * spelling Express routes to the API (`/API/providers`, `/Api/…`: its routing ignores case) is checked too.
 */
export function refuseForeignOrigins(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, _res, next) => {
    const origin = req.headers.origin;
    if (origin && !allowed.has(origin) && req.method !== 'OPTIONS') return next(new HttpError('forbidden', 'This origin is not in PORTAL_ORIGINS.', 'origin'));
    next();
  };
}
