// Documents in PostgreSQL (tables in migrations/001_initial.sql): a row in esign_documents, the bytes in
// esign_document_chunks, CHUNK_BYTES per row, and the provider-reference index in esign_provider_refs.
//
// Why chunked bytea rows rather than large objects (pg_largeobject, pg-large-object): rows are deleted with
// their document (ON DELETE CASCADE) where a large object outlives its row until someone runs lo_unlink or
// vacuumlo; they are dumped, restored and replicated with the table; and they need no extra driver or a
// transaction held open around every read. A chunk is one parameter in one INSERT (sent as binary) and one
// row read back per step of a stream, so neither way holds more than a chunk or two of a document in memory.
//
// A put is a short sequence, not one long transaction: the document's row is inserted without stored_at, each
// chunk is inserted as it arrives (a slow upload holds no connection between chunks), and a short transaction
// at the end records the checksum and stored_at — from then on the document exists. A put with a provider
// reference locks the reference's row (SELECT … FOR UPDATE) in that transaction and looks for the same bytes
// stored for it; two instances storing the same signed order serialise there, and the second returns the
// first's record and drops its own chunks. The unique index esign_documents_once_per_reference makes a second
// copy impossible even so. A put that fails removes its row (and chunks); one cut short by a crash is removed
// by recover() once stale.
import { createHash } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ProviderId } from '../providers/adapters.js';
import {
  assertDocumentId,
  asBytes,
  DOCUMENT_ID,
  indexedRef,
  newDocumentId,
  notFound,
  readWhole,
  recordedFileName,
  refNotFound,
  verifying,
  type ByteSource,
  type DocumentStore,
  type PutInfo,
  type RecoveryReport,
  type StoredDocumentMeta,
  type StoreHealth,
  type WrittenFile,
} from './document-model.js';
import { hasNul, pgHealth, transaction, type Pool, type PoolClient } from './pg.js';

/** Bytes per chunk row: 50 MB is 100 rows; a read step holds one chunk, received as READ_PIECE pieces (and their hex text). */
export const CHUNK_BYTES = 512 * 1024;
/**
 * A chunk is read back in pieces of this size. The driver receives bytea as hex text (node-postgres decodes every
 * field as a string), two characters a byte: a 512 KB chunk arrives as a 1 MB string, and V8 puts a string over
 * 128 KB in its large-object space, which only a full collection frees — streaming out a 50 MB document grew the
 * process by 24–51 MB of such garbage (server/test/store/contract.ts). A 60 KB piece is a 120 KB string, which
 * the young generation's scavenges free as the stream goes (one query per chunk still: a row per piece).
 */
const READ_PIECE = 60 * 1024;

/** A write without stored_at older than this was cut short by a crash (no upload or download lasts an hour). */
const STALE_WRITE_MS = 60 * 60_000;

const META_COLUMNS = 'id, sha256, size, created_at, source, owner, file_name, provider_ref';

interface MetaRow {
  id: string;
  sha256: string;
  size: string;
  created_at: Date;
  source: StoredDocumentMeta['source'];
  owner: string;
  file_name: string;
  provider_ref: string | null;
}

const metaOf = (r: MetaRow): StoredDocumentMeta => ({
  id: r.id,
  sha256: r.sha256,
  size: Number(r.size),
  createdAt: r.created_at.toISOString(),
  source: r.source,
  owner: r.owner,
  fileName: r.file_name,
  ...(r.provider_ref !== null ? { providerRef: r.provider_ref } : {}),
});

