// The flow records (model.ts) in the state store (store/state.ts: flows, flow-index), and the events their
// outcomes raise (webhooks/outbox.ts). The services call this at the points they already pass: a document sent
// (awaiting the signer), a signed document stored, an activation confirmed; reconciliation (reconcile.ts) calls
// it for what it finds. Every call is idempotent (a flow's id is a hash of what it is, an event's of its flow
// and type), so the browser path and reconciliation may both record the same outcome: one flow, one event.
//
// Order of writes, so that nobody is told before it is true: the document stored (by the caller) → the event
// written to the outbox → the flow's state. A crash in between leaves a flow still waiting, which
// reconciliation finishes, finding the document stored and the event already there.
import type { StoredDocumentMeta } from '../store/document-model.js';
import { STATE, type StateStore } from '../store/state.js';
import type { EventData, WebhookEventType, WebhookOutbox } from '../webhooks/outbox.js';
import { normaliseEmail } from '../auth/identity.js';
import { advance, FINAL_STATES, flowIdOf, RETENTION_MS, WAITING_STATES, type Flow, type FlowKind, type FlowProvider, type FlowState } from './model.js';

/** flow-index `waiting`: the flows reconciliation asks about, with when each is next due (epoch ms). */
const WAITING = 'waiting';
type WaitingIndex = Record<string, number>;
/** flow-index `owner:<user>`: that user's flow ids, oldest first, the newest MAX_PER_OWNER. */
const MAX_PER_OWNER = 1000;
const ownerKey = (user: string) => `owner:${user}`;

export interface FlowRef {
  kind: FlowKind;
  provider: FlowProvider;
  reference: string;
  user: string;
}

export class FlowRecords {
  /** Called after an event is written (the dispatcher sends it at once). */
  onEvent: (() => void) | undefined;

  constructor(
    private readonly state: StateStore,
    readonly outbox: WebhookOutbox,
    private readonly now: () => number = Date.now,
  ) {}

  get(id: string): Promise<Flow | undefined> {
    return this.state.get<Flow>(STATE.flows, id);
  }

  /** The user's flows, newest first. */
  async ofUser(user: string): Promise<Flow[]> {
    const ids = (await this.state.get<string[]>(STATE.flowIndex, ownerKey(user))) ?? [];
    const flows = await Promise.all([...ids].reverse().map((id) => this.get(id)));
    return flows.filter((f): f is Flow => f !== undefined && f.user === user);
  }

  /** A flow begun (or, if it exists, left as it is but moved on to `state`): the document sent, a link handed out. */
  async begin(ref: FlowRef, signers: readonly string[], state: FlowState = 'awaiting-signer'): Promise<Flow> {
    const id = flowIdOf(ref.kind, ref.provider, ref.reference, ref.user);
    const now = new Date(this.now());
    const { flow, created } = await this.state.update<Flow, { flow: Flow; created: boolean }>(STATE.flows, id, (current) => {
      if (current) {
        const next = advance(current, state, now);
        return next === current ? { keep: true, result: { flow: current, created: false } } : { set: next, result: { flow: next, created: false } };
      }
      const at = now.toISOString();
      const started: Flow = {
        id,
        ...ref,
        signers: [...signers],
        state: 'started',
        createdAt: at,
        updatedAt: at,
        history: [{ state: 'started', at }],
        events: [],
        reconcile: { attempts: 0, nextAt: now.getTime() },
      };
      const next = advance(started, state, now);
      return { set: next, result: { flow: next, created: true } };
    });
    if (created) await this.#index(ref.user, id);
    if (WAITING_STATES.includes(flow.state)) await this.schedule(id, flow.reconcile.nextAt);
    return flow;
  }

  /** The signed document stored for the flow: `document.signed` written, then the flow `stored`. */
  async stored(ref: FlowRef, document: StoredDocumentMeta, finishedBy?: string): Promise<Flow> {
    const done = await this.#storedAtOnce(ref, document, finishedBy);
    if (done) return done;
    const flow = await this.begin(ref, [], 'signed');
    return this.finish(flow, 'stored', 'document.signed', { documentId: document.id }, finishedBy);
  }

