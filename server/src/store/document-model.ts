// Signed (and uploaded) PDFs: what every document store promises, whichever holds the bytes — files under
// DATA_DIR (file-documents.ts, one server per DATA_DIR) or PostgreSQL (pg-documents.ts, any number of
// instances on one database).
//
// - A document is acknowledged only once its bytes and its record (SHA-256, size, owner, origin) are durably
//   stored: nothing a response mentions is lost by a crash or a restart, and nothing half-written is served.
// - Bytes stream in (putStream) and out (open) in chunks: no store holds a whole document in one buffer.
//   Reading checks the recorded checksum; a document that no longer matches it is an error, never served.
// - A document belongs to the portal user (`sub`) whose request stored it; anyone else is told "not found".
// - A provider reference (a Peruri order, a Digisign document, a BSrE v1 id_dokumen or cloud id_signed) has one
//   owner, its signers, and an index to its newest document. A signed document fetched for a reference is
//   stored once: the same bytes for the same reference and owner give the record already stored, even when
//   two instances store it at the same moment.
// Ids are 32 lowercase hex characters (128 random bits); anything else is refused before any lookup.
import { createHash, randomBytes } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import type { ProviderId } from '../providers/adapters.js';

export { syncDir, writeAtomic } from './files.js';

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

/**
 * A document already written to a file of its own by whoever received it (a provider's answer decoded into an
 * AnswerSpool, server/src/providers/shared/answer-spool.ts), with the SHA-256 computed while it was written.
 */
export interface WrittenFile {
  path: string;
  size: number;
  sha256: string;
}

/** A document's bytes as they arrive: a Readable, an async generator, or pieces already in memory. */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export interface PutInfo {
  source: DocumentSource;
  owner: string;
  fileName?: string;
  providerRef?: string;
}

