// What the Peruri routes do, without HTTP (§ numbers: docs/providers/peruri.md): the document flows — single (send with signer boxes → orderId, OTP,
// sign, confirm), tier (§6: ordered signers, each signs with an OTP), bulk (§7: several orders, one OTP) and
// signing system (§8: HMAC session, no OTP) — where a signed document is confirmed (Check Document Status),
// downloaded and stored before any answer mentions it. Every secret Peruri hands back (OTP session tokens, the
// bulk token) and the Signing System key stay on the server, never in an answer: in the state store
// (store/state.ts: peruri-otp, peruri-batches, peruri-system-key), so that an OTP requested through one
// instance signs through another, and after a restart.
import { randomBytes } from 'node:crypto';
import type { NeutralBox, ProfileOverrides } from '@esign-kit/core';
import type { AppContext } from '../../http/context.js';
import { documentView } from '../../http/context.js';
import { HttpError, notConfigured } from '../../http/errors.js';
import { checkPdf, type CheckedPdf } from '../../http/pdf-input.js';
import { recordSignedTurn } from '../../http/guards.js';
import { opt } from '../../http/util.js';
import { noteIssuedSecret } from '../../log/secrets.js';
import type { Flow } from '../../flows/model.js';
import type { StoredDocumentMeta } from '../../store/documents.js';
import { STATE } from '../../store/state.js';
import { badResponse, ProviderError } from '../shared/errors.js';
import type { PeruriClient } from './client.js';
import { toPeruriSigners, type CertificateLevel, type PeruriPlacement } from './placement.js';

/** How long an OTP (single, tier or bulk) is kept after Get OTP: Peruri's session token is only good that long. */
const OTP_SESSION_MS = 10 * 60_000;

/** The placement fields a route takes (boxes or `visible: false`, certificate level, location, reason). */
export interface PlacementRequest {
  boxes?: NeutralBox[] | undefined;
  visible?: boolean | undefined;
  certificateLevel?: CertificateLevel | undefined;
  location?: string | undefined;
  reason?: string | undefined;
  profile?: ProfileOverrides | undefined;
}

/** One order's outcome after a signing: the stored document, or why it is not stored yet (with Peruri's words). */
export interface OrderOutcome {
  orderId: string;
  document: ReturnType<typeof documentView> | null;
  error?: { code: string; message: string; provider?: { code: string; message: string } };
}

/** `placement` as Peruri's signer list takes it: invisible, or boxes converted against `pages`; none without boxes. */
function placementOf(p: PlacementRequest, pages: () => Promise<CheckedPdf['pages']>): Promise<PeruriPlacement | undefined> | PeruriPlacement | undefined {
  const tail = opt({ certificateLevel: p.certificateLevel, location: p.location, reason: p.reason });
  if (p.visible === false) return { visible: false, ...tail };
  if (!p.boxes) return undefined;
  const boxes = p.boxes;
  return pages().then((pg) => ({ boxes, pages: pg, ...(p.profile ? { profile: p.profile } : {}), ...tail }));
}

/**
 * peruri-otp: (portal user, orderId) → the OTP session token of Get OTP. Keyed by user too, so that another
 * user's request cannot replace (and so lock out) the owner's session.
 */
const otpKey = (owner: string, orderId: string) => `${owner}\u0000${orderId}`;

/** peruri-batches, by orderIdBulk (§7.3/§7.4): the bulk token, with the user and orders it was requested for. */
interface Batch {
  token: string;
  user: string;
  orderIds: string[];
}

/** An order's flow (flows/records.ts): by orderId, for the portal user who sent it. */
const peruriFlow = (owner: string, orderId: string) => ({ kind: 'signing' as const, provider: 'peruri' as const, reference: orderId, user: owner });

export class PeruriService {
  constructor(private readonly ctx: AppContext) {}

  client(): PeruriClient {
    const p = this.ctx.providers.peruri;
    if (!p) throw notConfigured('Peruri');
    return p.client;
  }

