// State in PostgreSQL: one table, esign_state (ns, key_hash, value json, expires_at) — migrations/001_initial.sql.
//
// update() is a transaction that makes sure the key's row exists (INSERT … ON CONFLICT DO NOTHING) and locks
// it (SELECT … FOR UPDATE): every other update of the key, on any instance, waits at that lock until this one
// commits, then reads what it wrote. A row whose value is NULL is such a placeholder, read as absent.
// withLock() holds a transaction-scoped advisory lock, pg_advisory_xact_lock(class, hashtext(name)), on a
// connection of its own pool: released at COMMIT, or by PostgreSQL when the holder's connection drops (an
// instance killed mid-download), so no lock outlives its holder. Waiting is bounded by lock_timeout.
import { createHash } from 'node:crypto';
import { StoreError } from './document-model.js';
import { LOCK_CLASS, transaction, type Pool } from './pg.js';
import { assertNamespace, expiryOf, type StateChange, type StateStore } from './state.js';

const keyHash = (key: string) => createHash('sha256').update(key).digest('hex');

/** PostgreSQL's "lock_timeout" error: a withLock waiter that waited its time. */
const LOCK_NOT_AVAILABLE = '55P03';

export class PgStateStore implements StateStore {
  readonly kind = 'postgresql' as const;
  readonly #pool: Pool;
  readonly #lockPool: Pool;
  readonly #now: () => number;

  /**
   * `lockPool`: connections for withLock, each held for the length of the locked operation, kept apart so that
   * the operations inside (which use `pool`) never wait for a connection a lock holder sits on.
   */
  constructor(pool: Pool, lockPool: Pool, options: { now?: () => number } = {}) {
    this.#pool = pool;
    this.#lockPool = lockPool;
    this.#now = options.now ?? Date.now;
  }

  async get<T>(ns: string, key: string): Promise<T | undefined> {
    assertNamespace(ns);
    const { rows } = await this.#pool.query<{ value: T }>(
      'SELECT value FROM esign_state WHERE ns = $1 AND key_hash = $2 AND value IS NOT NULL AND (expires_at IS NULL OR expires_at > $3)',
      [ns, keyHash(key), this.#now()],
    );
    return rows[0]?.value;
  }

  async put<T>(ns: string, key: string, value: T, ttlMs?: number): Promise<void> {
    assertNamespace(ns);
    await this.#pool.query(
      `INSERT INTO esign_state (ns, key_hash, value, expires_at) VALUES ($1, $2, $3::json, $4)
       ON CONFLICT (ns, key_hash) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at`,
      [ns, keyHash(key), JSON.stringify(value), expiryOf(this.#now(), ttlMs)],
    );
  }

  async delete(ns: string, key: string): Promise<void> {
    assertNamespace(ns);
    await this.#pool.query('DELETE FROM esign_state WHERE ns = $1 AND key_hash = $2', [ns, keyHash(key)]);
  }

  async update<T, R>(ns: string, key: string, fn: (current: T | undefined) => StateChange<T, R> | Promise<StateChange<T, R>>): Promise<R> {
    assertNamespace(ns);
    const hash = keyHash(key);
    return transaction(this.#pool, async (client) => {
      let row: { value: T | null; expires_at: string | null } | undefined;
      // The row may be deleted between the two statements (a delete or a sweep committed meanwhile): then again.
      while (!row) {
        await client.query('INSERT INTO esign_state (ns, key_hash, value, expires_at) VALUES ($1, $2, NULL, NULL) ON CONFLICT DO NOTHING', [ns, hash]);
        const locked = await client.query<{ value: T | null; expires_at: string | null }>(
          'SELECT value, expires_at FROM esign_state WHERE ns = $1 AND key_hash = $2 FOR UPDATE',
          [ns, hash],
        );
        row = locked.rows[0];
      }
      const now = this.#now();
      const live = row.value !== null && (row.expires_at === null || Number(row.expires_at) > now);
      const change = await fn(live ? (row.value as T) : undefined);
      if ('set' in change) {
        await client.query('UPDATE esign_state SET value = $3::json, expires_at = $4 WHERE ns = $1 AND key_hash = $2', [
          ns,
          hash,
          JSON.stringify(change.set),
          expiryOf(now, change.ttlMs),
        ]);
      } else if ('remove' in change || !live) {
        // Removed, or kept while absent: no placeholder (or expired value) is left behind.
        await client.query('DELETE FROM esign_state WHERE ns = $1 AND key_hash = $2', [ns, hash]);
      }
      return change.result;
    });
  }

  async withLock<R>(name: string, fn: () => Promise<R>, options: { waitMs?: number } = {}): Promise<R> {
    const waitMs = Math.max(1, Math.round(options.waitMs ?? 30_000));
    let acquired = false;
    try {
      return await transaction(this.#lockPool, async (client) => {
        await client.query(`SET LOCAL lock_timeout = ${waitMs}`);
        await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_CLASS, name]);
        acquired = true;
        return fn();
      });
    } catch (err) {
      if (!acquired && (err as { code?: string }).code === LOCK_NOT_AVAILABLE) {
        throw new StoreError('busy', `Another request is still working on this (${name.split(':')[0]}); try again shortly.`);
      }
      throw err;
    }
  }

  async sweep(): Promise<number> {
    const { rowCount } = await this.#pool.query('DELETE FROM esign_state WHERE expires_at IS NOT NULL AND expires_at <= $1', [this.#now()]);
    return rowCount ?? 0;
  }
}