export class StoreError extends Error {
  constructor(
    readonly code: 'document-not-found' | 'invalid-document-id' | 'document-corrupt' | 'reference-not-found' | 'busy',
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/** What recover() found and did. */
export interface RecoveryReport {
  /** Unfinished writes removed (file names, or ids of documents never completed). */
  removed: string[];
  /** Provider references pointed again at their newest stored document. */
  refsRestored: number;
}

/** For GET /api/health: whether the store can take a document now. No path or address: the route is public. */
export type StoreHealth =
  | { kind: 'filesystem'; ok: boolean; writable: boolean }
  | { kind: 'postgresql'; ok: boolean; reachable: boolean; migrated: boolean; schemaVersion: number | null };

export interface DocumentStore {
  readonly kind: 'filesystem' | 'postgresql';
  /** Stores a document held in memory (see putStream); resolves once it is durable. */
  put(bytes: Uint8Array, info: PutInfo): Promise<StoredDocumentMeta>;
  /**
   * Stores a document as its bytes arrive, in chunks; resolves once it is durable. With a provider reference
   * (not for uploads), the same bytes already stored for that reference and owner are not stored again: their
   * record is returned, and the reference points at it. If `source` fails, nothing is left behind.
   */
  putStream(source: ByteSource, info: PutInfo): Promise<StoredDocumentMeta>;
  /**
   * Stores a document from a file (putStream's promises, the same deduplication): the filesystem store moves
   * the file into place (no copy), PostgreSQL reads it in chunks. The file is the store's from the call on:
   * whatever the outcome, it is no longer at `path` once this settles.
   */
  putFile(file: WrittenFile, info: PutInfo): Promise<StoredDocumentMeta>;
  /**
   * A document's record, for its owner only: another portal user gets the same "not found" as for an id that
   * does not exist, so ids reveal nothing (they also appear in logs).
   */
  meta(id: string, owner: string): Promise<StoredDocumentMeta>;
  /** The whole document in memory, checked against its checksum (owner only). Prefer open() for large ones. */
  get(id: string, owner: string): Promise<{ meta: StoredDocumentMeta; bytes: Uint8Array }>;
  /**
   * The document as a stream of chunks (owner only). The checksum is checked as it is read: the stream fails
   * with StoreError('document-corrupt') at its end if the bytes do not match.
   */
  open(id: string, owner: string): Promise<{ meta: StoredDocumentMeta; stream: Readable }>;
  /** The newest document stored for a provider reference, if it is this owner's. */
  byProviderRef(source: ProviderId, ref: string, owner: string): Promise<StoredDocumentMeta | undefined>;
  /**
   * Records which portal user created a provider reference: provider ids are often guessable (Peruri's count
   * up), so every later call naming one is checked (assertRefOwner).
   */
  claimRef(source: ProviderId, ref: string, owner: string): Promise<void>;
  /** Throws StoreError('reference-not-found') unless `owner` created the reference through this server. */
  assertRefOwner(source: ProviderId, ref: string, owner: string): Promise<void>;
  /**
   * Records whose provider identities (e-mail addresses) sign a reference — a Peruri order's signer, a tier's
   * signers — so that every later call naming it checks the caller's token names them (http/guards.ts).
   */
  recordSigners(source: ProviderId, ref: string, signers: readonly string[]): Promise<void>;
  /** The signers recorded for a reference; undefined for one created before signers were recorded. */
  signersOf(source: ProviderId, ref: string): Promise<string[] | undefined>;
  /**
   * Before a server answers anything after a crash: removes what unfinished writes left (never acknowledged)
   * and restores what an interrupted write left inconsistent.
   */
  recover(): Promise<RecoveryReport>;
  health(): Promise<StoreHealth>;
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export const newDocumentId = () => randomBytes(16).toString('hex');

export function assertDocumentId(id: string): void {
  if (!DOCUMENT_ID.test(id)) throw new StoreError('invalid-document-id', 'A document id is 32 hexadecimal characters.');
}

export const notFound = () => new StoreError('document-not-found', 'No stored document has this id.');
export const refNotFound = (source: DocumentSource) =>
  new StoreError('reference-not-found', `No ${source} reference with this id was created by you through this server.`);

/** The file name recorded for a document: letters, digits, `.`, `-`, `_` and spaces, at most 100 characters. */
export const recordedFileName = (name: string | undefined) => (name ?? 'document.pdf').replace(/[^\w.\- ]+/g, '_').slice(0, 100) || 'document.pdf';

/** Whether a put with this info is indexed under its provider reference (uploads never are). */
export const indexedRef = (info: PutInfo): { source: ProviderId; ref: string } | undefined =>
  info.providerRef !== undefined && info.source !== 'upload' ? { source: info.source, ref: info.providerRef } : undefined;

/** The chunks of a document as bytes: anything else (a string from a stream with an encoding) is a bug. */
export function asBytes(chunk: unknown): Uint8Array {
  if (!(chunk instanceof Uint8Array)) throw new TypeError('A document stream must yield bytes (Uint8Array or Buffer).');
  return chunk;
}

/**
 * Passes a stored document's bytes through, hashing them; at the end, fails with document-corrupt unless the
 * size and SHA-256 are the recorded ones (the reader has then received bytes it must discard).
 */
export function verifying(meta: StoredDocumentMeta): Transform {
  const hash = createHash('sha256');
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.byteLength;
      done(null, chunk);
    },
    flush(done) {
      if (size !== meta.size || hash.digest('hex') !== meta.sha256)
        done(new StoreError('document-corrupt', 'The stored document does not match its checksum.'));
      else done();
    },
  });
}

/**
 * Reads a whole stream into one buffer of the expected size (get()): one copy of the document, not the chunks
 * and a concatenation of them.
 */
export async function readWhole(stream: Readable, size: number): Promise<Uint8Array> {
  const out = new Uint8Array(size);
  let at = 0;
  for await (const chunk of stream) {
    const bytes = asBytes(chunk);
    if (at + bytes.byteLength > size) {
      stream.destroy();
      throw new StoreError('document-corrupt', 'The stored document does not match its checksum.');
    }
    out.set(bytes, at);
    at += bytes.byteLength;
  }
  return out;
}
