// Peruri: certificate status, activation and video e-KYC per user, and the document flows — single (send
// with signer boxes → orderId, OTP, sign, poll), tier (§6: ordered signers, each signs with an OTP), bulk
// (§7: several orders, one OTP) and signing system (§8: HMAC session, no OTP) — where a signed document
// is downloaded and stored before any answer mentions it. Every secret Peruri hands back (OTP session
// tokens, the bulk token) and the Signing System key stay on this server, in memory.
import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { badResponse, ProviderError, toPeruriSigners, type PeruriPlacement } from '../adapters.js';
import { sha256 } from '../../store/documents.js';
import type { AppContext } from '../../http/context.js';
import { documentView } from '../../http/context.js';
import { HttpError, notConfigured, withField } from '../../http/errors.js';
import { bodyOf, email, json, neutralBox, nik } from '../../http/schemas.js';
import { checkPdf, pdfOf, pdfsOf, refuseEncrypted } from '../../http/pdf-input.js';
import { fileOf } from '../../http/uploads.js';
import { imageOf } from '../../http/images.js';
import { userOf } from '../../http/auth.js';
import { opt, profileOf } from '../../http/util.js';
import type { Request } from 'express';
import { actsAs, actsAsSignersOf, limitGuesses, requireOrgScope } from '../../http/guards.js';

