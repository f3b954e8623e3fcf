// POST /api/verify: checks a signed PDF's signatures with the provider that offers verification (BSrE:
// Esign Client v2 /api/v2/verify/pdf, v1 /api/sign/verify, or the cloud service). Peruri and Digisign
// publish no verification API, so naming them is a 400 on `provider`. The three answers become one
// VerificationReport (providers/bsre/verification.ts), with BSrE's raw answer attached.
import type { Router } from 'express';
import { z } from 'zod';
import { BsreService } from '../../providers/bsre/service.js';
import type { AppContext } from '../context.js';
import { HttpError } from '../errors.js';
import { pdfOf } from '../pdf-input.js';
import { bodyOf, pdfPart } from '../schemas.js';

const schema = z.object({
  documentId: z.string().optional(),
  password: z.string().min(1).max(256).optional().meta({ writeOnly: true, description: 'The password of an encrypted PDF (API v2 only)' }),
  provider: z.enum(['bsre', 'peruri', 'digisign']).optional(),
});

const signature = z.object({
  field: z.string().optional(),
  signer: z.string().optional(),
  signerDn: z.string().optional(),
  issuer: z.string().optional(),
  signedAt: z.string().optional(),
  reason: z.string().optional(),
  location: z.string().optional(),
  integrity: z.boolean().optional(),
  trusted: z.boolean().optional(),
  timestamp: z.union([z.string(), z.boolean()]).optional(),
});
const report = z.object({
  provider: z.literal('bsre'),
  api: z.enum(['v1', 'v2', 'cloud']),
  conclusion: z.enum(['valid', 'valid-untrusted', 'invalid', 'no-signature', 'unknown']),
  providerConclusion: z.string().optional(),
  signatureCount: z.number().int(),
  signatures: z.array(signature),
  notes: z.array(z.string()),
  raw: z.record(z.string(), z.unknown()).describe("BSrE's answer as sent"),
});

export function verifyRouter(ctx: AppContext): Router {
  const bsre = new BsreService(ctx);
  const r = ctx.api.router('/api');
  r.post(
    {
      path: '/verify',
      tag: 'documents',
      summary: "Verify a signed PDF's signatures (BSrE)",
      body: { schema, media: 'json+multipart', files: { file: pdfPart } },
      answers: {
        200: {
          description: 'One verification model for BSrE v2, v1 and cloud; the conclusion is derived from the integrity and trust BSrE reports per signature, with its own words and raw answer beside it',
          schema: report,
        },
      },
      errors: [400, 401, 413, 502, 503, 504],
    },
    async (req, res) => {
      const body = bodyOf(req, schema);
      const provider = body.provider ?? 'bsre';
      if (provider !== 'bsre') throw new HttpError('invalid-input', `${provider} offers no verification API; verify with bsre.`, 'provider');
      const pdf = await pdfOf(req, ctx.store);
      res.json(await bsre.verify(pdf, body.password));
    },
  );
  return r.router;
}