/** Cuts a stream of pieces of any size into chunks of exactly `size` bytes (the last one shorter). */
export async function* rechunk(source: ByteSource, size: number): AsyncGenerator<Buffer> {
  let chunk = Buffer.allocUnsafe(size);
  let filled = 0;
  for await (const piece of source) {
    const bytes = asBytes(piece);
    let at = 0;
    // A whole chunk inside the piece goes out as a view of it, without a copy.
    if (filled === 0) {
      for (; bytes.byteLength - at >= size; at += size) yield Buffer.from(bytes.buffer, bytes.byteOffset + at, size);
    }
    while (at < bytes.byteLength) {
      const n = Math.min(size - filled, bytes.byteLength - at);
      chunk.set(bytes.subarray(at, at + n), filled);
      filled += n;
      at += n;
      if (filled === size) {
        yield chunk;
        chunk = Buffer.allocUnsafe(size);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield chunk.subarray(0, filled);
}

export class PgDocumentStore implements DocumentStore {
  readonly kind = 'postgresql' as const;
  readonly #pool: Pool;
  readonly #chunkBytes: number;

  constructor(pool: Pool, options: { chunkBytes?: number } = {}) {
    this.#pool = pool;
    this.#chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
  }

  put(bytes: Uint8Array, info: PutInfo): Promise<StoredDocumentMeta> {
    return this.putStream([bytes], info);
  }

  async putStream(source: ByteSource, info: PutInfo): Promise<StoredDocumentMeta> {
    if (hasNul(info.owner) || (info.providerRef !== undefined && hasNul(info.providerRef)))
      throw new TypeError('An owner or provider reference cannot hold the NUL character.');
    const id = newDocumentId();
    const createdAt = new Date();
    const fileName = recordedFileName(info.fileName);
    await this.#pool.query('INSERT INTO esign_documents (id, source, owner, file_name, provider_ref, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
      id,
      info.source,
      info.owner,
      fileName,
      info.providerRef ?? null,
      createdAt,
    ]);
    try {
      const hash = createHash('sha256');
      let size = 0;
      let seq = 0;
      for await (const chunk of rechunk(source, this.#chunkBytes)) {
        hash.update(chunk);
        size += chunk.byteLength;
        await this.#pool.query('INSERT INTO esign_document_chunks (document_id, seq, data) VALUES ($1, $2, $3)', [id, seq++, chunk]);
      }
      const digest = hash.digest('hex');
      return await transaction(this.#pool, (client) => this.#commit(client, { id, sha256: digest, size, createdAt, fileName }, info));
    } catch (err) {
      await this.#pool.query('DELETE FROM esign_documents WHERE id = $1 AND stored_at IS NULL', [id]).catch(() => undefined);
      throw err;
    }
  }

  /**
   * Read in chunks of the row size into one buffer, reused: putStream inserts each chunk (and waits for the
   * database) before it asks for the next, so a 50 MB file costs one chunk here (what the driver copies aside).
   * The file is removed after.
   */
  async putFile(file: WrittenFile, info: PutInfo): Promise<StoredDocumentMeta> {
    const chunkBytes = this.#chunkBytes;
    async function* chunks(): AsyncGenerator<Buffer> {
      const fh = await open(file.path, 'r');
      try {
        const chunk = Buffer.allocUnsafe(chunkBytes);
        for (;;) {
          let got = 0;
          for (let n = -1; got < chunkBytes && n !== 0; got += n) n = (await fh.read(chunk, got, chunkBytes - got, null)).bytesRead;
          if (got === 0) return;
          yield chunk.subarray(0, got);
          if (got < chunkBytes) return;
        }
      } finally {
        await fh.close();
      }
    }
    try {
      // The checksum recorded is the one putStream computes of what it inserts (the writer's is not needed).
      return await this.putStream(chunks(), info);
    } finally {
      await rm(file.path, { force: true });
    }
  }

  async #commit(
    client: PoolClient,
    doc: { id: string; sha256: string; size: number; createdAt: Date; fileName: string },
    info: PutInfo,
  ): Promise<StoredDocumentMeta> {
    const indexed = indexedRef(info);
    if (indexed) {
      await client.query('INSERT INTO esign_provider_refs (source, ref, owner) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
        indexed.source,
        indexed.ref,
        info.owner,
      ]);
      await client.query('SELECT 1 FROM esign_provider_refs WHERE source = $1 AND ref = $2 FOR UPDATE', [indexed.source, indexed.ref]);
      const same = await client.query<MetaRow>(
        `SELECT ${META_COLUMNS} FROM esign_documents
          WHERE source = $1 AND provider_ref = $2 AND owner = $3 AND sha256 = $4 AND size = $5 AND stored_at IS NOT NULL`,
        [indexed.source, indexed.ref, info.owner, doc.sha256, doc.size],
      );
      if (same.rows[0]) {
        // Stored already (by this instance or another): the reference points at it, and these chunks go.
        await client.query('UPDATE esign_provider_refs SET owner = $3, document_id = $4 WHERE source = $1 AND ref = $2', [
          indexed.source,
          indexed.ref,
          info.owner,
          same.rows[0].id,
        ]);
        await client.query('DELETE FROM esign_documents WHERE id = $1', [doc.id]);
        return metaOf(same.rows[0]);
      }
    }
    const done = await client.query('UPDATE esign_documents SET sha256 = $2, size = $3, stored_at = now() WHERE id = $1 AND stored_at IS NULL', [
      doc.id,
      doc.sha256,
      doc.size,
    ]);
    // Only recover() removes an unfinished row, and only after an hour: a put that slow has lost its bytes.
    if (done.rowCount !== 1) throw new Error('The document being stored was removed as an abandoned write.');
    if (indexed)
      await client.query('UPDATE esign_provider_refs SET owner = $3, document_id = $4 WHERE source = $1 AND ref = $2', [
        indexed.source,
        indexed.ref,
        info.owner,
        doc.id,
      ]);
    return {
      id: doc.id,
      sha256: doc.sha256,
      size: doc.size,
      createdAt: doc.createdAt.toISOString(),
      source: info.source,
      owner: info.owner,
      fileName: doc.fileName,
      ...(info.providerRef !== undefined ? { providerRef: info.providerRef } : {}),
    };
  }

  /**
   * Removes writes that a crash cut short (rows without stored_at older than an hour, with their chunks). Safe
   * while other instances run: their writes in progress are younger. Committed writes need no repair here.
   */
  async recover(): Promise<RecoveryReport> {
    const { rows } = await this.#pool.query<{ id: string }>(
      'DELETE FROM esign_documents WHERE stored_at IS NULL AND created_at < now() - make_interval(secs => $1) RETURNING id',
      [STALE_WRITE_MS / 1000],
    );
    return { removed: rows.map((r) => r.id), refsRestored: 0 };
  }

  async meta(id: string, owner: string): Promise<StoredDocumentMeta> {
    assertDocumentId(id);
    if (hasNul(owner)) throw notFound();
    const { rows } = await this.#pool.query<MetaRow>(`SELECT ${META_COLUMNS} FROM esign_documents WHERE id = $1 AND stored_at IS NOT NULL`, [id]);
    const row = rows[0];
    if (!row || row.owner !== owner) throw notFound();
    return metaOf(row);
  }

  async open(id: string, owner: string): Promise<{ meta: StoredDocumentMeta; stream: Readable }> {
    const meta = await this.meta(id, owner);
    const pool = this.#pool;
    async function* chunks() {
      // One row per step, in order, as the reader asks for more: the reader's pace bounds what is held. The row
      // comes back in pieces of READ_PIECE (several result rows of one query).
      for (let seq = 0; ; seq++) {
        const { rows } = await pool.query<{ data: Buffer }>(
          `SELECT substring(c.data FROM p.at FOR $3) AS data
             FROM esign_document_chunks c CROSS JOIN LATERAL generate_series(1, octet_length(c.data), $3) AS p(at)
            WHERE c.document_id = $1 AND c.seq = $2
            ORDER BY p.at`,
          [id, seq, READ_PIECE],
        );
        if (!rows.length) return;
        for (const row of rows) yield row.data;
      }
    }
    const source = Readable.from(chunks(), { objectMode: false, highWaterMark: this.#chunkBytes });
    const checked = verifying(meta);
    source.on('error', (e) => checked.destroy(e));
    checked.on('close', () => source.destroy());
    return { meta, stream: source.pipe(checked) };
  }

  async get(id: string, owner: string): Promise<{ meta: StoredDocumentMeta; bytes: Uint8Array }> {
    const { meta, stream } = await this.open(id, owner);
    return { meta, bytes: await readWhole(stream, meta.size) };
  }

  async byProviderRef(source: ProviderId, ref: string, owner: string): Promise<StoredDocumentMeta | undefined> {
    if (hasNul(ref) || hasNul(owner)) return undefined;
    const { rows } = await this.#pool.query<MetaRow>(
      `SELECT ${META_COLUMNS.split(', ')
        .map((c) => `d.${c}`)
        .join(', ')}
         FROM esign_provider_refs r JOIN esign_documents d ON d.id = r.document_id
        WHERE r.source = $1 AND r.ref = $2 AND d.owner = $3 AND d.stored_at IS NOT NULL`,
      [source, ref, owner],
    );
    return rows[0] && DOCUMENT_ID.test(rows[0].id) ? metaOf(rows[0]) : undefined;
  }

  async claimRef(source: ProviderId, ref: string, owner: string): Promise<void> {
    if (hasNul(ref) || hasNul(owner)) throw new TypeError('A provider reference or owner cannot hold the NUL character.');
    await this.#pool.query(
      'INSERT INTO esign_provider_refs (source, ref, owner) VALUES ($1, $2, $3) ON CONFLICT (source, ref) DO UPDATE SET owner = EXCLUDED.owner',
      [source, ref, owner],
    );
  }

  async assertRefOwner(source: ProviderId, ref: string, owner: string): Promise<void> {
    if (hasNul(ref) || hasNul(owner)) throw refNotFound(source);
    const { rows } = await this.#pool.query<{ owner: string | null }>('SELECT owner FROM esign_provider_refs WHERE source = $1 AND ref = $2', [source, ref]);
    if (rows[0]?.owner !== owner) throw refNotFound(source);
  }

  async recordSigners(source: ProviderId, ref: string, signers: readonly string[]): Promise<void> {
    if (hasNul(ref)) throw new TypeError('A provider reference cannot hold the NUL character.');
    await this.#pool.query(
      'INSERT INTO esign_provider_refs (source, ref, signers) VALUES ($1, $2, $3::json) ON CONFLICT (source, ref) DO UPDATE SET signers = EXCLUDED.signers',
      [source, ref, JSON.stringify(signers)],
    );
  }

  async signersOf(source: ProviderId, ref: string): Promise<string[] | undefined> {
    if (hasNul(ref)) return undefined;
    const { rows } = await this.#pool.query<{ signers: unknown }>('SELECT signers FROM esign_provider_refs WHERE source = $1 AND ref = $2', [source, ref]);
    const list = rows[0]?.signers;
    return Array.isArray(list) && list.every((s) => typeof s === 'string') ? (list as string[]) : undefined;
  }

  health(): Promise<StoreHealth> {
    return pgHealth(this.#pool);
  }
}
