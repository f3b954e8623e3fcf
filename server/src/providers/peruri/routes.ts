// Peruri's API routes (§ numbers: docs/providers/peruri.md): registration, specimen, certificate status, activation and video e-KYC per user, and the
// document flows — single, tier (§6), bulk (§7) and signing system (§8). Each route validates the request
// (schema, ownership of the order, identity, scope, guessing limits), calls the service (service.ts) and
// answers with a view; every signed PDF is stored before an answer names it.
import type { Request, Router } from 'express';
import { z } from 'zod';
import { userOf } from '../../http/auth.js';
import type { AppContext } from '../../http/context.js';
import { documentView } from '../../http/context.js';
import { HttpError, withField } from '../../http/errors.js';
import { actsAs, actsAsSignersOf, limitGuesses, requireOrgScope } from '../../http/guards.js';
import { imageOf } from '../../http/images.js';
import { pdfOf, pdfsOf, refuseEncrypted } from '../../http/pdf-input.js';
import { bodyOf, documentIds, email, json, neutralBox, nik, pdfPart, pdfsPart, profile, secret, storedDocument } from '../../http/schemas.js';
import { fileOf } from '../../http/uploads.js';
import { opt, profileOf } from '../../http/util.js';
import { sha256 } from '../../store/documents.js';
import { PeruriService } from './service.js';

const ORDER_ID = /^[A-Za-z0-9_-]{1,100}$/;

/** The order (or batch) whose OTP a signing request guesses: attempts are limited per order (http/guards.ts). */
const otpGuess = (param: 'orderId' | 'batchId') => (req: Request) => {
  const id = String(req.params[param]);
  return ORDER_ID.test(id) ? { kind: 'peruri-otp' as const, target: `${param === 'orderId' ? 'order' : 'batch'}:${id}`, field: 'otpCode' } : undefined;
};

// Bodies are strict objects: an unknown field is a 400 naming it (a misspelt optional field is never dropped unseen).
const sendSchema = z.strictObject({
  documentId: z.string().optional(),
  email,
  boxes: json(z.array(neutralBox).min(1).max(20)).optional(),
  visible: json(z.boolean()).optional(),
  certificateLevel: z.enum(['NOT_CERTIFIED', 'NO_CHANGES_ALLOWED']).optional(),
  location: z.string().max(100).optional(),
  reason: z.string().max(100).optional(),
  fileName: z.string().max(100).optional(),
  profile: profile.optional(),
  /** §8: "SYSTEM" routes the document to Signing System (no OTP). */
  orderType: z.enum(['SYSTEM']).optional().describe('Route to Signing System (§8)'),
});

const certificateLevel = z.enum(['NOT_CERTIFIED', 'NO_CHANGES_ALLOWED']);

/** §5.4 Signing: the OTP, and the placement when Send Document had none (Signing lists no varReason). */
const signSchema = z.strictObject({
  otpCode: secret(z.string().regex(/^\d{6}$/, 'must be the 6-digit code the user received')),
  boxes: json(z.array(neutralBox).min(1).max(20)).optional(),
  visible: json(z.boolean()).optional(),
  certificateLevel: certificateLevel.optional(),
  location: z.string().max(100).optional(),
  profile: profile.optional(),
});
const orderIdValue = z.string().regex(ORDER_ID, 'must be an orderId Peruri returned');
const orderIds = json(z.array(orderIdValue).min(1).max(50));
const otpCode = secret(z.string().regex(/^\d{6}$/, 'must be the 6-digit code the user received'));

const tierSendSchema = z.strictObject({
  documentId: z.string().optional(),
  uploader: email,
  signers: json(z.array(email).min(1).max(20)),
  fileName: z.string().max(100).optional(),
});

const tierSignSchema = z.strictObject({
  otpCode,
  boxes: json(z.array(neutralBox).min(1).max(20)),
  certificateLevel: certificateLevel.optional(),
  location: z.string().min(1).max(100),
  profile: profile.optional(),
});

