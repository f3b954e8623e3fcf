// POST /api/verify: checks a signed PDF's signatures with the provider that offers verification (BSrE:
// Esign Client v2 /api/v2/verify/pdf, v1 /api/sign/verify, or the cloud service). Peruri and Digisign
// publish no verification API, so naming them is a 400 on `provider`. The three answers become one
// VerificationReport (providers/bsre/verification.ts), with BSrE's raw answer attached.
import { Router } from 'express';
import { z } from 'zod';
import { fromBsreLegacy, fromBsreV2 } from '../../providers/adapters.js';
import type { AppContext } from '../context.js';
import { HttpError, notConfigured } from '../errors.js';
import { bodyOf } from '../schemas.js';
import { pdfOf } from '../pdf-input.js';

const schema = z.object({ documentId: z.string().optional(), password: z.string().min(1).max(256).optional(), provider: z.enum(['bsre', 'peruri', 'digisign']).optional() });

export function verifyRouter(ctx: AppContext): Router {
  const r = Router();
  r.post('/verify', async (req, res) => {
    const body = bodyOf(req, schema);
    const provider = body.provider ?? 'bsre';
    if (provider !== 'bsre') throw new HttpError('invalid-input', `${provider} offers no verification API; verify with bsre.`, 'provider');
    const pdf = await pdfOf(req, ctx.store);
    const b = ctx.providers.bsre;
    if (b?.api === 'v2') {
      const out = await b.client.verify({ pdf: pdf.bytes, ...(body.password !== undefined ? { password: body.password } : {}) });
      res.json(fromBsreV2(out));
    } else if (b) {
      if (body.password !== undefined) throw new HttpError('invalid-input', 'BSrE API v1 cannot verify password-protected PDFs.', 'password');
      res.json(fromBsreLegacy(await b.client.v1Verify({ pdf: pdf.bytes, fileName: pdf.fileName }), 'v1'));
    } else if (ctx.providers.bsreCloud) {
      if (body.password !== undefined) throw new HttpError('invalid-input', 'The BSrE cloud service cannot verify password-protected PDFs.', 'password');
      res.json(fromBsreLegacy(await ctx.providers.bsreCloud.client.verify({ pdf: pdf.bytes, fileName: pdf.fileName }), 'cloud'));
    } else throw notConfigured('BSrE');
  });
  return r;
}
