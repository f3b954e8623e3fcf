// Peruri: certificate status and activation per user, and the document flow — send with signer boxes
// (→ orderId), request the OTP, sign with it, poll the status — where a signed document is downloaded
// and stored before any answer mentions it. The OTP session token Peruri returns stays on this server.
import { Router } from 'express';
import { z } from 'zod';
import { badResponse, type PeruriPlacement } from '../../adapters/index.js';
import type { AppContext } from '../context.js';
import { documentView } from '../context.js';
import { HttpError, notConfigured } from '../errors.js';
import { bodyOf, email, imageOf, json, neutralBox, nik, pdfOf, userOf } from '../middleware.js';
import { opt, profileOf } from '../util.js';
import type { Request } from 'express';

const ORDER_ID = /^[A-Za-z0-9_-]{1,100}$/;
const OTP_SESSION_MS = 10 * 60_000;

const sendSchema = z.object({
  documentId: z.string().optional(),
  email,
  boxes: json(z.array(neutralBox).min(1).max(20)).optional(),
  visible: json(z.boolean()).optional(),
  certificateLevel: z.enum(['NOT_CERTIFIED', 'NO_CHANGES_ALLOWED']).optional(),
  location: z.string().max(100).optional(),
  reason: z.string().max(100).optional(),
  fileName: z.string().max(100).optional(),
  profile: json(z.record(z.string(), z.unknown())).optional(),
});

const registerSchema = z.object({
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
  /** orderId → the OTP session token of Get OTP, for the portal user who asked; short-lived, memory only. */
  const otpSessions = new Map<string, { token: string; user: string; until: number }>();
  const peruri = () => ctx.providers.peruri?.client ?? (() => {
    throw notConfigured('Peruri');
  })();
  const orderIdOf = (req: Request) => {
    const id = String(req.params.orderId);
    if (!ORDER_ID.test(id)) throw new HttpError('invalid-input', 'orderId is the id Peruri returned for the document.', 'orderId');
    return id;
  };

  // Registration (§4.1): identity data and the KTP photo (JPEG or PNG), optionally NPWP; multipart.
  r.post('/peruri/users', async (req, res) => {
    const body = bodyOf(req, registerSchema);
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
    const body = bodyOf(req, z.object({ email }));
    const specimen = imageOf(req, 'specimen', ['png', 'jpeg']);
    if (!specimen) throw new HttpError('invalid-input', 'Send the specimen as the multipart part "specimen".', 'specimen');
    const out = await peruri().sendSpecimen({ email: body.email, specimen });
    res.status(201).json({ stored: true, resultDesc: out.resultDesc });
  });

  r.post('/peruri/users/certificate', async (req, res) => {
    const body = bodyOf(req, z.object({ email }));
    const out = await peruri().checkCertificate({ email: body.email });
    res.json({ issued: out.done, resultCode: out.resultCode, resultDesc: out.resultDesc });
  });

  r.post('/peruri/users/activation', async (req, res) => {
    const body = bodyOf(req, z.object({ email }));
    const out = await peruri().activation({ email: body.email });
    res.status(201).json({ requested: true, resultDesc: out.resultDesc });
  });

  r.post('/peruri/documents', async (req, res) => {
    const body = bodyOf(req, sendSchema);
    const client = peruri();
    const pdf = await pdfOf(req, ctx.store);
    const { profile } = profileOf(body.profile);
    const tail = opt({ certificateLevel: body.certificateLevel, location: body.location, reason: body.reason });
    let placement: PeruriPlacement | undefined;
    if (body.visible === false) placement = { visible: false, ...tail };
    else if (body.boxes) placement = { boxes: body.boxes, pages: pdf.pages, ...(profile ? { profile } : {}), ...tail };
    const { orderId } = await client.sendDocument({ email: body.email, fileName: body.fileName ?? pdf.fileName, pdf: pdf.bytes, ...(placement ? { placement } : {}) });
    res.status(201).json({ orderId, provider: 'peruri' });
  });

  r.post('/peruri/documents/:orderId/otp', async (req, res) => {
    const orderId = orderIdOf(req);
    const out = await peruri().getOtp({ orderId });
    otpSessions.set(orderId, { token: out.token, user: userOf(req), until: Date.now() + OTP_SESSION_MS });
    res.status(201).json({ sent: true, phone: out.phone ?? null });
  });

  r.post('/peruri/documents/:orderId/signatures', async (req, res) => {
    const orderId = orderIdOf(req);
    const { otpCode } = bodyOf(req, z.object({ otpCode: z.string().regex(/^\d{6}$/, 'must be the 6-digit code the user received') }));
    const session = otpSessions.get(orderId);
    if (!session || session.user !== userOf(req) || session.until < Date.now()) {
      throw new HttpError('invalid-input', 'Request an OTP for this order first (POST …/otp); it is valid for 10 minutes.', 'otpCode');
    }
    const client = peruri();
    await client.signing({ orderId, otpCode, token: session.token });
    otpSessions.delete(orderId);
    const meta = await storeSigned(ctx, client, orderId, userOf(req));
    res.status(201).json({ signed: true, orderId, document: documentView(meta) });
  });

  r.get('/peruri/documents/:orderId/status', async (req, res) => {
    const orderId = orderIdOf(req);
    const client = peruri();
    const known = await ctx.store.byProviderRef('peruri', orderId);
    if (known) {
      res.json({ orderId, signed: true, document: documentView(known) });
      return;
    }
    const status = await client.checkDocumentStatus({ orderId });
    if (!status.done) {
      res.json({ orderId, signed: false, resultCode: status.resultCode, resultDesc: status.resultDesc });
      return;
    }
    const meta = await storeSigned(ctx, client, orderId, userOf(req));
    res.json({ orderId, signed: true, document: documentView(meta) });
  });
  return r;
}

async function storeSigned(ctx: AppContext, client: NonNullable<AppContext['providers']['peruri']>['client'], orderId: string, owner: string) {
  const known = await ctx.store.byProviderRef('peruri', orderId);
  if (known) return known;
  const { pdf } = await client.downloadDocument({ orderId });
  if (!(pdf[0] === 0x25 && pdf[1] === 0x50 && pdf[2] === 0x44 && pdf[3] === 0x46)) {
    throw badResponse('peruri', 'peruri.downloadDocument', 'data.base64Document is not a PDF');
  }
  return ctx.store.put(pdf, { source: 'peruri', owner, fileName: `peruri-${orderId}.pdf`, providerRef: orderId });
}
