// PostgreSQL plumbing shared by the pg-* stores: the connection pools, the schema migrations, transactions,
// and the health check.
//
// Migrations are plain SQL files, server/src/store/migrations/NNN_name.sql, applied at start in order, each in
// its own transaction, and recorded (version, name, SHA-256 of the file) in esign_schema_migrations. Several
// instances starting together take a session advisory lock first, so one migrates and the others find the
// work done; a lock held by an instance that dies is released with its connection. An applied file that was
// edited afterwards is refused (its checksum no longer matches): a change is a new file. A file must not
// hold its own BEGIN/COMMIT, nor statements that cannot run in a transaction (CREATE INDEX CONCURRENTLY).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { StoreHealth } from './document-model.js';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/**
 * The first key of every advisory lock this server takes (pg_advisory_lock(int, int)), so that they never meet
 * the portal's own if it shares the database: "esig" in ASCII.
 */
export const LOCK_CLASS = 0x65736967;
/** The second key of the migrations' lock; withLock() uses hashtext(name) in the same class. */
const MIGRATION_LOCK = 0;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  sha256: string;
}

/** The migration files of `dir`, in order. */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const out: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    const m = /^(\d{3})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!m) continue;
    const sql = readFileSync(join(dir, file), 'utf8');
    out.push({ version: Number(m[1]), name: m[2]!, sql, sha256: createHash('sha256').update(sql).digest('hex') });
  }
  for (const [i, m] of out.entries()) {
    if (i > 0 && out[i - 1]!.version === m.version) throw new Error(`Two migrations have version ${m.version} (${out[i - 1]!.name}, ${m.name}).`);
  }
  return out;
}

/** The newest schema version this code knows. */
export const LATEST_VERSION = Math.max(0, ...readMigrations().map((m) => m.version));

export interface PoolOptions {
  /** Connections at most (default 10). */
  max?: number;
  /** For the log of a connection that fails while idle. */
  onError?: (err: Error) => void;
}

export function createPool(connectionString: string, options: PoolOptions = {}): Pool {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    // A database that does not answer makes a request fail within seconds, not hang.
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    application_name: 'esign-kit',
  });
  // An idle connection that breaks (the database restarts) must not crash the process: the pool replaces it.
  pool.on('error', (err) => options.onError?.(err));
  return pool;
}

/** Runs `fn` in a transaction on one connection: COMMIT when it resolves, ROLLBACK when it throws. */
export async function transaction<R>(pool: Pool, fn: (client: PoolClient) => Promise<R>): Promise<R> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const out = await fn(client);
    await client.query('COMMIT');
    return out;
  } catch (err) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      // The connection itself failed: drop it from the pool rather than hand it out again.
      broken = rollbackError as Error;
    }
    throw err;
  } finally {
    client.release(broken);
  }
}

export interface MigrationReport {
  /** Versions this call applied (empty: the database was up to date). */
  applied: number[];
  /** The newest version recorded. */
  version: number;
}

/** Applies the migrations of `dir` that the database has not recorded yet (see the header). */
export async function migrate(pool: Pool, options: { dir?: string; onApplied?: (m: Migration) => void } = {}): Promise<MigrationReport> {
  const migrations = readMigrations(options.dir);
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('SELECT pg_advisory_lock($1, $2)', [LOCK_CLASS, MIGRATION_LOCK]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS esign_schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        sha256 text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const { rows } = await client.query<{ version: number; name: string; sha256: string }>('SELECT version, name, sha256 FROM esign_schema_migrations');
      const recorded = new Map(rows.map((r) => [r.version, r]));
      for (const m of migrations) {
        const done = recorded.get(m.version);
        if (done && done.sha256 !== m.sha256) {
          throw new Error(
            `Migration ${String(m.version).padStart(3, '0')}_${m.name}.sql was changed after it was applied (checksum differs): add a new migration instead.`,
          );
        }
      }
      const applied: number[] = [];
      for (const m of migrations) {
        if (recorded.has(m.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query('INSERT INTO esign_schema_migrations (version, name, sha256) VALUES ($1, $2, $3)', [m.version, m.name, m.sha256]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw new Error(`Migration ${String(m.version).padStart(3, '0')}_${m.name}.sql failed: ${(err as Error).message}`, { cause: err });
        }
        applied.push(m.version);
        options.onApplied?.(m);
      }
      // Versions newer than this code (a rolling deployment's newer instances migrated first) are left as they
      // are: a migration adds, so the older code still finds what it uses.
      const version = Math.max(0, ...recorded.keys(), ...applied);
      return { applied, version };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_CLASS, MIGRATION_LOCK]).catch((e: Error) => {
        broken = e;
      });
    }
  } finally {
    client.release(broken);
  }
}

/** Resolves with `pending`, or rejects after `ms`: a health check answers in bounded time. */
function within<T>(pending: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([pending, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

/** The database answers, and holds every migration this code knows. */
export async function pgHealth(pool: Pool, timeoutMs = 2_000): Promise<Extract<StoreHealth, { kind: 'postgresql' }>> {
  try {
    const version = await within(
      (async () => {
        const { rows } = await pool.query<{ present: boolean }>("SELECT to_regclass('esign_schema_migrations') IS NOT NULL AS present");
        if (!rows[0]?.present) return null;
        const max = await pool.query<{ version: number | null }>('SELECT max(version) AS version FROM esign_schema_migrations');
        return max.rows[0]?.version ?? null;
      })(),
      timeoutMs,
    );
    const migrated = version !== null && version >= LATEST_VERSION;
    return { kind: 'postgresql', ok: migrated, reachable: true, migrated, schemaVersion: version };
  } catch {
    return { kind: 'postgresql', ok: false, reachable: false, migrated: false, schemaVersion: null };
  }
}

/** PostgreSQL's text refuses the NUL character: a name holding one was never stored. */
export const hasNul = (s: string) => s.includes('\u0000');
