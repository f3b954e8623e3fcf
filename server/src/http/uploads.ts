// Multipart uploads, parsed as they arrive with limits (one size for every file part, few parts). PDF parts
// (`file`, `files`) are hashed on the way; one larger than SPOOL_FROM is streamed to a temporary file and never
// held in memory here: the PDF intake reads it from that file (http/pdf-input.ts), so a 50 MB upload costs its
// chunks, not 50 MB plus a joined copy. A smaller one stays in memory (at most SPOOL_FROM, as a JSON body may
// be 1 MB): the transport would read a file that small whole anyway (it inlines files under 256 KB in the
// provider's JSON), and a file costs a signing seven file operations more on the event loop and the thread
// pool. The size limit is enforced while streaming (multer stops busboy at the limit: 413 naming the field),
// and nothing stays behind: a refused or broken upload's files are removed by multer's abort path
// (_removeFile), an accepted one's when its response is finished or its connection closes. Images (at most
// IMAGE_MAX_BYTES, refused as soon as a part passes it) and the e-KYC video stay in memory, read by fileOf.
//
// Why multer with a storage engine of our own rather than bare busboy or multer.diskStorage: multer already
// maps every busboy limit to one MulterError with the field (errors.ts answers 413/400 with it) and removes
// what a failed request stored; diskStorage would write images too and cannot hash while writing.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readdirSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { HttpError } from './errors.js';

export const FILE_FIELDS = ['file', 'image', 'ktpPhoto', 'npwpPhoto', 'selfie', 'specimen', 'video'] as const;
/** Image parts (specimens, KTP/NPWP photos, selfies) are capped well below the PDF limit. */
export const IMAGE_MAX_BYTES = 4 * 1024 * 1024;
/** Bulk routes take at most this many PDFs in one request (multipart `files` parts and/or `documentIds`). */
export const BULK_MAX_FILES = 10;
/** Parts that are not images: PDFs and the e-KYC video share the PDF limit (MAX_PDF_BYTES). */
const NOT_IMAGES = new Set<string>(['file', 'files', 'video']);
/** Parts streamed to a temporary file once they pass SPOOL_FROM: the PDFs. */
const SPOOLED = new Set<string>(['file', 'files']);
/** A PDF part up to this size is kept in memory; a larger one goes to a temporary file as it arrives. */
export const SPOOL_FROM = 256 * 1024;

/** A file part as this module leaves it on `req.files`: in memory (`buffer`) or spooled (`path`), with its SHA-256. */
export interface UploadedPart extends Express.Multer.File {
  /** Hex SHA-256 of the part's bytes, computed while they arrived. */
  sha256: string;
}

/** A PDF part: spooled to a temporary file (`path`, removed when the response ends), or, up to SPOOL_FROM, in memory (`bytes`). */
export interface PdfUpload {
  field: string;
  path?: string;
  bytes?: Uint8Array;
  size: number;
  sha256: string;
  fileName: string;
}

/** A spooled part older than this when a server starts was left by a process that died: removed. */
const STALE_MS = 10 * 60_000;

const remove = (path: string) => rmSync(path, { force: true });

/**
 * The storage engine: PDF parts to a temporary file (mode 0600), images and the video to memory; every part
 * hashed as it arrives. An image past IMAGE_MAX_BYTES is refused at once, naming its field.
 */
class UploadStorage implements multer.StorageEngine {
  constructor(readonly dir: string) {}

  _handleFile(req: Request, file: Express.Multer.File, cb: (error?: unknown, info?: Partial<UploadedPart>) => void): void {
    const hash = createHash('sha256');
    let size = 0;
    const field = file.fieldname;
    const counting = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.byteLength;
        if (!NOT_IMAGES.has(field) && size > IMAGE_MAX_BYTES) {
          return done(new HttpError('payload-too-large', `${field} must be at most ${IMAGE_MAX_BYTES / 1024 / 1024} MB.`, field));
        }
        hash.update(chunk);
        done(null, chunk);
      },
    });
    if (SPOOLED.has(field)) {
      const path = join(this.dir, `${randomBytes(16).toString('hex')}.part`);
      // Removed with the response even if multer never reports it (a request torn down mid-part).
      const sink = new SpillingSink(path, () => trackSpooled(req, path));
      pipeline(file.stream, counting, sink).then(
        () => cb(null, sink.spilled ? { path, size, sha256: hash.digest('hex') } : { buffer: sink.held(), size, sha256: hash.digest('hex') }),
        (err: unknown) => {
          if (sink.spilled) remove(path);
          cb(err);
        },
      );
      return;
    }
    const chunks: Buffer[] = [];
    counting.on('data', (c: Buffer) => chunks.push(c));
    pipeline(file.stream, counting).then(
      () => cb(null, { buffer: Buffer.concat(chunks, size), size, sha256: hash.digest('hex') }),
      (err: unknown) => cb(err),
    );
  }

  _removeFile(_req: Request, file: Express.Multer.File & { path?: string }, cb: (error: Error | null) => void): void {
    if (file.path) remove(file.path);
    cb(null);
  }
}

