// One table from error codes to HTTP statuses, and the one error handler. Every error body is
// `{ error: { code, message, field?, provider?: { code, message } } }`; no stack trace ever leaves.
import { CoordinateError } from '@esign-kit/core';
import type { ErrorRequestHandler } from 'express';
import { MulterError } from 'multer';
import { ZodError } from 'zod';
import { InputError, ProviderError } from '../adapters/index.js';
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
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  'document-not-found': 404,
  'reference-not-found': 404,
  'method-not-allowed': 405,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'document-corrupt': 500,
  internal: 500,
  'provider-not-configured': 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class HttpError extends Error {
  readonly status: number;
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

export interface ErrorBody {
  error: { code: string; message: string; field?: string; provider?: { code: string; message: string }; retryable?: boolean };
}

/** Maps anything thrown to a status and a body; unknown errors become a bare 500. */
export function toErrorResponse(err: unknown): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  if (err instanceof HttpError) {
    return { status: err.status, body: { error: { code: err.code, message: err.message, ...(err.field !== undefined ? { field: err.field } : {}) } } };
  }
  if (err instanceof ProviderError) {
    const provider = err.providerCode !== undefined || err.providerMessage !== undefined ? { code: err.providerCode ?? '', message: err.providerMessage ?? '' } : undefined;
    return {
      status: err.httpStatus,
      body: { error: { code: err.code, message: err.message, ...(provider ? { provider } : {}), retryable: err.retryable } },
      ...(err.retryAfterMs !== undefined ? { headers: { 'Retry-After': String(Math.ceil(err.retryAfterMs / 1000)) } } : {}),
    };
  }
  if (err instanceof InputError) return { status: 400, body: { error: { code: 'invalid-input', message: err.message, field: err.field } } };
  if (err instanceof CoordinateError) return { status: 400, body: { error: { code: 'invalid-coordinates', message: err.message, field: err.field } } };
  if (err instanceof ZodError) {
    const first = err.issues[0];
    const field = first?.path.map(String).join('.') || undefined;
    const message = first ? `${field ?? 'body'}: ${first.message}` : 'The request body is invalid.';
    return { status: 400, body: { error: { code: 'invalid-input', message, ...(field ? { field } : {}) } } };
  }
  if (err instanceof TokenError) return { status: 401, body: { error: { code: err.code, message: err.message } } };
  if (err instanceof StoreError) return { status: ERROR_STATUS[err.code], body: { error: { code: err.code, message: err.message } } };
  if (err instanceof MulterError) {
    const field = err.field;
    if (err.code === 'LIMIT_FILE_SIZE' || err.code === 'LIMIT_FIELD_VALUE') {
      return { status: 413, body: { error: { code: 'payload-too-large', message: `${field ?? 'A part'} is larger than this server accepts.`, ...(field ? { field } : {}) } } };
    }
    return { status: 400, body: { error: { code: 'invalid-input', message: `The multipart body was refused (${err.code}).`, ...(field ? { field } : {}) } } };
  }
  // body-parser's errors carry `type` and a 4xx `status`.
  const e = err as { type?: string; status?: number } | null;
  if (e?.type === 'entity.too.large') return { status: 413, body: { error: { code: 'payload-too-large', message: 'The request body is larger than this server accepts.' } } };
  if (e?.type === 'entity.parse.failed') return { status: 400, body: { error: { code: 'invalid-json', message: 'The request body is not valid JSON.' } } };
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return { status: e.status, body: { error: { code: 'bad-request', message: 'The request was refused.' } } };
  return { status: 500, body: { error: { code: 'internal', message: 'Internal server error.' } } };
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    const { status, body, headers } = toErrorResponse(err);
    if (status >= 500 && !(err instanceof ProviderError)) logger.error({ err }, 'unhandled error');
    else if (err instanceof ProviderError) logger.warn({ provider: err.provider, operation: err.operation, code: err.code, providerCode: err.providerCode, status }, 'provider error');
    res.locals.errorCode = body.error.code;
    if (res.headersSent) return;
    for (const [k, v] of Object.entries(headers ?? {})) res.setHeader(k, v);
    res.status(status).json(body);
  };
}
