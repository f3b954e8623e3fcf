// Where the count of wrong guesses (OTPs, TOTPs, passphrases) lives, so that a lockout holds across a restart
// and, with PostgreSQL, across every instance: one record per counted key in the state store's `attempts`
// namespace, changed only by StateStore.update (atomic per key on every instance).
//
// AttemptLimiter (auth/attempts.ts) uses get/addFailure/clear, and bounds the guesses in flight per process.
// reserve/release are that bound across instances, for the wiring step: a guess first reserves a slot — refused
// while a back-off runs, or while `limit − failures` guesses are already in flight for the key — and releases
// it with its outcome, which counts the failure (or clears the count) in the same atomic step. A slot is a
// lease with an expiry, so one held by an instance that died frees itself.
import { randomBytes } from 'node:crypto';
import { FileStateStore } from './file-state.js';
import { STATE, type StateStore } from './state.js';

export interface AttemptRecord {
  /** Wrong guesses since the last success (or since the count was forgotten). */
  failures: number;
  /** Epoch milliseconds of the last wrong guess. */
  lastFailureAt: number;
}

/** The stored record: the count, and the guesses in flight (lease id → until, epoch ms). */
interface StoredAttempts extends AttemptRecord {
  inFlight?: Record<string, number>;
}

export interface ReserveRule {
  now: number;
  /** A count whose last failure is older than this is forgotten (starts again from zero). */
  forgetBefore: number;
  /** Wrong guesses allowed before the back-off; also bounds the guesses in flight (`limit − failures`, at least 1). */
  limit: number;
  /** How long a reservation holds if never released (an instance that died mid-guess). */
  leaseMs: number;
  /** The back-off still to wait for this count (0: none): the limiter's policy (auth/attempts.ts blockedFor). */
  blockedFor: (failures: number, lastFailureAt: number) => number;
}

export type Reservation =
  | { granted: true; lease: string; failures: number }
  /** `retryAfterMs` > 0: a back-off runs; 0: every slot is in flight, try again when one is released. */
  | { granted: false; retryAfterMs: number; failures: number };

export type GuessOutcome = 'right' | 'wrong' | 'other';

export interface AttemptStore {
  get(key: string): Promise<AttemptRecord | undefined>;
  /**
   * Counts one more wrong guess, atomically, and returns the new record. A record whose last failure is older
   * than `forgetBefore` starts again from one.
   */
  addFailure(key: string, now: number, forgetBefore: number): Promise<AttemptRecord>;
  /** Forgets the key (a right guess). */
  clear(key: string): Promise<void>;
  /** Takes a slot for one guess, atomically across instances (see the header). */
  reserve(key: string, rule: ReserveRule): Promise<Reservation>;
  /** Frees the slot and counts the outcome: 'wrong' adds a failure, 'right' clears the count. */
  release(key: string, lease: string, outcome: GuessOutcome, now: number, forgetBefore: number): Promise<AttemptRecord | undefined>;
}

const countOf = (r: StoredAttempts | undefined, forgetBefore: number) => (r && r.lastFailureAt >= forgetBefore ? r.failures : 0);
const liveLeases = (r: StoredAttempts | undefined, now: number) => Object.entries(r?.inFlight ?? {}).filter(([, until]) => until > now);
const recordOf = (r: StoredAttempts): AttemptRecord => ({ failures: r.failures, lastFailureAt: r.lastFailureAt });

/** The attempt counts as records of a state store (files or PostgreSQL). */
export class StateAttemptStore implements AttemptStore {
  constructor(
    readonly state: StateStore,
    readonly ns: string = STATE.attempts,
  ) {}

  async get(key: string): Promise<AttemptRecord | undefined> {
    const r = await this.state.get<StoredAttempts>(this.ns, key);
    return r ? recordOf(r) : undefined;
  }

  addFailure(key: string, now: number, forgetBefore: number): Promise<AttemptRecord> {
    return this.state.update<StoredAttempts, AttemptRecord>(this.ns, key, (known) => {
      const record: StoredAttempts = {
        failures: countOf(known, forgetBefore) + 1,
        lastFailureAt: now,
        ...(known?.inFlight ? { inFlight: known.inFlight } : {}),
      };
      // Kept as long as the count matters; the limiter's own clock decides what is forgotten before that.
      return { set: record, ttlMs: now - forgetBefore, result: recordOf(record) };
    });
  }

  clear(key: string): Promise<void> {
    return this.state.delete(this.ns, key);
  }

  reserve(key: string, rule: ReserveRule): Promise<Reservation> {
    return this.state.update<StoredAttempts, Reservation>(this.ns, key, (known) => {
      const failures = countOf(known, rule.forgetBefore);
      const wait = failures > 0 && known ? rule.blockedFor(failures, known.lastFailureAt) : 0;
      if (wait > 0) return { keep: true, result: { granted: false, retryAfterMs: wait, failures } };
      const leases = liveLeases(known, rule.now);
      if (leases.length >= Math.max(1, rule.limit - failures)) return { keep: true, result: { granted: false, retryAfterMs: 0, failures } };
      const lease = randomBytes(9).toString('base64url');
      const record: StoredAttempts = {
        failures,
        lastFailureAt: known?.lastFailureAt ?? 0,
        inFlight: { ...Object.fromEntries(leases), [lease]: rule.now + rule.leaseMs },
      };
      return { set: record, ttlMs: Math.max(rule.now - rule.forgetBefore, rule.leaseMs), result: { granted: true, lease, failures } };
    });
  }

  release(key: string, lease: string, outcome: GuessOutcome, now: number, forgetBefore: number): Promise<AttemptRecord | undefined> {
    return this.state.update<StoredAttempts, AttemptRecord | undefined>(this.ns, key, (known) => {
      const leases = liveLeases(known, now).filter(([id]) => id !== lease);
      const inFlight = leases.length ? { inFlight: Object.fromEntries(leases) } : {};
      let record: StoredAttempts;
      if (outcome === 'wrong') record = { failures: countOf(known, forgetBefore) + 1, lastFailureAt: now, ...inFlight };
      else if (outcome === 'right') record = { failures: 0, lastFailureAt: 0, ...inFlight };
      else if (known) record = { failures: known.failures, lastFailureAt: known.lastFailureAt, ...inFlight };
      else return { keep: true, result: undefined };
      if (record.failures === 0 && !record.inFlight) return { remove: true, result: outcome === 'right' ? undefined : recordOf(record) };
      return { set: record, ttlMs: now - forgetBefore, result: recordOf(record) };
    });
  }
}

/**
 * One JSON file per key under DATA_DIR/attempts (one server per DATA_DIR), as before the state store: records
 * written then are read as they are.
 */
export class FileAttemptStore extends StateAttemptStore {
  constructor(dataDir: string) {
    super(new FileStateStore(dataDir));
  }
}
