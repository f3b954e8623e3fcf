// Limits on guessing: a portal user with a valid token must not be able to try one-time codes, TOTPs or
// passphrases until one works (the red team signed after 4 090 wrong Peruri OTPs in 20 s). Each guess is
// counted twice — per target (a Peruri order or batch, a NIK or e-mail, a seal subscriber; all portal users
// together) and per portal user (across targets of one kind) — and only when the provider refused the guessed
// value itself (its code for a wrong OTP/TOTP/passphrase), never for a network error or a 5xx.
//
// After `limit` wrong guesses for a target the next attempt is refused (429, Retry-After) without asking the
// provider, even with the right value, until the back-off ends: `backoffMs` after the limit-th failure,
// doubled for each failure beyond it, at most `maxBackoffMs`. A right guess clears the target's count; a
// count is forgotten after `forgetAfterMs` without failures. Attempts already in flight count too: at most
// `limit − failures` guesses for one target run at once (others wait their turn), so a burst of concurrent
// wrong guesses cannot overshoot the limit. The counts live in an AttemptStore (DATA_DIR today), so a restart
// does not reset them; the in-flight bound is per process.
//
// Why not rate-limiter-flexible (considered; it has a PostgreSQL store): its model is points consumed in fixed
// windows with one block duration, where this policy is consecutive failures, cleared by a success, with a
// back-off that grows with each failure — expressible there only by extra get/block calls that are not atomic
// together; it has no file store (one would be written against its internal _upsert/_get/_delete contract
// anyway); and the PostgreSQL version of AttemptStore is the one statement per method sketched in
// store/attempts.ts.
import { isProviderError } from '../providers/adapters.js';
import type { AttemptStore } from '../store/attempts.js';

/** What is being guessed; each kind has its own counts and its own reading of the provider's refusal. */
export type GuessKind = 'bsre-passphrase' | 'bsre-totp' | 'bsre-seal-otp' | 'bsre-seal-activation' | 'peruri-otp';

export interface AttemptPolicy {
  /** Wrong guesses allowed per target; the next attempt waits for the back-off. */
  limit: number;
  /** Wrong guesses allowed per portal user across the targets of one kind. */
  userLimit: number;
  /** The back-off after the limit-th wrong guess; doubled for each further one. */
  backoffMs: number;
  maxBackoffMs: number;
  /** A target's count is forgotten after this long without a wrong guess. */
  forgetAfterMs: number;
  /** A portal user's count is forgotten after this long without a wrong guess. */
  userForgetAfterMs: number;
}

export const DEFAULT_ATTEMPT_POLICY: AttemptPolicy = {
  limit: 5,
  userLimit: 20,
  backoffMs: 60_000,
  maxBackoffMs: 60 * 60_000,
  forgetAfterMs: 24 * 60 * 60_000,
  userForgetAfterMs: 60 * 60_000,
};

/**
 * The policy of a deployment (ATTEMPT_LIMIT, ATTEMPT_BACKOFF_SECONDS up to a day). The longest back-off follows
 * the configured one — at least an hour, never less than the first wait (a 1-day setting is a day, not an hour)
 * — and a count is kept at least as long as its back-off runs, or it would be forgotten while it still blocks.
 */
export function attemptPolicy(limit: number, backoffSeconds: number): AttemptPolicy {
  const backoffMs = backoffSeconds * 1000;
  const maxBackoffMs = Math.max(DEFAULT_ATTEMPT_POLICY.maxBackoffMs, backoffMs);
  return {
    ...DEFAULT_ATTEMPT_POLICY,
    limit,
    userLimit: 4 * limit,
    backoffMs,
    maxBackoffMs,
    forgetAfterMs: Math.max(DEFAULT_ATTEMPT_POLICY.forgetAfterMs, maxBackoffMs),
    userForgetAfterMs: Math.max(DEFAULT_ATTEMPT_POLICY.userForgetAfterMs, maxBackoffMs),
  };
}

