// Small HTTP helpers shared by the simulators.
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import multer from 'multer';

export const MAX_UPLOAD = 50 * 1024 * 1024;

export const jsonBody = () => express.json({ limit: MAX_UPLOAD, type: () => true });

export const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_UPLOAD, files: 10, fields: 50 } });

/** A file part of a multipart request, by field name. */
export function filePart(req: Request, field: string): { bytes: Uint8Array; name: string; type: string } | undefined {
  const files = req.files;
  const list = Array.isArray(files) ? files : files ? Object.values(files).flat() : [];
  const f = list.find((x) => x.fieldname === field);
  return f ? { bytes: new Uint8Array(f.buffer), name: f.originalname, type: f.mimetype } : undefined;
}

export function bodyFields(req: Request): Record<string, unknown> {
  return req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
}

export function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const isPng = (b: Uint8Array) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
export const isJpeg = (b: Uint8Array) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/** Strict base64 (no data-URI prefix); undefined when it is not. */
export function base64Bytes(value: unknown): Uint8Array | undefined {
  if (typeof value !== 'string') return undefined;
  const t = value.replace(/\s+/g, '');
  if (!t || t.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(t)) return undefined;
  return new Uint8Array(Buffer.from(t, 'base64'));
}

export const b64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * Body-parser and multer failures (malformed JSON, a file over the limit) answered in the provider's own
 * error shape instead of reaching the server's generic handler.
 */
export function requestErrors(answer: (res: Response, status: number, message: string) => void): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    const e = err as { type?: string; status?: number; code?: string; message?: string };
    const parse = e?.type === 'entity.parse.failed' || e?.type === 'entity.too.large' || (typeof e?.code === 'string' && e.code.startsWith('LIMIT_'));
    if (!parse || res.headersSent) {
      next(err);
      return;
    }
    answer(res, e.type === 'entity.too.large' || e.code === 'LIMIT_FILE_SIZE' ? 413 : 400, String(e.message ?? 'Bad request'));
  };
}
