// Documents as files under DATA_DIR/documents: `<id>.pdf` and its record `<id>.json` (SHA-256, size, owner,
// origin), and the provider-reference index under DATA_DIR/refs (`<source>-<hash>`: the newest document's id;
// `owner-…`: who created the reference; `signers-…`: who signs it). One server per DATA_DIR: the locks here are
// in-process.
//
// The record is a document's commit point: every reader starts from it (meta, get, open, the reference index),
// and nothing lists the PDFs, so a PDF without its record is never served. A put therefore chooses the id first
// and streams the bytes straight to `<id>.pdf` (hashing them as they come; putFile renames its file there
// instead), fsyncs it, and only then writes the record atomically (a temporary file, fsync, rename) and fsyncs
// the folder. A crash leaves a PDF without its record, or a temporary file of the record, never a record without
// its bytes; recover() removes both (neither was acknowledged) and restores the reference index from the records.
import { createHash } from 'node:crypto';
import { constants, createReadStream, mkdirSync } from 'node:fs';
import { access, open, readdir, readFile, rename, rm, statfs, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { ProviderId } from '../providers/adapters.js';
import {
  assertDocumentId,
  asBytes,
  indexedRef,
  newDocumentId,
  notFound,
  recordedFileName,
  refNotFound,
  sha256,
  StoreError,
  verifying,
  type DocumentSource,
  type ByteSource,
  type DocumentStore,
  type PutInfo,
  type RecoveryReport,
  type StoredDocumentMeta,
  type StoreHealth,
  type WrittenFile,
} from './document-model.js';
import { closeFd, fsyncFd, isTempName, KeyedQueue, openFd, syncDir, writeAll, writeAtomic } from './files.js';

/** A document's bytes at `<id>.pdf`, fsynced, with their digest: stored once its record is written (#commit). */
interface Spooled {
  id: string;
  path: string;
  sha256: string;
  size: number;
}

export class FileDocumentStore implements DocumentStore {
  readonly kind = 'filesystem' as const;
  readonly dir: string;
  readonly #refs: string;
  /** Puts for one provider reference, one at a time (so that two identical downloads store one document). */
  readonly #refLocks = new KeyedQueue();

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'documents');
    this.#refs = join(dataDir, 'refs');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    mkdirSync(this.#refs, { recursive: true, mode: 0o700 });
  }

  pdfPath(id: string): string {
    assertDocumentId(id);
    return join(this.dir, `${id}.pdf`);
  }

  put(bytes: Uint8Array, info: PutInfo): Promise<StoredDocumentMeta> {
    return this.putStream([bytes], info);
  }

  async putStream(source: ByteSource, info: PutInfo): Promise<StoredDocumentMeta> {
    return this.#place(await this.#spool(source), info);
  }

  /**
   * The file is fsynced where it is, then renamed to `<id>.pdf`: from there it is what #spool would have written
   * (its digest computed while it was written), without reading it again. On another filesystem (EXDEV), it is
   * copied as putStream copies.
   */
  async putFile(file: WrittenFile, info: PutInfo): Promise<StoredDocumentMeta> {
    const id = newDocumentId();
    const path = this.pdfPath(id);
    let moved = false;
    try {
      const fh = await open(file.path, 'r');
      try {
        if ((await fh.stat()).size !== file.size) throw new Error(`${file.path} is not the size it was written with.`);
        await fh.sync();
      } finally {
        await fh.close();
      }
      try {
        await rename(file.path, path);
        moved = true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
        return await this.putStream(createReadStream(file.path, { highWaterMark: 256 * 1024 }), info);
      }
    } finally {
      // The file is the store's: once renamed it is gone from `file.path`; otherwise (copied, or refused) remove it.
      if (!moved) await rm(file.path, { force: true });
    }
    return this.#place({ id, path, sha256: file.sha256, size: file.size }, info);
  }

  /**
   * Commits a spooled document, or, when the same bytes are already stored for its provider reference, removes
   * it and returns the one stored. Either way no uncommitted PDF stays (#commit removes it if its record fails).
   */
  async #place(spooled: Spooled, info: PutInfo): Promise<StoredDocumentMeta> {
    const indexed = indexedRef(info);
    if (!indexed) return this.#commit(spooled, info);
    return this.#refLocks.run(this.#refName(indexed.source, indexed.ref), async () => {
      let known: StoredDocumentMeta | undefined;
      try {
        known = await this.byProviderRef(indexed.source, indexed.ref, info.owner);
      } catch (e) {
        await rm(spooled.path, { force: true });
        throw e;
      }
      if (known && known.sha256 === spooled.sha256 && known.size === spooled.size) {
        await unlink(spooled.path);
        return known;
      }
      return this.#commit(spooled, info);
    });
  }

  /** Writes the bytes to `<id>.pdf` under a new id, hashing them; fsynced before it resolves (no record yet). */
  async #spool(source: ByteSource): Promise<Spooled> {
    const id = newDocumentId();
    const path = this.pdfPath(id);
    const hash = createHash('sha256');
    let size = 0;
    const fd = await openFd(path, 'wx', 0o600);
    try {
      for await (const piece of source) {
        const bytes = asBytes(piece);
        hash.update(bytes);
        size += bytes.byteLength;
        await writeAll(fd, bytes);
      }
      await fsyncFd(fd);
    } catch (e) {
      await closeFd(fd);
      // A failed source or a full disk must not leave half-written files behind.
      await rm(path, { force: true });
      throw e;
    }
    await closeFd(fd);
    return { id, path, sha256: hash.digest('hex'), size };
  }

  /** Writes the record of a spooled PDF (its commit point), syncs the folder, then indexes its reference. */
  async #commit(spooled: Spooled, info: PutInfo): Promise<StoredDocumentMeta> {
    const { id } = spooled;
    const meta: StoredDocumentMeta = {
      id,
      sha256: spooled.sha256,
      size: spooled.size,
      createdAt: new Date().toISOString(),
      source: info.source,
      owner: info.owner,
      fileName: recordedFileName(info.fileName),
      ...(info.providerRef !== undefined ? { providerRef: info.providerRef } : {}),
    };
    try {
      await writeAtomic(this.dir, `${id}.json`, JSON.stringify(meta));
    } catch (e) {
      // A PDF without its record is never served: remove it rather than leave it behind.
      await rm(spooled.path, { force: true });
      throw e;
    }
    await syncDir(this.dir);
    const indexed = indexedRef(info);
    if (indexed) {
      await this.claimRef(indexed.source, indexed.ref, info.owner);
      await writeAtomic(this.#refs, this.#refName(indexed.source, indexed.ref), id);
      await syncDir(this.#refs);
    }
    return meta;
  }

  /**
   * After a crash (kill -9, power loss), before the server answers anything: removes the temporary files of
   * writes that never completed and every PDF whose record was never written (neither was acknowledged), and
   * points each provider reference whose index entry is missing or dangling at its newest stored document
   * (a crash between a record and its index entry must not make the document be fetched and stored twice).
   * One server per DATA_DIR: never run this while another process writes to the same store.
   */
  async recover(): Promise<RecoveryReport> {
    const removed: string[] = [];
    const names = await readdir(this.dir);
    const records = new Set(names.filter((n) => /^[0-9a-f]{32}\.json$/.test(n)).map((n) => n.slice(0, 32)));
    for (const name of names) {
      const pdf = /^([0-9a-f]{32})\.pdf$/.exec(name);
      if (isTempName(name) || (pdf && !records.has(pdf[1]!))) {
        await rm(join(this.dir, name), { force: true });
        removed.push(name);
      }
    }
    for (const name of await readdir(this.#refs)) {
      if (isTempName(name)) {
        await rm(join(this.#refs, name), { force: true });
        removed.push(`refs/${name}`);
      }
    }
    // The newest record of each (source, reference, owner).
    const newest = new Map<string, StoredDocumentMeta>();
    for (const id of records) {
      let meta: StoredDocumentMeta;
      try {
        meta = JSON.parse(await readFile(join(this.dir, `${id}.json`), 'utf8')) as StoredDocumentMeta;
      } catch {
        continue;
      }
      if (meta.providerRef === undefined || meta.source === 'upload' || !records.has(meta.id)) continue;
      const key = this.#refName(meta.source, meta.providerRef);
      const seen = newest.get(key);
      if (!seen || seen.createdAt < meta.createdAt) newest.set(key, meta);
    }
    let refsRestored = 0;
    for (const [key, meta] of newest) {
      let current: string | undefined;
      try {
        current = (await readFile(join(this.#refs, key), 'utf8')).trim();
      } catch {
        current = undefined;
      }
      if (current !== undefined && records.has(current)) continue;
      const claimed = await readFile(join(this.#refs, `owner-${key}`), 'utf8').catch(() => undefined);
      if (claimed === undefined) await this.claimRef(meta.source as ProviderId, meta.providerRef!, meta.owner);
      await writeAtomic(this.#refs, key, meta.id);
      refsRestored++;
    }
    if (removed.length) await syncDir(this.dir);
    if (refsRestored || removed.length) await syncDir(this.#refs);
    return { removed, refsRestored };
  }

  async meta(id: string, owner: string): Promise<StoredDocumentMeta> {
    assertDocumentId(id);
    let meta: StoredDocumentMeta;
    try {
      meta = JSON.parse(await readFile(join(this.dir, `${id}.json`), 'utf8')) as StoredDocumentMeta;
    } catch {
      throw notFound();
    }
    if (meta.owner !== owner) throw notFound();
    return meta;
  }

  async get(id: string, owner: string): Promise<{ meta: StoredDocumentMeta; bytes: Uint8Array }> {
    const meta = await this.meta(id, owner);
    let bytes: Uint8Array;
    try {
      // A view of what readFile read (its own buffer): no second copy of a large document.
      const read = await readFile(this.pdfPath(id));
      bytes = new Uint8Array(read.buffer, read.byteOffset, read.byteLength);
    } catch {
      throw notFound();
    }
    if (bytes.byteLength !== meta.size || sha256(bytes) !== meta.sha256)
      throw new StoreError('document-corrupt', 'The stored document does not match its checksum.');
    return { meta, bytes };
  }

  async open(id: string, owner: string): Promise<{ meta: StoredDocumentMeta; stream: Readable }> {
    const meta = await this.meta(id, owner);
    let fh;
    try {
      fh = await open(this.pdfPath(id), 'r');
    } catch {
      throw notFound();
    }
    const file = fh.createReadStream({ highWaterMark: 256 * 1024 });
    const checked = verifying(meta);
    file.on('error', (e) => checked.destroy(e));
    checked.on('close', () => file.destroy());
    return { meta, stream: file.pipe(checked) };
  }

  async byProviderRef(source: ProviderId, ref: string, owner: string): Promise<StoredDocumentMeta | undefined> {
    let id: string;
    try {
      id = (await readFile(join(this.#refs, this.#refName(source, ref)), 'utf8')).trim();
    } catch {
      return undefined;
    }
    return /^[0-9a-f]{32}$/.test(id) ? this.meta(id, owner).catch(() => undefined) : undefined;
  }

  async claimRef(source: ProviderId, ref: string, owner: string): Promise<void> {
    await writeAtomic(this.#refs, `owner-${this.#refName(source, ref)}`, owner);
  }

  async assertRefOwner(source: ProviderId, ref: string, owner: string): Promise<void> {
    let recorded: string | undefined;
    try {
      recorded = await readFile(join(this.#refs, `owner-${this.#refName(source, ref)}`), 'utf8');
    } catch {
      recorded = undefined;
    }
    if (recorded !== owner) throw refNotFound(source);
  }

  async recordSigners(source: ProviderId, ref: string, signers: readonly string[]): Promise<void> {
    await writeAtomic(this.#refs, `signers-${this.#refName(source, ref)}`, JSON.stringify(signers));
  }

  async signersOf(source: ProviderId, ref: string): Promise<string[] | undefined> {
    try {
      const list = JSON.parse(await readFile(join(this.#refs, `signers-${this.#refName(source, ref)}`), 'utf8')) as unknown;
      return Array.isArray(list) && list.every((s) => typeof s === 'string') ? (list as string[]) : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * The store's folders are writable (permissions, a read-only mount: EROFS) and their filesystem has room.
   * Nothing is written: a probe file would show up in DATA_DIR while others list it.
   */
  async health(): Promise<StoreHealth> {
    let writable: boolean;
    try {
      await Promise.all([access(this.dir, constants.W_OK), access(this.#refs, constants.W_OK)]);
      const fs = await statfs(this.dir);
      writable = fs.bavail > 0;
    } catch {
      writable = false;
    }
    return { kind: 'filesystem', ok: writable, writable };
  }

  #refName(source: DocumentSource, ref: string): string {
    return `${source}-${createHash('sha256').update(ref).digest('hex').slice(0, 40)}`;
  }
}
