// BSrE's API routes (part letters and gap numbers: docs/providers/bsre.md): user status, registration and signing TOTP (Esign Client v2), signing through the Esign
// Client (v1 multipart or v2 JSON, per BSRE_API) or the cloud service, v1's download-once, bulk signing (v2,
// several PDFs, one credential) and the organisation's electronic seal (D.3–D.5). Each route validates the
// request (schema, identity, scope, guessing limits), calls the service (service.ts) and answers with a view:
// every signed or sealed PDF is stored before the answer names it.
import type { Request, Router } from 'express';
import { z } from 'zod';
import { userOf } from '../../http/auth.js';
import type { AppContext } from '../../http/context.js';
import { documentView } from '../../http/context.js';
import { HttpError, withField } from '../../http/errors.js';
import { actsAs, actsAsSigner, limitGuesses, requireOrgScope, signerTarget, targetOf } from '../../http/guards.js';
import { imageOf } from '../../http/images.js';
import { progressOf } from '../../http/idempotency.js';
import { pdfOf, pdfsOf, refuseEncrypted } from '../../http/pdf-input.js';
import { bodyOf, documentIds, email, json, neutralBox, nik, pdfPart, pdfsPart, profile, secret, storedDocument } from '../../http/schemas.js';
import { BULK_MAX_FILES } from '../../http/uploads.js';
import { opt, profileOf } from '../../http/util.js';
import { BsreService, oneSigner, planSignature, signingApi } from './service.js';

// Bodies are strict objects: an unknown field is a 400 naming it, since a misspelt optional field ("reson",
// "pdfPasword") would otherwise be dropped unseen.
const signerSchema = z.strictObject({ nik: nik.optional(), email: email.optional() });

const signSchema = z.strictObject({
  documentId: z.string().optional(),
  service: z.enum(['esign-client', 'cloud']).optional().describe('Default: the Esign Client when configured, else the cloud service'),
  nik: nik.optional(),
  email: email.optional(),
  passphrase: secret(z.string().min(1).max(256)).optional(),
  totp: secret(z.string().regex(/^\d{4,8}$/, 'must be the numeric code the user received')).optional(),
  appearance: z.enum(['invisible', 'image', 'qr']).optional(),
  box: json(neutralBox).optional(),
  linkQR: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('For appearance "qr" (API v2: rendered to a PNG by this server)'),
  /** tag_koordinat: the stamp lands at this marker character in the text, `tagSize` big (instead of `box`). */
  tag: z
    .string()
    .regex(/^\S$/u, 'must be one marker character such as "#" or "$"')
    .optional()
    .describe('tag_koordinat: sign at this marker character in the text, instead of box (Esign Client only)'),
  tagSize: json(z.strictObject({ width: z.number().positive().max(2000), height: z.number().positive().max(2000) })).optional(),
  reason: z.string().max(100).optional(),
  location: z.string().max(100).optional(),
  /** v1 `text` (seed 002 §5.2 field 17): free text the user adds. */
  text: z.string().max(200).optional().describe('API v1 only: `text`, free text of the signature (seed 002 §5.2 field 17)'),
  /** v2 `signatureProperties[].pdfPassword` (seed 002 §6.2 field 16): the password of an encrypted PDF. */
  pdfPassword: secret(z.string().min(1).max(256))
    .optional()
    .describe('API v2 only: the password of an encrypted PDF (`signatureProperties[].pdfPassword`, seed 002 §6.2 field 16)'),
  /** Cloud sign request parameters (seed 000 SEND_SIGN_REQUEST): tujuan, perihal, info, jenis_dokumen, nomor. */
  addressee: z.string().min(1).max(200).optional().describe('Cloud only: `tujuan` (seed 000 SEND_SIGN_REQUEST)'),
  subject: z.string().min(1).max(200).optional().describe('Cloud only: `perihal`'),
  info: z.string().min(1).max(200).optional().describe('Cloud only: `info`'),
  documentType: z.string().min(1).max(100).optional().describe('Cloud only: `jenis_dokumen`'),
  documentNumber: z.string().min(1).max(100).optional().describe('Cloud only: `nomor`'),
  /** Cloud `approved_info` (seed 000 SIGN DOKUMEN): a note with the approval. */
  approvedInfo: z.string().min(1).max(200).optional().describe('Cloud only: `approved_info` of the signing (seed 000 SIGN DOKUMEN)'),
  profile: profile.optional(),
});

