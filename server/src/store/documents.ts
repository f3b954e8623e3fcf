// Signed (and uploaded) PDFs on disk under DATA_DIR/documents. A document is acknowledged only after
// its bytes and its sidecar (SHA-256, size, origin) are both written atomically — temp file, fsync,
// rename, fsync of the directory — so a restart never loses or half-serves what a response mentioned.
// A document fetched for a provider reference (a Peruri order, a Digisign document) is stored once: the
// same bytes for the same reference give the record already stored. After a crash, recover() removes
// what unfinished writes left (temporary files, a PDF whose record was never written: neither was ever
// acknowledged) and restores the reference index from the records.
// Ids are 32 lowercase hex characters (128 random bits); anything else is refused before touching a path.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProviderId } from '../providers/adapters.js';

export const DOCUMENT_ID = /^[0-9a-f]{32}$/;

export type DocumentSource = 'upload' | ProviderId;

export interface StoredDocumentMeta {
  id: string;
  sha256: string;
  size: number;
  createdAt: string;
  source: DocumentSource;
  /** The portal user (`sub`) whose request stored it. */
  owner: string;
  fileName: string;
  /** The provider's own reference (BSrE v1 id_dokumen, Peruri orderId, Digisign document_id). */
  providerRef?: string;
}

export class StoreError extends Error {
  constructor(
    readonly code: 'document-not-found' | 'invalid-document-id' | 'document-corrupt' | 'reference-not-found',
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Writes a file durably: a temporary file in `dir`, fsync, rename (the directory is synced by the caller). */
export async function writeAtomic(dir: string, name: string, data: Uint8Array | string): Promise<void> {
  const tmp = join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
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

export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** What recover() found and did. */
export interface RecoveryReport {
  /** Temporary files and record-less PDFs removed (file names). */
  removed: string[];
  /** Provider references pointed again at their newest stored document. */
  refsRestored: number;
}

export class DocumentStore {
  readonly dir: string;
  readonly #refs: string;
  /** Puts for one provider reference, one at a time (so that two identical downloads store one document). */
  readonly #refLocks = new Map<string, Promise<unknown>>();

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'documents');
    this.#refs = join(dataDir, 'refs');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    mkdirSync(this.#refs, { recursive: true, mode: 0o700 });
  }

  pdfPath(id: string): string {
    if (!DOCUMENT_ID.test(id)) throw new StoreError('invalid-document-id', 'A document id is 32 hexadecimal characters.');
    return join(this.dir, `${id}.pdf`);
  }

  /**
   * Writes the PDF and its sidecar durably; resolves only when both are on disk. With a provider reference,
   * the same bytes already stored for that reference and owner are not stored again: their record is returned.
   */
  async put(bytes: Uint8Array, info: { source: DocumentSource; owner: string; fileName?: string; providerRef?: string }): Promise<StoredDocumentMeta> {
    const digest = sha256(bytes);
    if (info.providerRef === undefined || info.source === 'upload') return this.#write(bytes, digest, info);
    const source = info.source;
    const ref = info.providerRef;
    const key = this.#refName(source, ref);
    const previous = this.#refLocks.get(key) ?? Promise.resolve();
    const mine = previous.catch(() => undefined).then(async () => {
      const known = await this.byProviderRef(source, ref, info.owner);
      if (known && known.sha256 === digest && known.size === bytes.byteLength) return known;
      return this.#write(bytes, digest, info);
    });
    this.#refLocks.set(key, mine);
    try {
      return await mine;
    } finally {
      if (this.#refLocks.get(key) === mine) this.#refLocks.delete(key);
    }
  }

  async #write(bytes: Uint8Array, digest: string, info: { source: DocumentSource; owner: string; fileName?: string; providerRef?: string }): Promise<StoredDocumentMeta> {
    const id = randomBytes(16).toString('hex');
    const meta: StoredDocumentMeta = {
      id,
      sha256: digest,
      size: bytes.byteLength,
      createdAt: new Date().toISOString(),
      source: info.source,
      owner: info.owner,
      fileName: (info.fileName ?? 'document.pdf').replace(/[^\w.\- ]+/g, '_').slice(0, 100) || 'document.pdf',
      ...(info.providerRef !== undefined ? { providerRef: info.providerRef } : {}),
    };
    await writeAtomic(this.dir, `${id}.pdf`, bytes);
    try {
      await writeAtomic(this.dir, `${id}.json`, JSON.stringify(meta));
    } catch (e) {
      // A PDF without its record is never served: remove it rather than leave it behind.
      await rm(join(this.dir, `${id}.pdf`), { force: true });
      throw e;
    }
    await syncDir(this.dir);
    if (info.providerRef !== undefined && info.source !== 'upload') {
      await this.claimRef(info.source, info.providerRef, info.owner);
      await writeAtomic(this.#refs, this.#refName(info.source, info.providerRef), id);
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
      if ((name.startsWith('.') && name.endsWith('.tmp')) || (pdf && !records.has(pdf[1]!))) {
        await rm(join(this.dir, name), { force: true });
        removed.push(name);
      }
    }
    for (const name of await readdir(this.#refs)) {
      if (name.startsWith('.') && name.endsWith('.tmp')) {
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

  /**
   * A document's record, for its owner only: another portal user gets the same "not found" as for an id that
   * does not exist, so ids reveal nothing (they also appear in logs).
   */
  async meta(id: string, owner: string): Promise<StoredDocumentMeta> {
    this.pdfPath(id);
    let meta: StoredDocumentMeta;
    try {
      meta = JSON.parse(await readFile(join(this.dir, `${id}.json`), 'utf8')) as StoredDocumentMeta;
    } catch {
      throw new StoreError('document-not-found', 'No stored document has this id.');
    }
    if (meta.owner !== owner) throw new StoreError('document-not-found', 'No stored document has this id.');
    return meta;
  }

  /** The bytes, checked against the recorded checksum (owner only). */
  async get(id: string, owner: string): Promise<{ meta: StoredDocumentMeta; bytes: Uint8Array }> {
    const meta = await this.meta(id, owner);
    let bytes: Uint8Array;
    try {
      // A view of what readFile read (its own buffer): no second copy of a large document.
      const read = await readFile(this.pdfPath(id));
      bytes = new Uint8Array(read.buffer, read.byteOffset, read.byteLength);
    } catch {
      throw new StoreError('document-not-found', 'No stored document has this id.');
    }
    if (sha256(bytes) !== meta.sha256) throw new StoreError('document-corrupt', 'The stored document does not match its checksum.');
    return { meta, bytes };
  }

  /** The stored document for a provider reference (BSrE v1 id_dokumen…), if one was stored for this owner. */
  async byProviderRef(source: ProviderId, ref: string, owner: string): Promise<StoredDocumentMeta | undefined> {
    let id: string;
    try {
      id = (await readFile(join(this.#refs, this.#refName(source, ref)), 'utf8')).trim();
    } catch {
      return undefined;
    }
    return DOCUMENT_ID.test(id) ? this.meta(id, owner).catch(() => undefined) : undefined;
  }

  /**
   * Records which portal user created a provider reference (a Peruri order, a Digisign document, a BSrE v1
   * id): provider ids are often guessable (Peruri's count up), so every later call naming one is checked.
   */
  async claimRef(source: ProviderId, ref: string, owner: string): Promise<void> {
    await writeAtomic(this.#refs, `owner-${this.#refName(source, ref)}`, owner);
  }

  /** Throws "not found" unless `owner` created the reference through this server. */
  async assertRefOwner(source: ProviderId, ref: string, owner: string): Promise<void> {
    let recorded: string | undefined;
    try {
      recorded = await readFile(join(this.#refs, `owner-${this.#refName(source, ref)}`), 'utf8');
    } catch {
      recorded = undefined;
    }
    if (recorded !== owner) throw new StoreError('reference-not-found', `No ${source} reference with this id was created by you through this server.`);
  }

  /**
   * Records whose provider identities (e-mail addresses) sign a reference — a Peruri order's signer, a tier's
   * signers — so that every later call naming it checks the caller's token names them (http/guards.ts).
   */
  async recordSigners(source: ProviderId, ref: string, signers: readonly string[]): Promise<void> {
    await writeAtomic(this.#refs, `signers-${this.#refName(source, ref)}`, JSON.stringify(signers));
  }

  /** The signers recorded for a reference; undefined for one created before signers were recorded. */
  async signersOf(source: ProviderId, ref: string): Promise<string[] | undefined> {
    try {
      const list = JSON.parse(await readFile(join(this.#refs, `signers-${this.#refName(source, ref)}`), 'utf8')) as unknown;
      return Array.isArray(list) && list.every((s) => typeof s === 'string') ? (list as string[]) : undefined;
    } catch {
      return undefined;
    }
  }

  #refName(source: DocumentSource, ref: string): string {
    return `${source}-${createHash('sha256').update(ref).digest('hex').slice(0, 40)}`;
  }
}
