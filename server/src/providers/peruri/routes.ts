// Peruri's API routes (§ numbers: docs/providers/peruri.md): registration, specimen, certificate status, activation and video e-KYC per user, and the
// document flows — single, tier (§6), bulk (§7) and signing system (§8). Each route validates the request
// (schema, ownership of the order, identity, scope, guessing limits), calls the service (service.ts) and
// answers with a view; every signed PDF is stored before an answer names it.
import { Router, type Request } from 'express';
import { z } from 'zod';
import { userOf } from '../../http/auth.js';
import type { AppContext } from '../../http/context.js';
import { documentView } from '../../http/context.js';
import { HttpError, withField } from '../../http/errors.js';
import { actsAs, actsAsSignersOf, limitGuesses, requireOrgScope } from '../../http/guards.js';
import { imageOf } from '../../http/images.js';
import { pdfOf, pdfsOf, refuseEncrypted } from '../../http/pdf-input.js';
import { bodyOf, email, json, neutralBox, nik } from '../../http/schemas.js';
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
  profile: json(z.record(z.string(), z.unknown())).optional(),
  /** §8: "SYSTEM" routes the document to Signing System (no OTP). */
  orderType: z.enum(['SYSTEM']).optional(),
});

const certificateLevel = z.enum(['NOT_CERTIFIED', 'NO_CHANGES_ALLOWED']);

/** §5.4 Signing: the OTP, and the placement when Send Document had none (Signing lists no varReason). */
const signSchema = z.strictObject({
  otpCode: z.string().regex(/^\d{6}$/, 'must be the 6-digit code the user received'),
  boxes: json(z.array(neutralBox).min(1).max(20)).optional(),
  visible: json(z.boolean()).optional(),
  certificateLevel: certificateLevel.optional(),
  location: z.string().max(100).optional(),
  profile: json(z.record(z.string(), z.unknown())).optional(),
});
const orderIdValue = z.string().regex(ORDER_ID, 'must be an orderId Peruri returned');
const orderIds = json(z.array(orderIdValue).min(1).max(50));
const otpCode = z.string().regex(/^\d{6}$/, 'must be the 6-digit code the user received');

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
  profile: json(z.record(z.string(), z.unknown())).optional(),
});

const bulkSendSchema = z.strictObject({
  documentId: z.string().optional(),
  documentIds: z.unknown().optional(),
  email,
  boxes: json(z.array(neutralBox).min(1).max(20)).optional(),
  visible: json(z.boolean()).optional(),
  certificateLevel: certificateLevel.optional(),
  location: z.string().max(100).optional(),
  reason: z.string().max(100).optional(),
  profile: json(z.record(z.string(), z.unknown())).optional(),
});

const placementSchema = z.strictObject({
  box: json(neutralBox).optional(),
  visible: json(z.boolean()).optional(),
  certificateLevel: certificateLevel.optional(),
  location: z.string().max(100).optional(),
  reason: z.string().max(100).optional(),
  profile: json(z.record(z.string(), z.unknown())).optional(),
});

/** The e-KYC video (§4.3): MP4/QuickTime (`ftyp` box) or WebM (EBML header), told by its bytes. */
const isVideo = (b: Uint8Array) =>
  (b.length > 12 && b[4] === 0x66 && b[5] === 0x74 && b[6] === 0x79 && b[7] === 0x70) || (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3);

const registerSchema = z.strictObject({
  name: z.string().min(1).max(100),
  phone: z.string().regex(/^\+?\d{8,15}$/, 'must be a mobile number of 8 to 15 digits'),
  email,
  password: z.string().min(1).max(255).optional(),
  nik,
  npwp: z.string().max(15).optional(),
  address: z.string().min(1).max(255),
  city: z.string().min(1).max(255),
  province: z.string().min(1).max(255),
  gender: z.enum(['M', 'F']),
  placeOfBirth: z.string().min(1).max(255),
  dateOfBirth: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written yyyy-mm-dd'),
  orgUnit: z.string().max(255).optional(),
  workUnit: z.string().max(255).optional(),
  position: z.string().max(255).optional(),
});

