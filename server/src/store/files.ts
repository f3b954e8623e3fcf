// Durable writes on a filesystem, shared by the file stores (documents, state): a file is written to a
// temporary name beside its destination, fsynced and renamed, and the directory is fsynced after, so that a
// crash leaves either the old file or the new one, never half of one.
import { randomBytes } from 'node:crypto';
import { close, fsync, open, write } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Files are opened, written, fsynced and closed through fs's callback API (promisified once) on plain file
 * descriptors, not fs/promises FileHandles: every put and every state write pays these calls, and a FileHandle
 * (an object per open file, its own promise per call, a finaliser) cost a 1 KB put about 0.14 ms more CPU, a third
 * of the store's own (measured: the commit that brought this in). Whoever opens an fd closes it on every path.
 */
export const openFd = promisify(open);
export const fsyncFd = promisify(fsync);
export const closeFd = promisify(close);
const writeFd = promisify(write);

/** Writes all of `bytes` at the fd's position (a write may take fewer bytes than it was given). */
export async function writeAll(fd: number, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.byteLength;) at += (await writeFd(fd, bytes, at, bytes.byteLength - at)).bytesWritten;
}

/** Temporary files are `.<name>.<random>.tmp`: recover() and the crash tests recognise them by this shape. */
export const tempName = (name: string) => `.${name}.${randomBytes(6).toString('hex')}.tmp`;
export const isTempName = (name: string) => name.startsWith('.') && name.endsWith('.tmp');

/** Writes a file durably: a temporary file in `dir`, fsync, rename (the directory is synced by the caller). */
export async function writeAtomic(dir: string, name: string, data: Uint8Array | string): Promise<void> {
  const tmp = join(dir, tempName(name));
  const fd = await openFd(tmp, 'wx', 0o600);
  try {
    await writeAll(fd, typeof data === 'string' ? Buffer.from(data) : data);
    await fsyncFd(fd);
  } catch (e) {
    await closeFd(fd);
    // A full disk must not leave half-written files behind.
    await rm(tmp, { force: true });
    throw e;
  }
  await closeFd(fd);
  try {
    await rename(tmp, join(dir, name));
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const fd = await openFd(dir, 'r');
  try {
    await fsyncFd(fd);
  } finally {
    await closeFd(fd);
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
