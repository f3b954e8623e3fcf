// The webhook outbox, in the state store (store/state.ts: webhook-events, webhook-outbox): each event once,
// under a stable id (the same on every retry and replay, so that a receiver de-duplicates by webhook-id), with
// the exact body sent each time and, per WEBHOOK_URL, its delivery log. The `due` index names the events with a
// delivery still to make and when; the dispatcher (dispatcher.ts) reads it. An event is written before the flow's
// state changes (flows/records.ts), and only after the signed document is stored.
import { createHash } from 'node:crypto';
import { RETENTION_MS } from '../flows/model.js';
import { STATE, type StateStore } from '../store/state.js';

export type WebhookEventType = 'document.signed' | 'document.failed' | 'flow.expired' | 'signer.activated';

export interface DeliveryAttempt {
  at: string;
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  /** Why the attempt failed without an answer (refused, timed out…). */
  error?: string;
  durationMs: number;
}

export interface Delivery {
  url: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: DeliveryAttempt[];
  /** When the next attempt is due (epoch ms), while pending. */
  nextAt: number | null;
  /** The attempts before this index belong to an earlier round (before a replay): the retry schedule restarts. */
  retryFrom?: number;
}

export interface WebhookEvent {
  id: string;
  type: WebhookEventType;
  timestamp: string;
  /** The portal user the event is about: the only one who reads its log. */
  user: string;
  /** The JSON body, exactly as sent on every attempt. */
  body: string;
  deliveries: Delivery[];
  /** How many times it was replayed (POST /api/webhooks/events/:id/replay). */
  replays?: number;
  /** The dispatcher sending it now, until `until` (epoch ms). */
  lease?: { holder: string; until: number };
}

export interface EventData {
  flowId: string;
  user: string;
  provider: string;
  documentId?: string | undefined;
  [key: string]: unknown;
}

const DUE = 'due';

/** What is left of the event's retention (RETENTION_MS from its time): every write of it sets its expiry again. */
const ttlOf = (event: Pick<WebhookEvent, 'timestamp'>, now: number) => Math.max(60_000, Date.parse(event.timestamp) + RETENTION_MS - now);
/** The due index: event id → when its next delivery is due (epoch ms). */
type DueIndex = Record<string, number>;

/** An event's id: the same for the same flow and type, so that recording an outcome twice raises one event. */
export function eventIdOf(flowId: string, type: WebhookEventType): string {
  return `evt_${createHash('sha256').update(`${flowId}\u0000${type}`).digest('hex').slice(0, 32)}`;
}

export class WebhookOutbox {
  constructor(
    private readonly state: StateStore,
    private readonly urls: readonly string[],
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.urls.length > 0;
  }

  /**
   * Writes the event (once: an existing one is kept as it is) and marks it due now. Without WEBHOOK_URL nothing
   * is written. Returns the event's id.
   */
  async enqueue(type: WebhookEventType, data: EventData): Promise<string | undefined> {
    if (!this.enabled) return undefined;
    const id = eventIdOf(data.flowId, type);
    const now = this.now();
    const timestamp = new Date(now).toISOString();
    const created = await this.state.update<WebhookEvent, boolean>(STATE.webhookEvents, id, (current) => {
      if (current) return { keep: true, result: false };
      const body = JSON.stringify({ type, timestamp, data: { ...data } });
      const deliveries = this.urls.map((url): Delivery => ({ url, state: 'pending', attempts: [], nextAt: now }));
      return { set: { id, type, timestamp, user: data.user, body, deliveries }, ttlMs: RETENTION_MS, result: true };
    });
    if (created) await this.schedule(id, now);
    return id;
  }

  get(id: string): Promise<WebhookEvent | undefined> {
    return this.state.get<WebhookEvent>(STATE.webhookEvents, id);
  }