const bulkSendSchema = z.strictObject({
  documentId: z.string().optional(),
  documentIds: documentIds.optional(),
  email,
  boxes: json(z.array(neutralBox).min(1).max(20)).optional(),
  visible: json(z.boolean()).optional(),
  certificateLevel: certificateLevel.optional(),
  location: z.string().max(100).optional(),
  reason: z.string().max(100).optional(),
  profile: profile.optional(),
});

const placementSchema = z.strictObject({
  box: json(neutralBox).optional(),
  visible: json(z.boolean()).optional(),
  certificateLevel: certificateLevel.optional(),
  location: z.string().max(100).optional(),
  reason: z.string().max(100).optional(),
  profile: profile.optional(),
});

/** The e-KYC video (§4.3): MP4/QuickTime (`ftyp` box) or WebM (EBML header), told by its bytes. */
const isVideo = (b: Uint8Array) =>
  (b.length > 12 && b[4] === 0x66 && b[5] === 0x74 && b[6] === 0x79 && b[7] === 0x70) || (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3);

const registerSchema = z.strictObject({
  name: z.string().min(1).max(100),
  phone: z.string().regex(/^\+?\d{8,15}$/, 'must be a mobile number of 8 to 15 digits'),
  email,
  password: secret(z.string().min(1).max(255)).optional(),
  nik,
  npwp: z.string().max(15).optional(),
  address: z.string().min(1).max(255),
  city: z.string().min(1).max(255),
  province: z.string().min(1).max(255),
  gender: z.enum(['M', 'F']),
  placeOfBirth: z.string().min(1).max(255),
  dateOfBirth: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written yyyy-mm-dd')
    .meta({ format: 'date' }),
  orgUnit: z.string().max(255).optional(),
  workUnit: z.string().max(255).optional(),
  position: z.string().max(255).optional(),
});

const emailSchema = z.strictObject({ email });
const orderIdsSchema = z.strictObject({ orderIds });
const otpSchema = z.strictObject({ otpCode });
const keySchema = z.strictObject({
  minutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60),
  key: secret(z.string().regex(/^[\x21-\x7e]{6,100}$/, 'must be 6 to 100 printable characters without spaces'))
    .optional()
    .describe('Generated when omitted'),
});
const orderParam = z.object({ orderId: orderIdValue });
const batchParam = z.object({ batchId: z.string().regex(ORDER_ID).describe('The orderIdBulk Peruri returned') });

// The answers.
const resultDesc = z.string();
const providerWords = z.object({ code: z.string(), message: z.string() });
/** One order after a signing: its stored document, or null with why it is not stored yet (poll …/status). */
const perOrder = z.object({
  orderId: z.string(),
  document: storedDocument.nullable(),
  error: z.object({ code: z.string(), message: z.string(), provider: providerWords.optional() }).optional(),
});
const IMAGE = (description: string) => ({ description, media: 'image/jpeg' });
const UPSTREAM = [502, 503, 504];