/**
 * The provider's refusal of the guessed value, per kind, read from the calls that carry the guessed value only
 * (a refusal of another call of the same request — Peruri's viewDocument while the pages are read, BSrE cloud's
 * sign request before the passphrase is sent — guesses nothing and is not counted).
 *
 * BSrE documents no error table (docs/providers/bsre.md gaps 15, 30): 2031 "Passphrase anda salah" and the TOTP
 * wordings are observed, not promised. Reading only those would fail open — a live refusal worded otherwise would
 * never be counted — so every refusal BSrE answers to a guessed-credential call counts, for every BSrE kind: a
 * wrong passphrase, an invalid code, a refusal with its own status_code (provider-rejected) and any other 4xx
 * (a non-retryable provider-http-error). Network errors, timeouts and 5xx never count.
 *
 * Peruri documents no code for a wrong OTP (docs/providers/peruri.md §1: any resultCode but "0" is a failure, gap
 * 16: no OTP retry rules), so every refusal of a signing call (signing, signingTier, signingBulk) with a
 * resultCode counts (the sandbox's is 4007).
 */
const GUESSED_CALLS: Record<GuessKind, ReadonlySet<string>> = {
  'bsre-passphrase': new Set(['bsre.v1.signPdf', 'bsre.v2.signPdf', 'bsre.cloud.sign']),
  'bsre-totp': new Set(['bsre.v2.signPdf']),
  'bsre-seal-otp': new Set(['bsre.v2.sealPdf']),
  'bsre-seal-activation': new Set(['bsre.v2.sealActivation', 'bsre.v2.sealRevoke', 'bsre.v2.sealTotp']),
  'peruri-otp': new Set(['peruri.signing', 'peruri.signingTier', 'peruri.signingBulk']),
};

const BSRE_REFUSALS = new Set(['wrong-passphrase', 'otp-invalid', 'provider-rejected']);

/** Whether `err` is the provider refusing the value a `kind` guess carried. */
export function isWrongGuess(kind: GuessKind, err: unknown): boolean {
  if (!isProviderError(err) || err.operation === undefined || !GUESSED_CALLS[kind].has(err.operation)) return false;
  if (kind === 'peruri-otp') return err.provider === 'peruri' && (err.code === 'provider-rejected' || err.code === 'otp-invalid');
  return err.provider === 'bsre' && (BSRE_REFUSALS.has(err.code) || (err.code === 'provider-http-error' && !err.retryable));
}

const TARGETS: Record<GuessKind, string> = {
  'bsre-passphrase': 'passphrases for this signer',
  'bsre-totp': 'TOTPs for this signer',
  'bsre-seal-otp': 'seal OTPs for this subscriber',
  'bsre-seal-activation': 'activation TOTPs for this subscriber',
  'peruri-otp': 'OTPs for this order',
};

/** A guess refused before it reached the provider: answered 429 with Retry-After. */
export class TooManyAttempts extends Error {
  constructor(
    readonly retryAfterMs: number,
    /** The request field that carried the guess (passphrase, totp, otpCode…). */
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'TooManyAttempts';
  }
}

export interface Guess {
  kind: GuessKind;
  /** The order, batch, NIK, e-mail or subscriber guessed at (normalised by the caller). */
  target: string;
  /**
   * Other names of the same target, counted alike (a BSrE signer named by e-mail whose portal token binds one NIK
   * is the same person as that NIK): a guess is refused while any of them is blocked, and counted on each.
   */
  aliases?: readonly string[] | undefined;
  /** The portal user (`sub`). */
  user: string;
  /** The request field carrying the guessed value. */
  field: string;
}

interface Counted {
  key: string;
  limit: number;
  forgetAfterMs: number;
  /** A target's count (else the portal user's). */
  target: boolean;
}

export class AttemptLimiter {
  readonly #inflight = new Map<string, number>();
  readonly #waiting = new Map<string, Set<() => void>>();
  /** Bumped each time an attempt settles: a count read while it changed may be stale. */
  #settled = 0;

  constructor(
    readonly store: AttemptStore,
    readonly policy: AttemptPolicy = DEFAULT_ATTEMPT_POLICY,
    readonly now: () => number = Date.now,
  ) {}