  /** Every delivery of the event pending again, due now (the same id and body: a receiver sees a duplicate). */
  async replay(id: string): Promise<WebhookEvent | undefined> {
    const now = this.now();
    const event = await this.state.update<WebhookEvent, WebhookEvent | undefined>(STATE.webhookEvents, id, (current) => {
      if (!current) return { keep: true, result: undefined };
      // A replay goes to every URL configured now (one added since is included).
      const urls = [...new Set([...current.deliveries.map((d) => d.url), ...this.urls])];
      const deliveries = urls.map((url): Delivery => {
        const before = current.deliveries.find((d) => d.url === url);
        return { url, state: 'pending', attempts: before?.attempts ?? [], nextAt: now, retryFrom: before?.attempts.length ?? 0 };
      });
      const next = { ...current, deliveries, replays: (current.replays ?? 0) + 1 };
      return { set: next, ttlMs: ttlOf(current, now), result: next };
    });
    if (event) await this.schedule(id, now);
    return event;
  }

  /** The events due at `now`, soonest first. */
  async due(now = this.now()): Promise<string[]> {
    const index = (await this.state.get<DueIndex>(STATE.webhookOutbox, DUE)) ?? {};
    return Object.entries(index)
      .filter(([, at]) => at <= now)
      .sort((a, b) => a[1] - b[1])
      .map(([id]) => id);
  }

  /** The next time anything is due (epoch ms), or undefined. */
  async nextDue(): Promise<number | undefined> {
    const index = (await this.state.get<DueIndex>(STATE.webhookOutbox, DUE)) ?? {};
    const times = Object.values(index);
    return times.length ? Math.min(...times) : undefined;
  }

  /** Sets (or with null, removes) the event's entry in the due index. */
  async schedule(id: string, at: number | null): Promise<void> {
    await this.state.update<DueIndex, void>(STATE.webhookOutbox, DUE, (current) => {
      const index = { ...(current ?? {}) };
      if (at === null) delete index[id];
      else index[id] = at;
      return Object.keys(index).length ? { set: index, result: undefined } : { remove: true, result: undefined };
    });
  }

  /** The event, leased to `holder` for `ms` unless a lease runs (another's, or this holder's other round); undefined then. */
  lease(id: string, holder: string, ms: number): Promise<WebhookEvent | undefined> {
    const now = this.now();
    return this.state.update<WebhookEvent, WebhookEvent | undefined>(STATE.webhookEvents, id, (current) => {
      if (!current) return { keep: true, result: undefined };
      if (current.lease && current.lease.until > now) return { keep: true, result: undefined };
      const next = { ...current, lease: { holder, until: now + ms } };
      return { set: next, ttlMs: ttlOf(current, now), result: next };
    });
  }

  /**
   * Writes what `holder` did (each delivery's new attempts and state, by URL), releases the lease, and updates
   * the due index. A replay meanwhile (a newer `replays` count) keeps its deliveries pending, due now.
   */
  async settle(id: string, holder: string, leased: WebhookEvent, results: Map<string, Delivery>): Promise<void> {
    const next = await this.state.update<WebhookEvent, WebhookEvent | undefined>(STATE.webhookEvents, id, (current) => {
      if (!current) return { keep: true, result: undefined };
      const replayed = (current.replays ?? 0) !== (leased.replays ?? 0);
      const deliveries = current.deliveries.map((d) => {
        const done = results.get(d.url);
        if (!done) return d;
        return replayed ? { ...d, attempts: done.attempts } : done;
      });
      const { lease, ...rest } = current;
      const out: WebhookEvent = lease && lease.holder !== holder ? { ...rest, lease, deliveries } : { ...rest, deliveries };
      return { set: out, ttlMs: ttlOf(current, this.now()), result: out };
    });
    if (!next) return this.schedule(id, null);
    const pending = next.deliveries.filter((d) => d.state === 'pending' && d.nextAt !== null).map((d) => d.nextAt!);
    await this.schedule(id, pending.length ? Math.min(...pending) : null);
  }
}