  /**
   * A flow that begins and ends in one request (BSrE signs while the request waits): its event, then its record
   * written once, already `stored` (history started → signed → stored), and the owner's index. Nothing to
   * reconcile, so the `waiting` index is not touched: two writes where begin + finish make four, two of them to
   * the one key every request shares. Undefined when the flow exists (begun when a document was sent, or by
   * another path meanwhile): stored() then moves it on as usual. The order of writes is the same as finish's
   * (the caller stored the document; the event; the flow), and a crash before the flow's record leaves what a
   * crash between the document and begin() always left: the document stored, no flow, the request unanswered.
   */
  async #storedAtOnce(ref: FlowRef, document: StoredDocumentMeta, finishedBy: string | undefined): Promise<Flow | undefined> {
    const id = flowIdOf(ref.kind, ref.provider, ref.reference, ref.user);
    // The event comes first, so an existing flow must be seen before it is written: a flow that ended otherwise
    // (failed, expired) raises no document.signed. Without webhooks there is no event, and the update below sees it.
    if (this.outbox.enabled && (await this.get(id))) return undefined;
    const eventId = await this.#finishEvent({ id, ...ref }, 'document.signed', { documentId: document.id });
    const at = new Date(this.now()).toISOString();
    const flow: Flow = {
      id,
      ...ref,
      signers: [],
      state: 'stored',
      documentId: document.id,
      createdAt: at,
      updatedAt: at,
      history: (['started', 'signed', 'stored'] as const).map((state) => ({ state, at })),
      events: eventId ? [{ id: eventId, type: 'document.signed' }] : [],
      reconcile: { attempts: 0, nextAt: Date.parse(at), ...(finishedBy ? { finishedBy } : {}) },
    };
    const created = await this.state.update<Flow, boolean>(STATE.flows, id, (current) =>
      current ? { keep: true, result: false } : { set: flow, ttlMs: RETENTION_MS, result: true },
    );
    // Begun by another path between the read and this write: it finishes the flow (the event is the same one).
    if (!created) return undefined;
    await this.#index(ref.user, id);
    if (eventId) this.onEvent?.();
    return flow;
  }

  /** Adds the flow to its owner's index (the newest MAX_PER_OWNER). */
  async #index(user: string, id: string): Promise<void> {
    await this.state.update<string[], void>(STATE.flowIndex, ownerKey(user), (ids) => ({
      set: [...(ids ?? []).filter((x) => x !== id), id].slice(-MAX_PER_OWNER),
      result: undefined,
    }));
  }

  /** The provider refused the flow for good: `document.failed`, then the flow `failed`. */
  async failed(ref: FlowRef, error: { code: string; message: string }, finishedBy?: string): Promise<Flow> {
    const flow = await this.begin(ref, [], 'awaiting-signer');
    return this.finish(flow, 'failed', 'document.failed', { error }, finishedBy);
  }

  /** Nothing happened within FLOW_EXPIRY_HOURS: `flow.expired`, then the flow `expired`. */
  async expired(flow: Flow, finishedBy?: string): Promise<Flow> {
    return this.finish(flow, 'expired', 'flow.expired', {}, finishedBy);
  }

  /** An activation page handed out for the e-mail `ref.reference`: reconciliation asks whether it finished. */
  activationStarted(ref: Omit<FlowRef, 'kind'>): Promise<Flow> {
    const email = normaliseEmail(ref.reference);
    return this.begin({ ...ref, reference: email, kind: 'activation' }, [email], 'awaiting-signer');
  }

  /** An activation confirmed: `signer.activated`, then the flow `activated`. */
  async activated(ref: Omit<FlowRef, 'kind'>, finishedBy?: string): Promise<Flow> {
    const flow = await this.activationStarted(ref);
    return this.finish(flow, 'activated', 'signer.activated', { email: flow.reference }, finishedBy);
  }

  async #finishEvent(
    flow: Pick<Flow, 'id' | 'user' | 'provider' | 'kind' | 'reference'>,
    type: WebhookEventType,
    extra: Record<string, unknown>,
  ): Promise<string | undefined> {
    const data: EventData = { flowId: flow.id, user: flow.user, provider: flow.provider, kind: flow.kind, reference: flow.reference, ...extra };
    return this.outbox.enqueue(type, data);
  }

  private async finish(
    flow: Flow,
    state: FlowState,
    type: WebhookEventType,
    extra: { documentId?: string; error?: { code: string; message: string }; email?: string },
    finishedBy?: string,
  ): Promise<Flow> {
    if (FINAL_STATES.includes(flow.state)) return flow;
    const eventId = await this.#finishEvent(flow, type, {
      ...(extra.documentId ? { documentId: extra.documentId } : {}),
      ...(extra.error ? { error: extra.error } : {}),
      ...(extra.email ? { email: extra.email } : {}),
    });
    const now = new Date(this.now());
    const next = await this.state.update<Flow, Flow | undefined>(STATE.flows, flow.id, (current) => {
      if (!current) return { keep: true, result: undefined };
      let out = advance(current, state, now, { ...(extra.documentId ? { documentId: extra.documentId } : {}), ...(extra.error ? { error: extra.error } : {}) });
      if (out === current) return { keep: true, result: current };
      const events = eventId && !out.events.some((e) => e.id === eventId) ? [...out.events, { id: eventId, type }] : out.events;
      const { lease: _lease, ...reconcile } = out.reconcile;
      out = { ...out, events, reconcile: { ...reconcile, ...(finishedBy ? { finishedBy } : {}) } };
      // Ended: kept RETENTION_MS for its owner and the portal, then swept from the store.
      return { set: out, ttlMs: RETENTION_MS, result: out };
    });
    await this.schedule(flow.id, null);
    if (eventId) this.onEvent?.();
    return next ?? flow;
  }

  // ---- for reconciliation (reconcile.ts)

  /** The waiting flows due at `now`, soonest first. */
  async due(now = this.now()): Promise<string[]> {
    const index = (await this.state.get<WaitingIndex>(STATE.flowIndex, WAITING)) ?? {};
    return Object.entries(index)
      .filter(([, at]) => at <= now)
      .sort((a, b) => a[1] - b[1])
      .map(([id]) => id);
  }

  async schedule(id: string, at: number | null): Promise<void> {
    await this.state.update<WaitingIndex, void>(STATE.flowIndex, WAITING, (current) => {
      const index = { ...(current ?? {}) };
      if (at === null) delete index[id];
      else index[id] = at;
      return Object.keys(index).length ? { set: index, result: undefined } : { remove: true, result: undefined };
    });
  }

  /**
   * The flow, leased to `holder` for `ms` (one worker at a time, on any instance: the lease is written by an
   * atomic update of the flow's record), if it is still waiting, due, and no lease runs.
   */
  lease(id: string, holder: string, ms: number): Promise<Flow | undefined> {
    const now = this.now();
    return this.state.update<Flow, Flow | undefined>(STATE.flows, id, (current) => {
      if (!current || !WAITING_STATES.includes(current.state) || current.reconcile.nextAt > now) return { keep: true, result: undefined };
      // Any running lease, this holder's too: two rounds of one worker must not act on a flow together either.
      const lease = current.reconcile.lease;
      if (lease && lease.until > now) return { keep: true, result: undefined };
      const next = { ...current, reconcile: { ...current.reconcile, lease: { holder, until: now + ms } } };
      return { set: next, result: next };
    });
  }

  /** Not done yet: the next check at `nextAt`, the lease released. */
  async retryLater(id: string, holder: string, nextAt: number, lastError?: { code: string; message: string }): Promise<void> {
    const kept = await this.state.update<Flow, boolean>(STATE.flows, id, (current) => {
      if (!current || !WAITING_STATES.includes(current.state)) return { keep: true, result: false };
      const { lease, ...rest } = current.reconcile;
      const reconcile = {
        ...rest,
        attempts: rest.attempts + 1,
        nextAt,
        ...(lastError ? { lastError } : {}),
        ...(lease && lease.holder !== holder ? { lease } : {}),
      };
      return { set: { ...current, reconcile }, result: true };
    });
    await this.schedule(id, kept ? nextAt : null);
  }
}
