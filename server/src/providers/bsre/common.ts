// BSrE (docs/providers/bsre.md, whose part letters, § and gap numbers the comments of this folder cite): what
// the Esign Client Service API v1 (Part C) and v2 (Part D) share — HTTP Basic auth (Part B), the request
// shape, the user statuses and the error answers. Error bodies are not documented (gaps 15, 30); integrations
// observe `{"error":"Passphrase anda salah","status_code":2031}` with HTTP 400, which is what parseBsreError
// reads. The cloud service (cloud.ts) shares the error reading and the legacy verification answer.
import type { ProfileOverrides } from '@esign-kit/core';
import {
  decodeText,
  isJpeg,
  isJsonType,
  isPng,
  isRecord,
  jsonObject,
  mediaType,
  optionalStringField,
  requireBytes,
  requireEmail,
  requireNik,
  requireString,
} from '../shared/check.js';
import type { BsreDialect } from './dialect.js';
import { badResponse, httpError, invalid, ProviderError, type ProviderErrorCode } from '../shared/errors.js';
import type { ProviderRequest, RequestBody } from '../shared/types.js';

export interface BsreClientSettings {
  /** `http://{IP Server Esign Client}` (Part B). */
  baseUrl: string;
  /** An API credential of the Esign Client admin UI (Basic auth). */
  username: string;
  password: string;
  /** Deployment overrides of the `bsre-v1` and `bsre-v2` coordinate profiles. */
  profileV1?: ProfileOverrides;
  profileV2?: ProfileOverrides;
  /**
   * The TOTP key of v2 Sign PDF: the schema and field 15 say `totp`, the hand-written examples c/d send
   * `otp` (seed 002 §6.2). Default `totp` (dialects.ts, BSRE_SIGN_OTP_FIELD).
   */
  signOtpField?: BsreDialect['signOtpField'];
  /** Seal TOTP `data`: the string `"2"` of its request schema (seed 002 §6.5), or a number. Default `string` (dialect.ts). */
  sealTotpDataType?: BsreDialect['sealTotpDataType'];
  /** v1 user status path, `{nik}` replaced: unconfirmed by the documents (seed 001 §III.C). */
  v1UserStatusPath?: string;
  timeoutMs?: number;
}

export type BsreUserStatus = 'ISSUE' | 'EXPIRED' | 'RENEW' | 'WAITING_FOR_VERIFICATION' | 'NEW' | 'NO_CERTIFICATE' | 'NOT_REGISTERED' | 'SUSPEND' | 'REVOKE';

/** D.6: only ISSUE can sign. Our reading of each status, and what our server answers when signing is asked. */
export const BSRE_USER_STATUSES: Record<BsreUserStatus, { canSign: boolean; message: string; code: ProviderErrorCode | null; httpStatus: number }> = {
  ISSUE: { canSign: true, message: 'The user has an active certificate.', code: null, httpStatus: 200 },
  EXPIRED: { canSign: false, message: 'The certificate has expired.', code: 'certificate-not-usable', httpStatus: 409 },
  RENEW: { canSign: false, message: 'The certificate is being renewed.', code: 'certificate-not-usable', httpStatus: 409 },
  WAITING_FOR_VERIFICATION: { canSign: false, message: 'The certificate request is being verified.', code: 'certificate-not-usable', httpStatus: 409 },
  NEW: { canSign: false, message: 'The certificate exists but the user has not activated it.', code: 'certificate-not-usable', httpStatus: 409 },
  NO_CERTIFICATE: { canSign: false, message: 'The user is registered but has no certificate.', code: 'certificate-not-usable', httpStatus: 409 },
  NOT_REGISTERED: { canSign: false, message: 'The user is not registered at BSrE.', code: 'user-not-registered', httpStatus: 404 },
  SUSPEND: { canSign: false, message: 'The user is suspended.', code: 'certificate-not-usable', httpStatus: 409 },
  REVOKE: { canSign: false, message: 'The certificate has been revoked.', code: 'certificate-not-usable', httpStatus: 409 },
};

export interface BsreUserStatusOutcome {
  status: BsreUserStatus;
  canSign: boolean;
  message: string;
  providerMessage: string | undefined;
}

/** Throws the typed error of a status that cannot sign (before a signing is attempted). */
export function assertBsreCanSign(outcome: BsreUserStatusOutcome): void {
  const info = BSRE_USER_STATUSES[outcome.status];
  if (info.canSign || info.code === null) return;
  throw new ProviderError({
    code: info.code,
    provider: 'bsre',
    operation: 'bsre.userStatus',
    providerCode: outcome.status,
    providerMessage: outcome.providerMessage,
    message: info.message,
    httpStatus: info.httpStatus,
    retryable: false,
  });
}

/** Observed `status_code`s (not in the documents): 2031 wrong passphrase, 2011 user not registered. */
const STATUS_CODES: Record<string, { code: ProviderErrorCode; httpStatus: number; message: string }> = {
  '2031': { code: 'wrong-passphrase', httpStatus: 422, message: 'The passphrase is wrong.' },
  '2011': { code: 'user-not-registered', httpStatus: 404, message: 'The user is not registered at BSrE.' },
};

