// Multipart uploads: parsed into memory with limits (one size for every file part, few parts), and the file
// parts read back by field.
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

/** Multipart parsing into memory with limits: one size for every file part (the PDF limit), few parts. */
export function uploads(maxBytes: number): RequestHandler {
  const m = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: BULK_MAX_FILES + 4, fields: 40, fieldSize: 256 * 1024, parts: 60 } });
  const handler = m.fields([...FILE_FIELDS.map((name) => ({ name, maxCount: 1 })), { name: 'files', maxCount: BULK_MAX_FILES }]);
  return (req: Request, res: Response, next: NextFunction) => {
    // A body this API cannot read (a urlencoded form, text) would be ignored and its fields lost: refused instead.
    const hasBody = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';
    if (hasBody && !req.is(['application/json', 'multipart/form-data'])) {
      return next(new HttpError('unsupported-media-type', `The body must be application/json or multipart/form-data (got ${JSON.stringify(req.headers['content-type'] ?? 'no Content-Type')}).`, 'content-type'));
    }
    if (!req.is('multipart/form-data')) return next();
    handler(req, res, (err?: unknown) => {
      // busboy's own errors (a truncated body, a missing boundary, a client gone mid-upload) are the request's
      // fault, not ours: 400, not 500. Multer's limit errors keep their own mapping (413).
      if (err && !(err instanceof multer.MulterError)) return next(new HttpError('invalid-input', 'The multipart body is malformed or incomplete.'));
      if (err) return next(err);
      const files = req.files as Record<string, Express.Multer.File[] | undefined> | undefined;
      for (const field of FILE_FIELDS) {
        const f = files?.[field]?.[0];
        if (!NOT_IMAGES.has(field) && f && f.size > IMAGE_MAX_BYTES) {
          return next(new HttpError('payload-too-large', `${field} must be at most ${IMAGE_MAX_BYTES / 1024 / 1024} MB.`, field));
        }
      }
      next();
    });
  };
}

export function fileOf(req: Request, field: (typeof FILE_FIELDS)[number]): Uint8Array | undefined {
  const files = req.files as Record<string, Express.Multer.File[] | undefined> | undefined;
  const f = files?.[field]?.[0];
  return f ? new Uint8Array(f.buffer.buffer, f.buffer.byteOffset, f.buffer.byteLength) : undefined;
}

export function fileNameOf(req: Request, field: string): string | undefined {
  const files = req.files as Record<string, Express.Multer.File[] | undefined> | undefined;
  return files?.[field]?.[0]?.originalname;
}
