// What the Digisign routes do, without HTTP (§ and gap numbers: docs/providers/digisign.md): send a document with its signers, boxes and e-meterai; download the
// signed PDF into the store; hand out a web-view link the server has checked; and confirm a finished web-view
// flow from the redirect this server decrypted (store/landings.ts). Every signed PDF is stored before an
// answer names it.
import { randomBytes } from 'node:crypto';
import type { NeutralBox, ProfileOverrides } from '@esign-kit/core';
import type { AppContext } from '../../http/context.js';
import { documentView } from '../../http/context.js';
import { HttpError, notConfigured } from '../../http/errors.js';
import type { CheckedPdf } from '../../http/pdf-input.js';
import { opt } from '../../http/util.js';
import type { StoredDocumentMeta } from '../../store/documents.js';
import { badResponse } from '../shared/errors.js';
import type { DigisignSendDocumentInput } from './requests.js';
import { flowIdOf } from '../../flows/model.js';
import type { PdfIntake } from '../../pdf/intake-pool.js';
import { STATE } from '../../store/state.js';
import { completion, type DigisignOrder, type SignatureSeen } from './completion.js';

/** One download and store at a time per document and portal user, browser path or reconciliation. */
const downloadLock = (owner: string, id: string) => `digisign-download:${owner}:${id}`;
const flowRef = (owner: string, id: string) => ({ kind: 'signing' as const, provider: 'digisign' as const, reference: id, user: owner });

/** digisign-orders: what was ordered, by portal user and document_id, kept while its flow may still finish. */
const orderKey = (owner: string, id: string) => `${owner}\u0000${id}`;
const ORDER_KEEP_MS = 91 * 24 * 3_600_000;

/**
 * The signatures a PDF carries (its signature fields with a value), read by @esign-kit/verify in a PDF intake
 * worker, within its work budget, deadline and heap (server/src/pdf/intake-pool.ts): a hostile file from the
 * provider cannot hold the server. A file too complex to read shows none: the flow stays waiting.
 */
async function signaturesOf(intake: PdfIntake, pdf: Uint8Array): Promise<SignatureSeen[]> {
  const result = await intake.inspect(pdf, { trustedRoots: [] });
  if (!result.ok) return [];
  return result.report.signatures.map((s) => {
    const subject = s.signer?.subject;
    return {
      kind: s.kind,
      integrity: s.integrity,
      ...opt({ signedLength: s.signedLength, email: subject?.attributes.emailAddress, commonName: subject?.commonName }),
    };
  });
}

/** What a send request asks for, as the route validated it (routes.ts `sendSchema`). */
export interface SendRequest {
  digisignDocumentId?: string | undefined;
  signers: { name: string; email: string; user?: string | undefined; visible?: boolean | undefined; box?: number | undefined }[];
  boxes: NeutralBox[];
  viewers?: { name: string; email: string }[] | undefined;
  sequential?: boolean | undefined;
  payment?: '2' | '3' | undefined;
  branch?: string | undefined;
  meterai?: DigisignSendDocumentInput['meterai'] | undefined;
  fileName?: string | undefined;
}

export class DigisignService {
  constructor(private readonly ctx: AppContext) {}

  /** Digisign, configured: its client, settings and web-view origin. */
  provider(): NonNullable<AppContext['providers']['digisign']> {
    const d = this.ctx.providers.digisign;
    if (!d) throw notConfigured('Digisign');
    return d;
  }

  /**
   * §5 Send Document under `document_id` (ours when the portal gives none: `ek` + 18 hex characters, within
   * Digisign's 20), with every signer's box and the e-meterai boxes converted against the PDF's pages.
   */
  async sendDocument(owner: string, body: SendRequest, pdf: CheckedPdf, profile: ProfileOverrides | undefined) {
    const digisignDocumentId = body.digisignDocumentId ?? `ek${randomBytes(9).toString('hex')}`;
    const out = await this.provider().client.sendDocument({
      documentId: digisignDocumentId,
      pdf: pdf.bytes,
      fileName: body.fileName ?? pdf.fileName,
      signers: body.signers.map((s) => ({ name: s.name, email: s.email, ...opt({ user: s.user, visible: s.visible, box: s.box }) })),
      placement: { boxes: body.boxes, pages: pdf.pages, ...(profile ? { profile } : {}) },
      ...opt({ viewers: body.viewers, sequential: body.sequential, payment: body.payment, branch: body.branch, meterai: body.meterai }),
    });
    await this.ctx.store.claimRef('digisign', digisignDocumentId, owner);
    const order: DigisignOrder = {
      signers: body.signers.map((s) => ({ email: s.email, name: s.name })),
      meterai: body.meterai?.boxes.length ?? 0,
      sentBytes: pdf.bytes.byteLength,
    };
    await this.ctx.state.put(STATE.digisignOrders, orderKey(owner, digisignDocumentId), order, ORDER_KEEP_MS);
    await this.ctx.flows.begin(
      { kind: 'signing', provider: 'digisign', reference: digisignDocumentId, user: owner },
      body.signers.map((s) => s.email),
    );
    return { digisignDocumentId, refTrx: out.refTrx, notif: out.notif };
  }

  /**
   * The signed PDF as Digisign has it now, stored (each call stores the current state). §8.2 (DWMITRA64) answers
   * with a result code where §8.1 signals errors by HTTP status only (gap 15).
   */
  async download(owner: string, id: string, format: 'pdf' | 'base64' | undefined): Promise<StoredDocumentMeta> {
    const client = this.provider().client;
    const { pdf } = format === 'base64' ? await client.downloadBase64({ documentId: id }) : await client.downloadPdf({ documentId: id });
    return this.ctx.store.put(pdf, { source: 'digisign', owner, fileName: `digisign-${id}.pdf`, providerRef: id });
  }

