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

const FOLDERS: Record<string, string> = { [STATE.attempts]: 'attempts', [STATE.landings]: 'landings' };

export class FileStateStore implements StateStore {
  readonly kind = 'filesystem' as const;
  readonly #dataDir: string;
  readonly #now: () => number;
  readonly #namespaces = new Map<string, JsonRecords<Envelope>>();
  readonly #locks = new KeyedQueue();

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

  async update<T, R>(ns: string, key: string, fn: (current: T | undefined) => StateChange<T, R> | Promise<StateChange<T, R>>): Promise<R> {
    const records = this.#records(ns);
    return records.locked(key, async () => {
      const current = this.#live<T>(await records.get(key));
      const change = await fn(current);
      if ('set' in change) await records.put(key, { $v: change.set, $exp: expiryOf(this.#now(), change.ttlMs) });
      else if ('remove' in change) await records.delete(key);
      return change.result;
    });
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
