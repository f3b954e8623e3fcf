// Idempotency-Key records (as payment APIs have them), for every route that signs or sends a document: the same
// key and the same request return the first outcome; the same key with another request is refused; a request
// still running (on any instance) is answered "in progress" — so the provider is called once.
//
// A record is scoped to the portal user (two users' keys never meet) and lives in the state store's
// `idempotency` namespace, so begin() is atomic across instances (StateStore.update). It holds the request's
// fingerprint (method, route, body hash), its state, and when done the stored outcome (HTTP status and JSON
// body); it expires after `ttlMs` (24 h by default). While in flight it carries a lease: an instance that dies
// mid-request stops renewing it, and after `leaseMs` the next begin() takes the request over, with the last
// checkpoint() its holder recorded (e.g. BSrE cloud's id_signed, so that a signed document is fetched rather
// than signed again). finish()/checkpoint() by a holder whose lease was taken over are refused (false).
//
// How a route uses it (the wiring step):
//   const begun = await idempotency.begin(user, key, requestFingerprint(req.method, route, bodyHash));
//   mismatch → 422; in-flight → 409 with Retry-After; done → replay outcome; started → run, then
//   finish(user, key, begun.lease, { status, body }), or release() if it failed before anything happened.
import { createHash, randomBytes } from 'node:crypto';
import { STATE, type StateChange, type StateStore } from './state.js';

/** What Stripe and the IETF draft allow: printable ASCII, at most 255 characters. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export interface IdempotencyOutcome {
  status: number;
  body: unknown;
}

export type BeginResult =
  /** Run the request. `resumed`: the checkpoint of a holder that stopped renewing its lease (it died). */
  | { state: 'started'; lease: string; resumed?: unknown }
  | { state: 'in-flight'; retryAfterMs: number }
  | { state: 'done'; outcome: IdempotencyOutcome }
  | { state: 'mismatch' };

interface IdempotencyRecord {
  fingerprint: string;
  state: 'in-flight' | 'done';
  lease?: string;
  leaseUntil?: number;
  checkpoint?: unknown;
  outcome?: IdempotencyOutcome;
  createdAt: number;
  expiresAt: number;
}

/** The fingerprint of a request: method, route (the pattern, not the URL) and the SHA-256 of its body. */
export function requestFingerprint(method: string, route: string, bodySha256: string): string {
  return createHash('sha256').update(`${method.toUpperCase()}\n${route}\n${bodySha256}`).digest('hex');
}

export interface IdempotencyOptions {
  /** How long a key is remembered (default 24 h). */
  ttlMs?: number;
  /** How long an in-flight request holds its key without a checkpoint (default 2 min). */
  leaseMs?: number;
  now?: () => number;
}

export class IdempotencyStore {
  readonly #state: StateStore;
  readonly #ttlMs: number;
  readonly #leaseMs: number;
  readonly #now: () => number;

  constructor(state: StateStore, options: IdempotencyOptions = {}) {
    this.#state = state;
    this.#ttlMs = options.ttlMs ?? 24 * 60 * 60_000;
    this.#leaseMs = options.leaseMs ?? 2 * 60_000;
    this.#now = options.now ?? Date.now;
  }

  #key(user: string, key: string): string {
    if (!IDEMPOTENCY_KEY.test(key)) throw new TypeError('An Idempotency-Key is 1 to 255 printable ASCII characters.');
    return `${user}\u0000${key}`;
  }

  async begin(user: string, key: string, fingerprint: string): Promise<BeginResult> {
    return this.#state.update<IdempotencyRecord, BeginResult>(STATE.idempotency, this.#key(user, key), (known) => {
      const now = this.#now();
      const start = (base: { createdAt: number; expiresAt: number; checkpoint?: unknown }): StateChange<IdempotencyRecord, BeginResult> => {
        const lease = randomBytes(12).toString('base64url');
        const record: IdempotencyRecord = { fingerprint, state: 'in-flight', lease, leaseUntil: now + this.#leaseMs, ...base };
        const resumed = base.checkpoint !== undefined ? { resumed: base.checkpoint } : {};
        return { set: record, ttlMs: record.expiresAt - now, result: { state: 'started', lease, ...resumed } };
      };
      if (!known || known.expiresAt <= now) return start({ createdAt: now, expiresAt: now + this.#ttlMs });
      if (known.fingerprint !== fingerprint) return { keep: true, result: { state: 'mismatch' } };
      if (known.state === 'done') return { keep: true, result: { state: 'done', outcome: known.outcome! } };
      if ((known.leaseUntil ?? 0) > now) return { keep: true, result: { state: 'in-flight', retryAfterMs: known.leaseUntil! - now } };
      return start({ createdAt: known.createdAt, expiresAt: known.expiresAt, ...(known.checkpoint !== undefined ? { checkpoint: known.checkpoint } : {}) });
    });
  }

  /** Records progress (e.g. a provider's id for what it signed) and renews the lease; false if it was taken over. */
  async checkpoint(user: string, key: string, lease: string, progress: unknown): Promise<boolean> {
    return this.#held(user, key, lease, (record, now) => ({ ...record, checkpoint: progress, leaseUntil: now + this.#leaseMs }));
  }

  /** Stores the outcome that every replay of the key returns; false if the lease was taken over meanwhile. */
  async finish(user: string, key: string, lease: string, outcome: IdempotencyOutcome): Promise<boolean> {
    return this.#held(user, key, lease, ({ fingerprint, createdAt, expiresAt }) => ({ fingerprint, state: 'done', outcome, createdAt, expiresAt }));
  }

  /**
   * The request failed: the same key may be sent again at once. Forgotten if nothing was recorded; with a
   * checkpoint (the provider acted before the failure), kept with its lease ended, so that the next begin()
   * takes it over with that checkpoint instead of starting from nothing.
   */
  async release(user: string, key: string, lease: string): Promise<boolean> {
    return this.#state.update<IdempotencyRecord, boolean>(STATE.idempotency, this.#key(user, key), (known) => {
      if (known?.state !== 'in-flight' || known.lease !== lease) return { keep: true, result: false };
      if (known.checkpoint === undefined) return { remove: true, result: true };
      const { lease: _ended, ...rest } = known;
      return { set: { ...rest, leaseUntil: 0 }, ttlMs: known.expiresAt - this.#now(), result: true };
    });
  }

  #held(user: string, key: string, lease: string, next: (record: IdempotencyRecord, now: number) => IdempotencyRecord): Promise<boolean> {
    return this.#state.update<IdempotencyRecord, boolean>(STATE.idempotency, this.#key(user, key), (known) => {
      const now = this.#now();
      if (known?.state !== 'in-flight' || known.lease !== lease) return { keep: true, result: false };
      const record = next(known, now);
      return { set: record, ttlMs: record.expiresAt - now, result: true };
    });
  }
}