  /** Runs one guess: refused while a back-off runs, counted when the provider refuses the guessed value. */
  async attempt<T>(guess: Guess, fn: () => Promise<T>): Promise<T> {
    const targets = [...new Set([guess.target, ...(guess.aliases ?? [])])];
    const counted: Counted[] = [
      ...targets.map((target) => ({
        key: `target\u0000${guess.kind}\u0000${target}`,
        limit: this.policy.limit,
        forgetAfterMs: this.policy.forgetAfterMs,
        target: true,
      })),
      { key: `user\u0000${guess.kind}\u0000${guess.user}`, limit: this.policy.userLimit, forgetAfterMs: this.policy.userForgetAfterMs, target: false },
    ];
    await this.#acquire(guess, counted);
    let outcome: 'right' | 'wrong' | 'other' = 'other';
    try {
      const out = await fn();
      outcome = 'right';
      return out;
    } catch (err) {
      if (isWrongGuess(guess.kind, err)) outcome = 'wrong';
      throw err;
    } finally {
      await this.#settle(counted, outcome);
    }
  }

  /** How long the key is still blocked (0: not), from its record. */
  blockedFor(failures: number, lastFailureAt: number, limit: number, now: number): number {
    if (failures < limit) return 0;
    const backoff = Math.min(this.policy.maxBackoffMs, this.policy.backoffMs * 2 ** (failures - limit));
    return Math.max(0, lastFailureAt + backoff - now);
  }

  async #acquire(guess: Guess, counted: readonly Counted[]): Promise<void> {
    for (;;) {
      const seen = this.#settled;
      const now = this.now();
      const records = await Promise.all(counted.map((c) => this.store.get(c.key)));
      // Something settled while we read: read again, the count may have grown.
      if (this.#settled !== seen) continue;
      let full: string | undefined;
      for (const [i, c] of counted.entries()) {
        const r = records[i];
        const failures = r && r.lastFailureAt >= now - c.forgetAfterMs ? r.failures : 0;
        const wait = r ? this.blockedFor(failures, r.lastFailureAt, c.limit, now) : 0;
        if (wait > 0) {
          const whose = c.target ? TARGETS[guess.kind] : `${TARGETS[guess.kind].replace(/ for this \w+$/, '')} from this portal user`;
          throw new TooManyAttempts(wait, guess.field, `Too many wrong ${whose}: try again in ${Math.ceil(wait / 1000)} s.`);
        }
        if ((this.#inflight.get(c.key) ?? 0) >= Math.max(1, c.limit - failures)) full = c.key;
      }
      if (full === undefined) {
        for (const c of counted) this.#inflight.set(c.key, (this.#inflight.get(c.key) ?? 0) + 1);
        return;
      }
      const key = full;
      await new Promise<void>((resolve) => {
        let waiting = this.#waiting.get(key);
        if (!waiting) this.#waiting.set(key, (waiting = new Set()));
        waiting.add(resolve);
      });
    }
  }

  async #settle(counted: readonly Counted[], outcome: 'right' | 'wrong' | 'other'): Promise<void> {
    try {
      const now = this.now();
      if (outcome === 'wrong') await Promise.all(counted.map((c) => this.store.addFailure(c.key, now, now - c.forgetAfterMs)));
      // A right guess clears the target; the portal user's count fades by itself (a user must not reset it by
      // signing with their own passphrase between guesses at someone else's).
      else if (outcome === 'right') await Promise.all(counted.filter((c) => c.target).map((c) => this.store.clear(c.key)));
    } finally {
      this.#settled++;
      for (const c of counted) {
        const left = (this.#inflight.get(c.key) ?? 1) - 1;
        if (left > 0) this.#inflight.set(c.key, left);
        else this.#inflight.delete(c.key);
        const waiting = this.#waiting.get(c.key);
        if (waiting) {
          this.#waiting.delete(c.key);
          for (const wake of waiting) wake();
        }
      }
    }
  }
}