/**
 * Holds a part in memory up to SPOOL_FROM; past it, writes what it held and the rest to `path` (created
 * exclusive, mode 0600), a chunk at a time (each written before the next is taken: a slow disk slows the
 * upload, it does not fill memory). `onSpill` runs as the file is created.
 */
class SpillingSink extends Writable {
  #chunks: Buffer[] = [];
  #size = 0;
  #file: WriteStream | undefined;

  constructor(
    readonly path: string,
    readonly onSpill: () => void,
  ) {
    super();
  }

  get spilled(): boolean {
    return this.#file !== undefined;
  }

  /** The part's bytes, when it stayed in memory. */
  held(): Buffer {
    return this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks, this.#size);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    if (this.#file) return void this.#file.write(chunk, done);
    this.#chunks.push(chunk);
    this.#size += chunk.byteLength;
    if (this.#size <= SPOOL_FROM) return done();
    this.onSpill();
    this.#file = createWriteStream(this.path, { mode: 0o600, flags: 'wx' });
    this.#file.on('error', (err) => this.destroy(err));
    const held = this.held();
    this.#chunks = [];
    this.#file.write(held, done);
  }

  override _final(done: (error?: Error | null) => void): void {
    if (!this.#file) return done();
    // Answered once the file is closed: the intake opens it next.
    this.#file.once('close', () => done());
    this.#file.end();
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.#file?.destroy();
    done(error);
  }
}

const spooledOf = new WeakMap<Request, Set<string>>();

/** Remembers a spooled file of `req`, removed when its response is finished or its connection closes. */
function trackSpooled(req: Request, path: string): void {
  let paths = spooledOf.get(req);
  if (!paths) {
    spooledOf.set(req, (paths = new Set()));
    const set = paths;
    const cleanup = () => {
      for (const p of set) remove(p);
      set.clear();
    };
    req.res?.once('close', cleanup);
    req.res?.once('finish', cleanup);
  }
  paths.add(path);
}

/**
 * Multipart parsing with limits: PDFs spooled to temporary files in `dir` (the app gives DATA_DIR/uploads),
 * images and the video in memory. Parts a dead process left in `dir` are removed first.
 */
export function uploads(maxBytes: number, dir: string): RequestHandler {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = name.endsWith('.part') ? statSync(path, { throwIfNoEntry: false }) : undefined;
    if (stat && stat.mtimeMs < Date.now() - STALE_MS) remove(path);
  }
  const m = multer({
    storage: new UploadStorage(dir),
    limits: { fileSize: maxBytes, files: BULK_MAX_FILES + 4, fields: 40, fieldSize: 256 * 1024, parts: 60 },
  });
  const handler = m.fields([...FILE_FIELDS.map((name) => ({ name, maxCount: 1 })), { name: 'files', maxCount: BULK_MAX_FILES }]);
  return (req: Request, res: Response, next: NextFunction) => {
    // A body this API cannot read (a urlencoded form, text) would be ignored and its fields lost: refused instead.
    const hasBody = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';
    if (hasBody && !req.is(['application/json', 'multipart/form-data'])) {
      return next(
        new HttpError(
          'unsupported-media-type',
          `The body must be application/json or multipart/form-data (got ${JSON.stringify(req.headers['content-type'] ?? 'no Content-Type')}).`,
          'content-type',
        ),
      );
    }
    if (!req.is('multipart/form-data')) return next();
    handler(req, res, (err?: unknown) => {
      // busboy's own errors (a truncated body, a missing boundary, a client gone mid-upload) are the request's
      // fault, not ours: 400, not 500. Multer's limit errors and ours (an image too large) keep their mapping (413).
      if (err && !(err instanceof multer.MulterError) && !(err instanceof HttpError))
        return next(new HttpError('invalid-input', 'The multipart body is malformed or incomplete.'));
      next(err);
    });
  };
}

function partsOf(req: Request): Record<string, UploadedPart[] | undefined> | undefined {
  return req.files as Record<string, UploadedPart[] | undefined> | undefined;
}

/** A part held in memory (an image, the video). PDF parts may be spooled: read them with pdfUploads. */
export function fileOf(req: Request, field: (typeof FILE_FIELDS)[number]): Uint8Array | undefined {
  const f = partsOf(req)?.[field]?.[0];
  if (!f) return undefined;
  if (!f.buffer) throw new Error(`${field} is spooled to a file: read it with pdfUploads().`);
  return new Uint8Array(f.buffer.buffer, f.buffer.byteOffset, f.buffer.byteLength);
}

export function fileNameOf(req: Request, field: string): string | undefined {
  return partsOf(req)?.[field]?.[0]?.originalname;
}

/** The PDF parts of `fields`, in order (`file`, then `files`…), each named by its request field. */
export function pdfUploads(req: Request, fields: readonly ('file' | 'files')[]): PdfUpload[] {
  const parts = partsOf(req);
  const out: PdfUpload[] = [];
  for (const field of fields) {
    for (const f of parts?.[field] ?? []) {
      const where = f.buffer ? { bytes: new Uint8Array(f.buffer.buffer, f.buffer.byteOffset, f.buffer.byteLength) } : { path: f.path };
      out.push({ field, ...where, size: f.size, sha256: f.sha256, fileName: f.originalname });
    }
  }
  return out;
}
