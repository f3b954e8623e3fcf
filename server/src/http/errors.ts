// One table from error codes to HTTP statuses, and the one error handler. Every error body is
// `{ error: { code, message, field?, provider?: { code, message } } }`; no stack trace ever leaves. The
// provider's code and words pass through answers.ts on their way out (secrets scrubbed, length capped).
import { CoordinateError, type ErrorEnvelope } from '@esign-kit/core';
import type { ErrorRequestHandler, Request } from 'express';
import { MulterError } from 'multer';
import { ZodError } from 'zod';
import { InputError, ProviderError, type ProviderErrorCode } from '../providers/adapters.js';
import { TooManyAttempts } from '../auth/attempts.js';
import { TokenError } from '../auth/jwt.js';
import type { Logger } from '../log/logger.js';
import { StoreError } from '../store/documents.js';

export const ERROR_STATUS = {
  'bad-request': 400,
  'invalid-input': 400,
  'invalid-json': 400,
  'invalid-pdf': 400,
  'invalid-coordinates': 400,
  'invalid-document-id': 400,
  // A PDF refused by the intake's reader (server/src/pdf/intake.ts, @esign-kit/core's PdfLimits): a structure
  // no document has (400), or more of something than a document may hold (413).
  'pdf-page-tree-loop': 400,
  'pdf-page-tree-too-deep': 400,
  'pdf-nesting-too-deep': 400,
  'pdf-too-many-pages': 413,
  'pdf-too-many-objects': 413,
  'pdf-too-many-revisions': 413,
  'pdf-stream-too-large': 413,
  'pdf-inflate-budget': 413,
  'pdf-work-budget': 413,
  'pdf-time-budget': 413,
  'pdf-memory-budget': 413,
  unauthorized: 401,
  forbidden: 403,
  /** The portal token does not name the NIK or e-mail the request acts as (auth/identity.ts). */
  'identity-not-allowed': 403,
  /** An organisation-level operation without `scope: "esign:org"`. */
  'scope-required': 403,
  'not-found': 404,
  'document-not-found': 404,
  'reference-not-found': 404,
  'method-not-allowed': 405,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  /** A web view's outcome the server cannot confirm for this signer (another signer's landing, no signature). */
  'not-confirmed': 409,
  /** An Idempotency-Key whose first request is still running (with Retry-After; http/idempotency.ts). */
  'request-in-progress': 409,
  /** An Idempotency-Key sent again with a different request. */
  'idempotency-key-reused': 422,
  'document-corrupt': 500,
  internal: 500,
  'provider-not-configured': 503,
  /** Every PDF intake worker is busy and the queue is full (with Retry-After). */
  busy: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class HttpError extends Error {
  readonly status: number;
  /** Sent as Retry-After (503 busy). */
  retryAfterSeconds?: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'HttpError';
    this.status = ERROR_STATUS[code];
  }
}

export const notConfigured = (provider: string) => new HttpError('provider-not-configured', `${provider} is not configured on this server.`);

/**
 * The store knows ids, not the request field that named one: a store refusal (bad id, unknown document,
 * someone else's reference) is rethrown naming `field`.
 */
export async function withField<T>(field: string, pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (err) {
    // A stored file that fails its checksum is the server's problem (500), not the caller's field.
    if (err instanceof StoreError && err.code !== 'document-corrupt') throw new HttpError(err.code, err.message, field);
    throw err;
  }
}

/** Whether the request carried this field (a JSON/multipart body field or a file part). */
function carries(req: Request | undefined, field: string): boolean {
  const body = req?.body as Record<string, unknown> | undefined;
  if (body && typeof body === 'object' && !Array.isArray(body) && body[field] !== undefined) return true;
  const files = req?.files as Record<string, unknown[] | undefined> | undefined;
  return !!files && !Array.isArray(files) && (files[field]?.length ?? 0) > 0;
}

/**
 * The request field a provider's refusal is about (BSrE 2031 "Passphrase anda salah" → passphrase), among those
 * the request carried: the provider's own code and Indonesian text stay beside it.
 */
const PROVIDER_FIELDS: Partial<Record<ProviderErrorCode, readonly string[]>> = {
  'wrong-passphrase': ['passphrase'],
  'otp-invalid': ['otpCode', 'totp'],
  'invalid-nik': ['nik'],
  'nik-taken': ['nik'],
  'invalid-email': ['email', 'uploader', 'signers'],
  'email-taken': ['email'],
  'phone-taken': ['phone'],
  'old-phone-mismatch': ['oldPhone'],
  'selfie-rejected': ['selfie'],
  'boxes-overlap': ['boxes'],
  'invalid-coordinates': ['boxes', 'box'],
  'document-not-pdf': ['file', 'documentId', 'files', 'documentIds'],
  'document-id-taken': ['digisignDocumentId'],
};

/**
 * The core names a box's own field (`page`, `width`…) and the box's position; the API names the request
 * field: `boxes.1.width`, `box.page`, `profile.decimals`. Left as the core said when the request holds more
 * than one list of boxes (Digisign's e-meterai boxes beside its signature boxes).
 */
function coordinateField(err: CoordinateError, req: Request | undefined): string {
  const issue = err.issues[0]!;
  if (err.code === 'invalid-profile') return carries(req, 'profile') ? `profile.${issue.field}` : issue.field;
  const lists = ['boxes', 'box', 'meterai'].filter((k) => carries(req, k));
  if (lists.length !== 1) return issue.field;
  if (lists[0] === 'box') return `box.${issue.field}`;
  if (lists[0] !== 'boxes' || issue.index === undefined) return issue.field;
  return issue.code === 'overlap' ? `boxes.${issue.index}` : `boxes.${issue.index}.${issue.field}`;
}