/**
 * The signer whose passphrase or TOTP a signing request guesses (attempts are limited per signer, one person one
 * count: http/guards.ts signerTarget). The kind comes from the service the request goes to, never from which
 * fields are present: v1 and the cloud sign with the passphrase whatever else the body holds (their `totp` is
 * refused, service.ts SERVICE_FIELDS), so a dummy `totp` cannot move a passphrase guess out of its count.
 */
const signerGuess =
  (ctx: AppContext, bulk = false) =>
  (req: Request) => {
    const signer = signerTarget(req);
    if (signer === undefined) return undefined;
    const body = req.body as Record<string, unknown>;
    const api = bulk ? 'v2' : signingApi(ctx, body.service);
    const totp = api === 'v2' && body.totp !== undefined && body.passphrase === undefined;
    return { kind: totp ? ('bsre-totp' as const) : ('bsre-passphrase' as const), ...signer, field: totp ? 'totp' : 'passphrase' };
  };

/** The seal subscriber whose activation TOTP or seal OTP a request guesses (none when the held OTP is used). */
const sealGuess = (field: 'totp' | 'activationTotp', kind: 'bsre-seal-otp' | 'bsre-seal-activation') => (req: Request) => {
  const target = targetOf(req, 'idSubscriber', /^[\x21-\x7e]{1,100}$/);
  return target !== undefined && (req.body as Record<string, unknown>)[field] !== undefined ? { kind, target, field } : undefined;
};

/** The seal subscriber id BSrE gives the agency (D.3): opaque, printable, no spaces. */
const idSubscriber = z.string().regex(/^[\x21-\x7e]{1,100}$/, 'must be the seal subscriber id BSrE gave the agency');
const code = (what: string) => secret(z.string().regex(/^\d{4,8}$/, `must be the numeric ${what}`));
/** The seal activation TOTP (D.3) has no documented format (the sandbox's is 32 hex characters): opaque text. */
const activationTotp = secret(z.string().regex(/^[\x21-\x7e]{1,256}$/, 'must be the activation TOTP the agency received'));
const text100 = z.string().max(100);

const bulkSignatureSchema = z.strictObject({
  appearance: z.enum(['invisible', 'image']).optional(),
  box: neutralBox.optional(),
  reason: text100.optional(),
  location: text100.optional(),
  pdfPassword: secret(z.string().min(1).max(256)).optional(),
});

const bulkSchema = z.strictObject({
  documentId: z.string().optional(),
  documentIds: documentIds.optional(),
  nik: nik.optional(),
  email: email.optional(),
  passphrase: secret(z.string().min(1).max(256)).optional(),
  totp: code('code the user received').optional().describe('From POST /api/bsre/totp with fileCount = the number of files'),
  signatures: json(z.array(bulkSignatureSchema).min(1).max(BULK_MAX_FILES))
    .optional()
    .describe('One appearance for all files, or exactly one per file (by position); default one invisible'),
  profile: profile.optional(),
});

const sealSchema = z.strictObject({
  documentId: z.string().optional(),
  documentIds: documentIds.optional(),
  idSubscriber,
  totp: code('seal OTP').optional().describe('The seal OTP; omit to use the one the server holds'),
  reason: text100.optional(),
  location: text100.optional(),
});

const registerSchema = z.strictObject({ name: z.string().min(1).max(100), email });
const totpSchema = signerSchema.extend({
  fileCount: z.number().int().min(1).max(100).optional().describe('The number of files the next signing carries (default 1)'),
});
const downloadSchema = z.strictObject({ documentId: z.string().min(1).max(200).describe('The id_dokumen BSrE v1 named the signed document with') });
const subscriberSchema = z.strictObject({ idSubscriber });
const activationSchema = z.strictObject({ idSubscriber, totp: activationTotp });
const sealTotpSchema = z.strictObject({ idSubscriber, activationTotp, fileCount: z.number().int().min(1).max(BULK_MAX_FILES).optional() });

// The answers.
const nullableText = z.string().nullable();
const userStatus = z.object({
  status: z.enum(['ISSUE', 'EXPIRED', 'RENEW', 'WAITING_FOR_VERIFICATION', 'NEW', 'NO_CERTIFICATE', 'NOT_REGISTERED', 'SUSPEND', 'REVOKE']),
  canSign: z.boolean(),
  message: z.string(),
});
const signed = z.object({
  document: storedDocument,
  provider: z.literal('bsre'),
  api: z.enum(['v1', 'v2', 'cloud']),
  providerDocumentId: z.string().optional(),
});
const downloaded = z.object({ document: storedDocument, fromStore: z.boolean() });
const signedMany = z.object({ documents: z.array(storedDocument), provider: z.literal('bsre'), api: z.literal('v2') });

