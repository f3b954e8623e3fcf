// A flow: one signing or activation this server started with a provider, from the portal user's request to
// its outcome. Pure shapes and transitions; flows/records.ts keeps them in the state store.
//
//   signing:    started → awaiting-signer → signed → stored      (or failed / expired)
//   activation: started → awaiting-signer → activated            (or failed / expired)
//
// "signed" is what the provider says; "stored" is the signed PDF in the document store. Nobody is told of a
// signed document (an answer, a webhook) before it is stored.
import { createHash } from 'node:crypto';

export type FlowKind = 'signing' | 'activation';
export type FlowProvider = 'peruri' | 'digisign' | 'bsre';
export type FlowState = 'started' | 'awaiting-signer' | 'signed' | 'stored' | 'activated' | 'failed' | 'expired';

/** How long a flow (and its webhook events) is kept after it ended: then the store's sweep removes it. */
export const RETENTION_MS = 90 * 24 * 3_600_000;

/** The states a flow ends in: reconciliation leaves such a flow alone. */
export const FINAL_STATES: readonly FlowState[] = ['stored', 'activated', 'failed', 'expired'];
/** The states reconciliation asks the provider about. */
export const WAITING_STATES: readonly FlowState[] = ['started', 'awaiting-signer', 'signed'];

export interface FlowReconciliation {
  /** How many times a worker asked the provider. */
  attempts: number;
  /** When a worker may ask next (epoch ms). */
  nextAt: number;
  lastError?: { code: string; message: string };
  /** The worker acting on the flow now, until `until` (epoch ms): one at a time across instances. */
  lease?: { holder: string; until: number };
  /** Which worker finished the flow, when one did (not the browser). */
  finishedBy?: string;
}

export interface Flow {
  id: string;
  kind: FlowKind;
  provider: FlowProvider;
  /** The provider's reference: Peruri's orderId, Digisign's document_id, BSrE's id; the e-mail for an activation. */
  reference: string;
  /** The portal user who started it (the token's subject): the only one who sees it. */
  user: string;
  signers: string[];
  state: FlowState;
  /** The stored signed document (state stored). */
  documentId?: string;
  error?: { code: string; message: string };
  createdAt: string;
  updatedAt: string;
  /** Every state the flow passed, with its time. */
  history: { state: FlowState; at: string }[];
  /** The webhook events raised for this flow (webhooks/outbox.ts), for GET /api/webhooks/events/:id. */
  events: { id: string; type: string }[];
  reconcile: FlowReconciliation;
}

/** The flow of (kind, provider, reference, user): the same id however often a service records it. */
export function flowIdOf(kind: FlowKind, provider: FlowProvider, reference: string, user: string): string {
  return `flw_${createHash('sha256').update([kind, provider, reference, user].join('\u0000')).digest('hex').slice(0, 32)}`;
}

/** `flow` moved to `state` at `now`; unchanged when it is already there or the move would go backwards. */
export function advance(flow: Flow, state: FlowState, now: Date, extra: Partial<Pick<Flow, 'documentId' | 'error'>> = {}): Flow {
  if (flow.state === state || FINAL_STATES.includes(flow.state)) return flow;
  const order: FlowState[] = ['started', 'awaiting-signer', 'signed', 'stored'];
  if (order.includes(state) && order.indexOf(state) < order.indexOf(flow.state)) return flow;
  const at = now.toISOString();
  return { ...flow, ...extra, state, updatedAt: at, history: [...flow.history, { state, at }] };
}

/** What GET /api/flows answers: the flow without the workers' bookkeeping. */
export function flowView(flow: Flow) {
  const { reconcile, ...rest } = flow;
  return {
    ...rest,
    reconciliation: {
      attempts: reconcile.attempts,
      ...(WAITING_STATES.includes(flow.state) ? { nextCheckAt: new Date(reconcile.nextAt).toISOString() } : {}),
      ...(reconcile.lastError ? { lastError: reconcile.lastError } : {}),
      ...(reconcile.finishedBy ? { finishedBy: reconcile.finishedBy } : {}),
    },
  };
}
