// Cross-cutting middleware: security headers, CORS for the portal origins only, bearer authentication (jose),
// multipart uploads with limits, and the PDF check that runs before anything is sent upstream.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { z } from 'zod';
import type { PageGeometry } from '@esign-kit/core';
import { grantOf, type PortalGrant } from '../auth/identity.js';
import { TokenError, type PortalTokenVerifier } from '../auth/jwt.js';
import { checkPdfBytes, IntakeBusyError } from '../pdf/intake-pool.js';
import type { ServerConfig } from '../config.js';
import type { DocumentStore } from '../store/documents.js';
import { HttpError, withField } from './errors.js';

/**
 * The policy of every response that does not set a stricter-fitting one of its own: JSON, PDFs and errors
 * load nothing and may be framed by no one. Pages replace it with their own (the Digisign landing: a nonce'd
 * script, framed by PORTAL_ORIGINS only; the sandbox inbox; the demo).
 */
export const DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The CSP for the demo's pages (app.ts serves dist/demo): scripts from this origin only (no inline script, no
 * eval; WebAssembly for pdf.js's image decoders), inline styles (Lit's style bindings), API calls to this
 * server, and as frames only the providers' web views and this server itself — Digisign's pages end by
 * redirecting the frame to this server's landing page (/callback/digisign), which must be allowed to load
 * there for the element to hear the outcome — and never framed itself.
 */