const PDF_FILES = { file: pdfPart, files: pdfsPart };
const SPECIMEN = { description: 'Specimen (PNG or JPEG) for the visible signatures', media: 'image/png' };
/** Errors every BSrE call may answer besides the caller's own: the provider's failures. */
const UPSTREAM = [502, 503, 504];

export function bsreRouter(ctx: AppContext): Router {
  const service = new BsreService(ctx);
  const r = ctx.api.router('/api');

  // NIK and e-mail travel in the body, not the URL: they are personal data and URLs end up in logs.
  r.post(
    {
      path: '/bsre/users/status',
      tag: 'bsre',
      summary: 'BSrE certificate status of a user (v2: nik or email; v1: nik)',
      body: { schema: signerSchema, media: 'json' },
      answers: { 200: { description: 'Status; only ISSUE can sign (D.6)', schema: userStatus } },
      errors: [400, 401, 403, ...UPSTREAM],
    },
    async (req, res) => {
      const signer = oneSigner(bodyOf(req, signerSchema));
      actsAsSigner(req, signer);
      const outcome = await service.userStatus(signer);
      res.json({ status: outcome.status, canSign: outcome.canSign, message: outcome.message });
    },
  );

  r.post(
    {
      path: '/bsre/users',
      tag: 'bsre',
      summary: 'Register a user at BSrE (v2)',
      body: { schema: registerSchema, media: 'json' },
      answers: { 201: { description: 'Registered', schema: z.object({ registered: z.literal(true), message: nullableText }) } },
      errors: [400, 401, 403, ...UPSTREAM],
    },
    async (req, res) => {
      const body = bodyOf(req, registerSchema);
      actsAs(req, ['email', 'email', body.email]);
      const ack = await service.v2().register({ name: body.name, email: body.email });
      res.status(201).json({ registered: true, message: ack.message ?? null });
    },
  );

  // The signing TOTP goes to the signer's e-mail; it is never returned to the portal.
  r.post(
    {
      path: '/bsre/totp',
      tag: 'bsre',
      summary: "Send a signing TOTP to the signer's e-mail (v2); the code is never returned",
      body: { schema: totpSchema, media: 'json' },
      answers: { 201: { description: 'Sent', schema: z.object({ sent: z.literal(true), message: nullableText, expires: z.string().optional() }) } },
      errors: [400, 401, 403, ...UPSTREAM],
    },
    async (req, res) => {
      const body = bodyOf(req, totpSchema);
      if (body.nik === undefined && body.email === undefined) throw new HttpError('invalid-input', 'Give nik, email or both.', 'nik');
      actsAsSigner(req, body);
      const ack = await service.v2().requestSignTotp({ ...opt({ nik: body.nik, email: body.email }), fileCount: body.fileCount ?? 1 });
      res.status(201).json({ sent: true, message: ack.message ?? null, ...(ack.expires !== undefined ? { expires: ack.expires } : {}) });
    },
  );

  r.post(
    {
      path: '/bsre/signatures',
      tag: 'bsre',
      idempotent: true,
      summary: 'Sign a PDF at BSrE and store the signed PDF',
      description:
        'To the Esign Client (API v1 or v2, per BSRE_API) or the cloud service (`service`). A box or tag without an appearance takes the uploaded specimen, else a QR of linkQR, else (cloud) the specimen BSrE holds. Fields of another service than the one signing are refused by name.',
      body: {
        schema: signSchema,
        media: 'json+multipart',
        files: {
          file: pdfPart,
          image: {
            description:
              'Specimen (PNG or JPEG) for appearance "image" (Esign Client only: the cloud service draws the specimen BSrE holds, and refuses an image)',
            media: 'image/png',
          },
        },
      },
      answers: { 201: { description: 'Signed and stored', schema: signed } },
      errors: [400, 401, 403, 404, 409, 413, 422, 429, ...UPSTREAM],
    },
    limitGuesses(ctx.attempts, signerGuess(ctx), async (req, res) => {
      const body = bodyOf(req, signSchema);
      actsAsSigner(req, body);
      const plan = planSignature(ctx, body, imageOf(req, 'image', ['png', 'jpeg']));
      const { profile } = profileOf(body.profile);
      const checked = await pdfOf(req, ctx);
      // An encrypted PDF goes to API v2 with its password (seed 002 §6.2 field 16); the others cannot open it.
      const pdf = body.pdfPassword !== undefined ? checked : refuseEncrypted(checked, 'BSrE');
      const { meta, api, providerRef } = await service.sign(body, plan, profile, pdf, userOf(req), progressOf(res));
      res
        .status(201)
        .location(`/api/documents/${meta.id}`)
        .json({ document: documentView(meta), provider: 'bsre', api, ...(providerRef !== undefined ? { providerDocumentId: providerRef } : {}) });
    }),
  );

  // BSrE v1 C.3: each signed document can be downloaded once; a repeated request is answered from the store.
  r.post(
    {
      path: '/bsre/downloads',
      tag: 'bsre',
      summary: 'BSrE v1 download-once: fetched and stored; repeated requests come from the store',
      description:
        'Needed when a v1 signing named its document (id_dokumen) but its answer was unusable and the immediate download failed too: the signing error names the id.',
      body: { schema: downloadSchema, media: 'json' },
      answers: { 200: { description: 'Already stored', schema: downloaded }, 201: { description: 'Downloaded and stored', schema: downloaded } },
      errors: [400, 401, 404, 502, 503],
    },
    async (req, res) => {
      const { documentId } = bodyOf(req, downloadSchema);
      await withField('documentId', ctx.store.assertRefOwner('bsre', documentId, userOf(req)));
      const { meta, stored } = await service.downloadOnce(documentId, userOf(req));
      res
        .status(stored ? 200 : 201)
        .location(`/api/documents/${meta.id}`)
        .json({ document: documentView(meta), fromStore: stored });
    },
  );

  // D.1 bulk: several PDFs, one signer and one credential; one appearance for all files or one per file.
  r.post(
    {
      path: '/bsre/signatures/bulk',
      tag: 'bsre',
      idempotent: true,
      summary: 'Sign several PDFs in one BSrE v2 call (one signer, one credential); every signed PDF is stored',
      body: { schema: bulkSchema, media: 'json+multipart', files: { ...PDF_FILES, image: SPECIMEN } },
      answers: { 201: { description: 'Signed and stored, in input order', schema: signedMany } },
      errors: [400, 401, 403, 404, 413, 422, 429, ...UPSTREAM],
    },
    limitGuesses(ctx.attempts, signerGuess(ctx, true), async (req, res) => {
      const body = bodyOf(req, bulkSchema);
      requireOrgScope(req, 'Bulk signing');
      const signer = oneSigner(body);
      actsAsSigner(req, signer);
      if ((body.passphrase === undefined) === (body.totp === undefined))
        throw new HttpError('invalid-input', 'Give exactly one of passphrase or totp.', 'passphrase');
      const image = imageOf(req, 'image', ['png', 'jpeg']);
      const { profile } = profileOf(body.profile);
      const client = service.v2();
      const pdfs = await pdfsOf(req, ctx);
      const stored = await service.signBulk(
        { signer, passphrase: body.passphrase, totp: body.totp, specs: body.signatures ?? [{}], image, profile },
        client,
        pdfs,
        userOf(req),
      );
      res.status(201).json({ documents: stored.map(documentView), provider: 'bsre', api: 'v2' });
    }),
  );

  // D.3–D.5, the electronic seal. The activation TOTP reaches the agency's registered e-mail; BSrE's answers to
  // refresh and seal OTP requests may echo a TOTP in their body (gap 25). Neither is ever returned to the portal:
  // a seal OTP BSrE returns is held by the service for the next seal.
  r.post(
    {
      path: '/bsre/seals/activation',
      tag: 'bsre',
      summary: "Seal (v2 D.3): request the activation TOTP, sent to the agency's registered e-mail",
      body: { schema: subscriberSchema, media: 'json' },
      answers: { 201: { description: 'Requested', schema: z.object({ requested: z.literal(true), message: nullableText }) } },
      errors: [400, 401, 403, ...UPSTREAM],
    },
    async (req, res) => {
      const body = bodyOf(req, subscriberSchema);
      requireOrgScope(req, 'The BSrE seal');
      const ack = await service.v2().sealActivation({ idSubscriber: body.idSubscriber });
      res.status(201).json({ requested: true, message: ack.message ?? null });
    },
  );

  r.post(
    {
      path: '/bsre/seals/activation/refresh',
      tag: 'bsre',
      summary: "Seal (v2 D.3): extend the activation TOTP's validity; the TOTP is never echoed",
      body: { schema: activationSchema, media: 'json' },
      answers: { 200: { description: 'Refreshed', schema: z.object({ refreshed: z.literal(true), message: nullableText, expires: nullableText }) } },
      errors: [400, 401, 403, 429, ...UPSTREAM],
    },
    limitGuesses(ctx.attempts, sealGuess('totp', 'bsre-seal-activation'), async (req, res) => {
      const body = bodyOf(req, activationSchema);
      requireOrgScope(req, 'The BSrE seal');
      const ack = await service.v2().sealActivation({ idSubscriber: body.idSubscriber, totp: body.totp });
      res.json({ refreshed: true, message: ack.message ?? null, expires: ack.expires ?? null });
    }),
  );

  r.post(
    {
      path: '/bsre/seals/activation/revoke',
      tag: 'bsre',
      summary: 'Seal (v2 D.3): revoke the activation',
      body: { schema: activationSchema, media: 'json' },
      answers: { 200: { description: 'Revoked', schema: z.object({ revoked: z.literal(true), message: nullableText }) } },
      errors: [400, 401, 403, 429, ...UPSTREAM],
    },
    limitGuesses(ctx.attempts, sealGuess('totp', 'bsre-seal-activation'), async (req, res) => {
      const body = bodyOf(req, activationSchema);
      requireOrgScope(req, 'The BSrE seal');
      const ack = await service.revokeSeal(body.idSubscriber, body.totp);
      res.json({ revoked: true, message: ack.message ?? null });
    }),
  );

  r.post(
    {
      path: '/bsre/seals/totp',
      tag: 'bsre',
      summary: 'Seal (v2 D.4): request the seal OTP with the activation TOTP',
      description:
        'An OTP BSrE returns in its body (docs/providers/bsre.md gap 25) is kept on the server for the next seal of that many files (`held`), never returned.',
      body: { schema: sealTotpSchema, media: 'json' },
      answers: {
        201: {
          description: 'Requested',
          schema: z.object({ sent: z.literal(true), message: nullableText, expires: nullableText, held: z.boolean(), fileCount: z.number().int() }),
        },
      },
      errors: [400, 401, 403, 429, ...UPSTREAM],
    },
    limitGuesses(ctx.attempts, sealGuess('activationTotp', 'bsre-seal-activation'), async (req, res) => {
      const body = bodyOf(req, sealTotpSchema);
      requireOrgScope(req, 'The BSrE seal');
      const fileCount = body.fileCount ?? 1;
      const { ack, held } = await service.requestSealTotp(userOf(req), { idSubscriber: body.idSubscriber, activationTotp: body.activationTotp, fileCount });
      res.status(201).json({ sent: true, message: ack.message ?? null, expires: ack.expires ?? null, held, fileCount });
    }),
  );

  // D.5: invisible seal (the only one documented, gap 26) of one or more PDFs.
  r.post(
    {
      path: '/bsre/seals',
      tag: 'bsre',
      idempotent: true,
      summary: "Seal (v2 D.5): seal one or more PDFs with the organisation's seal (invisible); every sealed PDF is stored before the answer",
      body: { schema: sealSchema, media: 'json+multipart', files: PDF_FILES },
      answers: { 201: { description: 'Sealed and stored, in input order', schema: signedMany.extend({ sealed: z.number().int() }) } },
      errors: [400, 401, 403, 404, 413, 422, 429, ...UPSTREAM],
    },
    limitGuesses(ctx.attempts, sealGuess('totp', 'bsre-seal-otp'), async (req, res) => {
      const body = bodyOf(req, sealSchema);
      requireOrgScope(req, 'The BSrE seal');
      const client = service.v2();
      const pdfs = (await pdfsOf(req, ctx)).map((pdf) => refuseEncrypted(pdf, 'The BSrE seal'));
      const documents = (await service.seal(userOf(req), body, client, pdfs)).map(documentView);
      res.status(201).json({ documents, provider: 'bsre', api: 'v2', sealed: documents.length });
    }),
  );
  return r.router;
}
