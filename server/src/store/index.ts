// Every store the companion server keeps, built from the configuration: PostgreSQL when DATABASE_URL is set
// (any number of instances on one database; migrations applied here, at start), else files under DATA_DIR (one
// instance per DATA_DIR, the default of `npm start`).
//
// | store        | filesystem                   | PostgreSQL                      | used by                                   |
// |--------------|------------------------------|---------------------------------|-------------------------------------------|
// | documents    | FileDocumentStore            | PgDocumentStore                 | ctx.store (every route that stores)       |
// | state        | FileStateStore               | PgStateStore                    | state.ts lists each namespace and route   |
// | attempts     | StateAttemptStore on state   | same                            | auth/attempts.ts AttemptLimiter           |
// | idempotency  | IdempotencyStore on state    | same                            | the signing and sending routes (wiring)   |
// | landings     | LandingRecords on state      | same                            | routes/callback.ts, routes/webviews.ts    |
import type { Logger } from '../log/logger.js';
import { StateAttemptStore, type AttemptStore } from './attempts.js';
import type { DocumentStore, StoreHealth } from './document-model.js';
import { FileDocumentStore } from './file-documents.js';
import { FileStateStore } from './file-state.js';
import { IdempotencyStore, type IdempotencyOptions } from './idempotency.js';
import { LandingRecords } from './landings.js';
import { createPool, migrate, type MigrationReport } from './pg.js';
import { PgDocumentStore } from './pg-documents.js';
import { PgStateStore } from './pg-state.js';
import type { StateStore } from './state.js';

export interface Stores {
  kind: 'filesystem' | 'postgresql';
  documents: DocumentStore;
  state: StateStore;
  attempts: AttemptStore;
  idempotency: IdempotencyStore;
  landings: LandingRecords;
  /** PostgreSQL: what migrate() did at start. */
  migrations?: MigrationReport;
  health(): Promise<StoreHealth>;
  /** Stops the sweep of expired state and closes the database connections. */
  close(): Promise<void>;
}

export interface StoreOptions {
  dataDir: string;
  /** postgres://… — PostgreSQL instead of DATA_DIR. */
  databaseUrl?: string | undefined;
  logger?: Logger;
  /** Connections of the main pool (default 10); withLock has a pool of its own of the same size. */
  poolMax?: number;
  /** How often expired state is removed (default every 10 minutes; 0: never). */
  sweepEveryMs?: number;
  idempotency?: IdempotencyOptions;
  now?: () => number;
}

type Base = Pick<Stores, 'kind' | 'documents' | 'state' | 'migrations' | 'close'>;

async function openPostgres(databaseUrl: string, options: StoreOptions, clock: { now?: () => number }): Promise<Base> {
  const onError = (err: Error) => options.logger?.warn({ err: { message: err.message } }, 'database connection lost while idle');
  const pool = createPool(databaseUrl, { max: options.poolMax ?? 10, onError });
  const lockPool = createPool(databaseUrl, { max: options.poolMax ?? 10, onError });
  try {
    const migrations = await migrate(pool, {
      onApplied: (m) => options.logger?.info({ migration: `${String(m.version).padStart(3, '0')}_${m.name}` }, 'database migration applied'),
    });
    return {
      kind: 'postgresql',
      documents: new PgDocumentStore(pool),
      state: new PgStateStore(pool, lockPool, clock),
      migrations,
      close: async () => {
        await Promise.all([pool.end(), lockPool.end()]);
      },
    };
  } catch (err) {
    await Promise.allSettled([pool.end(), lockPool.end()]);
    throw err;
  }
}

export async function openStores(options: StoreOptions): Promise<Stores> {
  const clock = options.now ? { now: options.now } : {};
  const base: Base = options.databaseUrl
    ? await openPostgres(options.databaseUrl, options, clock)
    : {
        kind: 'filesystem',
        documents: new FileDocumentStore(options.dataDir),
        state: new FileStateStore(options.dataDir, clock),
        close: async () => undefined,
      };
  const { state, documents } = base;
  const every = options.sweepEveryMs ?? 10 * 60_000;
  const sweeper =
    every > 0
      ? setInterval(() => {
          state.sweep().catch((err: Error) => options.logger?.warn({ err: { message: err.message } }, 'sweeping expired state failed'));
        }, every).unref()
      : undefined;
  return {
    ...base,
    attempts: new StateAttemptStore(state),
    idempotency: new IdempotencyStore(state, { ...options.idempotency, ...clock }),
    landings: new LandingRecords(state),
    health: () => documents.health(),
    close: async () => {
      clearInterval(sweeper);
      await base.close();
    },
  };
}

export { FileDocumentStore, FileStateStore, IdempotencyStore, LandingRecords, PgDocumentStore, PgStateStore, StateAttemptStore };
export type { AttemptStore, DocumentStore, StateStore, StoreHealth };
