// What the BSrE routes do, without HTTP (part letters and gap numbers: docs/providers/bsre.md): choose the service a signing goes to (the cloud, Esign Client v1 or
// v2) and its appearance, sign and store; fetch v1's download-once; sign several PDFs in one v2 call; and hold
// the organisation's seal OTP (in the state store, for every instance). Every signed or sealed PDF is stored before a route names it. The routes
// (routes.ts) validate the request, call one method here and answer with its view.
import type { ProfileOverrides } from '@esign-kit/core';
import QRCode from 'qrcode';
import type { AppContext } from '../../http/context.js';
import { HttpError, notConfigured } from '../../http/errors.js';
import type { SigningProgress } from '../../http/idempotency.js';
import type { CheckedPdf } from '../../http/pdf-input.js';
import { opt } from '../../http/util.js';
import type { PutInfo, StoredDocumentMeta } from '../../store/documents.js';
import { STATE } from '../../store/state.js';
import { join } from 'node:path';
import { AnswerSpool } from '../shared/answer-spool.js';
import { badResponse, ProviderError } from '../shared/errors.js';
import { SpooledFile } from '../shared/types.js';
import type { BsreEsignClient } from './client.js';
import type { BsreSigner } from './common.js';
import type { BsreV1SignInput } from './v1.js';
import type { BsreCredential, BsreV2Signature } from './v2.js';
import { fromBsreLegacy, fromBsreV2, type VerificationReport } from './verification.js';

/** What a signing request asks for, as the route validated it (routes.ts `signSchema`). */
export interface SignRequest {
  service?: 'esign-client' | 'cloud' | undefined;
  nik?: string | undefined;
  email?: string | undefined;
  passphrase?: string | undefined;
  totp?: string | undefined;
  appearance?: 'invisible' | 'image' | 'qr' | undefined;
  box?: { page: number; x: number; y: number; width: number; height: number } | undefined;
  linkQR?: string | undefined;
  tag?: string | undefined;
  tagSize?: { width: number; height: number } | undefined;
  reason?: string | undefined;
  location?: string | undefined;
  text?: string | undefined;
  pdfPassword?: string | undefined;
  addressee?: string | undefined;
  subject?: string | undefined;
  info?: string | undefined;
  documentType?: string | undefined;
  documentNumber?: string | undefined;
  approvedInfo?: string | undefined;
}

/** The fields each BSrE service documents beyond the common ones: another service's field is a 400, never dropped. */
const SERVICE_FIELDS = {
  // v1 (seed 001 §III.C) and the cloud (seed 000 SIGN DOKUMEN) sign with the passphrase only: a `totp` there would
  // be dropped unseen — and, read as a TOTP guess, would escape the passphrase's attempt limit.
  totp: ['v2', 'seed 002 §6.2 field 15 (API v2 only)'],
  text: ['v1', 'seed 002 §5.2 field 17 (API v1 only)'],
  pdfPassword: ['v2', 'seed 002 §6.2 field 16 (API v2 only)'],
  addressee: ['cloud', 'seed 000 SEND_SIGN_REQUEST `tujuan` (cloud only)'],
  subject: ['cloud', 'seed 000 SEND_SIGN_REQUEST `perihal` (cloud only)'],
  info: ['cloud', 'seed 000 SEND_SIGN_REQUEST `info` (cloud only)'],
  documentType: ['cloud', 'seed 000 SEND_SIGN_REQUEST `jenis_dokumen` (cloud only)'],
  documentNumber: ['cloud', 'seed 000 SEND_SIGN_REQUEST `nomor` (cloud only)'],
  approvedInfo: ['cloud', 'seed 000 SIGN DOKUMEN `approved_info` (cloud only)'],
} as const;

