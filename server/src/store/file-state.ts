// State as small JSON files (records.ts): DATA_DIR/state/<namespace>/<sha256 of key>.json, except the two
// namespaces that had folders of their own before this store (DATA_DIR/attempts, DATA_DIR/landings), so that
// their records survive the upgrade. A file holds { "$v": value, "$exp": epoch ms | null }; a file without "$v"
// is such an older record, its value the whole file, with no expiry. One server per DATA_DIR: update() and
// withLock() serialise in this process.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreError } from './document-model.js';
import { KeyedQueue } from './files.js';
import { JsonRecords } from './records.js';
import { assertNamespace, expiryOf, NAMESPACE, STATE, type StateChange, type StateStore } from './state.js';

interface Envelope {
  $v?: unknown;
  $exp?: number | null;
}

interface QueuedUpdate {
  fn: (current: unknown) => StateChange<unknown, unknown> | Promise<StateChange<unknown, unknown>>;
  resolve: (result: unknown) => void;
  reject: (err: unknown) => void;
}

const FOLDERS: Record<string, string> = { [STATE.attempts]: 'attempts', [STATE.landings]: 'landings' };

export class FileStateStore implements StateStore {
  readonly kind = 'filesystem' as const;
  readonly #dataDir: string;
  readonly #now: () => number;
  readonly #namespaces = new Map<string, JsonRecords<Envelope>>();
  readonly #locks = new KeyedQueue();
  /** Per namespace and key: the updates waiting for the key's lock, to be applied and written together. */
  readonly #gathering = new Map<string, QueuedUpdate[]>();

  constructor(dataDir: string, options: { now?: () => number } = {}) {
    this.#dataDir = dataDir;
    this.#now = options.now ?? Date.now;
  }

  #records(ns: string): JsonRecords<Envelope> {
    let records = this.#namespaces.get(ns);
    if (!records) {
      assertNamespace(ns);
      records = new JsonRecords<Envelope>(this.#dataDir, FOLDERS[ns] ?? join('state', ns));
      this.#namespaces.set(ns, records);
    }
    return records;
  }

  #live<T>(envelope: Envelope | undefined): T | undefined {
    if (envelope === undefined || envelope === null) return undefined;
    if (!('$v' in envelope)) return envelope as T;
    if (typeof envelope.$exp === 'number' && envelope.$exp <= this.#now()) return undefined;
    return envelope.$v as T;
  }

  async get<T>(ns: string, key: string): Promise<T | undefined> {
    return this.#live<T>(await this.#records(ns).get(key));
  }

  async put<T>(ns: string, key: string, value: T, ttlMs?: number): Promise<void> {
    const records = this.#records(ns);
    await records.locked(key, () => records.put(key, { $v: value, $exp: expiryOf(this.#now(), ttlMs) }));
  }

  async delete(ns: string, key: string): Promise<void> {
    const records = this.#records(ns);
    await records.locked(key, () => records.delete(key));
  }

  /**
   * Group commit: updates of one key that arrive while it is locked (another update writing it) run together
   * once the lock is theirs, each `fn` in turn on what the one before decided, and the key is written once for
   * all of them; every one resolves after that write is durable (or all fail with it). Concurrent requests that
   * each add to one record (a user's flow index) pay one write instead of one each.
   */
  update<T, R>(ns: string, key: string, fn: (current: T | undefined) => StateChange<T, R> | Promise<StateChange<T, R>>): Promise<R> {
    const records = this.#records(ns);
    return new Promise<R>((resolve, reject) => {
      const op = { fn, resolve, reject } as unknown as QueuedUpdate;
      const id = `${ns}\u0000${key}`;
      const gathering = this.#gathering.get(id);
      if (gathering) return void gathering.push(op);
      const batch = [op];
      this.#gathering.set(id, batch);
      void records.locked(key, async () => {
        // Whoever queued until the lock was ours is in this batch; later updates gather for the next one.
        if (this.#gathering.get(id) === batch) this.#gathering.delete(id);
        await this.#applyBatch(records, key, batch);
      });
    });
  }

  async #applyBatch(records: JsonRecords<Envelope>, key: string, batch: QueuedUpdate[]): Promise<void> {
    let current: unknown;
    try {
      current = this.#live(await records.get(key));
    } catch (e) {
      for (const op of batch) op.reject(e);
      return;
    }
    let write: { set: Envelope } | { remove: true } | undefined;
    const decided: [QueuedUpdate, unknown][] = [];
    for (const op of batch) {
      let change: StateChange<unknown, unknown>;
      try {
        change = await op.fn(current);
      } catch (e) {
        op.reject(e); // this update only: the others go on from the value before it
        continue;
      }
      if ('set' in change) {
        current = change.set;
        write = { set: { $v: change.set, $exp: expiryOf(this.#now(), change.ttlMs) } };
      } else if ('remove' in change) {
        current = undefined;
        write = { remove: true };
      }
      decided.push([op, change.result]);
    }
    try {
      if (write && 'set' in write) await records.put(key, write.set);
      else if (write) await records.delete(key);
    } catch (e) {
      for (const [op] of decided) op.reject(e);
      return;
    }
    for (const [op, result] of decided) op.resolve(result);
  }

  withLock<R>(name: string, fn: () => Promise<R>, options: { waitMs?: number } = {}): Promise<R> {
    const waitMs = options.waitMs ?? 30_000;
    return this.#locks.run(
      name,
      fn,
      waitMs,
      () => new StoreError('busy', `Another request is still working on this (${name.split(':')[0]}); try again shortly.`),
    );
  }

  /** Every namespace on disk, not only those this process opened: expired values of a previous run go too. */
  async sweep(): Promise<number> {
    const now = this.#now();
    const onDisk = await readdir(join(this.#dataDir, 'state')).catch(() => [] as string[]);
    for (const ns of [...Object.keys(FOLDERS), ...onDisk.filter((n) => NAMESPACE.test(n))]) this.#records(ns);
    let removed = 0;
    for (const records of this.#namespaces.values()) removed += await records.removeWhere((e) => typeof e?.$exp === 'number' && e.$exp <= now);
    return removed;
  }
}