  /**
   * §5.1 Send Document, with the placement (or none: it then comes with Signing); the order is the owner's.
   * `client`: this.client(), which the route asks for before it reads the upload (a 503 first).
   */
  async sendDocument(
    client: PeruriClient,
    owner: string,
    input: { email: string; fileName?: string | undefined; orderType?: 'SYSTEM' | undefined } & PlacementRequest,
    pdf: CheckedPdf,
  ): Promise<string> {
    const placement = await placementOf(input, async () => pdf.pages);
    const { orderId } = await client.sendDocument({
      email: input.email,
      fileName: input.fileName ?? pdf.fileName,
      pdf: pdf.bytes,
      ...(placement ? { placement } : {}),
      ...opt({ orderType: input.orderType }),
    });
    await this.ctx.store.claimRef('peruri', orderId, owner);
    await this.ctx.store.recordSigners('peruri', orderId, [input.email]);
    await this.ctx.flows.begin(peruriFlow(owner, orderId), [input.email]);
    return orderId;
  }

  /** §5.3 Get OTP: the code goes to the signer's phone, its session token stays here for `owner`. */
  async requestOtp(owner: string, orderId: string) {
    const out = await this.client().getOtp({ orderId });
    await this.ctx.state.put(STATE.peruriOtp, otpKey(owner, orderId), { token: out.token }, OTP_SESSION_MS);
    return out;
  }

  /** The OTP session of `owner`'s order (Get OTP first, at most 10 minutes ago); `hint` says how to get one. */
  async otpSession(owner: string, orderId: string, hint: string): Promise<{ token: string }> {
    const session = await this.ctx.state.get<{ token: string }>(STATE.peruriOtp, otpKey(owner, orderId));
    if (!session) throw new HttpError('invalid-input', `Request an OTP for this order first (${hint}); it is valid for 10 minutes.`, 'otpCode');
    return session;
  }

  /**
   * §5.4 Signing with the OTP, and the placement when Send Document had none (seed 003, Send Document: "Jika sudah
   * terisi saat … Send Document maka tidak perlu diisi pada saat … Signing (dan sebaliknya)"); boxes are converted
   * against the order's PDF as Peruri holds it (View Document). Once signed at Peruri, a failure to confirm or fetch
   * the PDF must not read as "not signed" (the portal would ask the person to sign again): the outcome says it is
   * signed and not stored yet, and the status route stores it later.
   */
  async sign(owner: string, orderId: string, input: { otpCode: string } & Omit<PlacementRequest, 'reason'>): Promise<OrderOutcome> {
    const session = await this.otpSession(owner, orderId, 'POST …/otp');
    const placement = await placementOf(input, () => this.pagesOf(owner, orderId));
    if (!placement && (input.certificateLevel !== undefined || input.location !== undefined || input.profile !== undefined)) {
      throw new HttpError('invalid-input', 'A placement at signing needs boxes (or visible: false).', 'boxes');
    }
    const client = this.client();
    await client.signing({ orderId, otpCode: input.otpCode, token: session.token, ...(placement ? { placement } : {}) });
    await this.ctx.state.delete(STATE.peruriOtp, otpKey(owner, orderId));
    // Signed at Peruri: if storing fails now, reconciliation fetches it (flows/reconcile.ts).
    await this.ctx.flows.begin(peruriFlow(owner, orderId), [], 'signed');
    const [stored] = await this.storeEach([orderId], owner);
    return stored!;
  }

  /** Signed only when Check Document Status answers "0" (then downloaded and stored); any other code is Peruri's failure. */
  status(owner: string, orderId: string): Promise<StoredDocumentMeta> {
    return storeSigned(this.ctx, this.client(), orderId, owner);
  }