/** Exactly one of nik or email: the signer of a v2 signing or status call. */
export function oneSigner(body: { nik?: string | undefined; email?: string | undefined }): BsreSigner {
  if ((body.nik === undefined) === (body.email === undefined)) throw new HttpError('invalid-input', 'Give exactly one of nik or email.', 'nik');
  return body.nik !== undefined ? { nik: body.nik } : { email: body.email! };
}

/** The service and API a signing request goes to: the one asked for; else the Esign Client when configured, the cloud otherwise. */
export function signingApi(ctx: AppContext, service: unknown): 'v1' | 'v2' | 'cloud' {
  const chosen = service === 'esign-client' || service === 'cloud' ? service : ctx.providers.bsre ? 'esign-client' : 'cloud';
  return chosen === 'cloud' ? 'cloud' : (ctx.providers.bsre?.api ?? 'v2');
}

/** Which service a signing goes to and how it looks: decided before the PDF is read. */
export interface SignPlan {
  service: 'esign-client' | 'cloud';
  appearance: 'invisible' | 'image' | 'qr';
  /** The specimen uploaded as the multipart part `image`. */
  image: Uint8Array | undefined;
}

/**
 * The service (the one asked for; else the Esign Client when configured, the cloud otherwise) and the
 * appearance: a box or tag without one takes the uploaded specimen, else a QR of linkQR, else (cloud) the
 * specimen BSrE holds. Every combination a service cannot sign is refused here, naming the field.
 */
export function planSignature(ctx: AppContext, body: SignRequest, image: Uint8Array | undefined): SignPlan {
  const service = body.service ?? (ctx.providers.bsre ? 'esign-client' : 'cloud');
  // The cloud's sign request carries the file only (seed 000 SEND SIGN REQUEST "BODY • FILE"): its
  // `image=true` draws the specimen BSrE holds for the signer, so it takes no image it could not send.
  if (service === 'cloud' && image) {
    throw new HttpError(
      'invalid-input',
      'The BSrE cloud service takes no image: its sign request carries the file only, and appearance "image" draws the specimen BSrE holds for the signer.',
      'image',
    );
  }
  const kind = service === 'cloud' ? 'cloud' : (ctx.providers.bsre?.api ?? 'v2');
  for (const [field, [only, source]] of Object.entries(SERVICE_FIELDS)) {
    if (body[field as keyof typeof SERVICE_FIELDS] !== undefined && only !== kind)
      throw new HttpError('invalid-input', `${field} is a field of ${source}; this signing goes to BSrE ${kind === 'cloud' ? 'cloud' : `API ${kind}`}.`, field);
  }
  const visible = body.box !== undefined || body.tag !== undefined;
  const appearance = body.appearance ?? (!visible ? 'invisible' : image ? 'image' : body.linkQR ? 'qr' : service === 'cloud' ? 'image' : 'invisible');
  if (body.tag !== undefined && body.box !== undefined)
    throw new HttpError('invalid-input', 'Give box (a position) or tag (a marker in the text), not both.', 'tag');
  if (body.tag !== undefined && !body.tagSize) throw new HttpError('invalid-input', 'A signature at a tag needs tagSize {width,height}.', 'tagSize');
  if (appearance !== 'invisible' && !visible) throw new HttpError('invalid-input', 'A visible signature needs box {page,x,y,width,height} or tag.', 'box');
  if (appearance === 'image' && !image && service !== 'cloud')
    throw new HttpError('invalid-input', 'appearance "image" needs the specimen as the multipart part "image".', 'image');
  if (appearance === 'qr' && !body.linkQR) throw new HttpError('invalid-input', 'appearance "qr" needs linkQR.', 'linkQR');
  return { service, appearance, image };
}

/** BSrE v2 draws every visible signature from an image: a QR appearance becomes a PNG of the link. */
const qrImage = async (link: string) => new Uint8Array(await QRCode.toBuffer(link, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 300 }));

