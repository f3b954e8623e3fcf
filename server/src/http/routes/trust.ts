// GET /api/trust/roots: the certificates this deployment trusts as anchors when a signature is checked
// locally (<esign-verify> fetches them once and hands them to @esign-kit/verify): in sandbox mode the sandbox
// CA's root (the simulators sign under it), then every certificate of TRUSTED_ROOTS (e.g. the Indonesian roots
// an agency relies on). It is public, like /api/health: root certificates are public data meant to be
// distributed, the list names no user, document or secret, and a page that checks a PDF with `local-only`
// (nothing uploaded) should not need a portal token to know what to trust. CORS still limits which pages may
// read it from a browser.
import { Router } from 'express';
import { describeCertificate } from '../../config.js';
import type { AppContext } from '../context.js';

export interface TrustedRoot {
  pem: string;
  /** RFC 4514-like, most specific first: `CN=…, O=…, C=ID`. */
  subject: string;
  /** SHA-256 of the DER, lower-case hexadecimal. */
  fingerprint: string;
  source: 'sandbox' | 'config';
}

/** `sandboxRoot` gives the sandbox CA's root PEM (sandbox mode only). */
export function trustRouter(ctx: AppContext, sandboxRoot: (() => Promise<string>) | undefined): Router {
  const r = Router();
  r.get('/trust/roots', async (_req, res) => {
    const roots: TrustedRoot[] = [];
    if (sandboxRoot) {
      const { pem, subject, fingerprint } = describeCertificate(await sandboxRoot());
      roots.push({ pem, subject, fingerprint, source: 'sandbox' });
    }
    for (const { pem, subject, fingerprint } of ctx.config.trustedRoots) {
      if (!roots.some((root) => root.fingerprint === fingerprint)) roots.push({ pem, subject, fingerprint, source: 'config' });
    }
    // Revalidated on every use (with Express's ETag): a changed TRUSTED_ROOTS is seen after a restart.
    res.setHeader('Cache-Control', 'no-cache');
    res.json({ roots });
  });
  return r;
}
