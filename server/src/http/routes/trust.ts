// GET /api/trust/roots: the certificates this deployment trusts as anchors when a signature is checked
// locally (<esign-verify> fetches them once and hands them to @esign-kit/verify): in sandbox mode the sandbox
// CA's root (the simulators sign under it), then every certificate of TRUSTED_ROOTS (e.g. the Indonesian roots
// an agency relies on). It is public, like /api/health: root certificates are public data meant to be
// distributed, the list names no user, document or secret, and a page that checks a PDF with `local-only`
// (nothing uploaded) should not need a portal token to know what to trust. CORS still limits which pages may
// read it from a browser.
import type { Router } from 'express';
import { z } from 'zod';
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

const roots = z.object({
  roots: z.array(
    z.object({
      pem: z.string().describe('The certificate, PEM'),
      subject: z.string().describe('Most specific first: CN=…, O=…, C=ID'),
      fingerprint: z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .describe('SHA-256 of the DER'),
      source: z.enum(['sandbox', 'config']),
    }),
  ),
});

/**
 * The trust anchors of this deployment: in sandbox mode the sandbox CA's root first (`sandboxRoot`), then every
 * certificate of TRUSTED_ROOTS, each once. POST /api/verify's local inspection trusts the same.
 */
export async function trustedRoots(ctx: AppContext, sandboxRoot: (() => Promise<string>) | undefined): Promise<TrustedRoot[]> {
  const roots: TrustedRoot[] = [];
  if (sandboxRoot) {
    const { pem, subject, fingerprint } = describeCertificate(await sandboxRoot());
    roots.push({ pem, subject, fingerprint, source: 'sandbox' });
  }
  for (const { pem, subject, fingerprint } of ctx.config.trustedRoots) {
    if (!roots.some((root) => root.fingerprint === fingerprint)) roots.push({ pem, subject, fingerprint, source: 'config' });
  }
  return roots;
}

/** `sandboxRoot` gives the sandbox CA's root PEM (sandbox mode only). */
export function trustRouter(ctx: AppContext, sandboxRoot: (() => Promise<string>) | undefined): Router {
  const r = ctx.api.router('/api');
  r.get(
    {
      path: '/trust/roots',
      tag: 'system',
      summary: 'The certificates this server trusts as roots when signatures are checked locally (public: root certificates are public data)',
      public: true,
      answers: { 200: { description: 'In sandbox mode the sandbox CA root first, then every CA certificate of TRUSTED_ROOTS', schema: roots } },
    },
    async (_req, res) => {
      const roots = await trustedRoots(ctx, sandboxRoot);
      // Revalidated on every use (with Express's ETag): a changed TRUSTED_ROOTS is seen after a restart.
      res.setHeader('Cache-Control', 'no-cache');
      res.json({ roots });
    },
  );
  return r.router;
}
