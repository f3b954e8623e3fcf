// BSrE's API routes (part letters and gap numbers: docs/providers/bsre.md): user status, registration and signing TOTP (Esign Client v2), signing through the Esign
// Client (v1 multipart or v2 JSON, per BSRE_API) or the cloud service, v1's download-once, bulk signing (v2,
// several PDFs, one credential) and the organisation's electronic seal (D.3–D.5). Each route validates the
// request (schema, identity, scope, guessing limits), calls the service (service.ts) and answers with a view:
// every signed or sealed PDF is stored before the answer names it.
import { Router, type Request } from 'express';
import { z } from 'zod';
import { userOf } from '../../http/auth.js';
import type { AppContext } from '../../http/context.js';
import { documentView } from '../../http/context.js';
import { HttpError, withField } from '../../http/errors.js';
import { actsAs, actsAsSigner, limitGuesses, requireOrgScope, targetOf } from '../../http/guards.js';
import { imageOf } from '../../http/images.js';
import { pdfOf, pdfsOf, refuseEncrypted } from '../../http/pdf-input.js';
import { bodyOf, email, json, neutralBox, nik } from '../../http/schemas.js';
import { BULK_MAX_FILES } from '../../http/uploads.js';
import { opt, profileOf } from '../../http/util.js';
import { BsreService, oneSigner, planSignature } from './service.js';

// Bodies are strict objects: an unknown field is a 400 naming it, since a misspelt optional field ("reson",
// "pdfPasword") would otherwise be dropped unseen.
const signerSchema = z.strictObject({ nik: nik.optional(), email: email.optional() });

const signSchema = z.strictObject({
  documentId: z.string().optional(),
  service: z.enum(['esign-client', 'cloud']).optional(),
  nik: nik.optional(),
  email: email.optional(),
  passphrase: z.string().min(1).max(256).optional(),
  totp: z.string().regex(/^\d{4,8}$/, 'must be the numeric code the user received').optional(),
  appearance: z.enum(['invisible', 'image', 'qr']).optional(),
  box: json(neutralBox).optional(),
  linkQR: z.url({ protocol: /^https?$/ }).optional(),
  /** tag_koordinat: the stamp lands at this marker character in the text, `tagSize` big (instead of `box`). */
  tag: z.string().regex(/^\S$/u, 'must be one marker character such as "#" or "$"').optional(),
  tagSize: json(z.strictObject({ width: z.number().positive().max(2000), height: z.number().positive().max(2000) })).optional(),
  reason: z.string().max(100).optional(),
  location: z.string().max(100).optional(),
  /** v1 `text` (seed 002 §5.2 field 17): free text the user adds. */
  text: z.string().max(200).optional(),
  /** v2 `signatureProperties[].pdfPassword` (seed 002 §6.2 field 16): the password of an encrypted PDF. */
  pdfPassword: z.string().min(1).max(256).optional(),
  /** Cloud sign request parameters (seed 000 SEND_SIGN_REQUEST): tujuan, perihal, info, jenis_dokumen, nomor. */
  addressee: z.string().min(1).max(200).optional(),
  subject: z.string().min(1).max(200).optional(),
  info: z.string().min(1).max(200).optional(),
  documentType: z.string().min(1).max(100).optional(),
  documentNumber: z.string().min(1).max(100).optional(),
  /** Cloud `approved_info` (seed 000 SIGN DOKUMEN): a note with the approval. */
  approvedInfo: z.string().min(1).max(200).optional(),
  profile: json(z.record(z.string(), z.unknown())).optional(),
});

/** The signer whose passphrase or TOTP a signing request guesses (attempts are limited per signer, http/guards.ts). */
function signerGuess(req: Request) {
  const target = targetOf(req, 'nik', /^\d{16}$/) ?? targetOf(req, 'email', /^[^\s@]+@[^\s@]+\.[^\s@]+$/);
  if (target === undefined) return undefined;
  const totp = (req.body as Record<string, unknown>).totp !== undefined;
  return { kind: totp ? ('bsre-totp' as const) : ('bsre-passphrase' as const), target, field: totp ? 'totp' : 'passphrase' };
}

/** The seal subscriber whose activation TOTP or seal OTP a request guesses (none when the held OTP is used). */
const sealGuess = (field: 'totp' | 'activationTotp', kind: 'bsre-seal-otp' | 'bsre-seal-activation') => (req: Request) => {
  const target = targetOf(req, 'idSubscriber', /^[\x21-\x7e]{1,100}$/);
  return target !== undefined && (req.body as Record<string, unknown>)[field] !== undefined ? { kind, target, field } : undefined;
};