const ORDER_ID = /^[A-Za-z0-9_-]{1,100}$/;
const OTP_SESSION_MS = 10 * 60_000;

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
  const r = Router();
  /**
   * (portal user, orderId) → the OTP session token of Get OTP; short-lived, memory only. Keyed by user too, so
   * that another user's request cannot replace (and so lock out) the owner's session.
   */
  const otpSessions = new Map<string, { token: string; until: number }>();
  const sessionKey = (req: Request, orderId: string) => `${userOf(req)}\u0000${orderId}`;
  const peruri = () => ctx.providers.peruri?.client ?? (() => {
    throw notConfigured('Peruri');
  })();
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
    const client = peruri();
    const ktpPhoto = imageOf(req, 'ktpPhoto', ['jpeg', 'png']);
    if (!ktpPhoto) throw new HttpError('invalid-input', 'Send the KTP photo as the multipart part "ktpPhoto".', 'ktpPhoto');
    const npwpPhoto = imageOf(req, 'npwpPhoto', ['jpeg', 'png']);
    const out = await client.registration({
      name: body.name,
      phone: body.phone,
      email: body.email,
      ktp: body.nik,
      ktpPhoto,
      address: body.address,
      city: body.city,
      province: body.province,
      gender: body.gender,
      placeOfBirth: body.placeOfBirth,
      dateOfBirth: body.dateOfBirth,
      ...opt({ password: body.password, npwp: body.npwp, npwpPhoto, orgUnit: body.orgUnit, workUnit: body.workUnit, position: body.position }),
    });
    res.status(201).json({ registered: true, resultDesc: out.resultDesc });
  });

  // The signature specimen (§4.4), a PNG or JPEG image.
  r.post('/peruri/users/specimen', async (req, res) => {
    const body = bodyOf(req, z.strictObject({ email }));
    actsAs(req, ['email', 'email', body.email]);
    const specimen = imageOf(req, 'specimen', ['png', 'jpeg']);
    if (!specimen) throw new HttpError('invalid-input', 'Send the specimen as the multipart part "specimen".', 'specimen');
    const out = await peruri().sendSpecimen({ email: body.email, specimen });
    res.status(201).json({ stored: true, resultDesc: out.resultDesc });
  });

  // Issued only on resultCode "0"; any other code is Peruri's failure, answered with its code and text
  // (seed 003: "0" = Sukses, Selain "0" = Gagal), never "not issued yet".
  r.post('/peruri/users/certificate', async (req, res) => {
    const body = bodyOf(req, z.strictObject({ email }));
    actsAs(req, ['email', 'email', body.email]);
    const out = await peruri().checkCertificate({ email: body.email });
    res.json({ issued: true, resultCode: out.resultCode, resultDesc: out.resultDesc });
  });

  r.post('/peruri/users/activation', async (req, res) => {
    const body = bodyOf(req, z.strictObject({ email }));
    actsAs(req, ['email', 'email', body.email]);
    const out = await peruri().activation({ email: body.email });
    res.status(201).json({ requested: true, resultDesc: out.resultDesc });
  });

  r.post('/peruri/documents', async (req, res) => {
    const body = bodyOf(req, sendSchema);
    actsAs(req, ['email', 'email', body.email]);
    // Signing System (§8) signs as the signer with no OTP: an organisation-level operation.
    if (body.orderType === 'SYSTEM') requireOrgScope(req, 'Peruri Signing System');
    const client = peruri();
    const pdf = refuseEncrypted(await pdfOf(req, ctx.store), 'Peruri');
    const { profile } = profileOf(body.profile);
    const tail = opt({ certificateLevel: body.certificateLevel, location: body.location, reason: body.reason });
    let placement: PeruriPlacement | undefined;
    if (body.visible === false) placement = { visible: false, ...tail };
    else if (body.boxes) placement = { boxes: body.boxes, pages: pdf.pages, ...(profile ? { profile } : {}), ...tail };
    const { orderId } = await client.sendDocument({ email: body.email, fileName: body.fileName ?? pdf.fileName, pdf: pdf.bytes, ...(placement ? { placement } : {}), ...opt({ orderType: body.orderType }) });
    await ctx.store.claimRef('peruri', orderId, userOf(req));
    await ctx.store.recordSigners('peruri', orderId, [body.email]);
    res.status(201).json({ orderId, provider: 'peruri', ...(body.orderType ? { orderType: body.orderType } : {}) });
  });

  r.post('/peruri/documents/:orderId/otp', async (req, res) => {
    const orderId = await ownedOrderId(req);
    const out = await peruri().getOtp({ orderId });
    otpSessions.set(sessionKey(req, orderId), { token: out.token, until: Date.now() + OTP_SESSION_MS });
    res.status(201).json({ sent: true, phone: out.phone ?? null });
  });

  r.post('/peruri/documents/:orderId/signatures', limitGuesses(ctx.attempts, otpGuess('orderId'), async (req, res) => {
    const orderId = await ownedOrderId(req);
    const body = bodyOf(req, signSchema);
    const otpCode = body.otpCode;
    const session = otpSessions.get(sessionKey(req, orderId));
    if (!session || session.until < Date.now()) {
      throw new HttpError('invalid-input', 'Request an OTP for this order first (POST …/otp); it is valid for 10 minutes.', 'otpCode');
    }
    // §5.4 signer[]: the placement may come with Signing when Send Document had none (seed 003, Send
    // Document: "Jika sudah terisi saat … Send Document maka tidak perlu diisi pada saat … Signing (dan
    // sebaliknya)"). Boxes are converted against the order's PDF as Peruri holds it (View Document).
    const { profile } = profileOf(body.profile);
    const tail = opt({ certificateLevel: body.certificateLevel, location: body.location });
    let placement: PeruriPlacement | undefined;
    if (body.visible === false) placement = { visible: false, ...tail };
    else if (body.boxes) placement = { boxes: body.boxes, pages: await pagesOf(peruri(), orderId), ...(profile ? { profile } : {}), ...tail };
    else if (body.certificateLevel !== undefined || body.location !== undefined || body.profile !== undefined) {
      throw new HttpError('invalid-input', 'A placement at signing needs boxes (or visible: false).', 'boxes');
    }
    const client = peruri();
    await client.signing({ orderId, otpCode, token: session.token, ...(placement ? { placement } : {}) });
    otpSessions.delete(sessionKey(req, orderId));
    // Signed at Peruri: from here on a failure to confirm or fetch the PDF must not read as "not signed" (the
    // portal would ask the person to sign again). The seed's next steps are Check Document Status, then
    // Download (storeSigned); if either fails, say it is signed and not stored yet; the status route stores it.
    const [stored] = await storeEach(client, [orderId], userOf(req));
    res.status(201).json({ signed: true, ...stored! });
  }));

  // Signed only when Check Document Status answers "0" (then downloaded and stored); any other code is
  // Peruri's failure, answered with its code and text (422), never "not signed yet".
  r.get('/peruri/documents/:orderId/status', async (req, res) => {
    const orderId = await ownedOrderId(req);
    const client = peruri();
    const meta = await storeSigned(ctx, client, orderId, userOf(req));
    res.json({ orderId, signed: true, document: documentView(meta) });
  });

  // §5.2 View Document: whether the order already has its signature placement (bulk orders without one need
  // …/placement before Get OTP Bulk) and what Peruri holds. The PDF itself is not stored or returned here.
  r.get('/peruri/documents/:orderId', async (req, res) => {
    const orderId = await ownedOrderId(req);
    const { pdf, coordinatesSet } = await peruri().viewDocument({ orderId });
    let pages: number;
    try {
      pages = (await checkPdf(pdf, 'base64Document')).pages.length;
    } catch (err) {
      throw badResponse('peruri', 'peruri.viewDocument', 'data.base64Document is not a readable PDF', err);
    }
    res.json({ orderId, coordinatesSet, pages, size: pdf.byteLength, sha256: sha256(pdf) });
  });

  // §4.3 video e-KYC: the recorded face video is compared with the civil registry (~15 s upstream).
  r.post('/peruri/users/video', async (req, res) => {
    const body = bodyOf(req, z.strictObject({ email }));
    actsAs(req, ['email', 'email', body.email]);
    const video = fileOf(req, 'video');
    if (!video) throw new HttpError('invalid-input', 'Send the video as the multipart part "video" (MP4 or WebM).', 'video');
    if (!isVideo(video)) throw new HttpError('invalid-input', 'video must be an MP4 or WebM video.', 'video');
    const out = await peruri().videoVerification({ email: body.email, video });
    res.json({ verified: true, resultDesc: out.resultDesc });
  });

  /** The page geometry of an order's PDF as Peruri holds it (View Document, §5.2), for box conversion. */
  const pagesOf = async (client: ReturnType<typeof peruri>, orderId: string) => {
    const { pdf } = await client.viewDocument({ orderId });
    try {
      return (await checkPdf(pdf, 'base64Document')).pages;
    } catch (err) {
      throw badResponse('peruri', 'peruri.viewDocument', 'data.base64Document is not a readable PDF', err);
    }
  };

  /**
   * Confirms (Check Document Status), downloads and stores each signed order; one that cannot be confirmed or
   * fetched yet is named with its error (and Peruri's code and text), not a document.
   */
  const storeEach = async (client: ReturnType<typeof peruri>, ids: readonly string[], owner: string, confirmed = false) => {
    const out: { orderId: string; document: ReturnType<typeof documentView> | null; error?: { code: string; message: string; provider?: { code: string; message: string } } }[] = [];
    for (const orderId of ids) {
      try {
        out.push({ orderId, document: documentView(await storeSigned(ctx, client, orderId, owner, confirmed)) });
      } catch (err) {
        if (!(err instanceof ProviderError)) throw err;
        const provider = err.providerCode !== undefined && err.provider === 'peruri' && err.code === 'provider-rejected' ? { provider: { code: err.providerCode, message: err.providerMessage ?? '' } } : {};
        out.push({ orderId, document: null, error: { code: err.code, message: `${err.message} Poll GET /api/peruri/documents/${orderId}/status.`, ...provider } });
      }
    }
    return out;
  };

  // §6 tier: one document, signers in order; Peruri e-mails each in turn. Each signer asks for the OTP
  // (POST /peruri/documents/{orderId}/otp) and signs here with this signer's boxes and location.
  r.post('/peruri/tiers', async (req, res) => {
    const body = bodyOf(req, tierSendSchema);
    actsAs(req, ['uploader', 'email', body.uploader], ...body.signers.map((e, i): [string, 'email', string] => [`signers.${i}`, 'email', e]));
    const client = peruri();
    const pdf = refuseEncrypted(await pdfOf(req, ctx.store), 'Peruri');
    const { orderId } = await client.sendDocumentTier({ uploader: body.uploader, fileName: body.fileName ?? pdf.fileName, pdf: pdf.bytes, signers: body.signers });
    await ctx.store.claimRef('peruri', orderId, userOf(req));
    await ctx.store.recordSigners('peruri', orderId, body.signers);
    res.status(201).json({ orderId, provider: 'peruri', signers: body.signers.length });
  });

  r.post('/peruri/tiers/:orderId/signatures', limitGuesses(ctx.attempts, otpGuess('orderId'), async (req, res) => {
    const orderId = await ownedOrderId(req);
    const body = bodyOf(req, tierSignSchema);
    const { profile } = profileOf(body.profile);
    const session = otpSessions.get(sessionKey(req, orderId));
    if (!session || session.until < Date.now()) {
      throw new HttpError('invalid-input', 'Request an OTP for this order first (POST /api/peruri/documents/{orderId}/otp); it is valid for 10 minutes.', 'otpCode');
    }
    const client = peruri();
    const pages = await pagesOf(client, orderId);
    await client.signingTier({
      orderId,
      otpCode: body.otpCode,
      token: session.token,
      placement: { boxes: body.boxes, pages, location: body.location, ...(profile ? { profile } : {}), ...opt({ certificateLevel: body.certificateLevel }) },
    });
    otpSessions.delete(sessionKey(req, orderId));
    // This signer's signing succeeded. The order is complete when Check Document Status answers "0"; any other
    // answer is reported as Peruri gave it (seed 003 defines no "pending" code), not read as "waiting".
    let check: { code: string; message: string; provider?: { code: string; message: string } } | undefined;
    try {
      await client.checkDocumentStatus({ orderId });
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      check = { code: err.code, message: err.message, ...(err.providerCode !== undefined ? { provider: { code: err.providerCode, message: err.providerMessage ?? '' } } : {}) };
    }
    if (check) {
      res.status(201).json({ signed: true, orderId, complete: false, statusCheck: check });
      return;
    }
    const [stored] = await storeEach(client, [orderId], userOf(req), true);
    res.status(201).json({ signed: true, complete: true, ...stored! });
  }));

  // §7.1 bulk upload: several PDFs for one signer, optionally with one placement for all of them.
  r.post('/peruri/documents/bulk', async (req, res) => {
    const body = bodyOf(req, bulkSendSchema);
    requireOrgScope(req, 'Bulk signing');
    actsAs(req, ['email', 'email', body.email]);
    const p = ctx.providers.peruri ?? (() => {
      throw notConfigured('Peruri');
    })();
    const pdfs = (await pdfsOf(req, ctx.store)).map((pdf) => refuseEncrypted(pdf, 'Peruri'));
    const { profile } = profileOf(body.profile);
    const tail = opt({ certificateLevel: body.certificateLevel, location: body.location, reason: body.reason });
    let placement: PeruriPlacement | undefined;
    if (body.visible === false) placement = { visible: false, ...tail };
    else if (body.boxes) {
      // Peruri applies one signer list to every file: the boxes must land the same on each file's pages.
      const each = pdfs.map((pdf) => JSON.stringify(toPeruriSigners({ boxes: body.boxes!, pages: pdf.pages, ...(profile ? { profile } : {}), ...tail }, p.settings, true, 'boxes')));
      if (each.some((x) => x !== each[0])) {
        throw new HttpError('invalid-input', 'These files differ in page geometry, so one set of boxes cannot fit them all; upload without boxes and set each order\'s placement.', 'boxes');
      }
      placement = { boxes: body.boxes, pages: pdfs[0]!.pages, ...(profile ? { profile } : {}), ...tail };
    }
    const out = await p.client.sendDocumentBulk({ email: body.email, files: pdfs.map((pdf) => ({ fileName: pdf.fileName, pdf: pdf.bytes })), ...(placement ? { placement } : {}) });
    for (const orderId of out.orderIds) {
      await ctx.store.claimRef('peruri', orderId, userOf(req));
      await ctx.store.recordSigners('peruri', orderId, [body.email]);
    }
    res.status(201).json({ orderIds: out.orderIds, provider: 'peruri', fileNames: pdfs.map((pdf) => pdf.fileName) });
  });

  // §7.2 Set Signature: the placement of an order uploaded without one (one box; geometry from View Document).
  r.post('/peruri/documents/:orderId/placement', async (req, res) => {
    const orderId = await ownedOrderId(req);
    const body = bodyOf(req, placementSchema);
    const { profile } = profileOf(body.profile);
    const tail = opt({ certificateLevel: body.certificateLevel, location: body.location, reason: body.reason });
    if (body.visible !== false && !body.box) throw new HttpError('invalid-input', 'Give box {page,x,y,width,height}, or visible: false.', 'box');
    const client = peruri();
    const placement: PeruriPlacement = body.visible === false ? { visible: false, ...tail } : { boxes: [body.box!], pages: await pagesOf(client, orderId), ...(profile ? { profile } : {}), ...tail };
    const out = await client.setSignature({ orderId, placement });
    res.json({ placed: true, orderId, resultDesc: out.resultDesc });
  });

  // §7.3/§7.4: one OTP for several ready orders. The bulk token stays here with the batch.
  const batches = new Map<string, { token: string; user: string; orderIds: string[]; until: number }>();
  const batchIdOf = (req: Request) => {
    const id = String(req.params.batchId);
    if (!ORDER_ID.test(id)) throw new HttpError('invalid-input', 'batchId is the orderIdBulk Peruri returned.', 'batchId');
    return id;
  };

  r.post('/peruri/batches', async (req, res) => {
    const body = bodyOf(req, z.strictObject({ orderIds }));
    requireOrgScope(req, 'Bulk signing');
    await assertOwnedOrders(req, body.orderIds);
    const out = await peruri().getOtpBulk({ orderIds: body.orderIds });
    batches.set(out.orderIdBulk, { token: out.token, user: userOf(req), orderIds: body.orderIds, until: Date.now() + OTP_SESSION_MS });
    res.status(201).json({ batchId: out.orderIdBulk, orderIds: body.orderIds, sent: true, phone: out.phone ?? null });
  });

  r.post('/peruri/batches/:batchId/signatures', limitGuesses(ctx.attempts, otpGuess('batchId'), async (req, res) => {
    const batchId = batchIdOf(req);
    const body = bodyOf(req, z.strictObject({ otpCode }));
    requireOrgScope(req, 'Bulk signing');
    const batch = batches.get(batchId);
    if (!batch || batch.user !== userOf(req) || batch.until < Date.now()) {
      throw new HttpError('invalid-input', 'Request the OTP for this batch first (POST /api/peruri/batches); it is valid for 10 minutes.', 'otpCode');
    }
    const client = peruri();
    const out = await client.signingBulk({ orderIdBulk: batchId, otpCode: body.otpCode, token: batch.token });
    batches.delete(batchId);
    // Only the batch this user created is stored, under this user: an order Peruri's answer lists beyond it
    // (seed 003 Bulk §5 prints `data[]` in its example only) belongs to no one here and is never fetched.
    const foreign = out.documents.filter((d) => !batch.orderIds.includes(d.orderId)).length;
    if (foreign) ctx.logger.warn({ provider: 'peruri', operation: 'peruri.signingBulk', foreign }, 'Signing Bulk listed orders outside the batch; not stored');
    res.status(201).json({ signed: true, batchId, documents: await storeEach(client, batch.orderIds, userOf(req)) });
  }));

  // §8 Signing System: the key is set here (or generated here) and never leaves; the session is the
  // adapter's HMAC-SHA256 over the order ids (§8.2). Documents go with orderType "SYSTEM" (POST /peruri/documents).
  let systemKey: { key: string; until: number } | undefined;
  r.post('/peruri/system/key', async (req, res) => {
    const body = bodyOf(req, z.strictObject({ minutes: z.number().int().min(1).max(7 * 24 * 60), key: z.string().regex(/^[\x21-\x7e]{6,100}$/, 'must be 6 to 100 printable characters without spaces').optional() }));
    requireOrgScope(req, 'Peruri Signing System');
    const key = body.key ?? randomBytes(32).toString('base64url');
    const out = await peruri().setKey({ key, minutes: body.minutes });
    const until = Date.now() + body.minutes * 60_000;
    systemKey = { key, until };
    res.status(201).json({ set: true, generated: body.key === undefined, expiresAt: new Date(until).toISOString(), expiredDate: out.expiredDate ?? null });
  });

  r.post('/peruri/system/signatures', async (req, res) => {
    const body = bodyOf(req, z.strictObject({ orderIds }));
    requireOrgScope(req, 'Peruri Signing System');
    await assertOwnedOrders(req, body.orderIds);
    if (!systemKey || systemKey.until < Date.now()) {
      systemKey = undefined;
      throw new HttpError('invalid-input', 'Set the Signing System key first (POST /api/peruri/system/key); it has expired or was never set on this server.', 'key');
    }
    const client = peruri();
    const out = await client.signingSystem({ orderIds: body.orderIds, key: systemKey.key });
    res.status(201).json({ signed: true, resultDesc: out.resultDesc, documents: await storeEach(client, body.orderIds, userOf(req)) });
  });
  return r;
}

