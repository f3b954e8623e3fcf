// BSrE: user status, registration and signing TOTP (Esign Client v2), signing through the Esign Client
// (v1 multipart or v2 JSON, per BSRE_API) or the cloud service, and v1's download-once, which is stored
// the moment it arrives so a repeated request is answered from the store. Esign Client v2 also gives bulk
// signing (several PDFs, one credential) and the organisation's electronic seal (D.3–D.5): activation
// TOTP request/refresh/revoke, the seal OTP, and sealing — every sealed or signed PDF stored before the
// answer names it.
import { Router } from 'express';
import QRCode from 'qrcode';
import { z } from 'zod';
import { badResponse, ProviderError, type BsreCredential, type BsreSigner, type BsreV1SignInput, type BsreV2Signature } from '../adapters.js';
import type { AppContext } from '../../http/context.js';
import type { StoredDocumentMeta } from '../../store/documents.js';
import { documentView } from '../../http/context.js';
import { HttpError, notConfigured, withField } from '../../http/errors.js';
import { BULK_MAX_FILES } from '../../http/uploads.js';
import { bodyOf, email, json, neutralBox, nik } from '../../http/schemas.js';
import { imageOf } from '../../http/images.js';
import { pdfOf, pdfsOf, refuseEncrypted } from '../../http/pdf-input.js';
import { userOf } from '../../http/auth.js';
import { opt, profileOf } from '../../http/util.js';
import { actsAs, actsAsSigner, limitGuesses, requireOrgScope, targetOf } from '../../http/guards.js';
import type { Request } from 'express';

// Bodies are strict objects: an unknown field is a 400 naming it, since a misspelt optional field ("reson",
// "pdfPasword") would otherwise be dropped unseen.
const signerSchema = z.strictObject({ nik: nik.optional(), email: email.optional() });

function oneSigner(body: { nik?: string | undefined; email?: string | undefined }): BsreSigner {
  if ((body.nik === undefined) === (body.email === undefined)) throw new HttpError('invalid-input', 'Give exactly one of nik or email.', 'nik');
  return body.nik !== undefined ? { nik: body.nik } : { email: body.email! };
}

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

/** The fields each BSrE service documents beyond the common ones: another service's field is a 400, never dropped. */
const SERVICE_FIELDS = {
  text: ['v1', 'seed 002 §5.2 field 17 (API v1 only)'],
  pdfPassword: ['v2', 'seed 002 §6.2 field 16 (API v2 only)'],
  addressee: ['cloud', 'seed 000 SEND_SIGN_REQUEST `tujuan` (cloud only)'],
  subject: ['cloud', 'seed 000 SEND_SIGN_REQUEST `perihal` (cloud only)'],
  info: ['cloud', 'seed 000 SEND_SIGN_REQUEST `info` (cloud only)'],
  documentType: ['cloud', 'seed 000 SEND_SIGN_REQUEST `jenis_dokumen` (cloud only)'],
  documentNumber: ['cloud', 'seed 000 SEND_SIGN_REQUEST `nomor` (cloud only)'],
  approvedInfo: ['cloud', 'seed 000 SIGN DOKUMEN `approved_info` (cloud only)'],
} as const;

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

/** BSrE v2 draws every visible signature from an image: a QR appearance becomes a PNG of the link. */
const qrImage = async (link: string) => new Uint8Array(await QRCode.toBuffer(link, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 300 }));

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

/** How long a seal OTP that BSrE returned in its body (gap 25) is kept for the next seal, at most. */
const SEAL_OTP_MS = 10 * 60_000;

const signedName = (name: string, suffix: string) => name.replace(/\.pdf$/i, '') + `-${suffix}.pdf`;