  /** §5.2 View Document: whether the order has its placement, and the PDF as Peruri holds it (not stored). */
  async view(owner: string, orderId: string): Promise<{ coordinatesSet: boolean; pdf: Uint8Array; pages: number }> {
    const { pdf, coordinatesSet } = await this.client().viewDocument({ orderId });
    return { pdf, coordinatesSet, pages: (await this.#readOrderPdf(owner, pdf)).length };
  }

  /** The page geometry of an order's PDF as Peruri holds it (View Document, §5.2), for box conversion. */
  async pagesOf(owner: string, orderId: string): Promise<CheckedPdf['pages']> {
    const { pdf } = await this.client().viewDocument({ orderId });
    return this.#readOrderPdf(owner, pdf);
  }

  /** The pages of a PDF Peruri returned (View Document): read by the intake like any upload; unreadable is Peruri's fault. */
  async #readOrderPdf(owner: string, pdf: Uint8Array): Promise<CheckedPdf['pages']> {
    try {
      return (await checkPdf(this.ctx.intake.as(owner), pdf, 'base64Document')).pages;
    } catch (err) {
      throw badResponse('peruri', 'peruri.viewDocument', 'data.base64Document is not a readable PDF', err);
    }
  }

  /**
   * Confirms (Check Document Status), downloads and stores each signed order; one that cannot be confirmed or
   * fetched yet is named with its error (and Peruri's code and text), not a document.
   */
  async storeEach(ids: readonly string[], owner: string, confirmed = false): Promise<OrderOutcome[]> {
    const client = this.client();
    const out: OrderOutcome[] = [];
    for (const orderId of ids) {
      try {
        out.push({ orderId, document: documentView(await storeSigned(this.ctx, client, orderId, owner, confirmed)) });
      } catch (err) {
        if (!(err instanceof ProviderError)) throw err;
        const provider =
          err.providerCode !== undefined && err.provider === 'peruri' && err.code === 'provider-rejected'
            ? { provider: { code: err.providerCode, message: err.providerMessage ?? '' } }
            : {};
        out.push({
          orderId,
          document: null,
          error: { code: err.code, message: `${err.message} Poll GET /api/peruri/documents/${orderId}/status.`, ...provider },
        });
      }
    }
    return out;
  }

  /** §6 tier: one document, signers in signing order; Peruri e-mails each in turn. */
  async sendTier(
    client: PeruriClient,
    owner: string,
    input: { uploader: string; signers: string[]; fileName?: string | undefined },
    pdf: CheckedPdf,
  ): Promise<string> {
    const { orderId } = await client.sendDocumentTier({
      uploader: input.uploader,
      fileName: input.fileName ?? pdf.fileName,
      pdf: pdf.bytes,
      signers: input.signers,
    });
    await this.ctx.store.claimRef('peruri', orderId, owner);
    await this.ctx.store.recordSigners('peruri', orderId, input.signers);
    await this.ctx.flows.begin(peruriFlow(owner, orderId), input.signers);
    return orderId;
  }

  /**
   * §6.2 Signing Tier: this signer's boxes (converted against the order's PDF) and location, with the OTP. The
   * order is complete when Check Document Status answers "0"; any other answer is reported as Peruri gave it (seed
   * 003 defines no "pending" code), not read as "waiting".
   */
  async signTier(
    owner: string,
    orderId: string,
    input: { otpCode: string; boxes: NeutralBox[]; location: string; certificateLevel?: CertificateLevel | undefined; profile?: ProfileOverrides | undefined },
  ): Promise<
    { complete: false; statusCheck: { code: string; message: string; provider?: { code: string; message: string } } } | ({ complete: true } & OrderOutcome)
  > {
    const session = await this.otpSession(owner, orderId, 'POST /api/peruri/documents/{orderId}/otp');
    const client = this.client();
    const pages = await this.pagesOf(owner, orderId);
    await client.signingTier({
      orderId,
      otpCode: input.otpCode,
      token: session.token,
      placement: {
        boxes: input.boxes,
        pages,
        location: input.location,
        ...(input.profile ? { profile: input.profile } : {}),
        ...opt({ certificateLevel: input.certificateLevel }),
      },
    });
    await this.ctx.state.delete(STATE.peruriOtp, otpKey(owner, orderId));
    // The next signer's turn (http/guards.ts actsAsSignersOf); after the last, the order is signed at Peruri.
    if (await recordSignedTurn(this.ctx.store, this.ctx.state, 'peruri', orderId)) await this.ctx.flows.begin(peruriFlow(owner, orderId), [], 'signed');
    try {
      await client.checkDocumentStatus({ orderId });
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      return {
        complete: false,
        statusCheck: {
          code: err.code,
          message: err.message,
          ...(err.providerCode !== undefined ? { provider: { code: err.providerCode, message: err.providerMessage ?? '' } } : {}),
        },
      };
    }
    const [stored] = await this.storeEach([orderId], owner, true);
    return { complete: true, ...stored! };
  }

  /** §7.1 bulk upload: several PDFs for one signer, optionally with one placement for all of them. */
  async sendBulk(client: PeruriClient, owner: string, input: { email: string } & PlacementRequest, pdfs: readonly CheckedPdf[]): Promise<string[]> {
    const settings = this.ctx.providers.peruri!.settings;
    const tail = opt({ certificateLevel: input.certificateLevel, location: input.location, reason: input.reason });
    const profile = input.profile ? { profile: input.profile } : {};
    let placement: PeruriPlacement | undefined;
    if (input.visible === false) placement = { visible: false, ...tail };
    else if (input.boxes) {
      // Peruri applies one signer list to every file: the boxes must land the same on each file's pages.
      const each = pdfs.map((pdf) => JSON.stringify(toPeruriSigners({ boxes: input.boxes!, pages: pdf.pages, ...profile, ...tail }, settings, true, 'boxes')));
      if (each.some((x) => x !== each[0])) {
        throw new HttpError(
          'invalid-input',
          "These files differ in page geometry, so one set of boxes cannot fit them all; upload without boxes and set each order's placement.",
          'boxes',
        );
      }
      placement = { boxes: input.boxes, pages: pdfs[0]!.pages, ...profile, ...tail };
    }
    const out = await client.sendDocumentBulk({
      email: input.email,
      files: pdfs.map((pdf) => ({ fileName: pdf.fileName, pdf: pdf.bytes })),
      ...(placement ? { placement } : {}),
    });
    for (const orderId of out.orderIds) {
      await this.ctx.store.claimRef('peruri', orderId, owner);
      await this.ctx.store.recordSigners('peruri', orderId, [input.email]);
      await this.ctx.flows.begin(peruriFlow(owner, orderId), [input.email]);
    }
    return out.orderIds;
  }

  /** §7.2 Set Signature: the placement of an order uploaded without one (one box; geometry from View Document). */
  async place(owner: string, orderId: string, input: { box?: NeutralBox | undefined } & Omit<PlacementRequest, 'boxes'>) {
    const tail = opt({ certificateLevel: input.certificateLevel, location: input.location, reason: input.reason });
    if (input.visible !== false && !input.box) throw new HttpError('invalid-input', 'Give box {page,x,y,width,height}, or visible: false.', 'box');
    const client = this.client();
    const placement: PeruriPlacement =
      input.visible === false
        ? { visible: false, ...tail }
        : { boxes: [input.box!], pages: await this.pagesOf(owner, orderId), ...(input.profile ? { profile: input.profile } : {}), ...tail };
    return client.setSignature({ orderId, placement });
  }

  /** §7.3 Get OTP Bulk: one OTP for several ready orders; the bulk token stays here with the batch. */
  async requestBatch(owner: string, orderIds: string[]) {
    const out = await this.client().getOtpBulk({ orderIds });
    await this.ctx.state.put<Batch>(STATE.peruriBatches, out.orderIdBulk, { token: out.token, user: owner, orderIds }, OTP_SESSION_MS);
    return out;
  }

  /**
   * §7.4 Signing Bulk. Only the batch this user created is stored, under this user: an order Peruri's answer lists
   * beyond it (seed 003 Bulk §5 prints `data[]` in its example only) belongs to no one here and is never fetched.
   */
  async signBatch(owner: string, batchId: string, otpCode: string): Promise<OrderOutcome[]> {
    const batch = await this.ctx.state.get<Batch>(STATE.peruriBatches, batchId);
    if (!batch || batch.user !== owner) {
      throw new HttpError('invalid-input', 'Request the OTP for this batch first (POST /api/peruri/batches); it is valid for 10 minutes.', 'otpCode');
    }
    const out = await this.client().signingBulk({ orderIdBulk: batchId, otpCode, token: batch.token });
    await this.ctx.state.delete(STATE.peruriBatches, batchId);
    for (const orderId of batch.orderIds) await this.ctx.flows.begin(peruriFlow(owner, orderId), [], 'signed');
    const foreign = out.documents.filter((d) => !batch.orderIds.includes(d.orderId)).length;
    if (foreign)
      this.ctx.logger.warn({ provider: 'peruri', operation: 'peruri.signingBulk', foreign }, 'Signing Bulk listed orders outside the batch; not stored');
    return this.storeEach(batch.orderIds, owner);
  }

  /**
   * A signing in Peruri's web view, confirmed for `owner`: the order's PDF already stored, or Check Document
   * Status answering "0" and the signed PDF then stored; another code is "not confirmed yet" (peruriRefusal).
   */
  async confirmSigning(owner: string, orderId: string) {
    const client = this.client();
    let stored = await this.ctx.store.byProviderRef('peruri', orderId, owner);
    if (!stored) {
      const refusal = await peruriRefusal(client.checkDocumentStatus({ orderId }));
      if (refusal) return refusal;
      stored = await storeSigned(this.ctx, client, orderId, owner, true);
    }
    const document = documentView(stored);
    return { confirmed: true as const, result: { orderId, documentId: document.id, document } };
  }

  /** Peruri's activation page was handed out for `email`: the flow begins (reconciliation asks Check Certificate). */
  async activationStarted(owner: string, email: string): Promise<void> {
    await this.ctx.flows.activationStarted({ provider: 'peruri', reference: email, user: owner });
  }

  /** An activation in Peruri's web view, confirmed when Check Certificate answers "0" (for `owner`: its flow activated). */
  async confirmActivation(email: string, owner?: string) {
    const refusal = await peruriRefusal(this.client().checkCertificate({ email }));
    if (refusal) return refusal;
    if (owner !== undefined) await this.ctx.flows.activated({ provider: 'peruri', reference: email, user: owner });
    return { confirmed: true as const, result: { email, issued: true } };
  }

  /** The state key of the Signing System key: one per Peruri system id (one key is registered per system). */
  #systemKeyName(): string {
    return this.ctx.providers.peruri?.settings.systemId ?? '';
  }