/** Downloads in progress, so that concurrent status calls (and web-view confirmations) for one order store it once. */
const downloading = new Map<string, ReturnType<typeof fetchAndStore>>();

export function storeSigned(ctx: AppContext, client: NonNullable<AppContext['providers']['peruri']>['client'], orderId: string, owner: string, confirmed = false) {
  const key = `${owner}\u0000${orderId}`;
  let pending = downloading.get(key);
  if (!pending) {
    pending = fetchAndStore(ctx, client, orderId, owner, confirmed).finally(() => downloading.delete(key));
    downloading.set(key, pending);
  }
  return pending;
}

/**
 * The seed's flow after Signing: Check Document Status, then Download Document (seed 003, Mekanisme Digital
 * Signature §1). A non-"0" status throws Peruri's failure and nothing is downloaded. `confirmed`: the status
 * was just checked by the caller.
 */
async function fetchAndStore(ctx: AppContext, client: NonNullable<AppContext['providers']['peruri']>['client'], orderId: string, owner: string, confirmed: boolean) {
  const known = await ctx.store.byProviderRef('peruri', orderId, owner);
  if (known) return known;
  if (!confirmed) await client.checkDocumentStatus({ orderId });
  const { pdf } = await client.downloadDocument({ orderId });
  if (!(pdf[0] === 0x25 && pdf[1] === 0x50 && pdf[2] === 0x44 && pdf[3] === 0x46)) {
    throw badResponse('peruri', 'peruri.downloadDocument', 'data.base64Document is not a PDF');
  }
  return ctx.store.put(pdf, { source: 'peruri', owner, fileName: `peruri-${orderId}.pdf`, providerRef: orderId });
}
