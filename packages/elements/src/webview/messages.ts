// What a message posted to the page means for a web view, decided without touching the element: whether it is
// from the origin that may speak for the provider, whether it parses, and for Digisign's landing page whether
// it is this flow's, this signer's and this channel's. Then what the element asks the companion server: to open
// the flow, and to confirm its outcome.
import { isRejection, parseLandingMessage, parsePeruriMessage, type BridgeEvent, type ChannelGuard, type Flow, type Provider } from '@esign-kit/bridge';
import { ServerError, type ServerClient } from '../internal/server-client.js';

/** How often and how long the server is asked whether a Peruri order is signed after the page said so. */
const CONFIRM_ATTEMPTS = 5;
const CONFIRM_DELAY_MS = 800;

/** What the element knows when a message arrives. */
export interface MessageContext {
  provider: Provider;
  flow: Flow;
  /** The web view's origin (Peruri's pages post from it). */
  webViewOrigin: string;
  /** The companion server's origin (Digisign's landing page posts from it). */
  serverOrigin: string;
  /** The signer the flow was opened for (Digisign), lower-cased or not. */
  email: string;
  guard: ChannelGuard;
}

export type MessageOutcome =
  /** Not for this element (`reason` goes to `esign-debug`). */
  | { kind: 'ignore'; reason: string }
  /** The landing page reports the provider's failure. */
  | { kind: 'fail'; code: string; message: string; providerCode?: string | undefined }
  | { kind: 'event'; event: BridgeEvent };

/** Reads a message from the element's iframe (the caller has checked the source, and that the flow is open). */
export function readMessage(origin: string, data: unknown, c: MessageContext): MessageOutcome {
  if (c.provider === 'peruri') {
    // Peruri's pages post from the web-view origin the server announced.
    if (origin !== c.webViewOrigin) return { kind: 'ignore', reason: 'foreign-origin' };
    const parsed = parsePeruriMessage(data, c.flow);
    return isRejection(parsed) ? { kind: 'ignore', reason: parsed.reason } : { kind: 'event', event: parsed };
  }
  // Digisign's pages never post: they redirect to our server's landing page, which decrypts the result and
  // posts a bridge landing message carrying this element's channel.
  if (origin !== c.serverOrigin) return { kind: 'ignore', reason: 'foreign-origin' };
  const m = parseLandingMessage(data);
  if (isRejection(m)) return { kind: 'ignore', reason: m.reason };
  if (m.provider !== c.provider || m.flow !== c.flow) return { kind: 'ignore', reason: 'wrong-flow' };
  // Another signer's outcome (a landing URL replayed into this frame) is not this element's: ignored, before it
  // can use up this channel. The server refuses to confirm it anyway.
  const named = String(m.result?.email ?? '');
  if (m.ok && m.channel === c.guard.current && named && c.email && named.toLowerCase() !== c.email.toLowerCase())
    return { kind: 'ignore', reason: 'wrong-signer' };
  const accepted = c.guard.accept(m);
  if (isRejection(accepted)) return { kind: 'ignore', reason: accepted.reason };
  if (!m.ok && m.error) return { kind: 'fail', code: m.error.code, message: m.error.message, providerCode: m.providerCode };
  return { kind: 'event', event: accepted };
}

/** What a flow is about: the element's attributes. */
export interface FlowTarget {
  provider: Provider;
  flow: Flow;
  orderId: string;
  documentId: string;
  email: string;
  viewOnly: boolean;
}

/** The attribute a flow cannot start without, or null. */
export function missingAttribute(t: FlowTarget): string | null {
  if (t.provider === 'peruri' && t.flow === 'sign') return t.orderId ? null : 'order-id';
  if (t.provider === 'digisign' && t.flow === 'sign' && !t.documentId) return 'document-id';
  return t.email ? null : 'email';
}

/** POST /api/webviews: the web view to open. */
export function webviewRequest(t: FlowTarget): Record<string, unknown> {
  const body: Record<string, unknown> = { provider: t.provider, flow: t.flow === 'sign' ? 'signing' : 'activation' };
  if (t.provider === 'peruri' && t.flow === 'sign') body.orderId = t.orderId;
  else if (t.provider === 'digisign' && t.flow === 'sign')
    Object.assign(body, { email: t.email, digisignDocumentId: t.documentId, ...(t.viewOnly ? { viewOnly: true } : {}) });
  else body.email = t.email;
  return body;
}

/**
 * POST /api/webviews/confirmations: what the server is asked to confirm — Peruri: the order's status and
 * signer, or the certificate; Digisign: a redirect it decrypted naming this very signer (and document).
 */
export function confirmationRequest(t: FlowTarget): Record<string, unknown> {
  if (t.provider === 'peruri') {
    return t.flow === 'sign'
      ? { provider: 'peruri', flow: 'signing', orderId: t.orderId, ...(t.email ? { email: t.email } : {}) }
      : { provider: 'peruri', flow: 'activation', email: t.email };
  }
  return t.flow === 'sign'
    ? { provider: 'digisign', flow: 'signing', digisignDocumentId: t.documentId, email: t.email }
    : { provider: 'digisign', flow: 'activation', email: t.email };
}

/**
 * Asks the server to confirm the outcome the page reported (POST /api/webviews/confirmations): Peruri's status
 * follows its page by a moment, so it is asked a few times; Digisign's landing page carries what the server
 * decrypted, but AES-ECB has no integrity, so the server checks its own record of the redirect and, for
 * signing, downloads and stores the document. Resolves with what the server confirmed, or null (rejects with
 * `not-confirmed` for a callback about another document).
 */
export async function confirmOutcome(
  server: ServerClient,
  t: FlowTarget,
  event: BridgeEvent,
  run: { signal: AbortSignal; stale: () => boolean },
): Promise<Record<string, unknown> | null> {
  const body = confirmationRequest(t);
  const confirm = async () => {
    const c = await server.request<{ confirmed?: boolean; result?: Record<string, unknown> } | null>('POST', 'api/webviews/confirmations', {
      body,
      signal: run.signal,
    });
    return c?.confirmed && c.result ? c.result : null;
  };
  if (t.provider === 'peruri') {
    for (let i = 0; i < CONFIRM_ATTEMPTS; i++) {
      if (i) await new Promise((r) => setTimeout(r, CONFIRM_DELAY_MS));
      if (run.stale()) return null;
      const result = await confirm();
      if (result) return result;
    }
    return null;
  }
  if (t.flow === 'sign' && String(event.result?.documentId ?? '') !== t.documentId)
    throw new ServerError('not-confirmed', 'The callback names another document.');
  return confirm();
}