  /** §8.1 Set Key: `key` (or one generated here) is registered for `minutes` and kept on the server only (peruri-system-key). */
  async setSystemKey(minutes: number, key: string | undefined) {
    const value = key ?? randomBytes(32).toString('base64url');
    const until = Date.now() + minutes * 60_000;
    // A secret of this server before it is sent: a refusal that echoes the request must not carry it out.
    noteIssuedSecret(this.ctx.config.secrets, value, { expiresAt: until, keep: true });
    const out = await this.client().setKey({ key: value, minutes });
    await this.ctx.state.put(STATE.peruriSystemKey, this.#systemKeyName(), { key: value }, minutes * 60_000);
    return { expiresAt: new Date(until), expiredDate: out.expiredDate };
  }

  /** §8.3 Signing System: orders sent with orderType SYSTEM, no OTP (the adapter's HMAC session over the ids). */
  async signSystem(owner: string, orderIds: string[]) {
    const systemKey = await this.ctx.state.get<{ key: string }>(STATE.peruriSystemKey, this.#systemKeyName());
    if (!systemKey) {
      throw new HttpError(
        'invalid-input',
        'Set the Signing System key first (POST /api/peruri/system/key); it has expired or was never set on this server.',
        'key',
      );
    }
    const out = await this.client().signingSystem({ orderIds, key: systemKey.key });
    for (const orderId of orderIds) await this.ctx.flows.begin(peruriFlow(owner, orderId), [], 'signed');
    return { resultDesc: out.resultDesc, documents: await this.storeEach(orderIds, owner) };
  }
}

/**
 * Peruri's definite "no" for a signing flow, for reconciliation (flows/reconcile.ts): the flow then ends
 * `failed`, with Peruri's words. Check Document Status answers "0" = Sukses, Selain "0" = Gagal (seed 003,
 * Output Parameter) and defines no pending code (docs/providers/peruri.md gap 3): before the signer signs, its
 * answer is not "0" either, so a refusal proves nothing about an order still waiting for its signer (it stays
 * waiting, then expires). It is definite for an order whose signing Peruri itself accepted — Signing, the last
 * Signing Tier, Signing Bulk or Signing System answered "0" to this server: the flow is `signed` — when asked
 * at least `settleMs` after that (a status may lag its signing by a moment; the signing request's own check
 * comes first): the signature was not affixed. Anything else — a timeout, an HTTP error, an unreadable answer,
 * Download Document — is no answer about the document.
 */
export function signingRefusal(err: unknown, flow: Flow, now: number, settleMs: number): { code: string; message: string } | undefined {
  if (!(err instanceof ProviderError) || err.provider !== 'peruri' || err.operation !== 'peruri.checkDocumentStatus') return undefined;
  if (err.code !== 'provider-rejected' || err.providerCode === undefined) return undefined;
  const signedAt = flow.history.find((h) => h.state === 'signed')?.at;
  if (flow.state !== 'signed' || signedAt === undefined || now - Date.parse(signedAt) < settleMs) return undefined;
  return {
    code: 'signing-failed',
    message: `Peruri accepted the signing, then Check Document Status answered resultCode ${err.providerCode} ("0" = Sukses, Selain "0" = Gagal): ${err.providerMessage ?? ''}`,
  };
}

/**
 * Peruri's checks answer "0" or fail (seed 003: "0" = Sukses, Selain "0" = Gagal; adapters throw on any other
 * code). Right after its page's callback the status may still lag by a moment, so a refusal here is "not
 * confirmed yet", with Peruri's code and text: the element asks a few times, then reports it. Anything else
 * (timeouts, unreadable answers) is an error as everywhere.
 */
async function peruriRefusal(check: Promise<unknown>): Promise<{ confirmed: false; resultCode: string; resultDesc: string } | undefined> {
  try {
    await check;
    return undefined;
  } catch (err) {
    if (err instanceof ProviderError && err.providerCode !== undefined)
      return { confirmed: false, resultCode: err.providerCode, resultDesc: err.providerMessage ?? '' };
    throw err;
  }
}

/**
 * The signed PDF of an order, stored for `owner` (once, however many callers ask at the same time, on any
 * instance: the lock `peruri-download:<owner>:<orderId>` makes the next caller wait, then find it stored — the
 * browser's confirmation and reconciliation (flows/reconcile.ts) both come here): the
 * seed's flow after Signing, Check Document Status then Download Document (seed 003, Mekanisme Digital Signature
 * §1). A non-"0" status throws Peruri's failure and nothing is downloaded. `confirmed`: the status was just checked.
 */
export function storeSigned(
  ctx: AppContext,
  client: PeruriClient,
  orderId: string,
  owner: string,
  confirmed = false,
  finishedBy?: string,
): Promise<StoredDocumentMeta> {
  return ctx.state.withLock(`peruri-download:${owner}:${orderId}`, async () => {
    const meta = await fetchAndStore(ctx, client, orderId, owner, confirmed);
    // Stored, then told (flows/records.ts): the flow's document.signed, once whichever path got here first.
    await ctx.flows.stored(peruriFlow(owner, orderId), meta, finishedBy);
    return meta;
  });
}

async function fetchAndStore(ctx: AppContext, client: PeruriClient, orderId: string, owner: string, confirmed: boolean): Promise<StoredDocumentMeta> {
  const known = await ctx.store.byProviderRef('peruri', orderId, owner);
  if (known) return known;
  if (!confirmed) await client.checkDocumentStatus({ orderId });
  const { pdf } = await client.downloadDocument({ orderId });
  if (!(pdf[0] === 0x25 && pdf[1] === 0x50 && pdf[2] === 0x44 && pdf[3] === 0x46)) {
    throw badResponse('peruri', 'peruri.downloadDocument', 'data.base64Document is not a PDF');
  }
  return ctx.store.put(pdf, { source: 'peruri', owner, fileName: `peruri-${orderId}.pdf`, providerRef: orderId });
}