/** What a BSrE cloud signing records once the cloud has signed (http/idempotency.ts SigningProgress). */
interface CloudCheckpoint {
  bsreCloudIdSigned: string;
}
const cloudCheckpoint = (resumed: unknown): string | undefined => {
  const id = (resumed as Partial<CloudCheckpoint> | undefined)?.bsreCloudIdSigned;
  return typeof resumed === 'object' && resumed !== null && typeof id === 'string' && id ? id : undefined;
};

/** How long a seal OTP that BSrE returned in its body (docs/providers/bsre.md gap 25) is kept for the next seal, at most. */
const SEAL_OTP_MS = 10 * 60_000;

const signedName = (name: string, suffix: string) => name.replace(/\.pdf$/i, '') + `-${suffix}.pdf`;

/** One appearance of a bulk signing (routes.ts `bulkSignatureSchema`). */
export interface BulkSignature {
  appearance?: 'invisible' | 'image' | undefined;
  box?: { page: number; x: number; y: number; width: number; height: number } | undefined;
  reason?: string | undefined;
  location?: string | undefined;
  pdfPassword?: string | undefined;
}

/**
 * Seal OTPs BSrE returned in its body (gap 25): never returned to the portal, kept in the state store
 * (bsre-seal-otp, by idSubscriber, so that a revocation forgets them all) for the portal user who asked and that
 * subscriber only, for the next seal of the same number of files (at most 10 minutes, used once).
 */
type HeldSealOtps = Record<string, { totp: string; fileCount: number; until: number }>;

/** How long the subscriber's record lives: until the last OTP it holds expires. */
const lifeOf = (held: HeldSealOtps, now: number) => Math.max(0, ...Object.values(held).map((h) => h.until - now));

/** A BSrE signing's flow: by BSrE's document id (v1 id_dokumen, cloud idSigned), else the stored document's. */
const bsreFlow = (owner: string, reference: string) => ({ kind: 'signing' as const, provider: 'bsre' as const, reference, user: owner });

export class BsreService {
  constructor(private readonly ctx: AppContext) {}

  /** The Esign Client, configured, with its API version. */
  esign(): NonNullable<AppContext['providers']['bsre']> {
    const b = this.ctx.providers.bsre;
    if (!b) throw notConfigured('BSrE (Esign Client)');
    return b;
  }

  /** The Esign Client when it speaks API v2 (registration, TOTPs, bulk, the seal). */
  v2(): BsreEsignClient {
    const b = this.esign();
    if (b.api !== 'v2') throw new HttpError('invalid-input', 'This operation needs the BSrE Esign Client API v2 (BSRE_API=v2).', 'api');
    return b.client;
  }

  /** D.6 (v2: by nik or e-mail) or C.1 (v1: by nik only). */
  async userStatus(signer: BsreSigner) {
    const b = this.esign();
    if (b.api === 'v2') return b.client.userStatus(signer);
    if (signer.nik === undefined) throw new HttpError('invalid-input', 'BSrE API v1 looks users up by nik only.', 'nik');
    return b.client.v1UserStatus({ nik: signer.nik });
  }

  /**
   * Signs one PDF as `plan` says and stores the signed PDF for `owner`. The cloud service: sign request, sign,
   * download. API v1: the signed PDF is the answer (with the download-once fallback of v1Sign). API v2: one file.
   * `profile`: the request's coordinate profile overrides.
   */
  async sign(
    body: SignRequest,
    plan: SignPlan,
    profile: ProfileOverrides | undefined,
    pdf: CheckedPdf,
    owner: string,
    progress?: SigningProgress,
  ): Promise<{ meta: StoredDocumentMeta; api: string; providerRef: string | undefined }> {
    const spool = this.#spool();
    try {
      return await this.#sign(body, plan, profile, pdf, owner, spool, progress);
    } finally {
      await spool.dispose();
    }
  }

