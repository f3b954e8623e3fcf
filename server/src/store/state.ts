// The small state of flows, shared by every instance: values under (namespace, key) with an optional expiry,
// an atomic read-modify-write of one key, and a lock around a longer operation. Two implementations: files under
// DATA_DIR (file-state.ts, one server per DATA_DIR) and PostgreSQL (pg-state.ts, any number of instances).
//
// What lives here, and who keeps it there (keys are hashed by both stores, so NIKs and e-mail addresses appear
// in no file name or index):
//
// | namespace            | key                              | value                                  | expiry        | used by                                 |
// |----------------------|----------------------------------|----------------------------------------|---------------|-----------------------------------------|
// | attempts             | target/user guess keys           | failures, last failure, leases         | forget window | store/attempts.ts (auth/attempts.ts)    |
// | landings             | kind, document, e-mail           | Digisign redirect outcome              | 24 h          | store/landings.ts (digisign/callback.ts, routes/webviews.ts) |
// | peruri-otp           | portal user + orderId            | Get OTP session token                  | 10 min        | providers/peruri/service.ts             |
// | peruri-batches       | orderIdBulk                      | bulk token, portal user, orderIds      | 10 min        | providers/peruri/service.ts             |
// | digisign-orders      | portal user + document_id        | signers, e-meterai boxes, bytes sent   | 91 days       | providers/digisign/service.ts (settle)  |
// | peruri-system-key    | Peruri system id                 | Signing System key                     | its minutes   | providers/peruri/service.ts             |
// | bsre-seal-otp        | idSubscriber                     | per portal user: held OTP, file count  | ≤ 10 min      | providers/bsre/service.ts (revoke: delete the subscriber's key) |
// | provider-tokens      | provider + credential hash       | access token, expiresAt                | token's life  | providers/shared/token-cache.ts stateTokens |
// | idempotency          | portal user + Idempotency-Key    | fingerprint, state, outcome            | 24 h          | store/idempotency.ts (http/idempotency.ts) |
// | flows                | flow id                          | flow record (flows/model.ts), its lease | none         | flows/records.ts (services, reconcile.ts) |
// | flow-index           | `waiting`, `owner:<user>`        | waiting flows → next check; user's ids | none          | flows/records.ts                        |
// | webhook-events       | event id                         | body, deliveries and their log, lease  | none          | webhooks/outbox.ts, dispatcher.ts       |
// | webhook-outbox       | `due`                            | event id → next delivery due           | none          | webhooks/outbox.ts                      |
//
// Locks (withLock), so that a download happens once on every instance: `peruri-download:<owner>:<orderId>`
// (peruri/service.ts storeSigned), `digisign-download:<owner>:<id>` (digisign/service.ts confirmSigning and
// settle), `bsre-v1-download:<documentId>` (bsre/service.ts downloadOnce): the second
// caller waits for the first, then finds the document stored. `signed-turn:<provider>:<ref>` (http/guards.ts
// recordSignedTurn): a tier's turns are counted one at a time.
//
// Values are JSON. Secrets among them (OTP session tokens, the bulk token, the signing-system key, provider
// tokens) are as safe as DATA_DIR or the database is: files are 0600 in 0700 folders; restrict the database
// role and its backups the same way.

/** What an update does with the key: `set` a value (with a new expiry), `remove` it, or `keep` it as it is. */
export type StateChange<T, R> = { set: T; ttlMs?: number; result: R } | { remove: true; result: R } | { keep: true; result: R };

export interface StateStore {
  readonly kind: 'filesystem' | 'postgresql';
  /** The value, unless absent or expired. */
  get<T>(ns: string, key: string): Promise<T | undefined>;
  /** Sets the value; with `ttlMs`, it reads as absent from then on. */
  put<T>(ns: string, key: string, value: T, ttlMs?: number): Promise<void>;
  delete(ns: string, key: string): Promise<void>;
  /**
   * Reads the value (undefined if absent or expired) and writes what `fn` decides, atomically across every
   * instance: no other update of the key runs in between. `fn` must be quick and touch nothing else (it runs
   * while a row lock is held): decide, do not call a provider.
   */
  update<T, R>(ns: string, key: string, fn: (current: T | undefined) => StateChange<T, R> | Promise<StateChange<T, R>>): Promise<R>;
  /**
   * Runs `fn` while no other withLock of `name` runs on any instance (a longer operation: a download that
   * must happen once). A waiter gives up after `waitMs` (default 30 s) with StoreError('busy'). Never nest.
   */
  withLock<R>(name: string, fn: () => Promise<R>, options?: { waitMs?: number }): Promise<R>;
  /** Removes expired values; returns how many. */
  sweep(): Promise<number>;
}

/** Namespace names: lowercase words and dashes (they name folders under DATA_DIR). */
export const NAMESPACE = /^[a-z][a-z0-9-]{0,40}$/;

export const STATE = {
  attempts: 'attempts',
  landings: 'landings',
  peruriOtp: 'peruri-otp',
  peruriBatches: 'peruri-batches',
  peruriSystemKey: 'peruri-system-key',
  digisignOrders: 'digisign-orders',
  bsreSealOtp: 'bsre-seal-otp',
  providerTokens: 'provider-tokens',
  idempotency: 'idempotency',
  flows: 'flows',
  flowIndex: 'flow-index',
  webhookEvents: 'webhook-events',
  webhookOutbox: 'webhook-outbox',
} as const;

export function assertNamespace(ns: string): void {
  if (!NAMESPACE.test(ns)) throw new TypeError(`State namespace "${ns}" must be lowercase words joined by dashes.`);
}

/** The expiry of a value set now with `ttlMs` (epoch ms), or null. */
export const expiryOf = (now: number, ttlMs: number | undefined) => (ttlMs === undefined ? null : now + Math.max(0, ttlMs));
