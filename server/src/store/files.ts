// Durable writes on a filesystem, shared by the file stores (documents, state): a file is written to a
// temporary name beside its destination, fsynced and renamed, and the directory is fsynced after, so that a
// crash leaves either the old file or the new one, never half of one.
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Temporary files are `.<name>.<random>.tmp`: recover() and the crash tests recognise them by this shape. */
export const tempName = (name: string) => `.${name}.${randomBytes(6).toString('hex')}.tmp`;
export const isTempName = (name: string) => name.startsWith('.') && name.endsWith('.tmp');

/** Writes a file durably: a temporary file in `dir`, fsync, rename (the directory is synced by the caller). */
export async function writeAtomic(dir: string, name: string, data: Uint8Array | string): Promise<void> {
  const tmp = join(dir, tempName(name));
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (e) {
    await fh.close();
    // A full disk must not leave half-written files behind.
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    await rename(tmp, join(dir, name));
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

interface DirSync {
  running: Promise<void>;
  next?: Promise<void>;
}

/** Per directory: the fsync running now, and the one that starts after it (which later callers share). */
const dirSyncs = new Map<string, DirSync>();

function startDirSync(dir: string): Promise<void> {
  const entry: DirSync = { running: fsyncDir(dir) };
  dirSyncs.set(dir, entry);
  const settle = () => {
    if (!entry.next && dirSyncs.get(dir) === entry) dirSyncs.delete(dir);
  };
  entry.running.then(settle, settle);
  return entry.running;
}

/**
 * Makes the renames done in `dir` before this call durable: an fsync of the directory that starts after the
 * call. Group commit: callers that arrive while a sync runs (it may have started before their rename) share the
 * one sync that starts when it ends, so concurrent writers to a folder pay one directory fsync, not one each.
 */
export function syncDir(dir: string): Promise<void> {
  const current = dirSyncs.get(dir);
  if (!current) return startDirSync(dir);
  return (current.next ??= current.running.catch(() => undefined).then(() => startDirSync(dir)));
}

/**
 * Runs `fn` when no other call for `key` is running in this process (calls queue in order). The file stores'
 * atomicity: one server per DATA_DIR, so one process decides. `waitMs` bounds the wait (then `onTimeout`).
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  async run<R>(key: string, fn: () => Promise<R>, waitMs?: number, onTimeout?: () => Error): Promise<R> {
    const turn = (this.#tails.get(key) ?? Promise.resolve()).catch(() => undefined);
    let timedOut = false;
    // A caller that gave up waiting never runs, but its place in the queue still follows the one before it.
    const mine = turn.then(() => (timedOut ? undefined : fn()));
    this.#tails.set(key, mine);
    void mine
      .catch(() => undefined)
      .then(() => {
        if (this.#tails.get(key) === mine) this.#tails.delete(key);
      });
    if (waitMs !== undefined) {
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          timedOut = true;
          reject(onTimeout?.() ?? new Error(`Waited more than ${waitMs} ms for ${key}.`));
        }, waitMs);
      });
      try {
        await Promise.race([turn, expired]);
      } finally {
        clearTimeout(timer);
      }
    }
    return (await mine) as R;
  }
}