/** The seal subscriber id BSrE gives the agency (D.3): opaque, printable, no spaces. */
const idSubscriber = z.string().regex(/^[\x21-\x7e]{1,100}$/, 'must be the seal subscriber id BSrE gave the agency');
const code = (what: string) => z.string().regex(/^\d{4,8}$/, `must be the numeric ${what}`);
/** The seal activation TOTP (D.3) has no documented format (the sandbox's is 32 hex characters): opaque text. */
const activationTotp = z.string().regex(/^[\x21-\x7e]{1,256}$/, 'must be the activation TOTP the agency received');
const text100 = z.string().max(100);

const bulkSignatureSchema = z.strictObject({
  appearance: z.enum(['invisible', 'image']).optional(),
  box: neutralBox.optional(),
  reason: text100.optional(),
  location: text100.optional(),
  pdfPassword: z.string().min(1).max(256).optional(),
});

const bulkSchema = z.strictObject({
  documentId: z.string().optional(),
  documentIds: z.unknown().optional(),
  nik: nik.optional(),
  email: email.optional(),
  passphrase: z.string().min(1).max(256).optional(),
  totp: code('code the user received').optional(),
  signatures: json(z.array(bulkSignatureSchema).min(1).max(BULK_MAX_FILES)).optional(),
  profile: json(z.record(z.string(), z.unknown())).optional(),
});

const sealSchema = z.strictObject({
  documentId: z.string().optional(),
  documentIds: z.unknown().optional(),
  idSubscriber,
  totp: code('seal OTP').optional(),
  reason: text100.optional(),
  location: text100.optional(),
});