export function bsreRouter(ctx: AppContext): Router {
  const v1Downloads = new Map<string, Promise<{ meta: StoredDocumentMeta; fromStore: boolean }>>();
  const r = Router();
  const esign = () => ctx.providers.bsre ?? (() => {
    throw notConfigured('BSrE (Esign Client)');
  })();
  const v2 = () => {
    const b = esign();
    if (b.api !== 'v2') throw new HttpError('invalid-input', 'This operation needs the BSrE Esign Client API v2 (BSRE_API=v2).', 'api');
    return b.client;
  };

  /**
   * v1 Sign PDF answers the signed PDF as its body and names it in the `id_dokumen` header (seed 002 §5.2,
   * 001 §III.D.5). When the body arrives unusable (a proxy's page, a damaged PDF) but the header named the
   * document, the one download BSrE allows (seed 002 §5.3 "hanya bisa diunduh sebanyak satu kali") fetches
   * it — the flow that needs the download-once operation. The id is recorded for this user first, so that if
   * the download fails too, POST /bsre/downloads can still fetch it later; the error names it.
   */
  const v1Sign = async (client: NonNullable<typeof ctx.providers.bsre>['client'], input: BsreV1SignInput, owner: string) => {
    try {
      return await client.v1SignPdf(input);
    } catch (err) {
      const documentId = err instanceof ProviderError && err.code === 'provider-bad-response' ? err.details?.documentId : undefined;
      if (typeof documentId !== 'string') throw err;
      await ctx.store.claimRef('bsre', documentId, owner);
      ctx.logger.warn({ provider: 'bsre', operation: 'bsre.v1.signPdf' }, 'the signing answer was unusable but named its document: downloading it once');
      try {
        const { pdf } = await client.v1Download({ documentId });
        return { pdf, documentId };
      } catch (cause) {
        throw new ProviderError({
          code: 'provider-bad-response',
          provider: 'bsre',
          operation: 'bsre.v1.signPdf',
          message: `BSrE signed the document (id_dokumen ${documentId}) but its answer was unusable and the download failed; fetch it with POST /api/bsre/downloads {"documentId":"${documentId}"}.`,
          httpStatus: 502,
          retryable: false,
          details: { providerDocumentId: documentId },
          cause,
        });
      }
    }
  };

  // NIK and e-mail travel in the body, not the URL: they are personal data and URLs end up in logs.
  r.post('/bsre/users/status', async (req, res) => {
    const signer = oneSigner(bodyOf(req, signerSchema));
    actsAsSigner(req, signer);
    const b = esign();
    let outcome;
    if (b.api === 'v2') outcome = await b.client.userStatus(signer);
    else {
      if (signer.nik === undefined) throw new HttpError('invalid-input', 'BSrE API v1 looks users up by nik only.', 'nik');
      outcome = await b.client.v1UserStatus({ nik: signer.nik });
    }
    res.json({ status: outcome.status, canSign: outcome.canSign, message: outcome.message });
  });

  r.post('/bsre/users', async (req, res) => {
    const body = bodyOf(req, z.strictObject({ name: z.string().min(1).max(100), email }));
    actsAs(req, ['email', 'email', body.email]);
    const ack = await v2().register({ name: body.name, email: body.email });
    res.status(201).json({ registered: true, message: ack.message ?? null });
  });

  // The signing TOTP goes to the signer's e-mail; it is never returned to the portal.
  r.post('/bsre/totp', async (req, res) => {
    const body = bodyOf(req, signerSchema.extend({ fileCount: z.number().int().min(1).max(100).optional() }));
    if (body.nik === undefined && body.email === undefined) throw new HttpError('invalid-input', 'Give nik, email or both.', 'nik');
    actsAsSigner(req, body);
    const ack = await v2().requestSignTotp({ ...opt({ nik: body.nik, email: body.email }), fileCount: body.fileCount ?? 1 });
    res.status(201).json({ sent: true, message: ack.message ?? null, ...(ack.expires !== undefined ? { expires: ack.expires } : {}) });
  });

  r.post('/bsre/signatures', limitGuesses(ctx.attempts, signerGuess, async (req, res) => {
    const body = bodyOf(req, signSchema);
    actsAsSigner(req, body);
    const service = body.service ?? (ctx.providers.bsre ? 'esign-client' : 'cloud');
    const image = imageOf(req, 'image', ['png', 'jpeg']);
    // The cloud's sign request carries the file only (seed 000 SEND SIGN REQUEST "BODY • FILE"): its
    // `image=true` draws the specimen BSrE holds for the signer, so it takes no image it could not send.
    if (service === 'cloud' && image) {
      throw new HttpError('invalid-input', 'The BSrE cloud service takes no image: its sign request carries the file only, and appearance "image" draws the specimen BSrE holds for the signer.', 'image');
    }
    const kind = service === 'cloud' ? 'cloud' : ctx.providers.bsre?.api ?? 'v2';
    for (const [field, [only, source]] of Object.entries(SERVICE_FIELDS)) {
      if (body[field as keyof typeof SERVICE_FIELDS] !== undefined && only !== kind) throw new HttpError('invalid-input', `${field} is a field of ${source}; this signing goes to BSrE ${kind === 'cloud' ? 'cloud' : `API ${kind}`}.`, field);
    }
    const visible = body.box !== undefined || body.tag !== undefined;
    // A box or tag without an appearance: the uploaded specimen, else a QR of linkQR, else (cloud) the specimen BSrE holds.
    const appearance = body.appearance ?? (!visible ? 'invisible' : image ? 'image' : body.linkQR ? 'qr' : service === 'cloud' ? 'image' : 'invisible');
    if (body.tag !== undefined && body.box !== undefined) throw new HttpError('invalid-input', 'Give box (a position) or tag (a marker in the text), not both.', 'tag');
    if (body.tag !== undefined && !body.tagSize) throw new HttpError('invalid-input', 'A signature at a tag needs tagSize {width,height}.', 'tagSize');
    if (appearance !== 'invisible' && !visible) throw new HttpError('invalid-input', 'A visible signature needs box {page,x,y,width,height} or tag.', 'box');
    if (appearance === 'image' && !image && service !== 'cloud') throw new HttpError('invalid-input', 'appearance "image" needs the specimen as the multipart part "image".', 'image');
    if (appearance === 'qr' && !body.linkQR) throw new HttpError('invalid-input', 'appearance "qr" needs linkQR.', 'linkQR');
    const { profile } = profileOf(body.profile);
    const checked = await pdfOf(req, ctx.store);
    // An encrypted PDF goes to API v2 with its password (seed 002 §6.2 field 16); the others cannot open it.
    const pdf = body.pdfPassword !== undefined ? checked : refuseEncrypted(checked, 'BSrE');
    const text = opt({ reason: body.reason, location: body.location });

    let signed: Uint8Array;
    let providerRef: string | undefined;
    let api: string;
    // tag_koordinat: the stamp's place comes from the text, so no box is converted.
    const atTag = body.tag !== undefined ? { tag: body.tag, width: body.tagSize!.width, height: body.tagSize!.height } : undefined;
    if (service === 'cloud') {
      if (atTag) throw new HttpError('invalid-input', 'The BSrE cloud service places signatures by page and coordinates only.', 'tag');
      const cloud = ctx.providers.bsreCloud?.client;
      if (!cloud) throw notConfigured('BSrE cloud');
      if (body.nik === undefined) throw new HttpError('invalid-input', 'The BSrE cloud service signs by nik.', 'nik');
      if (body.passphrase === undefined) throw new HttpError('invalid-input', 'The BSrE cloud service needs the passphrase.', 'passphrase');
      const place = { box: body.box!, pages: pdf.pages, ...(profile ? { profile } : {}) };
      const { idSigned } = await cloud.signRequest({
        signer: body.nik,
        pdf: pdf.bytes,
        fileName: pdf.fileName,
        appearance: appearance === 'invisible' ? { visible: false } : appearance === 'qr' ? { visible: true, ...place, linkQR: body.linkQR! } : { visible: true, ...place, image: true },
        ...opt({ tujuan: body.addressee, perihal: body.subject, info: body.info, jenisDokumen: body.documentType, nomor: body.documentNumber }),
      });
      await cloud.sign({ idSigned, passphrase: body.passphrase, ...opt({ approvedInfo: body.approvedInfo }) });
      signed = (await cloud.download({ idSigned })).pdf;
      providerRef = idSigned;
      api = 'cloud';
    } else {
      const b = esign();
      api = b.api;
      if (b.api === 'v1') {
        if (body.nik === undefined) throw new HttpError('invalid-input', 'BSrE API v1 signs by nik.', 'nik');
        if (body.passphrase === undefined) throw new HttpError('invalid-input', 'BSrE API v1 needs the passphrase.', 'passphrase');
        const place = { box: body.box!, pages: pdf.pages, ...(profile ? { profile } : {}) };
        const common = { pdf: pdf.bytes, nik: body.nik, passphrase: body.passphrase, fileName: pdf.fileName, ...text, ...opt({ text: body.text }) };
        const mode: BsreV1SignInput =
          appearance === 'invisible'
            ? { mode: 'invisible', ...common }
            : atTag
              ? { mode: 'tag', ...atTag, ...(appearance === 'image' ? { image: image! } : { linkQR: body.linkQR! }), ...common }
              : appearance === 'image'
              ? { mode: 'image', image: image!, ...place, ...common }
              : { mode: 'qr', linkQR: body.linkQR!, ...place, ...common };
        const out = await v1Sign(b.client, mode, userOf(req));
        signed = out.pdf;
        providerRef = out.documentId;
      } else {
        if ((body.passphrase === undefined) === (body.totp === undefined)) throw new HttpError('invalid-input', 'Give exactly one of passphrase or totp.', 'passphrase');
        const credential: BsreCredential = body.passphrase !== undefined ? { passphrase: body.passphrase } : { totp: body.totp! };
        const stamp = appearance === 'qr' ? await qrImage(body.linkQR!) : image!;
        const tail = { ...text, ...opt({ pdfPassword: body.pdfPassword }) };
        const signature: BsreV2Signature =
          appearance === 'invisible'
            ? { visible: false, ...tail }
            : atTag
              ? { visible: true, image: stamp, ...atTag, ...tail }
              : { visible: true, image: stamp, box: body.box!, pages: pdf.pages, ...(profile ? { profile } : {}), ...tail };
        const out = await b.client.signPdf({ signer: oneSigner(body), credential, files: [pdf.bytes], signatures: [signature] });
        signed = out.files[0]!;
      }
    }
    const meta = await ctx.store.put(signed, { source: 'bsre', owner: userOf(req), fileName: pdf.fileName.replace(/\.pdf$/i, '') + '-signed.pdf', ...opt({ providerRef }) });
    res.status(201).location(`/api/documents/${meta.id}`).json({ document: documentView(meta), provider: 'bsre', api, ...(providerRef !== undefined ? { providerDocumentId: providerRef } : {}) });
  }));

  // BSrE v1 C.3: each signed document can be downloaded once. Whatever we fetched is stored at once, and
  // a second request for the same id is answered from the store instead of a call BSrE would refuse.
  r.post('/bsre/downloads', async (req, res) => {
    const { documentId } = bodyOf(req, z.strictObject({ documentId: z.string().min(1).max(200) }));
    await withField('documentId', ctx.store.assertRefOwner('bsre', documentId, userOf(req)));
    const b = esign();
    if (b.api !== 'v1') throw new HttpError('invalid-input', 'Downloads by BSrE document id exist in API v1 only.', 'documentId');
    // BSrE serves each document once: a concurrent second request waits for the first and is answered from
    // the store, never with a second download BSrE would refuse.
    let pending = v1Downloads.get(documentId);
    const first = !pending;
    if (!pending) {
      pending = (async () => {
        const known = await ctx.store.byProviderRef('bsre', documentId, userOf(req));
        if (known) return { meta: known, fromStore: true };
        const { pdf } = await b.client.v1Download({ documentId });
        return { meta: await ctx.store.put(pdf, { source: 'bsre', owner: userOf(req), fileName: 'bsre-signed.pdf', providerRef: documentId }), fromStore: false };
      })().finally(() => v1Downloads.delete(documentId));
      v1Downloads.set(documentId, pending);
    }
    const { meta, fromStore } = await pending;
    const stored = fromStore || !first;
    res.status(stored ? 200 : 201).location(`/api/documents/${meta.id}`).json({ document: documentView(meta), fromStore: stored });
  });

  // D.1 bulk: several PDFs, one signer and one credential (a TOTP requested with fileCount = the number of
  // files). `signatures` holds one appearance for all files or exactly one per file, by position; each
  // visible box is converted by the adapter against its own file's pages.
  r.post('/bsre/signatures/bulk', limitGuesses(ctx.attempts, signerGuess, async (req, res) => {
    const body = bodyOf(req, bulkSchema);
    requireOrgScope(req, 'Bulk signing');
    const signer = oneSigner(body);
    actsAsSigner(req, signer);
    if ((body.passphrase === undefined) === (body.totp === undefined)) throw new HttpError('invalid-input', 'Give exactly one of passphrase or totp.', 'passphrase');
    const image = imageOf(req, 'image', ['png', 'jpeg']);
    const { profile } = profileOf(body.profile);
    const client = v2();
    const pdfs = await pdfsOf(req, ctx.store);
    const specs = body.signatures ?? [{}];
    if (specs.length !== 1 && specs.length !== pdfs.length) {
      throw new HttpError('invalid-input', `signatures must hold one entry for all ${pdfs.length} files or exactly one per file.`, 'signatures');
    }
    const signatures: BsreV2Signature[] = pdfs.map((pdf, i) => {
      const spec = specs.length === 1 ? specs[0]! : specs[i]!;
      const n = specs.length === 1 ? 0 : i;
      if (pdf.encrypted && spec.pdfPassword === undefined) {
        throw new HttpError('invalid-pdf', `${pdf.field} is protected by a password; give it as signatures.${n}.pdfPassword.`, pdf.field);
      }
      const appearance = spec.appearance ?? (spec.box ? 'image' : 'invisible');
      const tail = opt({ reason: spec.reason, location: spec.location, pdfPassword: spec.pdfPassword });
      if (appearance === 'invisible') return { visible: false, ...tail };
      if (!spec.box) throw new HttpError('invalid-input', 'A visible signature needs box {page,x,y,width,height}.', `signatures.${n}.box`);
      if (!image) throw new HttpError('invalid-input', 'A visible signature needs the specimen as the multipart part "image".', 'image');
      return { visible: true, image, box: spec.box, pages: pdf.pages, ...(profile ? { profile } : {}), ...tail };
    });
    const credential: BsreCredential = body.passphrase !== undefined ? { passphrase: body.passphrase } : { totp: body.totp! };
    const out = await client.signPdf({ signer, credential, files: pdfs.map((p) => p.bytes), signatures });
    if (out.files.length !== pdfs.length) throw badResponse('bsre', 'bsre.v2.signPdf', `file[] holds ${out.files.length} PDFs for the ${pdfs.length} sent`);
    const documents = [];
    for (const [i, signed] of out.files.entries()) {
      documents.push(documentView(await ctx.store.put(signed, { source: 'bsre', owner: userOf(req), fileName: signedName(pdfs[i]!.fileName, 'signed') })));
    }
    res.status(201).json({ documents, provider: 'bsre', api: 'v2' });
  }));

  // D.3–D.5, the electronic seal. The activation TOTP reaches the agency's registered e-mail; BSrE's
  // answers to refresh and seal OTP requests may echo a TOTP in their body (gap 25). Neither is ever
  // returned to the portal: a seal OTP BSrE returns is kept here, for the portal user who asked and that
  // subscriber only, for the next seal of the same number of files (at most 10 minutes, used once).
  const sealOtps = new Map<string, { totp: string; fileCount: number; until: number }>();
  const sealKey = (req: Parameters<typeof userOf>[0], id: string) => `${userOf(req)}\u0000${id}`;

  r.post('/bsre/seals/activation', async (req, res) => {
    const body = bodyOf(req, z.strictObject({ idSubscriber }));
    requireOrgScope(req, 'The BSrE seal');
    const ack = await v2().sealActivation({ idSubscriber: body.idSubscriber });
    res.status(201).json({ requested: true, message: ack.message ?? null });
  });

  r.post('/bsre/seals/activation/refresh', limitGuesses(ctx.attempts, sealGuess('totp', 'bsre-seal-activation'), async (req, res) => {
    const body = bodyOf(req, z.strictObject({ idSubscriber, totp: activationTotp }));
    requireOrgScope(req, 'The BSrE seal');
    const ack = await v2().sealActivation({ idSubscriber: body.idSubscriber, totp: body.totp });
    res.json({ refreshed: true, message: ack.message ?? null, expires: ack.expires ?? null });
  }));

  r.post('/bsre/seals/activation/revoke', limitGuesses(ctx.attempts, sealGuess('totp', 'bsre-seal-activation'), async (req, res) => {
    const body = bodyOf(req, z.strictObject({ idSubscriber, totp: activationTotp }));
    requireOrgScope(req, 'The BSrE seal');
    const ack = await v2().sealRevoke({ idSubscriber: body.idSubscriber, totp: body.totp });
    for (const k of [...sealOtps.keys()]) if (k.endsWith(`\u0000${body.idSubscriber}`)) sealOtps.delete(k);
    res.json({ revoked: true, message: ack.message ?? null });
  }));

  r.post('/bsre/seals/totp', limitGuesses(ctx.attempts, sealGuess('activationTotp', 'bsre-seal-activation'), async (req, res) => {
    const body = bodyOf(req, z.strictObject({ idSubscriber, activationTotp: activationTotp, fileCount: z.number().int().min(1).max(BULK_MAX_FILES).optional() }));
    requireOrgScope(req, 'The BSrE seal');
    const fileCount = body.fileCount ?? 1;
    const ack = await v2().requestSealTotp({ idSubscriber: body.idSubscriber, activationTotp: body.activationTotp, fileCount });
    const key = sealKey(req, body.idSubscriber);
    const held = ack.totp !== undefined && /^\d{4,8}$/.test(ack.totp);
    if (held) {
      const expires = ack.expires !== undefined ? Date.parse(ack.expires) : NaN;
      sealOtps.set(key, { totp: ack.totp!, fileCount, until: Math.min(Date.now() + SEAL_OTP_MS, Number.isFinite(expires) ? expires : Infinity) });
    } else sealOtps.delete(key);
    res.status(201).json({ sent: true, message: ack.message ?? null, expires: ack.expires ?? null, held, fileCount });
  }));

  // D.5: invisible seal (the only one documented, gap 26) of one or more PDFs.
  r.post('/bsre/seals', limitGuesses(ctx.attempts, sealGuess('totp', 'bsre-seal-otp'), async (req, res) => {
    const body = bodyOf(req, sealSchema);
    requireOrgScope(req, 'The BSrE seal');
    const client = v2();
    const pdfs = (await pdfsOf(req, ctx.store)).map((pdf) => refuseEncrypted(pdf, 'The BSrE seal'));
    const key = sealKey(req, body.idSubscriber);
    let totp = body.totp;
    const held = totp === undefined ? sealOtps.get(key) : undefined;
    if (totp === undefined) {
      if (!held || held.until < Date.now()) {
        sealOtps.delete(key);
        throw new HttpError('invalid-input', 'Give totp (the seal OTP), or request one first (POST /api/bsre/seals/totp).', 'totp');
      }
      if (held.fileCount !== pdfs.length) throw new HttpError('invalid-input', `The seal OTP was requested for ${held.fileCount} file(s); send that many.`, 'files');
      totp = held.totp;
    }
    const out = await client.sealPdf({ idSubscriber: body.idSubscriber, totp, files: pdfs.map((p) => p.bytes), ...opt({ location: body.location, reason: body.reason }) });
    if (held) sealOtps.delete(key);
    if (out.files.length !== pdfs.length) throw badResponse('bsre', 'bsre.v2.sealPdf', `file[] holds ${out.files.length} PDFs for the ${pdfs.length} sent`);
    const documents = [];
    for (const [i, sealed] of out.files.entries()) {
      documents.push(documentView(await ctx.store.put(sealed, { source: 'bsre', owner: userOf(req), fileName: signedName(pdfs[i]!.fileName, 'sealed') })));
    }
    res.status(201).json({ documents, provider: 'bsre', api: 'v2', sealed: documents.length });
  }));
  return r;
}