/** The error envelope the elements read too (@esign-kit/core). */
export type ErrorBody = ErrorEnvelope;

/** Maps anything thrown to a status and a body; unknown errors become a bare 500. `req` lets it name the field. */
export function toErrorResponse(err: unknown, req?: Request): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  if (err instanceof HttpError) {
    return {
      status: err.status,
      body: { error: { code: err.code, message: err.message, ...(err.field !== undefined ? { field: err.field } : {}) } },
      ...(err.retryAfterSeconds !== undefined ? { headers: { 'Retry-After': String(err.retryAfterSeconds) } } : {}),
    };
  }
  if (err instanceof ProviderError) {
    const provider =
      err.providerCode !== undefined || err.providerMessage !== undefined ? { code: err.providerCode ?? '', message: err.providerMessage ?? '' } : undefined;
    const field = err.httpStatus < 500 ? PROVIDER_FIELDS[err.code]?.find((f) => carries(req, f)) : undefined;
    return {
      status: err.httpStatus,
      body: { error: { code: err.code, message: err.message, ...(field ? { field } : {}), ...(provider ? { provider } : {}), retryable: err.retryable } },
      ...(err.retryAfterMs !== undefined ? { headers: { 'Retry-After': String(Math.ceil(err.retryAfterMs / 1000)) } } : {}),
    };
  }
  if (err instanceof InputError) return { status: 400, body: { error: { code: 'invalid-input', message: err.message, field: err.field } } };
  if (err instanceof CoordinateError)
    return { status: 400, body: { error: { code: 'invalid-coordinates', message: err.message, field: coordinateField(err, req) } } };
  if (err instanceof ZodError) {
    const first = err.issues[0];
    const path = first?.path.map(String) ?? [];
    // An unknown field is refused by name: a misspelt optional field ("reson") would otherwise be dropped unseen.
    if (first?.code === 'unrecognized_keys') {
      const field = [...path, first.keys[0] ?? ''].join('.');
      return { status: 400, body: { error: { code: 'invalid-input', message: `${field}: unknown field; this route does not take it.`, field } } };
    }
    // An issue about the whole body (an array or a string instead of an object) is about `body`.
    const field = path.join('.') || 'body';
    const message = first ? `${field}: ${first.message}` : 'The request body is invalid.';
    return { status: 400, body: { error: { code: 'invalid-input', message, field } } };
  }
  if (err instanceof TokenError)
    return { status: err.code === 'token-keys-unavailable' ? 503 : 401, body: { error: { code: err.code, message: err.message, field: 'authorization' } } };
  if (err instanceof TooManyAttempts) {
    return {
      status: 429,
      body: { error: { code: 'too-many-attempts', message: err.message, field: err.field } },
      headers: { 'Retry-After': String(Math.ceil(err.retryAfterMs / 1000)) },
    };
  }
  if (err instanceof StoreError) return { status: ERROR_STATUS[err.code], body: { error: { code: err.code, message: err.message } } };
  if (err instanceof MulterError) {
    const field = err.field;
    if (err.code === 'LIMIT_FILE_SIZE' || err.code === 'LIMIT_FIELD_VALUE') {
      return {
        status: 413,
        body: { error: { code: 'payload-too-large', message: `${field ?? 'A part'} is larger than this server accepts.`, ...(field ? { field } : {}) } },
      };
    }
    const why: Partial<Record<MulterError['code'], string>> = {
      LIMIT_UNEXPECTED_FILE: `${field ?? 'A file part'} is not a file part this route takes (or it was sent more than once).`,
      LIMIT_FILE_COUNT: 'The multipart body holds too many files.',
      LIMIT_PART_COUNT: 'The multipart body holds too many parts.',
      LIMIT_FIELD_COUNT: 'The multipart body holds too many fields.',
      LIMIT_FIELD_KEY: 'A multipart field name is too long.',
    };
    return {
      status: 400,
      body: { error: { code: 'invalid-input', message: why[err.code] ?? `The multipart body was refused (${err.code}).`, ...(field ? { field } : {}) } },
    };
  }
  // body-parser's errors carry `type` and a 4xx `status`.
  const e = err as { type?: string; status?: number } | null;
  if (e?.type === 'entity.too.large')
    return {
      status: 413,
      body: { error: { code: 'payload-too-large', message: 'The request body is larger than this server accepts (1 MB of JSON).', field: 'body' } },
    };
  if (e?.type === 'entity.parse.failed')
    return { status: 400, body: { error: { code: 'invalid-json', message: 'The request body is not valid JSON.', field: 'body' } } };
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500)
    return { status: e.status, body: { error: { code: 'bad-request', message: 'The request was refused.' } } };
  return { status: 500, body: { error: { code: 'internal', message: 'Internal server error.' } } };
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const { status, body, headers } = toErrorResponse(err, req);
    if (status >= 500 && !(err instanceof ProviderError)) logger.error({ err }, 'unhandled error');
    else if (err instanceof ProviderError)
      logger.warn({ provider: err.provider, operation: err.operation, code: err.code, providerCode: err.providerCode, status }, 'provider error');
    res.locals.errorCode = body.error.code;
    if (res.headersSent) return;
    for (const [k, v] of Object.entries(headers ?? {})) res.setHeader(k, v);
    // An error names the caller's field and the provider's words: for this caller only, never cached.
    if (!res.hasHeader('Cache-Control')) res.setHeader('Cache-Control', 'no-store');
    res.status(status).json(body);
  };
}