export function peruriRouter(ctx: AppContext): Router {
  const service = new PeruriService(ctx);
  const r = ctx.api.router('/api');
  const orderIdOf = (req: Request) => {
    const id = String(req.params.orderId);
    if (!ORDER_ID.test(id)) throw new HttpError('invalid-input', 'orderId is the id Peruri returned for the document.', 'orderId');
    return id;
  };
  /** Peruri's orderIds count up: only the portal user who created an order through this server may use it. */
  const ownedOrderId = async (req: Request) => {
    const id = orderIdOf(req);
    await withField('orderId', ctx.store.assertRefOwner('peruri', id, userOf(req)));
    await actsAsSignersOf(req, ctx.store, 'peruri', id, 'orderId');
    return id;
  };
  const assertOwnedOrders = async (req: Request, ids: readonly string[]) => {
    for (const [i, id] of ids.entries()) {
      await withField(`orderIds.${i}`, ctx.store.assertRefOwner('peruri', id, userOf(req)));
      await actsAsSignersOf(req, ctx.store, 'peruri', id, `orderIds.${i}`);
    }
  };

  // Registration (§4.1): identity data and the KTP photo (JPEG or PNG), optionally NPWP; multipart.
  r.post(
    {
      path: '/peruri/users',
      tag: 'peruri',
      summary: 'Register a user at Peruri (KTP photo JPEG/PNG, optional NPWP)',
      body: {
        schema: registerSchema,
        media: 'multipart',
        files: { ktpPhoto: { ...IMAGE('The KTP photo, JPEG or PNG'), required: true }, npwpPhoto: IMAGE('The NPWP photo, JPEG or PNG') },
      },
      answers: { 201: { description: 'Registered', schema: z.object({ registered: z.literal(true), resultDesc }) } },
      errors: [400, 401, 403, 413, ...UPSTREAM],
    },
    async (req, res) => {
      const body = bodyOf(req, registerSchema);
      actsAs(req, ['nik', 'nik', body.nik], ['email', 'email', body.email]);
      const client = service.client();
      const ktpPhoto = imageOf(req, 'ktpPhoto', ['jpeg', 'png']);
      if (!ktpPhoto) throw new HttpError('invalid-input', 'Send the KTP photo as the multipart part "ktpPhoto".', 'ktpPhoto');
      const npwpPhoto = imageOf(req, 'npwpPhoto', ['jpeg', 'png']);
      const { nik: ktp, npwp, password, orgUnit, workUnit, position, ...identity } = body;
      const out = await client.registration({ ...identity, ktp, ktpPhoto, ...opt({ password, npwp, npwpPhoto, orgUnit, workUnit, position }) });
      res.status(201).json({ registered: true, resultDesc: out.resultDesc });
    },
  );

  // The signature specimen (§4.4), a PNG or JPEG image.
  r.post(
    {
      path: '/peruri/users/specimen',
      tag: 'peruri',
      summary: "Store the user's signature specimen at Peruri",
      body: { schema: emailSchema, media: 'multipart', files: { specimen: { description: 'The specimen, PNG or JPEG', media: 'image/png', required: true } } },
      answers: { 201: { description: 'Stored', schema: z.object({ stored: z.literal(true), resultDesc }) } },
      errors: [400, 401, 403, 413, 502, 503],
    },
    async (req, res) => {
      const body = bodyOf(req, emailSchema);
      actsAs(req, ['email', 'email', body.email]);
      const specimen = imageOf(req, 'specimen', ['png', 'jpeg']);
      if (!specimen) throw new HttpError('invalid-input', 'Send the specimen as the multipart part "specimen".', 'specimen');
      const out = await service.client().sendSpecimen({ email: body.email, specimen });
      res.status(201).json({ stored: true, resultDesc: out.resultDesc });
    },
  );

  // Issued only on resultCode "0"; any other code is Peruri's failure, answered with its code and text
  // (seed 003: "0" = Sukses, Selain "0" = Gagal), never "not issued yet".
  r.post(
    {
      path: '/peruri/users/certificate',
      tag: 'peruri',
      summary:
        'Peruri certificate status: issued on resultCode "0"; any other code is a 422 with Peruri\'s code and text (seed 003: "0" = Sukses, Selain "0" = Gagal)',
      body: { schema: emailSchema, media: 'json' },
      answers: { 200: { description: 'Issued', schema: z.object({ issued: z.literal(true), resultCode: z.literal('0'), resultDesc }) } },
      errors: [400, 401, 403, 422, 502, 503],
    },
    async (req, res) => {
      const body = bodyOf(req, emailSchema);
      actsAs(req, ['email', 'email', body.email]);
      const out = await service.client().checkCertificate({ email: body.email });
      res.json({ issued: true, resultCode: out.resultCode, resultDesc: out.resultDesc });
    },
  );

  r.post(
    {
      path: '/peruri/users/activation',
      tag: 'peruri',
      summary: 'Start Peruri activation for a user',
      body: { schema: emailSchema, media: 'json' },
      answers: { 201: { description: 'Requested', schema: z.object({ requested: z.literal(true), resultDesc }) } },
      errors: [400, 401, 403, 502, 503],
    },
    async (req, res) => {
      const body = bodyOf(req, emailSchema);
      actsAs(req, ['email', 'email', body.email]);
      const out = await service.client().activation({ email: body.email });
      res.status(201).json({ requested: true, resultDesc: out.resultDesc });
    },
  );

  r.post(
    {
      path: '/peruri/documents',
      tag: 'peruri',
      idempotent: true,
      summary: 'Send a document to Peruri with signer boxes',
      description:
        "Send Document (§5.1): the boxes, converted against the PDF's pages, or `visible: false`; none, and the placement comes with Signing. orderType SYSTEM routes it to Signing System (§8, organisation scope).",
      body: { schema: sendSchema, media: 'json+multipart', files: { file: pdfPart } },
      answers: {
        201: { description: 'Sent', schema: z.object({ orderId: z.string(), provider: z.literal('peruri'), orderType: z.literal('SYSTEM').optional() }) },
      },
      errors: [400, 401, 403, 413, 422, ...UPSTREAM],
    },
    async (req, res) => {
      const body = bodyOf(req, sendSchema);
      actsAs(req, ['email', 'email', body.email]);
      // Signing System (§8) signs as the signer with no OTP: an organisation-level operation.
      if (body.orderType === 'SYSTEM') requireOrgScope(req, 'Peruri Signing System');
      const client = service.client();
      const pdf = refuseEncrypted(await pdfOf(req, ctx), 'Peruri');
      const { profile } = profileOf(body.profile);
      const orderId = await service.sendDocument(client, userOf(req), { ...body, profile }, pdf);
      res.status(201).json({ orderId, provider: 'peruri', ...(body.orderType ? { orderType: body.orderType } : {}) });
    },
  );

  r.post(
    {
      path: '/peruri/documents/:orderId/otp',
      tag: 'peruri',
      summary: "Send the signing OTP to the signer's phone, for a single or a tier order (the OTP session token stays on the server)",
      params: orderParam,
      answers: { 201: { description: 'Sent', schema: z.object({ sent: z.literal(true), phone: z.string().nullable() }) } },
      errors: [400, 401, 403, 404, 502, 503],
    },
    async (req, res) => {
      const orderId = await ownedOrderId(req);
      const out = await service.requestOtp(userOf(req), orderId);
      res.status(201).json({ sent: true, phone: out.phone ?? null });
    },
  );

  r.post(
    {
      path: '/peruri/documents/:orderId/signatures',
      tag: 'peruri',
      idempotent: true,
      summary: 'Sign with the OTP (§5.4), with the placement when Send Document had none',
      description:
        'Then Check Document Status and the download, stored before the answer; a failure there answers signed, document null, and the error (poll …/status).',
      params: orderParam,
      body: { schema: signSchema, media: 'json' },
      answers: { 201: { description: 'Signed (and stored, or the error that kept it from the store)', schema: perOrder.extend({ signed: z.literal(true) }) } },
      errors: [400, 401, 403, 404, 429, ...UPSTREAM],
    },
    limitGuesses(ctx.attempts, otpGuess('orderId'), async (req, res) => {
      const orderId = await ownedOrderId(req);
      const body = bodyOf(req, signSchema);
      await service.otpSession(userOf(req), orderId, 'POST …/otp');
      const { profile } = profileOf(body.profile);
      const outcome = await service.sign(userOf(req), orderId, { ...body, profile });
      res.status(201).json({ signed: true, ...outcome });
    }),
  );

  // Signed only when Check Document Status answers "0" (then downloaded and stored); any other code is
  // Peruri's failure, answered with its code and text (422), never "not signed yet".
  r.get(
    {
      path: '/peruri/documents/:orderId/status',
      tag: 'peruri',
      summary:
        'Signed when Check Document Status answers "0": the PDF is then downloaded, stored and named; any other code is a 422 with Peruri\'s code and text, never "not signed yet"',
      params: orderParam,
      answers: { 200: { description: 'Signed and stored', schema: z.object({ orderId: z.string(), signed: z.literal(true), document: storedDocument }) } },
      errors: [400, 401, 403, 404, 422, 502, 503],
    },
    async (req, res) => {
      const orderId = await ownedOrderId(req);
      const meta = await service.status(userOf(req), orderId);
      res.json({ orderId, signed: true, document: documentView(meta) });
    },
  );

  // §5.2 View Document: whether the order already has its signature placement (bulk orders without one need
  // …/placement before Get OTP Bulk) and what Peruri holds. The PDF itself is not stored or returned here.
  r.get(
    {
      path: '/peruri/documents/:orderId',
      tag: 'peruri',
      summary: "View Document (§5.2): whether the order has its signature placement, and the PDF's page count and SHA-256 as Peruri holds it",
      params: orderParam,
      answers: {
        200: {
          description: 'The order',
          schema: z.object({ orderId: z.string(), coordinatesSet: z.boolean(), pages: z.number().int(), size: z.number().int(), sha256: z.string() }),
        },
      },
      errors: [400, 401, 403, 404, ...UPSTREAM],
    },
    async (req, res) => {
      const orderId = await ownedOrderId(req);
      const { pdf, coordinatesSet, pages } = await service.view(userOf(req), orderId);
      res.json({ orderId, coordinatesSet, pages, size: pdf.byteLength, sha256: sha256(pdf) });
    },
  );

  // §4.3 video e-KYC: the recorded face video is compared with the civil registry (~15 s upstream).
  r.post(
    {
      path: '/peruri/users/video',
      tag: 'peruri',
      summary: "Video e-KYC (§4.3): compare the user's face video with the civil registry",
      body: {
        schema: emailSchema,
        media: 'multipart',
        files: { video: { description: 'MP4/QuickTime or WebM, at most MAX_PDF_BYTES', media: 'video/mp4', required: true } },
      },
      answers: { 200: { description: 'Verified', schema: z.object({ verified: z.literal(true), resultDesc }) } },
      errors: [400, 401, 403, 413, ...UPSTREAM],
    },
    async (req, res) => {
      const body = bodyOf(req, emailSchema);
      actsAs(req, ['email', 'email', body.email]);
      const video = fileOf(req, 'video');
      if (!video) throw new HttpError('invalid-input', 'Send the video as the multipart part "video" (MP4 or WebM).', 'video');
      if (!isVideo(video)) throw new HttpError('invalid-input', 'video must be an MP4 or WebM video.', 'video');
      const out = await service.client().videoVerification({ email: body.email, video });
      res.json({ verified: true, resultDesc: out.resultDesc });
    },
  );

  // §6 tier: one document, signers in order; Peruri e-mails each in turn. Each signer asks for the OTP
  // (POST /peruri/documents/{orderId}/otp) and signs here with this signer's boxes and location.
  r.post(
    {
      path: '/peruri/tiers',
      tag: 'peruri',
      idempotent: true,
      summary: 'Tier signing (§6): send a document with its signers in order → orderId',
      body: { schema: tierSendSchema, media: 'json+multipart', files: { file: pdfPart } },
      answers: { 201: { description: 'Sent', schema: z.object({ orderId: z.string(), provider: z.literal('peruri'), signers: z.number().int() }) } },
      errors: [400, 401, 403, 413, ...UPSTREAM],
    },
    async (req, res) => {
      const body = bodyOf(req, tierSendSchema);
      actsAs(req, ['uploader', 'email', body.uploader], ...body.signers.map((e, i): [string, 'email', string] => [`signers.${i}`, 'email', e]));
      const client = service.client();
      const pdf = refuseEncrypted(await pdfOf(req, ctx), 'Peruri');
      const orderId = await service.sendTier(client, userOf(req), body, pdf);
      res.status(201).json({ orderId, provider: 'peruri', signers: body.signers.length });
    },
  );

  r.post(
    {
      path: '/peruri/tiers/:orderId/signatures',
      tag: 'peruri',
      idempotent: true,
      summary: 'Tier signing (§6.2): this signer signs with the OTP (from …/documents/{orderId}/otp) and boxes; once the last signer is done the PDF is stored',
      params: orderParam,
      body: { schema: tierSignSchema, media: 'json' },
      answers: {
        201: {
          description: 'Signed; complete and stored when Check Document Status answers "0", else statusCheck is Peruri\'s answer',
          schema: perOrder.partial({ document: true }).extend({
            signed: z.literal(true),
            complete: z.boolean(),
            statusCheck: z.object({ code: z.string(), message: z.string(), provider: providerWords.optional() }).optional(),
          }),
        },
      },
      errors: [400, 401, 403, 404, 422, 429, ...UPSTREAM],
    },
    limitGuesses(ctx.attempts, otpGuess('orderId'), async (req, res) => {
      const orderId = await ownedOrderId(req);
      const body = bodyOf(req, tierSignSchema);
      const { profile } = profileOf(body.profile);
      const outcome = await service.signTier(userOf(req), orderId, { ...body, profile });
      res.status(201).json(outcome.complete ? { signed: true, ...outcome } : { signed: true, orderId, ...outcome });
    }),
  );

  // §7.1 bulk upload: several PDFs for one signer, optionally with one placement for all of them.
  r.post(
    {
      path: '/peruri/documents/bulk',
      tag: 'peruri',
      idempotent: true,
      summary: 'Bulk (§7.1): send several PDFs for one signer, optionally with one placement for all → orderIds',
      body: { schema: bulkSendSchema, media: 'json+multipart', files: { file: pdfPart, files: pdfsPart } },
      answers: {
        201: { description: 'Sent', schema: z.object({ orderIds: z.array(z.string()), provider: z.literal('peruri'), fileNames: z.array(z.string()) }) },
      },
      errors: [400, 401, 403, 404, 413, 422, ...UPSTREAM],
    },
    async (req, res) => {
      const body = bodyOf(req, bulkSendSchema);
      requireOrgScope(req, 'Bulk signing');
      actsAs(req, ['email', 'email', body.email]);
      const client = service.client();
      const pdfs = (await pdfsOf(req, ctx)).map((pdf) => refuseEncrypted(pdf, 'Peruri'));
      const { profile } = profileOf(body.profile);
      const orderIds = await service.sendBulk(client, userOf(req), { ...body, profile }, pdfs);
      res.status(201).json({ orderIds, provider: 'peruri', fileNames: pdfs.map((pdf) => pdf.fileName) });
    },
  );

  // §7.2 Set Signature: the placement of an order uploaded without one (one box; geometry from View Document).
  r.post(
    {
      path: '/peruri/documents/:orderId/placement',
      tag: 'peruri',
      summary: 'Bulk (§7.2 Set Signature): the placement of an order sent without boxes (one box, or visible: false)',
      params: orderParam,
      body: { schema: placementSchema, media: 'json' },
      answers: { 200: { description: 'Placed', schema: z.object({ placed: z.literal(true), orderId: z.string(), resultDesc }) } },
      errors: [400, 401, 403, 404, 422, ...UPSTREAM],
    },
    async (req, res) => {
      const orderId = await ownedOrderId(req);
      const body = bodyOf(req, placementSchema);
      const { profile } = profileOf(body.profile);
      const out = await service.place(userOf(req), orderId, { ...body, profile });
      res.json({ placed: true, orderId, resultDesc: out.resultDesc });
    },
  );

  // §7.3/§7.4: one OTP for several ready orders. The bulk token stays on this server with the batch.
  const batchIdOf = (req: Request) => {
    const id = String(req.params.batchId);
    if (!ORDER_ID.test(id)) throw new HttpError('invalid-input', 'batchId is the orderIdBulk Peruri returned.', 'batchId');
    return id;
  };

  r.post(
    {
      path: '/peruri/batches',
      tag: 'peruri',
      summary: 'Bulk (§7.3 Get OTP Bulk): one OTP for several ready orders → batchId; the bulk token stays on the server',
      body: { schema: orderIdsSchema, media: 'json' },
      answers: {
        201: {
          description: 'OTP sent',
          schema: z.object({ batchId: z.string(), orderIds: z.array(z.string()), sent: z.literal(true), phone: z.string().nullable() }),
        },
      },
      errors: [400, 401, 403, 404, ...UPSTREAM],
    },
    async (req, res) => {
      const body = bodyOf(req, orderIdsSchema);
      requireOrgScope(req, 'Bulk signing');
      await assertOwnedOrders(req, body.orderIds);
      const out = await service.requestBatch(userOf(req), body.orderIds);
      res.status(201).json({ batchId: out.orderIdBulk, orderIds: body.orderIds, sent: true, phone: out.phone ?? null });
    },
  );

  r.post(
    {
      path: '/peruri/batches/:batchId/signatures',
      tag: 'peruri',
      idempotent: true,
      summary:
        'Bulk (§7.4 Signing Bulk): sign the batch with the OTP; each order of the batch this user created (only those) is confirmed, downloaded and stored',
      params: batchParam,
      body: { schema: otpSchema, media: 'json' },
      answers: {
        201: {
          description: 'Signed; per order the stored document, or null with the download error',
          schema: z.object({ signed: z.literal(true), batchId: z.string(), documents: z.array(perOrder) }),
        },
      },
      errors: [400, 401, 403, 429, ...UPSTREAM],
    },
    limitGuesses(ctx.attempts, otpGuess('batchId'), async (req, res) => {
      const batchId = batchIdOf(req);
      const body = bodyOf(req, otpSchema);
      requireOrgScope(req, 'Bulk signing');
      const documents = await service.signBatch(userOf(req), batchId, body.otpCode);
      res.status(201).json({ signed: true, batchId, documents });
    }),
  );

  // §8 Signing System: the key is set here (or generated here) and never leaves; the session is the
  // adapter's HMAC-SHA256 over the order ids (§8.2). Documents go with orderType "SYSTEM" (POST /peruri/documents).
  r.post(
    {
      path: '/peruri/system/key',
      tag: 'peruri',
      summary: 'Signing System (§8.1 Set Key): register the HMAC key (generated when omitted); it stays on this server, never returned',
      body: { schema: keySchema, media: 'json' },
      answers: {
        201: {
          description: 'Set',
          schema: z.object({
            set: z.literal(true),
            generated: z.boolean(),
            expiresAt: z.string().meta({ format: 'date-time' }),
            expiredDate: z.string().nullable(),
          }),
        },
      },
      errors: [400, 401, 403, ...UPSTREAM],
    },
    async (req, res) => {
      const body = bodyOf(req, keySchema);
      requireOrgScope(req, 'Peruri Signing System');
      const out = await service.setSystemKey(body.minutes, body.key);
      res.status(201).json({ set: true, generated: body.key === undefined, expiresAt: out.expiresAt.toISOString(), expiredDate: out.expiredDate ?? null });
    },
  );

  r.post(
    {
      path: '/peruri/system/signatures',
      tag: 'peruri',
      idempotent: true,
      summary: 'Signing System (§8.3): sign orders sent with orderType SYSTEM, no OTP (session = HMAC-SHA256 of the ids); each signed PDF is stored',
      body: { schema: orderIdsSchema, media: 'json' },
      answers: {
        201: {
          description: 'Signed; per order the stored document, or null with the download error',
          schema: z.object({ signed: z.literal(true), resultDesc, documents: z.array(perOrder) }),
        },
      },
      errors: [400, 401, 403, 404, ...UPSTREAM],
    },
    async (req, res) => {
      const body = bodyOf(req, orderIdsSchema);
      requireOrgScope(req, 'Peruri Signing System');
      await assertOwnedOrders(req, body.orderIds);
      const out = await service.signSystem(userOf(req), body.orderIds);
      res.status(201).json({ signed: true, ...out });
    },
  );
  return r.router;
}