export function peruriRouter(ctx: AppContext): Router {
  const service = new PeruriService(ctx);
  const r = Router();
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
  r.post('/peruri/users', async (req, res) => {
    const body = bodyOf(req, registerSchema);
    actsAs(req, ['nik', 'nik', body.nik], ['email', 'email', body.email]);
    const client = service.client();
    const ktpPhoto = imageOf(req, 'ktpPhoto', ['jpeg', 'png']);
    if (!ktpPhoto) throw new HttpError('invalid-input', 'Send the KTP photo as the multipart part "ktpPhoto".', 'ktpPhoto');
    const npwpPhoto = imageOf(req, 'npwpPhoto', ['jpeg', 'png']);
    const { nik: ktp, npwp, password, orgUnit, workUnit, position, ...identity } = body;
    const out = await client.registration({ ...identity, ktp, ktpPhoto, ...opt({ password, npwp, npwpPhoto, orgUnit, workUnit, position }) });
    res.status(201).json({ registered: true, resultDesc: out.resultDesc });
  });

  // The signature specimen (§4.4), a PNG or JPEG image.
  r.post('/peruri/users/specimen', async (req, res) => {
    const body = bodyOf(req, z.strictObject({ email }));
    actsAs(req, ['email', 'email', body.email]);
    const specimen = imageOf(req, 'specimen', ['png', 'jpeg']);
    if (!specimen) throw new HttpError('invalid-input', 'Send the specimen as the multipart part "specimen".', 'specimen');
    const out = await service.client().sendSpecimen({ email: body.email, specimen });
    res.status(201).json({ stored: true, resultDesc: out.resultDesc });
  });

  // Issued only on resultCode "0"; any other code is Peruri's failure, answered with its code and text
  // (seed 003: "0" = Sukses, Selain "0" = Gagal), never "not issued yet".
  r.post('/peruri/users/certificate', async (req, res) => {
    const body = bodyOf(req, z.strictObject({ email }));
    actsAs(req, ['email', 'email', body.email]);
    const out = await service.client().checkCertificate({ email: body.email });
    res.json({ issued: true, resultCode: out.resultCode, resultDesc: out.resultDesc });
  });

  r.post('/peruri/users/activation', async (req, res) => {
    const body = bodyOf(req, z.strictObject({ email }));
    actsAs(req, ['email', 'email', body.email]);
    const out = await service.client().activation({ email: body.email });
    res.status(201).json({ requested: true, resultDesc: out.resultDesc });
  });

  r.post('/peruri/documents', async (req, res) => {
    const body = bodyOf(req, sendSchema);
    actsAs(req, ['email', 'email', body.email]);
    // Signing System (§8) signs as the signer with no OTP: an organisation-level operation.
    if (body.orderType === 'SYSTEM') requireOrgScope(req, 'Peruri Signing System');
    const client = service.client();
    const pdf = refuseEncrypted(await pdfOf(req, ctx.store), 'Peruri');
    const { profile } = profileOf(body.profile);
    const orderId = await service.sendDocument(client, userOf(req), { ...body, profile }, pdf);
    res.status(201).json({ orderId, provider: 'peruri', ...(body.orderType ? { orderType: body.orderType } : {}) });
  });

  r.post('/peruri/documents/:orderId/otp', async (req, res) => {
    const orderId = await ownedOrderId(req);
    const out = await service.requestOtp(userOf(req), orderId);
    res.status(201).json({ sent: true, phone: out.phone ?? null });
  });

  r.post('/peruri/documents/:orderId/signatures', limitGuesses(ctx.attempts, otpGuess('orderId'), async (req, res) => {
    const orderId = await ownedOrderId(req);
    const body = bodyOf(req, signSchema);
    service.otpSession(userOf(req), orderId, 'POST …/otp');
    const { profile } = profileOf(body.profile);
    const outcome = await service.sign(userOf(req), orderId, { ...body, profile });
    res.status(201).json({ signed: true, ...outcome });
  }));

  // Signed only when Check Document Status answers "0" (then downloaded and stored); any other code is
  // Peruri's failure, answered with its code and text (422), never "not signed yet".
  r.get('/peruri/documents/:orderId/status', async (req, res) => {
    const orderId = await ownedOrderId(req);
    const meta = await service.status(userOf(req), orderId);
    res.json({ orderId, signed: true, document: documentView(meta) });
  });

  // §5.2 View Document: whether the order already has its signature placement (bulk orders without one need
  // …/placement before Get OTP Bulk) and what Peruri holds. The PDF itself is not stored or returned here.
  r.get('/peruri/documents/:orderId', async (req, res) => {
    const orderId = await ownedOrderId(req);
    const { pdf, coordinatesSet, pages } = await service.view(orderId);
    res.json({ orderId, coordinatesSet, pages, size: pdf.byteLength, sha256: sha256(pdf) });
  });

  // §4.3 video e-KYC: the recorded face video is compared with the civil registry (~15 s upstream).
  r.post('/peruri/users/video', async (req, res) => {
    const body = bodyOf(req, z.strictObject({ email }));
    actsAs(req, ['email', 'email', body.email]);
    const video = fileOf(req, 'video');
    if (!video) throw new HttpError('invalid-input', 'Send the video as the multipart part "video" (MP4 or WebM).', 'video');
    if (!isVideo(video)) throw new HttpError('invalid-input', 'video must be an MP4 or WebM video.', 'video');
    const out = await service.client().videoVerification({ email: body.email, video });
    res.json({ verified: true, resultDesc: out.resultDesc });
  });

  // §6 tier: one document, signers in order; Peruri e-mails each in turn. Each signer asks for the OTP
  // (POST /peruri/documents/{orderId}/otp) and signs here with this signer's boxes and location.
  r.post('/peruri/tiers', async (req, res) => {
    const body = bodyOf(req, tierSendSchema);
    actsAs(req, ['uploader', 'email', body.uploader], ...body.signers.map((e, i): [string, 'email', string] => [`signers.${i}`, 'email', e]));
    const client = service.client();
    const pdf = refuseEncrypted(await pdfOf(req, ctx.store), 'Peruri');
    const orderId = await service.sendTier(client, userOf(req), body, pdf);
    res.status(201).json({ orderId, provider: 'peruri', signers: body.signers.length });
  });

  r.post('/peruri/tiers/:orderId/signatures', limitGuesses(ctx.attempts, otpGuess('orderId'), async (req, res) => {
    const orderId = await ownedOrderId(req);
    const body = bodyOf(req, tierSignSchema);
    const { profile } = profileOf(body.profile);
    const outcome = await service.signTier(userOf(req), orderId, { ...body, profile });
    res.status(201).json(outcome.complete ? { signed: true, ...outcome } : { signed: true, orderId, ...outcome });
  }));

  // §7.1 bulk upload: several PDFs for one signer, optionally with one placement for all of them.
  r.post('/peruri/documents/bulk', async (req, res) => {
    const body = bodyOf(req, bulkSendSchema);
    requireOrgScope(req, 'Bulk signing');
    actsAs(req, ['email', 'email', body.email]);
    const client = service.client();
    const pdfs = (await pdfsOf(req, ctx.store)).map((pdf) => refuseEncrypted(pdf, 'Peruri'));
    const { profile } = profileOf(body.profile);
    const orderIds = await service.sendBulk(client, userOf(req), { ...body, profile }, pdfs);
    res.status(201).json({ orderIds, provider: 'peruri', fileNames: pdfs.map((pdf) => pdf.fileName) });
  });

  // §7.2 Set Signature: the placement of an order uploaded without one (one box; geometry from View Document).
  r.post('/peruri/documents/:orderId/placement', async (req, res) => {
    const orderId = await ownedOrderId(req);
    const body = bodyOf(req, placementSchema);
    const { profile } = profileOf(body.profile);
    const out = await service.place(orderId, { ...body, profile });
    res.json({ placed: true, orderId, resultDesc: out.resultDesc });
  });

  // §7.3/§7.4: one OTP for several ready orders. The bulk token stays on this server with the batch.
  const batchIdOf = (req: Request) => {
    const id = String(req.params.batchId);
    if (!ORDER_ID.test(id)) throw new HttpError('invalid-input', 'batchId is the orderIdBulk Peruri returned.', 'batchId');
    return id;
  };

  r.post('/peruri/batches', async (req, res) => {
    const body = bodyOf(req, z.strictObject({ orderIds }));
    requireOrgScope(req, 'Bulk signing');
    await assertOwnedOrders(req, body.orderIds);
    const out = await service.requestBatch(userOf(req), body.orderIds);
    res.status(201).json({ batchId: out.orderIdBulk, orderIds: body.orderIds, sent: true, phone: out.phone ?? null });
  });

  r.post('/peruri/batches/:batchId/signatures', limitGuesses(ctx.attempts, otpGuess('batchId'), async (req, res) => {
    const batchId = batchIdOf(req);
    const body = bodyOf(req, z.strictObject({ otpCode }));
    requireOrgScope(req, 'Bulk signing');
    const documents = await service.signBatch(userOf(req), batchId, body.otpCode);
    res.status(201).json({ signed: true, batchId, documents });
  }));

  // §8 Signing System: the key is set here (or generated here) and never leaves; the session is the
  // adapter's HMAC-SHA256 over the order ids (§8.2). Documents go with orderType "SYSTEM" (POST /peruri/documents).
  r.post('/peruri/system/key', async (req, res) => {
    const body = bodyOf(req, z.strictObject({ minutes: z.number().int().min(1).max(7 * 24 * 60), key: z.string().regex(/^[\x21-\x7e]{6,100}$/, 'must be 6 to 100 printable characters without spaces').optional() }));
    requireOrgScope(req, 'Peruri Signing System');
    const out = await service.setSystemKey(body.minutes, body.key);
    res.status(201).json({ set: true, generated: body.key === undefined, expiresAt: out.expiresAt.toISOString(), expiredDate: out.expiredDate ?? null });
  });

  r.post('/peruri/system/signatures', async (req, res) => {
    const body = bodyOf(req, z.strictObject({ orderIds }));
    requireOrgScope(req, 'Peruri Signing System');
    await assertOwnedOrders(req, body.orderIds);
    const out = await service.signSystem(userOf(req), body.orderIds);
    res.status(201).json({ signed: true, ...out });
  });
  return r;
}