/**
 * Reads a BSrE error answer: `status_code` first, then the text (`error`, `message`) for the cases known
 * only by their words. A 4xx we cannot classify stays a provider refusal (502): the documents give no table.
 */
export function parseBsreError(operation: string, status: number, headers: Headers, body: Uint8Array): ProviderError {
  if (status === 401) return httpError('bsre', operation, 401);
  let obj: Record<string, unknown> | undefined;
  if (isJsonType(headers) || /^\s*\{/.test(decodeText(body.subarray(0, 16)))) {
    try {
      obj = jsonObject('bsre', operation, body);
    } catch {
      obj = undefined;
    }
  }
  const providerCode = obj ? optionalStringField(obj, 'status_code') : undefined;
  const text = obj ? (optionalStringField(obj, 'error') ?? optionalStringField(obj, 'message') ?? optionalStringField(obj, 'description')) : undefined;
  const known = (providerCode && STATUS_CODES[providerCode]) || (/passphrase anda salah/i.test(text ?? '') ? STATUS_CODES['2031'] : undefined);
  if (known)
    return new ProviderError({ ...known, provider: 'bsre', operation, providerCode: providerCode ?? String(status), providerMessage: text, retryable: false });
  if (/\b(t?otp)\b/i.test(text ?? '') && /(salah|tidak valid|invalid|expired|kadaluarsa)/i.test(text ?? '')) {
    return new ProviderError({
      code: 'otp-invalid',
      provider: 'bsre',
      operation,
      providerCode: providerCode ?? String(status),
      providerMessage: text,
      message: 'The one-time code is wrong or expired.',
      httpStatus: 422,
      retryable: false,
    });
  }
  // BSrE answered and refused, with its own code (a 200 carrying an error, or a 4xx with status_code other
  // than an authentication failure): the refusal is about the request (certificate not usable, TOTP used,
  // coordinates, tag not found…), so 422 with BSrE's text for the person. Unreadable answers stay 502.
  const refusal = (status >= 200 && status < 300) || (providerCode !== undefined && status >= 400 && status < 500 && status !== 401 && status !== 403);
  if (refusal) {
    return new ProviderError({
      code: 'provider-rejected',
      provider: 'bsre',
      operation,
      providerCode: providerCode ?? String(status),
      providerMessage: text,
      message: `BSrE refused ${operation}.`,
      httpStatus: 422,
      retryable: false,
    });
  }
  const e = httpError('bsre', operation, status, text);
  return providerCode === undefined
    ? e
    : new ProviderError({
        code: e.code,
        provider: 'bsre',
        operation,
        providerCode,
        providerMessage: text,
        message: e.message,
        httpStatus: e.httpStatus,
        retryable: e.retryable,
      });
}

export function basic(settings: BsreClientSettings): string {
  const user = requireString(settings.username, 'settings.username');
  const pass = requireString(settings.password, 'settings.password');
  return `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}`;
}

export function clientRequest(
  operation: string,
  method: 'GET' | 'POST',
  path: string,
  body: RequestBody,
  settings: BsreClientSettings,
  idempotent = false,
): ProviderRequest {
  const headers: Record<string, string> = { Authorization: basic(settings), Accept: 'application/json, application/pdf' };
  if (body.kind === 'json') headers['Content-Type'] = 'application/json';
  return {
    provider: 'bsre',
    operation: `bsre.${operation}`,
    method,
    url: requireString(settings.baseUrl, 'settings.baseUrl').replace(/\/+$/, '') + path,
    headers,
    body,
    idempotent,
    ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
  };
}

/** A JSON success: 2xx + JSON content type + object; any other answer goes through parseBsreError. */
export function jsonSuccess(operation: string, status: number, headers: Headers, body: Uint8Array): Record<string, unknown> {
  const op = `bsre.${operation}`;
  if (status < 200 || status >= 300) throw parseBsreError(op, status, headers, body);
  if (!isJsonType(headers)) throw badResponse('bsre', op, `content type is "${mediaType(headers)}", expected application/json`);
  const obj = jsonObject('bsre', op, body);
  if ('status_code' in obj && 'error' in obj) throw parseBsreError(op, status, headers, body);
  if (obj.success === false || obj.result === false || obj.status === false) throw parseBsreError(op, status, headers, body);
  return obj;
}

export const isPdf = (b: Uint8Array) => b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46;

/** A PDF success (v1 sign/download, cloud download): 2xx + PDF bytes; JSON means an error. */
export function pdfSuccess(operation: string, status: number, headers: Headers, body: Uint8Array): Uint8Array {
  const op = `bsre.${operation}`;
  if (status < 200 || status >= 300 || isJsonType(headers)) throw parseBsreError(op, status, headers, body);
  const type = mediaType(headers);
  if (!['application/pdf', 'application/octet-stream', ''].includes(type)) throw badResponse('bsre', op, `content type is "${type}", expected application/pdf`);
  if (!isPdf(body)) throw badResponse('bsre', op, 'the body is not a PDF');
  return body;
}

export function findStatus(obj: Record<string, unknown>): BsreUserStatus | undefined {
  const candidates: unknown[] = [obj.status, obj.status_user, obj.statusUser, obj.message];
  if (isRecord(obj.data)) candidates.push(obj.data.status, obj.data.status_user, obj.data.statusUser, obj.data.message);
  else candidates.push(obj.data);
  for (const c of candidates) if (typeof c === 'string' && c.trim().toUpperCase() in BSRE_USER_STATUSES) return c.trim().toUpperCase() as BsreUserStatus;
  return undefined;
}

/**
 * D.6 / C.1: the response shape is undocumented (gap 27); the status word is looked for in `status`,
 * `status_user`, `message` and the same keys under `data`.
 */
export function parseUserStatus(operation: string, status: number, headers: Headers, body: Uint8Array): BsreUserStatusOutcome {
  const obj = jsonSuccess(operation, status, headers, body);
  const s = findStatus(obj);
  if (!s) throw badResponse('bsre', `bsre.${operation}`, 'no known user status in the answer');
  const desc = optionalStringField(obj, 'message') ?? optionalStringField(obj, 'description');
  return { status: s, canSign: BSRE_USER_STATUSES[s].canSign, message: BSRE_USER_STATUSES[s].message, providerMessage: desc };
}

export type BsreSigner = { nik: string; email?: undefined } | { email: string; nik?: undefined };

export function signerFields(signer: BsreSigner | undefined): { nik: string } | { email: string } {
  if (!signer) invalid('signer', 'signer must give a nik or an email.');
  if (signer.nik !== undefined && signer.email !== undefined) invalid('signer', 'signer must give exactly one of nik or email.');
  if (signer.nik !== undefined) return { nik: requireNik(signer.nik, 'signer.nik') };
  return { email: requireEmail(signer.email, 'signer.email', 255) };
}

export function image(value: unknown, field: string): Uint8Array {
  const b = requireBytes(value, field);
  if (!isJpeg(b) && !isPng(b)) invalid(field, `${field} must be a JPEG or PNG image.`);
  return b;
}

export function linkQr(value: unknown): string {
  const s = requireString(value, 'linkQR');
  try {
    const u = new URL(s);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('scheme');
  } catch {
    invalid('linkQR', 'linkQR must be an http(s) URL.');
  }
  return s;
}

export const num = (n: number) => String(n);

export const bool = (v: unknown) => (typeof v === 'boolean' ? v : undefined);

export interface BsreLegacyVerification {
  /** The answer as BSrE sent it. */
  raw: Record<string, unknown>;
  summary: string | undefined;
  documentName: string | undefined;
  signatureCount: number;
  notes: string | undefined;
  signatures: {
    signerName: string | undefined;
    signerDn: string | undefined;
    issuerDn: string | undefined;
    certificateTrusted: boolean | undefined;
    field: string | undefined;
    signedAt: string | undefined;
    reason: string | undefined;
    location: string | undefined;
    integrity: boolean | undefined;
    usedTsa: boolean | undefined;
  }[];
}

/** C.4 and A.5 share the shape; A.5 writes `SUMMARY`, C.4 `summary` (gap 8). */
export function parseLegacyVerification(operation: string, status: number, headers: Headers, body: Uint8Array): BsreLegacyVerification {
  const obj = jsonSuccess(operation, status, headers, body);
  const details = obj.details ?? [];
  if (!Array.isArray(details)) throw badResponse('bsre', `bsre.${operation}`, 'details is not an array');
  const signatures = details.filter(isRecord).map((d) => {
    const signer = isRecord(d.info_signer) ? d.info_signer : {};
    const doc = isRecord(d.signature_document) ? d.signature_document : {};
    return {
      signerName: optionalStringField(signer, 'signer_name'),
      signerDn: optionalStringField(signer, 'signer_dn'),
      issuerDn: optionalStringField(signer, 'issuer_dn'),
      certificateTrusted: bool(signer.cert_user_certified),
      field: optionalStringField(d, 'signature_field'),
      signedAt: optionalStringField(doc, 'signed_in'),
      reason: optionalStringField(doc, 'reason'),
      location: optionalStringField(doc, 'location'),
      integrity: bool(doc.document_integrity),
      usedTsa: bool(doc.signed_using_tsa),
    };
  });
  return {
    raw: obj,
    summary: optionalStringField(obj, 'summary') ?? optionalStringField(obj, 'SUMMARY'),
    documentName: optionalStringField(obj, 'nama_dokumen'),
    signatureCount: typeof obj.jumlah_signature === 'number' ? obj.jumlah_signature : signatures.length,
    notes: optionalStringField(obj, 'notes'),
    signatures,
  };
}