export function bsreRouter(ctx: AppContext): Router {
  const service = new BsreService(ctx);
  const r = Router();

  // NIK and e-mail travel in the body, not the URL: they are personal data and URLs end up in logs.
  r.post('/bsre/users/status', async (req, res) => {
    const signer = oneSigner(bodyOf(req, signerSchema));
    actsAsSigner(req, signer);
    const outcome = await service.userStatus(signer);
    res.json({ status: outcome.status, canSign: outcome.canSign, message: outcome.message });
  });

  r.post('/bsre/users', async (req, res) => {
    const body = bodyOf(req, z.strictObject({ name: z.string().min(1).max(100), email }));
    actsAs(req, ['email', 'email', body.email]);
    const ack = await service.v2().register({ name: body.name, email: body.email });
    res.status(201).json({ registered: true, message: ack.message ?? null });
  });

  // The signing TOTP goes to the signer's e-mail; it is never returned to the portal.
  r.post('/bsre/totp', async (req, res) => {
    const body = bodyOf(req, signerSchema.extend({ fileCount: z.number().int().min(1).max(100).optional() }));
    if (body.nik === undefined && body.email === undefined) throw new HttpError('invalid-input', 'Give nik, email or both.', 'nik');
    actsAsSigner(req, body);
    const ack = await service.v2().requestSignTotp({ ...opt({ nik: body.nik, email: body.email }), fileCount: body.fileCount ?? 1 });
    res.status(201).json({ sent: true, message: ack.message ?? null, ...(ack.expires !== undefined ? { expires: ack.expires } : {}) });
  });

  r.post('/bsre/signatures', limitGuesses(ctx.attempts, signerGuess, async (req, res) => {
    const body = bodyOf(req, signSchema);
    actsAsSigner(req, body);
    const plan = planSignature(ctx, body, imageOf(req, 'image', ['png', 'jpeg']));
    const { profile } = profileOf(body.profile);
    const checked = await pdfOf(req, ctx.store);
    // An encrypted PDF goes to API v2 with its password (seed 002 §6.2 field 16); the others cannot open it.
    const pdf = body.pdfPassword !== undefined ? checked : refuseEncrypted(checked, 'BSrE');
    const { meta, api, providerRef } = await service.sign(body, plan, profile, pdf, userOf(req));
    res.status(201).location(`/api/documents/${meta.id}`).json({ document: documentView(meta), provider: 'bsre', api, ...(providerRef !== undefined ? { providerDocumentId: providerRef } : {}) });
  }));

  // BSrE v1 C.3: each signed document can be downloaded once; a repeated request is answered from the store.
  r.post('/bsre/downloads', async (req, res) => {
    const { documentId } = bodyOf(req, z.strictObject({ documentId: z.string().min(1).max(200) }));
    await withField('documentId', ctx.store.assertRefOwner('bsre', documentId, userOf(req)));
    const { meta, stored } = await service.downloadOnce(documentId, userOf(req));
    res.status(stored ? 200 : 201).location(`/api/documents/${meta.id}`).json({ document: documentView(meta), fromStore: stored });
  });

  // D.1 bulk: several PDFs, one signer and one credential; one appearance for all files or one per file.
  r.post('/bsre/signatures/bulk', limitGuesses(ctx.attempts, signerGuess, async (req, res) => {
    const body = bodyOf(req, bulkSchema);
    requireOrgScope(req, 'Bulk signing');
    const signer = oneSigner(body);
    actsAsSigner(req, signer);
    if ((body.passphrase === undefined) === (body.totp === undefined)) throw new HttpError('invalid-input', 'Give exactly one of passphrase or totp.', 'passphrase');
    const image = imageOf(req, 'image', ['png', 'jpeg']);
    const { profile } = profileOf(body.profile);
    const client = service.v2();
    const pdfs = await pdfsOf(req, ctx.store);
    const stored = await service.signBulk({ signer, passphrase: body.passphrase, totp: body.totp, specs: body.signatures ?? [{}], image, profile }, client, pdfs, userOf(req));
    res.status(201).json({ documents: stored.map(documentView), provider: 'bsre', api: 'v2' });
  }));

  // D.3–D.5, the electronic seal. The activation TOTP reaches the agency's registered e-mail; BSrE's answers to
  // refresh and seal OTP requests may echo a TOTP in their body (gap 25). Neither is ever returned to the portal:
  // a seal OTP BSrE returns is held by the service for the next seal.
  r.post('/bsre/seals/activation', async (req, res) => {
    const body = bodyOf(req, z.strictObject({ idSubscriber }));
    requireOrgScope(req, 'The BSrE seal');
    const ack = await service.v2().sealActivation({ idSubscriber: body.idSubscriber });
    res.status(201).json({ requested: true, message: ack.message ?? null });
  });

  r.post('/bsre/seals/activation/refresh', limitGuesses(ctx.attempts, sealGuess('totp', 'bsre-seal-activation'), async (req, res) => {
    const body = bodyOf(req, z.strictObject({ idSubscriber, totp: activationTotp }));
    requireOrgScope(req, 'The BSrE seal');
    const ack = await service.v2().sealActivation({ idSubscriber: body.idSubscriber, totp: body.totp });
    res.json({ refreshed: true, message: ack.message ?? null, expires: ack.expires ?? null });
  }));

  r.post('/bsre/seals/activation/revoke', limitGuesses(ctx.attempts, sealGuess('totp', 'bsre-seal-activation'), async (req, res) => {
    const body = bodyOf(req, z.strictObject({ idSubscriber, totp: activationTotp }));
    requireOrgScope(req, 'The BSrE seal');
    const ack = await service.revokeSeal(body.idSubscriber, body.totp);
    res.json({ revoked: true, message: ack.message ?? null });
  }));

  r.post('/bsre/seals/totp', limitGuesses(ctx.attempts, sealGuess('activationTotp', 'bsre-seal-activation'), async (req, res) => {
    const body = bodyOf(req, z.strictObject({ idSubscriber, activationTotp: activationTotp, fileCount: z.number().int().min(1).max(BULK_MAX_FILES).optional() }));
    requireOrgScope(req, 'The BSrE seal');
    const fileCount = body.fileCount ?? 1;
    const { ack, held } = await service.requestSealTotp(userOf(req), { idSubscriber: body.idSubscriber, activationTotp: body.activationTotp, fileCount });
    res.status(201).json({ sent: true, message: ack.message ?? null, expires: ack.expires ?? null, held, fileCount });
  }));

  // D.5: invisible seal (the only one documented, gap 26) of one or more PDFs.
  r.post('/bsre/seals', limitGuesses(ctx.attempts, sealGuess('totp', 'bsre-seal-otp'), async (req, res) => {
    const body = bodyOf(req, sealSchema);
    requireOrgScope(req, 'The BSrE seal');
    const client = service.v2();
    const pdfs = (await pdfsOf(req, ctx.store)).map((pdf) => refuseEncrypted(pdf, 'The BSrE seal'));
    const documents = (await service.seal(userOf(req), body, client, pdfs)).map(documentView);
    res.status(201).json({ documents, provider: 'bsre', api: 'v2', sealed: documents.length });
  }));
  return r;
}
