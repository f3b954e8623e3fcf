// Digisign's API routes (§ numbers: docs/providers/digisign.md): registration (KTP photo, selfie ≤ 500 KB JPEG, optional specimen), changing a not yet
// activated user's contact, sending a document with signers, boxes and e-meterai, and downloading the signed
// PDF into the store. Activation and signing happen in Digisign's web views (http/routes/webviews.ts) and come
// back through /callback/digisign/:flow (callback.ts). Each route validates the request, calls the client or
// the service (service.ts) and answers with a view.
import type { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../http/context.js';
import { documentView } from '../../http/context.js';
import { HttpError, withField } from '../../http/errors.js';
import { bodyOf, email, json, neutralBox, nik, pdfPart, profile, storedDocument } from '../../http/schemas.js';
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
  birthDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written yyyy-mm-dd')
    .meta({ format: 'date' }),
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
  user: z
    .string()
    .regex(/^(ttd|prf)\d*$/i)
    .optional(),
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
  branch: z.string().min(1).max(100).optional().describe('`branch`: the branch name (seed 004 API Send Document, optional)'),
  meterai: json(z.strictObject({ boxes: z.array(neutralBox).min(1).max(10), documentType: z.enum(['2', '3', '4a', '4b']) })).optional(),
  fileName: z.string().max(100).optional(),
  profile: profile.optional(),
});

const phone = z.string().regex(/^(\+62|62|08)\d{6,13}$/, 'must start with 08, 62 or +62');
const contactSchema = z.strictObject({ oldEmail: email, newEmail: email, oldPhone: phone, newPhone: phone });
const downloadSchema = z.strictObject({
  format: z.enum(['pdf', 'base64']).optional().describe('"base64" uses DWMITRA64 (answers with a result code); default "pdf" (DWMITRA)'),
});
const documentParam = z.object({ digisignDocumentId: z.string().regex(DIGISIGN_DOCUMENT_ID) });
const nullableText = z.string().nullable();
const UPSTREAM = [502, 503, 504];

export function digisignRouter(ctx: AppContext): Router {
  const service = new DigisignService(ctx);
  const r = ctx.api.router('/api');

  r.post(
    {
      path: '/digisign/users',
      tag: 'digisign',
      summary: 'Register a user at Digisign (KTP photo, selfie JPEG ≤ 500 KB, optional PNG specimen)',
      body: {
        schema: registerSchema,
        media: 'multipart',
        files: {
          ktpPhoto: { description: 'The KTP photo, JPEG or PNG, at most 4 MB', media: 'image/jpeg', required: true },
          selfie: { description: 'A live selfie, JPEG, at most 500 KB', media: 'image/jpeg', required: true },
          specimen: { description: 'The handwritten signature, PNG (white or transparent background)', media: 'image/png' },
        },
      },
      answers: {
        201: {
          description: 'Registered',
          schema: z.object({
            status: z.enum(['activation-required', 'not-yet-activated', 'already-registered', 're-registered']),
            userCode: nullableText,
            activationUrl: nullableText,
            activationExpires: nullableText,
            notif: nullableText,
          }),
        },
      },
      errors: [400, 401, 403, 409, 413, 422, 429, ...UPSTREAM],
    },
    async (req, res) => {
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
      res.status(201).json({
        status: out.status,
        userCode: out.userCode ?? null,
        activationUrl: out.activationUrl ?? null,
        activationExpires: out.activationExpires ?? null,
        notif: out.notif ?? null,
      });
    },
  );

  // §9: a user who has not activated yet may change the e-mail or phone; unchanged values are repeated.
  r.post(
    {
      path: '/digisign/users/contact',
      tag: 'digisign',
      summary: 'Change the e-mail or phone of a user who has not activated yet',
      body: { schema: contactSchema, media: 'json' },
      answers: { 200: { description: 'Changed', schema: z.object({ changed: z.literal(true), notif: nullableText }) } },
      errors: [400, 401, 403, 404, 409, 422, 502, 503],
    },
    async (req, res) => {
      const body = bodyOf(req, contactSchema);
      // The account changed and the address it moves to must both be the user's own (the red team moved someone
      // else's account to its own e-mail and phone, then activated it).
      actsAs(req, ['oldEmail', 'email', body.oldEmail], ['newEmail', 'email', body.newEmail]);
      const out = await service.provider().client.changeContact(body);
      res.json({ changed: true, notif: out.notif ?? null });
    },
  );

  r.post(
    {
      path: '/digisign/documents',
      tag: 'digisign',
      idempotent: true,
      summary: 'Send a document to Digisign with signers, boxes and e-meterai',
      description:
        'Each signer takes the box of its position in `boxes` (or `box`: an index); signature and e-meterai boxes must not overlap (§5.5). digisignDocumentId is generated when omitted.',
      body: { schema: sendSchema, media: 'json+multipart', files: { file: pdfPart } },
      answers: {
        201: {
          description: 'Sent',
          schema: z.object({ digisignDocumentId: z.string(), refTrx: nullableText, notif: nullableText, provider: z.literal('digisign') }),
        },
      },
      errors: [400, 401, 409, 413, 422, ...UPSTREAM],
    },
    async (req, res) => {
      const body = bodyOf(req, sendSchema);
      service.provider();
      const pdf = refuseEncrypted(await pdfOf(req, ctx), 'Digisign');
      const { profile } = profileOf(body.profile);
      const out = await service.sendDocument(userOf(req), body, pdf, profile);
      res.status(201).json({ digisignDocumentId: out.digisignDocumentId, refTrx: out.refTrx ?? null, notif: out.notif ?? null, provider: 'digisign' });
    },
  );

  // The signed PDF as Digisign has it now; stored before the answer names it (each call stores the current state).
  r.post(
    {
      path: '/digisign/documents/:digisignDocumentId/download',
      tag: 'digisign',
      summary: 'Download the signed PDF from Digisign and store it',
      params: documentParam,
      body: { schema: downloadSchema, media: 'json', required: false },
      answers: { 201: { description: 'Stored', schema: z.object({ document: storedDocument, digisignDocumentId: z.string() }) } },
      errors: [400, 401, 403, 404, 502, 503],
    },
    async (req, res) => {
      const id = String(req.params.digisignDocumentId);
      if (!DIGISIGN_DOCUMENT_ID.test(id)) throw new HttpError('invalid-input', 'digisignDocumentId is 1–20 letters, digits, "-" or "_".', 'digisignDocumentId');
      await withField('digisignDocumentId', ctx.store.assertRefOwner('digisign', id, userOf(req)));
      const { format } = bodyOf(req, downloadSchema);
      const meta = await service.download(userOf(req), id, format);
      res
        .status(201)
        .location(`/api/documents/${meta.id}`)
        .json({ document: documentView(meta), digisignDocumentId: id });
    },
  );
  return r.router;
}