export function demoPageCsp(config: Pick<ServerConfig, 'providers'>): string {
  const frames = [...new Set([config.providers.peruri?.webViewUrl, config.providers.digisign?.webViewOrigin].filter((u): u is string => !!u).map((u) => new URL(u).origin))];
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    `frame-src 'self'${frames.length ? ` ${frames.join(' ')}` : ''}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders(): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-site');
    res.setHeader('Content-Security-Policy', DEFAULT_CSP);
    next();
  };
}

/**
 * CORS for PORTAL_ORIGINS only: the allowed origins get the CORS headers, a preflight from anywhere else is
 * refused. Requests themselves are refused per origin inside the API router (refuseForeignOrigins).
 */
export function cors(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    res.append('Vary', 'Origin');
    if (origin && allowed.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Expose-Headers', 'Content-Disposition, X-Checksum-Sha256, Retry-After');
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
        res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
        res.setHeader('Access-Control-Max-Age', '600');
        res.status(204).end();
        return;
      }
    } else if (req.method === 'OPTIONS' && origin) {
      res.status(403).json({ error: { code: 'forbidden', message: 'This origin is not in PORTAL_ORIGINS.', field: 'origin' } });
      return;
    }
    next();
  };
}

/**
 * The first middleware of the API router: an API request that a browser sent from another origin (it carries
 * `Origin`) is refused. Without it, a request CORS lets through without a preflight would still run here, with
 * only its answer hidden from the page. Mounted on the router rather than matched on the path, so that every
 * spelling Express routes to the API (`/API/providers`, `/Api/…`: its routing ignores case) is checked too.
 */
export function refuseForeignOrigins(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, _res, next) => {
    const origin = req.headers.origin;
    if (origin && !allowed.has(origin) && req.method !== 'OPTIONS') return next(new HttpError('forbidden', 'This origin is not in PORTAL_ORIGINS.', 'origin'));
    next();
  };
}

export interface AuthedRequest extends Request {
  portalUser?: string;
  /** The identities and scope the token names (auth/identity.ts). */
  portalGrant?: PortalGrant;
}

/**
 * Every /api route except the public ones needs `Authorization: Bearer <JWT>`, verified with jose against the
 * configured portal keys (auth/jwt.ts); its identity claims become the request's grant. Authenticated answers
 * name a user's documents, orders and traces: never stored by a cache (`Cache-Control: no-store`).
 */
export function requireAuth(verifier: PortalTokenVerifier, identityClaims: boolean, isPublic: (req: Request) => boolean): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'OPTIONS' || isPublic(req)) return next();
    const header = req.headers.authorization ?? '';
    const m = /^Bearer ([^\s]+)$/i.exec(header);
    res.setHeader('WWW-Authenticate', 'Bearer');
    if (!m) return next(new TokenError('token-missing', 'This route needs Authorization: Bearer <token>.'));
    verifier
      .verify(m[1]!)
      .then((claims) => {
        const grant = grantOf(claims, identityClaims);
        (req as AuthedRequest).portalUser = claims.sub;
        (req as AuthedRequest).portalGrant = grant;
        res.removeHeader('WWW-Authenticate');
        res.setHeader('Cache-Control', 'no-store');
      })
      .then(() => next(), (err: unknown) => next(err));
  };
}

export const userOf = (req: Request): string => (req as AuthedRequest).portalUser ?? 'anonymous';

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

const isJpeg = (b: Uint8Array) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
const isPng = (b: Uint8Array) => [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v);

/** An image part checked by its magic bytes (never by the declared content type). */
export function imageOf(req: Request, field: (typeof FILE_FIELDS)[number], kinds: readonly ('jpeg' | 'png')[]): Uint8Array | undefined {
  const bytes = fileOf(req, field);
  if (!bytes) return undefined;
  if (!kinds.some((k) => (k === 'jpeg' ? isJpeg(bytes) : isPng(bytes)))) {
    throw new HttpError('invalid-input', `${field} must be a ${kinds.map((k) => k.toUpperCase()).join(' or ')} image.`, field);
  }
  return bytes;
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

export interface CheckedPdf {
  bytes: Uint8Array;
  pages: PageGeometry[];
  fileName: string;
  /** The request field it came from (`file`, `documentId`, `files.0`…), for errors about it. */
  field: string;
  /** Password-protected (an /Encrypt dictionary): only a route that takes the password can use it. */
  encrypted: boolean;
}

/**
 * The %PDF- magic, then a full read with the kit's own reader in an intake worker (server/src/pdf/intake-pool.ts),
 * within the reader's limits and a deadline, and every page's geometry; refused before any provider call and
 * before anything is stored. A file past a limit is answered with the limit's code (`pdf-too-many-pages`,
 * `pdf-inflate-budget`…: ERROR_STATUS), a busy server with 503 and Retry-After.
 */
export async function checkPdf(bytes: Uint8Array, field: string, fileName = 'document.pdf'): Promise<CheckedPdf> {
  if (bytes.byteLength === 0) throw new HttpError('invalid-pdf', `${field} is empty (0 bytes).`, field);
  const magic = [0x25, 0x50, 0x44, 0x46, 0x2d];
  if (!magic.every((b, i) => bytes[i] === b)) throw new HttpError('invalid-pdf', `${field} is not a PDF (it does not start with %PDF-).`, field);
  let result;
  try {
    result = await checkPdfBytes(bytes);
  } catch (err) {
    if (err instanceof IntakeBusyError) throw Object.assign(new HttpError('busy', err.message, field), { retryAfterSeconds: err.retryAfterSeconds });
    throw err;
  }
  if (!result.ok) {
    if (result.code === 'unreadable') throw new HttpError('invalid-pdf', `${field} could not be read as a PDF.`, field);
    throw new HttpError(result.code, `${field} is refused: ${result.message}`, field);
  }
  const { pages, announcedCount: count, encrypted } = result;
  if (!pages.length) throw new HttpError('invalid-pdf', `${field} has no pages.`, field);
  // A page tree that announces other than the pages it holds (say 10 000 for one) is damaged or crafted: viewers
  // and providers would count pages differently from the boxes checked here.
  if (count !== pages.length) {
    throw new HttpError('invalid-pdf', `${field} has a damaged page tree: it announces ${count ?? 'no'} pages but holds ${pages.length}.`, field);
  }
  return { bytes, pages, fileName, field, encrypted };
}

/** Signing routes without a PDF password: an encrypted PDF is refused here, not after an upload the provider refuses. */
export function refuseEncrypted<T extends CheckedPdf>(pdf: T, who: string): T {
  if (pdf.encrypted) throw new HttpError('invalid-pdf', `${pdf.field} is protected by a password; ${who} cannot sign an encrypted PDF: remove the password first.`, pdf.field);
  return pdf;
}

/** The PDF of a request: a multipart `file` part, or `documentId` of a stored document. */
export async function pdfOf(req: Request, store: DocumentStore): Promise<CheckedPdf & { storedId?: string }> {
  const upload = fileOf(req, 'file');
  if (upload) return checkPdf(upload, 'file', fileNameOf(req, 'file') ?? 'document.pdf');
  const id = (req.body as Record<string, unknown> | undefined)?.documentId;
  if (typeof id === 'string' && id) {
    const { bytes, meta } = await withField('documentId', store.get(id, userOf(req)));
    return { ...(await checkPdf(bytes, 'documentId', meta.fileName)), storedId: id };
  }
  throw new HttpError('invalid-input', 'Send the PDF as the multipart part "file", or give documentId of an uploaded document.', 'file');
}

const DOCUMENT_IDS = z.array(z.string().regex(/^[0-9a-f]{32}$/, 'must be the id of a stored document')).min(1).max(BULK_MAX_FILES);

/**
 * The PDFs of a bulk request, in order: the multipart `file` part, then the `files` parts, then the stored
 * documents named by `documentIds` (a JSON array, also as a multipart field) or `documentId`. Each one is
 * checked like a single upload (magic, full parse, page geometry) before any provider call; at most
 * BULK_MAX_FILES in all.
 */
export async function pdfsOf(req: Request, store: DocumentStore): Promise<CheckedPdf[]> {
  const parts = req.files as Record<string, Express.Multer.File[] | undefined> | undefined;
  const uploaded = [...(parts?.file ?? []), ...(parts?.files ?? [])];
  const body = (req.body ?? {}) as Record<string, unknown>;
  const ids: [field: string, id: string][] = [];
  if (body.documentIds !== undefined) {
    for (const [i, id] of z.object({ documentIds: json(DOCUMENT_IDS) }).parse({ documentIds: body.documentIds }).documentIds.entries()) ids.push([`documentIds.${i}`, id]);
  }
  if (typeof body.documentId === 'string' && body.documentId) ids.push(['documentId', body.documentId]);
  const total = uploaded.length + ids.length;
  if (total === 0) throw new HttpError('invalid-input', 'Send the PDFs as multipart parts "files", or give documentIds of uploaded documents.', 'files');
  if (total > BULK_MAX_FILES) throw new HttpError('invalid-input', `At most ${BULK_MAX_FILES} PDFs in one request.`, 'files');
  const out: CheckedPdf[] = [];
  for (const [i, f] of uploaded.entries()) {
    out.push(await checkPdf(new Uint8Array(f.buffer.buffer, f.buffer.byteOffset, f.buffer.byteLength), `files.${i}`, f.originalname || `document-${i + 1}.pdf`));
  }
  for (const [field, id] of ids) {
    const { bytes, meta } = await withField(field, store.get(id, userOf(req)));
    out.push(await checkPdf(bytes, field, meta.fileName));
  }
  return out;
}

/** Multipart fields arrive as strings: objects, arrays, numbers and booleans are read as JSON first. */
export const json = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => {
    if (typeof v !== 'string') return v;
    const t = v.trim();
    if (/^[[{]/.test(t) || t === 'true' || t === 'false' || /^-?\d+(\.\d+)?$/.test(t)) {
      try {
        return JSON.parse(t);
      } catch {
        return v;
      }
    }
    return v;
  }, schema);

export const neutralBox = z.object({ page: z.number().int().min(1), x: z.number(), y: z.number(), width: z.number().positive(), height: z.number().positive() });
export const nik = z.string().regex(/^\d{16}$/, 'must be a 16-digit NIK');
export const email = z.string().max(255).regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an e-mail address');

/** Validates `req.body` with a zod schema; the ZodError is mapped to 400 with the field. */
export function bodyOf<T extends z.ZodType>(req: Request, schema: T): z.output<T> {
  return schema.parse(req.body ?? {});
}
