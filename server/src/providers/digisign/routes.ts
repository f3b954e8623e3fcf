// Digisign's API routes (§ numbers: docs/providers/digisign.md): registration (KTP photo, selfie ≤ 500 KB JPEG, optional specimen), changing a not yet
// activated user's contact, sending a document with signers, boxes and e-meterai, and downloading the signed
// PDF into the store. Activation and signing happen in Digisign's web views (http/routes/webviews.ts) and come
// back through /callback/digisign/:flow (callback.ts). Each route validates the request, calls the client or
// the service (service.ts) and answers with a view.
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../http/context.js';
import { documentView } from '../../http/context.js';
import { HttpError, withField } from '../../http/errors.js';
import { bodyOf, email, json, neutralBox, nik } from '../../http/schemas.js';
import { fileOf } from '../../http/uploads.js';
import { imageOf } from '../../http/images.js';
import { pdfOf, refuseEncrypted } from '../../http/pdf-input.js';
import { userOf } from '../../http/auth.js';
import { opt, profileOf } from '../../http/util.js';
import { actsAs } from '../../http/guards.js';
import { DigisignService } from './service.js';

export const DIGISIGN_DOCUMENT_ID = /^[A-Za-z0-9_-]{1,20}$/;

// Bodies are strict objects: an unknown field is a 400 naming it (a misspelt optional field is never dropped unseen).
const registerSchema = z.strictObject({
  name: z.string().min(1).max(80),
  phone: z.string().min(8).max(15),
  birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written yyyy-mm-dd'),
  nik,
  placeOfBirth: z.string().min(1).max(30),
  email,
  gender: z.enum(['male', 'female']),
  province: z.string().max(80).optional(),
  city: z.string().max(80).optional(),
  redirect: json(z.boolean()).optional(),
});

const signerSchema = z.strictObject({
  name: z.string().min(1).max(80),
  email,
  user: z.string().regex(/^(ttd|prf)\d*$/i).optional(),
  visible: z.boolean().optional(),
  box: z.number().int().min(0).optional(),
});

const sendSchema = z.strictObject({
  documentId: z.string().optional(),
  digisignDocumentId: z.string().regex(DIGISIGN_DOCUMENT_ID, 'must be 1–20 letters, digits, "-" or "_"').optional(),
  signers: json(z.array(signerSchema).min(1).max(20)),
  boxes: json(z.array(neutralBox).min(1).max(40)),
  viewers: json(z.array(z.strictObject({ name: z.string().min(1).max(80), email })).max(20)).optional(),
  sequential: json(z.boolean()).optional(),
  payment: z.enum(['2', '3']).optional(),
  /** `branch` (seed 004 API Send Document, optional): the partner's branch name. */
  branch: z.string().min(1).max(100).optional(),
  meterai: json(z.strictObject({ boxes: z.array(neutralBox).min(1).max(10), documentType: z.enum(['2', '3', '4a', '4b']) })).optional(),
  fileName: z.string().max(100).optional(),
  profile: json(z.record(z.string(), z.unknown())).optional(),
});

export function digisignRouter(ctx: AppContext): Router {
  const service = new DigisignService(ctx);
  const r = Router();

  r.post('/digisign/users', async (req, res) => {
    const body = bodyOf(req, registerSchema);
    actsAs(req, ['nik', 'nik', body.nik], ['email', 'email', body.email]);
    const { client } = service.provider();
    const ktpPhoto = imageOf(req, 'ktpPhoto', ['jpeg', 'png']);
    const selfie = fileOf(req, 'selfie');
    if (!ktpPhoto) throw new HttpError('invalid-input', 'Send the KTP photo as the multipart part "ktpPhoto".', 'ktpPhoto');
    if (!selfie) throw new HttpError('invalid-input', 'Send the selfie as the multipart part "selfie" (JPEG, at most 500 KB).', 'selfie');
    const specimen = fileOf(req, 'specimen');
    // The adapter checks image types and sizes (selfie JPEG ≤ 500 KB, KTP JPEG/PNG ≤ 4 MB, specimen PNG) and names the field.
    const { province, city, redirect, ...identity } = body;
    const out = await client.register({ ...identity, ktpPhoto, selfie, ...opt({ province, city, redirect, specimen }) });
    res.status(201).json({ status: out.status, userCode: out.userCode ?? null, activationUrl: out.activationUrl ?? null, activationExpires: out.activationExpires ?? null, notif: out.notif ?? null });
  });

  // §9: a user who has not activated yet may change the e-mail or phone; unchanged values are repeated.
  r.post('/digisign/users/contact', async (req, res) => {
    const phone = z.string().regex(/^(\+62|62|08)\d{6,13}$/, 'must start with 08, 62 or +62');
    const body = bodyOf(req, z.strictObject({ oldEmail: email, newEmail: email, oldPhone: phone, newPhone: phone }));
    // The account changed and the address it moves to must both be the user's own (the red team moved someone
    // else's account to its own e-mail and phone, then activated it).
    actsAs(req, ['oldEmail', 'email', body.oldEmail], ['newEmail', 'email', body.newEmail]);
    const out = await service.provider().client.changeContact(body);
    res.json({ changed: true, notif: out.notif ?? null });
  });

  r.post('/digisign/documents', async (req, res) => {
    const body = bodyOf(req, sendSchema);
    service.provider();
    const pdf = refuseEncrypted(await pdfOf(req, ctx.store), 'Digisign');
    const { profile } = profileOf(body.profile);
    const out = await service.sendDocument(userOf(req), body, pdf, profile);
    res.status(201).json({ digisignDocumentId: out.digisignDocumentId, refTrx: out.refTrx ?? null, notif: out.notif ?? null, provider: 'digisign' });
  });

  // The signed PDF as Digisign has it now; stored before the answer names it (each call stores the current state).
  r.post('/digisign/documents/:digisignDocumentId/download', async (req, res) => {
    const id = String(req.params.digisignDocumentId);
    if (!DIGISIGN_DOCUMENT_ID.test(id)) throw new HttpError('invalid-input', 'digisignDocumentId is 1–20 letters, digits, "-" or "_".', 'digisignDocumentId');
    await withField('digisignDocumentId', ctx.store.assertRefOwner('digisign', id, userOf(req)));
    const { format } = bodyOf(req, z.strictObject({ format: z.enum(['pdf', 'base64']).optional() }));
    const meta = await service.download(userOf(req), id, format);
    res.status(201).location(`/api/documents/${meta.id}`).json({ document: documentView(meta), digisignDocumentId: id });
  });
  return r;
}
