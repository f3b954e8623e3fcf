// Small JSON records on disk under DATA_DIR/<folder>, one file per key, written atomically (temporary file,
// fsync, rename, fsync of the directory: files.ts), so that they hold across a restart or a crash.
// File names are the SHA-256 of the key: keys carry NIKs and e-mail addresses, which have no place in a path.
// A bounded cache answers reads (one server per DATA_DIR, so it is never stale), and `locked` runs a
// read-modify-write of one key at a time. A read that overlaps a write is answered but not cached: its file may
// have been read before the write landed, and caching it would hide the write from every later read (an
// attempt count that forgot a failure).
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isTempName, KeyedQueue, syncDir, writeAtomic } from './files.js';

const CACHE_MAX = 10_000;

export class JsonRecords<T> {
  readonly dir: string;
  readonly #cache = new Map<string, T | null>();
  readonly #locks = new KeyedQueue();
  /** Bumped when a write or removal completes: a read that saw it change was overlapped. */
  #writes = 0;

  constructor(dataDir: string, folder: string) {
    this.dir = join(dataDir, folder);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  #file(key: string): string {
    return `${createHash('sha256').update(key).digest('hex')}.json`;
  }

  #remember(key: string, value: T | null): void {
    this.#cache.delete(key);
    this.#cache.set(key, value);
    if (this.#cache.size > CACHE_MAX) this.#cache.delete(this.#cache.keys().next().value!);
  }

  async get(key: string): Promise<T | undefined> {
    const cached = this.#cache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const writes = this.#writes;
    let value: T | null;
    try {
      value = JSON.parse(await readFile(join(this.dir, this.#file(key)), 'utf8')) as T;
    } catch {
      value = null;
    }
    if (writes === this.#writes) this.#remember(key, value);
    return value ?? undefined;
  }

  async put(key: string, value: T): Promise<void> {
    await writeAtomic(this.dir, this.#file(key), JSON.stringify(value));
    await syncDir(this.dir);
    this.#writes++;
    this.#remember(key, value);
  }

  async delete(key: string): Promise<void> {
    if (this.#cache.get(key) === null) return;
    await rm(join(this.dir, this.#file(key)), { force: true });
    this.#writes++;
    this.#remember(key, null);
  }

  /** Runs `fn` when no other `locked` call for `key` is running in this process. */
  locked<R>(key: string, fn: () => Promise<R>): Promise<R> {
    return this.#locks.run(this.#file(key), fn);
  }

  /**
   * Removes every record for which `expired` is true (the sweep of expired state). Records are read by file,
   * not through the cache.
   */
  async removeWhere(expired: (value: T) => boolean): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.dir)) {
      if (isTempName(name) || !/^[0-9a-f]{64}\.json$/.test(name)) continue;
      // Under the key's lock (locks are by file name): an update in between is not undone.
      removed += await this.#locks.run(name, async () => {
        let value: T;
        try {
          value = JSON.parse(await readFile(join(this.dir, name), 'utf8')) as T;
        } catch {
          return 0;
        }
        if (!expired(value)) return 0;
        await rm(join(this.dir, name), { force: true });
        this.#writes++;
        return 1;
      });
    }
    // Keys are not known from file names: the cache is dropped (an expired value read from it is absent anyway).
    if (removed) this.#cache.clear();
    return removed;
  }
}
