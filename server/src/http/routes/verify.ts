// POST /api/verify: checks a signed PDF's signatures twice — with the server's own inspection (@esign-kit/verify,
// the check <esign-verify> runs in the page, here in an intake worker within the intake's deadline and heap:
// server/src/verify/service.ts) and with the provider that offers verification (BSrE: Esign Client v2
// /api/v2/verify/pdf, v1 /api/sign/verify, or the cloud service; one VerificationReport,
// providers/bsre/verification.ts) — and answers both with where they disagree, so that a portal verifying
// server-side (PHP, Java) gets the model the element shows. The local inspection trusts what GET /api/trust/roots
// lists. Peruri and Digisign publish no verification API, so naming them is a 400 on `provider`; when BSrE fails
// or is not configured, the local result is answered with `providerError`.
import type { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { HttpError } from '../errors.js';
import { pdfOf } from '../pdf-input.js';
import { bodyOf, json, pdfPart } from '../schemas.js';
import { verifyAnswer } from '../../verify/answer.js';
import { VerificationService } from '../../verify/service.js';
import { trustedRoots } from './trust.js';

const schema = z.object({
  documentId: z.string().optional(),
  password: z
    .string()
    .min(1)
    .max(256)
    .optional()
    .meta({ writeOnly: true, description: 'The password of an encrypted PDF (the local inspection; BSrE API v2 only)' }),
  provider: z.enum(['bsre', 'peruri', 'digisign']).optional(),
  localOnly: json(z.boolean()).optional().describe('true: the server inspects the file itself only; it is not sent to the provider'),
});

/** `sandboxRoot` gives the sandbox CA's root PEM (sandbox mode only), trusted as GET /api/trust/roots lists it. */
export function verifyRouter(ctx: AppContext, sandboxRoot?: () => Promise<string>): Router {
  const service = new VerificationService(ctx);
  const r = ctx.api.router('/api');
  r.post(
    {
      path: '/verify',
      tag: 'documents',
      summary: "Verify a signed PDF's signatures: the server's own inspection beside BSrE's, with their disagreements",
      description:
        "`local`: the server's inspection (@esign-kit/verify: integrity, coverage, changes after signing, PAdES level, timestamps, long-term validation with the revocation data inside the file; trust in GET /api/trust/roots), run off the event loop within PDF_INTAKE_TIMEOUT_MS — a file too complex to check is `local.error.code` TOO_COMPLEX. `provider`: BSrE's verification in one model for v2, v1 and cloud, or `providerError` when it failed. `disagreements`: where the two differ.",
      body: { schema, media: 'json+multipart', files: { file: pdfPart } },
      answers: { 200: { description: 'The local inspection, the provider’s view (or why it is missing) and their disagreements', schema: verifyAnswer } },
      errors: [400, 401, 413, 503],
    },
    async (req, res) => {
      const body = bodyOf(req, schema);
      const provider = body.provider ?? 'bsre';
      if (provider !== 'bsre') throw new HttpError('invalid-input', `${provider} offers no verification API; verify with bsre.`, 'provider');
      const pdf = await pdfOf(req, ctx);
      const roots = (await trustedRoots(ctx, sandboxRoot)).map((root) => root.pem);
      res.json(await service.verify(req, pdf, { trustedRoots: roots, password: body.password, localOnly: body.localOnly === true }));
    },
  );
  return r.router;
}