  async #sign(
    body: SignRequest,
    plan: SignPlan,
    profile: ProfileOverrides | undefined,
    pdf: CheckedPdf,
    owner: string,
    spool: AnswerSpool,
    progress?: SigningProgress,
  ): Promise<{ meta: StoredDocumentMeta; api: string; providerRef: string | undefined }> {
    const { appearance, image } = plan;
    const text = opt({ reason: body.reason, location: body.location });
    let signed: Uint8Array | SpooledFile;
    let providerRef: string | undefined;
    let api: string;
    // tag_koordinat: the stamp's place comes from the text, so no box is converted.
    const atTag = body.tag !== undefined ? { tag: body.tag, width: body.tagSize!.width, height: body.tagSize!.height } : undefined;
    if (plan.service === 'cloud') {
      if (atTag) throw new HttpError('invalid-input', 'The BSrE cloud service places signatures by page and coordinates only.', 'tag');
      const cloud = this.ctx.providers.bsreCloud?.client;
      if (!cloud) throw notConfigured('BSrE cloud');
      if (body.nik === undefined) throw new HttpError('invalid-input', 'The BSrE cloud service signs by nik.', 'nik');
      if (body.passphrase === undefined) throw new HttpError('invalid-input', 'The BSrE cloud service needs the passphrase.', 'passphrase');
      // Signed already by an earlier try of this request (its Idempotency-Key recorded the id): fetched, not signed again.
      let idSigned = cloudCheckpoint(progress?.resumed);
      if (idSigned === undefined) {
        const place = { box: body.box!, pages: pdf.pages, ...(profile ? { profile } : {}) };
        ({ idSigned } = await cloud.signRequest({
          signer: body.nik,
          pdf: pdf.bytes,
          fileName: pdf.fileName,
          appearance:
            appearance === 'invisible'
              ? { visible: false }
              : appearance === 'qr'
                ? { visible: true, ...place, linkQR: body.linkQR! }
                : { visible: true, ...place, image: true },
          ...opt({ tujuan: body.addressee, perihal: body.subject, info: body.info, jenisDokumen: body.documentType, nomor: body.documentNumber }),
        }));
        await cloud.sign({ idSigned, passphrase: body.passphrase, ...opt({ approvedInfo: body.approvedInfo }) });
        // The cloud has signed: from here a retry must download, never sign again.
        await progress?.record({ bsreCloudIdSigned: idSigned } satisfies CloudCheckpoint);
      }
      signed = (await cloud.download({ idSigned })).pdf;
      providerRef = idSigned;
      api = 'cloud';
    } else {
      const b = this.esign();
      api = b.api;
      if (b.api === 'v1') {
        if (body.nik === undefined) throw new HttpError('invalid-input', 'BSrE API v1 signs by nik.', 'nik');
        if (body.passphrase === undefined) throw new HttpError('invalid-input', 'BSrE API v1 needs the passphrase.', 'passphrase');
        const place = { box: body.box!, pages: pdf.pages, ...(profile ? { profile } : {}) };
        const common = { pdf: pdf.bytes, nik: body.nik, passphrase: body.passphrase, fileName: pdf.fileName, ...text, ...opt({ text: body.text }) };
        let input: BsreV1SignInput;
        if (appearance === 'invisible') input = { mode: 'invisible', ...common };
        else if (atTag) input = { mode: 'tag', ...atTag, ...(appearance === 'image' ? { image: image! } : { linkQR: body.linkQR! }), ...common };
        else if (appearance === 'image') input = { mode: 'image', image: image!, ...place, ...common };
        else input = { mode: 'qr', linkQR: body.linkQR!, ...place, ...common };
        const out = await this.v1Sign(b.client, input, owner);
        signed = out.pdf;
        providerRef = out.documentId;
      } else {
        if ((body.passphrase === undefined) === (body.totp === undefined))
          throw new HttpError('invalid-input', 'Give exactly one of passphrase or totp.', 'passphrase');
        const credential: BsreCredential = body.passphrase !== undefined ? { passphrase: body.passphrase } : { totp: body.totp! };
        const stamp = appearance === 'qr' ? await qrImage(body.linkQR!) : image!;
        const tail = { ...text, ...opt({ pdfPassword: body.pdfPassword }) };
        let signature: BsreV2Signature;
        if (appearance === 'invisible') signature = { visible: false, ...tail };
        else if (atTag) signature = { visible: true, image: stamp, ...atTag, ...tail };
        else signature = { visible: true, image: stamp, box: body.box!, pages: pdf.pages, ...(profile ? { profile } : {}), ...tail };
        // An upload goes out from its spooled file: the upload and the signed PDF are never both in memory.
        // And the signed PDF comes back decoded into a file of the spool as it arrives, which the store takes over.
        const out = await b.client.signPdf({ signer: oneSigner(body), credential, files: [pdf.file ?? pdf.bytes], signatures: [signature] }, undefined, spool);
        signed = out.files[0]!;
      }
    }
    const meta = await this.#store(signed, { source: 'bsre', owner, fileName: signedName(pdf.fileName, 'signed'), ...opt({ providerRef }) });
    // BSrE signs while the request waits: the flow begins and ends here (document.signed, flows/records.ts).
    await this.ctx.flows.stored(bsreFlow(owner, providerRef ?? meta.id), meta);
    return { meta, api, providerRef };
  }

  /**
   * v1 Sign PDF answers the signed PDF as its body and names it in the `id_dokumen` header (seed 002 §5.2,
   * 001 §III.D.5). When the body arrives unusable (a proxy's page, a damaged PDF) but the header named the
   * document, the one download BSrE allows (seed 002 §5.3 "hanya bisa diunduh sebanyak satu kali") fetches
   * it — the flow that needs the download-once operation. The id is recorded for this user first, so that if
   * the download fails too, POST /bsre/downloads can still fetch it later; the error names it.
   */
  private async v1Sign(client: BsreEsignClient, input: BsreV1SignInput, owner: string) {
    try {
      return await client.v1SignPdf(input);
    } catch (err) {
      const documentId = err instanceof ProviderError && err.code === 'provider-bad-response' ? err.details?.documentId : undefined;
      if (typeof documentId !== 'string') throw err;
      await this.ctx.store.claimRef('bsre', documentId, owner);
      // Signed at BSrE, not stored yet: a flow that reconciliation finishes by the one download (downloadOnce).
      await this.ctx.flows.begin(bsreFlow(owner, documentId), [], 'signed');
      this.ctx.logger.warn({ provider: 'bsre', operation: 'bsre.v1.signPdf' }, 'the signing answer was unusable but named its document: downloading it once');
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
  }

  /**
   * BSrE v1 C.3: each signed document can be downloaded once. Whatever is fetched is stored at once, and a
   * second request for the same id (even a concurrent one, which waits for the first) is answered from the
   * store instead of a call BSrE would refuse. `stored`: the answer came from the store.
   */
  async downloadOnce(documentId: string, owner: string, finishedBy?: string): Promise<{ meta: StoredDocumentMeta; stored: boolean }> {
    const b = this.esign();
    if (b.api !== 'v1') throw new HttpError('invalid-input', 'Downloads by BSrE document id exist in API v1 only.', 'documentId');
    // One download per id on every instance: the next caller waits for the lock, then finds the document stored.
    return this.ctx.state.withLock(`bsre-v1-download:${documentId}`, async () => {
      const known = await this.ctx.store.byProviderRef('bsre', documentId, owner);
      if (known) {
        await this.ctx.flows.stored(bsreFlow(owner, documentId), known, finishedBy);
        return { meta: known, stored: true };
      }
      const { pdf } = await b.client.v1Download({ documentId });
      const meta = await this.ctx.store.put(pdf, { source: 'bsre', owner, fileName: 'bsre-signed.pdf', providerRef: documentId });
      await this.ctx.flows.stored(bsreFlow(owner, documentId), meta, finishedBy);
      return { meta, stored: false };
    });
  }

  /**
   * D.1 bulk: several PDFs, one signer and one credential (a TOTP requested with fileCount = the number of
   * files). `specs` holds one appearance for all files or exactly one per file, by position; each visible box
   * is converted by the adapter against its own file's pages. Every signed PDF is stored, in input order.
   */
  async signBulk(
    input: {
      signer: BsreSigner;
      passphrase?: string | undefined;
      totp?: string | undefined;
      specs: readonly BulkSignature[];
      image: Uint8Array | undefined;
      profile: ProfileOverrides | undefined;
    },
    client: BsreEsignClient,
    pdfs: readonly CheckedPdf[],
    owner: string,
  ): Promise<StoredDocumentMeta[]> {
    const { specs, image, profile } = input;
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
    const credential: BsreCredential = input.passphrase !== undefined ? { passphrase: input.passphrase } : { totp: input.totp! };
    const spool = this.#spool();
    try {
      const out = await client.signPdf({ signer: input.signer, credential, files: pdfs.map((p) => p.file ?? p.bytes), signatures }, undefined, spool);
      return await this.#storeEach('bsre.v2.signPdf', out.files, pdfs, owner, 'signed');
    } finally {
      await spool.dispose();
    }
  }

  /**
   * Where a v2 answer's signed PDFs are decoded while they arrive: the uploads folder (http/uploads.ts), on the
   * same filesystem as the filesystem store's documents, so that storing one is a rename.
   */
  #spool(): AnswerSpool {
    return new AnswerSpool(join(this.ctx.config.dataDir, 'uploads'));
  }

  /**
   * Stores the PDFs of a v2 answer, one per PDF sent and in its order (fewer or more is a bad answer), each
   * named after the file it signs, then records each one's flow as stored.
   */
  async #storeEach(
    operation: string,
    files: readonly (Uint8Array | SpooledFile)[],
    sent: readonly { fileName: string }[],
    owner: string,
    suffix: 'signed' | 'sealed',
  ): Promise<StoredDocumentMeta[]> {
    if (files.length !== sent.length) throw badResponse('bsre', operation, `file[] holds ${files.length} PDFs for the ${sent.length} sent`);
    const stored: StoredDocumentMeta[] = [];
    for (const [i, file] of files.entries()) stored.push(await this.#store(file, { source: 'bsre', owner, fileName: signedName(sent[i]!.fileName, suffix) }));
    for (const meta of stored) await this.ctx.flows.stored(bsreFlow(owner, meta.id), meta);
    return stored;
  }

  /** Stores a signed PDF: one decoded into a spool's file is taken over by the store (moved or read in chunks). */
  #store(signed: Uint8Array | SpooledFile, info: PutInfo): Promise<StoredDocumentMeta> {
    return signed instanceof SpooledFile ? this.ctx.store.putFile(signed, info) : this.ctx.store.put(signed, info);
  }

  /**
   * A signed PDF checked by BSrE (D.8 v2, C.4 v1 or the cloud's A.5), its answer read into the one verification
   * model (verification.ts). v1 and the cloud cannot open a password-protected PDF.
   */
  async verify(pdf: CheckedPdf, password: string | undefined): Promise<VerificationReport> {
    const b = this.ctx.providers.bsre;
    if (b?.api === 'v2') return fromBsreV2(await b.client.verify({ pdf: pdf.bytes, ...(password !== undefined ? { password } : {}) }));
    if (b) {
      if (password !== undefined) throw new HttpError('invalid-input', 'BSrE API v1 cannot verify password-protected PDFs.', 'password');
      return fromBsreLegacy(await b.client.v1Verify({ pdf: pdf.bytes, fileName: pdf.fileName }), 'v1');
    }
    const cloud = this.ctx.providers.bsreCloud;
    if (!cloud) throw notConfigured('BSrE');
    if (password !== undefined) throw new HttpError('invalid-input', 'The BSrE cloud service cannot verify password-protected PDFs.', 'password');
    return fromBsreLegacy(await cloud.client.verify({ pdf: pdf.bytes, fileName: pdf.fileName }), 'cloud');
  }

  /** D.3 revoke: the activation ends, and with it every seal OTP held for the subscriber. */
  async revokeSeal(idSubscriber: string, totp: string) {
    const ack = await this.v2().sealRevoke({ idSubscriber, totp });
    await this.ctx.state.delete(STATE.bsreSealOtp, idSubscriber);
    return ack;
  }

  /** D.4: the seal OTP, requested with the activation TOTP; one BSrE returns in its body is held for `owner`. */
  async requestSealTotp(owner: string, input: { idSubscriber: string; activationTotp: string; fileCount: number }) {
    const ack = await this.v2().requestSealTotp(input);
    const held = ack.totp !== undefined && /^\d{4,8}$/.test(ack.totp);
    const expires = ack.expires !== undefined ? Date.parse(ack.expires) : NaN;
    await this.#changeHeld(input.idSubscriber, (all, now) => {
      delete all[owner];
      if (held) all[owner] = { totp: ack.totp!, fileCount: input.fileCount, until: Math.min(now + SEAL_OTP_MS, Number.isFinite(expires) ? expires : Infinity) };
    });
    return { ack, held };
  }

  /**
   * D.5: the invisible seal (the only one documented, gap 26) of one or more PDFs, with `totp` or the OTP held
   * for `owner` (for that many files); every sealed PDF is stored, in input order.
   */
  async seal(
    owner: string,
    input: { idSubscriber: string; totp?: string | undefined; location?: string | undefined; reason?: string | undefined },
    client: BsreEsignClient,
    pdfs: readonly CheckedPdf[],
  ): Promise<StoredDocumentMeta[]> {
    let totp = input.totp;
    const held = totp === undefined ? (await this.ctx.state.get<HeldSealOtps>(STATE.bsreSealOtp, input.idSubscriber))?.[owner] : undefined;
    if (totp === undefined) {
      if (!held || held.until < Date.now()) {
        throw new HttpError('invalid-input', 'Give totp (the seal OTP), or request one first (POST /api/bsre/seals/totp).', 'totp');
      }
      if (held.fileCount !== pdfs.length)
        throw new HttpError('invalid-input', `The seal OTP was requested for ${held.fileCount} file(s); send that many.`, 'files');
      totp = held.totp;
    }
    const spool = this.#spool();
    try {
      const out = await client.sealPdf(
        { idSubscriber: input.idSubscriber, totp, files: pdfs.map((p) => p.file ?? p.bytes), ...opt({ location: input.location, reason: input.reason }) },
        undefined,
        spool,
      );
      // Used once: forgotten, unless another OTP was requested for this user meanwhile.
      if (held) await this.#changeHeld(input.idSubscriber, (all) => void (all[owner]?.totp === held.totp && delete all[owner]));
      return await this.#storeEach('bsre.v2.sealPdf', out.files, pdfs, owner, 'sealed');
    } finally {
      await spool.dispose();
    }
  }

  /** Changes the OTPs held for a subscriber in one atomic step (every instance), dropping expired ones. */
  #changeHeld(idSubscriber: string, change: (all: HeldSealOtps, now: number) => void): Promise<void> {
    return this.ctx.state.update<HeldSealOtps, void>(STATE.bsreSealOtp, idSubscriber, (current) => {
      const now = Date.now();
      const all = Object.fromEntries(Object.entries(current ?? {}).filter(([, h]) => h.until > now));
      change(all, now);
      return Object.keys(all).length ? { set: all, ttlMs: lifeOf(all, now), result: undefined } : { remove: true, result: undefined };
    });
  }
}
