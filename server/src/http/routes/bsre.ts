// BSrE: user status, registration and signing TOTP (Esign Client v2), signing through the Esign Client
// (v1 multipart or v2 JSON, per BSRE_API) or the cloud service, and v1's download-once, which is stored
// the moment it arrives so a repeated request is answered from the store.
import { Router } from 'express';
import { z } from 'zod';
import type { BsreCredential, BsreSigner, BsreV1SignInput, BsreV2Signature } from '../../adapters/index.js';
import type { AppContext } from '../context.js';
import { documentView } from '../context.js';
import { HttpError, notConfigured } from '../errors.js';
import { bodyOf, email, imageOf, json, neutralBox, nik, pdfOf, userOf } from '../middleware.js';
import { opt, profileOf } from '../util.js';

const signerSchema = z.object({ nik: nik.optional(), email: email.optional() });

function oneSigner(body: { nik?: string | undefined; email?: string | undefined }): BsreSigner {
  if ((body.nik === undefined) === (body.email === undefined)) throw new HttpError('invalid-input', 'Give exactly one of nik or email.', 'nik');
  return body.nik !== undefined ? { nik: body.nik } : { email: body.email! };
}

const signSchema = z.object({
  documentId: z.string().optional(),
  service: z.enum(['esign-client', 'cloud']).optional(),
  nik: nik.optional(),
  email: email.optional(),
  passphrase: z.string().min(1).max(256).optional(),
  totp: z.string().regex(/^\d{4,8}$/, 'must be the numeric code the user received').optional(),
  appearance: z.enum(['invisible', 'image', 'qr']).optional(),
  box: json(neutralBox).optional(),
  linkQR: z.url({ protocol: /^https?$/ }).optional(),
  reason: z.string().max(100).optional(),
  location: z.string().max(100).optional(),
  profile: json(z.record(z.string(), z.unknown())).optional(),
});

export function bsreRouter(ctx: AppContext): Router {
  const r = Router();
  const esign = () => ctx.providers.bsre ?? (() => {
    throw notConfigured('BSrE (Esign Client)');
  })();
  const v2 = () => {
    const b = esign();
    if (b.api !== 'v2') throw new HttpError('invalid-input', 'This operation needs the BSrE Esign Client API v2 (BSRE_API=v2).', 'api');
    return b.client;
  };

  // NIK and e-mail travel in the body, not the URL: they are personal data and URLs end up in logs.
  r.post('/bsre/users/status', async (req, res) => {
    const signer = oneSigner(bodyOf(req, signerSchema));
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
    const body = bodyOf(req, z.object({ name: z.string().min(1).max(100), email }));
    const ack = await v2().register({ name: body.name, email: body.email });
    res.status(201).json({ registered: true, message: ack.message ?? null });
  });

  // The signing TOTP goes to the signer's e-mail; it is never returned to the portal.
  r.post('/bsre/totp', async (req, res) => {
    const body = bodyOf(req, signerSchema.extend({ fileCount: z.number().int().min(1).max(100).optional() }));
    if (body.nik === undefined && body.email === undefined) throw new HttpError('invalid-input', 'Give nik, email or both.', 'nik');
    const ack = await v2().requestSignTotp({ ...opt({ nik: body.nik, email: body.email }), fileCount: body.fileCount ?? 1 });
    res.status(201).json({ sent: true, message: ack.message ?? null, ...(ack.expires !== undefined ? { expires: ack.expires } : {}) });
  });

  r.post('/bsre/signatures', async (req, res) => {
    const body = bodyOf(req, signSchema);
    const service = body.service ?? (ctx.providers.bsre ? 'esign-client' : 'cloud');
    const image = imageOf(req, 'image', ['png', 'jpeg']);
    const appearance = body.appearance ?? (body.box ? (image ? 'image' : body.linkQR ? 'qr' : 'invisible') : 'invisible');
    if (appearance !== 'invisible' && !body.box) throw new HttpError('invalid-input', 'A visible signature needs box {page,x,y,width,height}.', 'box');
    if (appearance === 'image' && !image) throw new HttpError('invalid-input', 'appearance "image" needs the specimen as the multipart part "image".', 'image');
    if (appearance === 'qr' && !body.linkQR) throw new HttpError('invalid-input', 'appearance "qr" needs linkQR.', 'linkQR');
    const { profile } = profileOf(body.profile);
    const pdf = await pdfOf(req, ctx.store);
    const text = opt({ reason: body.reason, location: body.location });

    let signed: Uint8Array;
    let providerRef: string | undefined;
    let api: string;
    if (service === 'cloud') {
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
      });
      await cloud.sign({ idSigned, passphrase: body.passphrase });
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
        const mode: BsreV1SignInput =
          appearance === 'invisible'
            ? { mode: 'invisible', pdf: pdf.bytes, nik: body.nik, passphrase: body.passphrase, fileName: pdf.fileName, ...text }
            : appearance === 'image'
              ? { mode: 'image', image: image!, ...place, pdf: pdf.bytes, nik: body.nik, passphrase: body.passphrase, fileName: pdf.fileName, ...text }
              : { mode: 'qr', linkQR: body.linkQR!, ...place, pdf: pdf.bytes, nik: body.nik, passphrase: body.passphrase, fileName: pdf.fileName, ...text };
        const out = await b.client.v1SignPdf(mode);
        signed = out.pdf;
        providerRef = out.documentId;
      } else {
        if (appearance === 'qr') throw new HttpError('invalid-input', 'BSrE API v2 draws visible signatures from an image; send "image" instead of linkQR.', 'appearance');
        if ((body.passphrase === undefined) === (body.totp === undefined)) throw new HttpError('invalid-input', 'Give exactly one of passphrase or totp.', 'passphrase');
        const credential: BsreCredential = body.passphrase !== undefined ? { passphrase: body.passphrase } : { totp: body.totp! };
        const signature: BsreV2Signature =
          appearance === 'invisible' ? { visible: false, ...text } : { visible: true, image: image!, box: body.box!, pages: pdf.pages, ...(profile ? { profile } : {}), ...text };
        const out = await b.client.signPdf({ signer: oneSigner(body), credential, files: [pdf.bytes], signatures: [signature] });
        signed = out.files[0]!;
      }
    }
    const meta = await ctx.store.put(signed, { source: 'bsre', owner: userOf(req), fileName: pdf.fileName.replace(/\.pdf$/i, '') + '-signed.pdf', ...opt({ providerRef }) });
    res.status(201).location(`/api/documents/${meta.id}`).json({ document: documentView(meta), provider: 'bsre', api, ...(providerRef !== undefined ? { providerDocumentId: providerRef } : {}) });
  });

  // BSrE v1 C.3: each signed document can be downloaded once. Whatever we fetched is stored at once, and
  // a second request for the same id is answered from the store instead of a call BSrE would refuse.
  r.post('/bsre/downloads', async (req, res) => {
    const { documentId } = bodyOf(req, z.object({ documentId: z.string().min(1).max(200) }));
    const known = await ctx.store.byProviderRef('bsre', documentId);
    if (known) {
      res.json({ document: documentView(known), fromStore: true });
      return;
    }
    const b = esign();
    if (b.api !== 'v1') throw new HttpError('invalid-input', 'Downloads by BSrE document id exist in API v1 only.', 'documentId');
    const { pdf } = await b.client.v1Download({ documentId });
    const meta = await ctx.store.put(pdf, { source: 'bsre', owner: userOf(req), fileName: 'bsre-signed.pdf', providerRef: documentId });
    res.status(201).location(`/api/documents/${meta.id}`).json({ document: documentView(meta), fromStore: false });
  });
  return r;
}