  /**
   * A web-view link (§3 activation, §6 sign page) checked before a portal frames it: its origin must be the
   * configured web-view origin (portals trust messages from it, not whatever a link says), and the page is loaded
   * once here, since Digisign's 401/403/404/408 (seed 004 HTML Response Code) would show inside the portal's
   * iframe, where no one can read them.
   */
  async webViewLink(flow: 'activation' | 'signing', link: () => Promise<{ link: string }>): Promise<string> {
    const d = this.provider();
    const url = (await link()).link;
    const origin = new URL(url).origin;
    if (origin !== d.webViewOrigin) throw badResponse('digisign', `digisign.${flow}Link`, `the link's origin ${origin} is not the configured web-view origin`);
    await d.client.checkWebView(url);
    return url;
  }

  /**
   * A signing this server heard of (a decrypted redirect naming this signer and document), confirmed by the signed
   * PDF, downloaded and stored: AES-ECB has no integrity check, the PDF is the proof that the document moved.
   * Under the lock reconciliation takes too (settle): once the flow is stored, by either path, the stored
   * document is the answer and nothing is downloaded or stored again.
   */
  async confirmSigning(owner: string, email: string, id: string) {
    const client = this.provider().client;
    const landed = await this.ctx.landings.find('signing', email, id);
    if (!landed) throw new HttpError('not-confirmed', `Digisign reported no signing of this document by ${email} to this server.`, 'email');
    const meta = await this.ctx.state.withLock(downloadLock(owner, id), async () => {
      const done = await this.#storedFlow(owner, id);
      if (done) return done;
      const { pdf } = await client.downloadPdf({ documentId: id });
      const stored = await this.ctx.store.put(pdf, { source: 'digisign', owner, fileName: `digisign-${id}.pdf`, providerRef: id });
      // status_document "complete": every signer has signed (docs/providers/digisign.md §7); "waiting" is a step.
      if (landed.completed === true) await this.ctx.flows.stored(flowRef(owner, id), stored);
      return stored;
    });
    const document = documentView(meta);
    return {
      digisignDocumentId: id,
      documentId: document.id,
      document,
      email: landed.email,
      completed: landed.completed === true,
      status: landed.status ?? '',
    };
  }

  /**
   * Reconciliation (flows/reconcile.ts): the document as Digisign has it now, stored and its flow finished when it
   * is complete (completion.ts: each signer's signature, the e-meterai stamps ordered, and no "waiting" from
   * Digisign since; its redirect may never have reached this server). Under the browser path's lock. Returns
   * whether the flow is stored; what is missing otherwise. `signers`: the flow's, for an order sent before its
   * record was kept (each e-mail's signature, names and e-meterai unknown).
   */
  async settle(owner: string, id: string, signers: readonly string[], finishedBy: string): Promise<{ stored: true } | { stored: false; missing: string[] }> {
    const client = this.provider().client;
    return this.ctx.state.withLock(downloadLock(owner, id), async () => {
      if (await this.#storedFlow(owner, id)) return { stored: true as const };
      const order = (await this.ctx.state.get<DigisignOrder>(STATE.digisignOrders, orderKey(owner, id))) ?? {
        signers: signers.map((email) => ({ email, name: '' })),
        meterai: 0,
        sentBytes: 0,
      };
      const { pdf } = await client.downloadPdf({ documentId: id });
      const landings = [];
      for (const signer of new Set(order.signers.map((s) => s.email))) {
        const landed = await this.ctx.landings.find('signing', signer, id);
        if (landed) landings.push({ email: landed.email, completed: landed.completed === true, at: landed.at });
      }
      const done = completion(order, await signaturesOf(this.ctx.intake.as(owner), pdf), landings);
      if (!done.complete) return { stored: false as const, missing: done.missing };
      const stored = await this.ctx.store.put(pdf, { source: 'digisign', owner, fileName: `digisign-${id}.pdf`, providerRef: id });
      await this.ctx.flows.stored(flowRef(owner, id), stored, finishedBy);
      return { stored: true as const };
    });
  }

  /** The stored document of the flow, once the flow is stored (by the browser path or reconciliation). */
  async #storedFlow(owner: string, id: string): Promise<StoredDocumentMeta | undefined> {
    const ref = flowRef(owner, id);
    const flow = await this.ctx.flows.get(flowIdOf(ref.kind, ref.provider, ref.reference, ref.user));
    if (flow?.state !== 'stored') return undefined;
    return this.ctx.store.byProviderRef('digisign', id, owner);
  }

  /** Digisign's activation page was handed out for `email`: the flow begins (its redirect finishes it). */
  async activationStarted(owner: string, email: string): Promise<void> {
    await this.ctx.flows.activationStarted({ provider: 'digisign', reference: email, user: owner });
  }

  /** An activation this server heard of (a decrypted redirect naming this e-mail); for `owner`: its flow activated. */
  async confirmActivation(email: string, owner?: string) {
    this.provider();
    const landed = await this.ctx.landings.find('activation', email);
    if (!landed) throw new HttpError('not-confirmed', `Digisign reported no activation of ${email} to this server.`, 'email');
    if (owner !== undefined) await this.ctx.flows.activated({ provider: 'digisign', reference: email, user: owner });
    return { email, providerCode: landed.result };
  }
}
