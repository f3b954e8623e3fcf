// BSrE (bsre.md): the on-premise Esign Client Service, API v1 (multipart, Part C) and v2 (JSON, Part D),
// both with HTTP Basic auth (Part B); and the older cloud "E-Sign API service" with an OAuth client-
// credentials token (Part A). Error bodies are not documented (gaps 15, 30); integrations observe
// `{"error":"Passphrase anda salah","status_code":2031}` with HTTP 400, which is what parseBsreError reads.
import type { NeutralBox, PageGeometry, ProfileOverrides } from '@esign-kit/core';
import {
  Base64Text,
  decodeText,
  fromBase64,
  isBase64,
  isJpeg,
  isJsonType,
  isPng,
  isRecord,
  jsonObject,
  mediaType,
  optionalString,
  optionalStringField,
  requireBytes,
  requireEmail,
  requireNik,
  requireOtp,
  requirePdf,
  requireString,
  stringField,
  toBase64,
} from '../shared/check.js';
import { convertBoxes } from '../shared/coordinates.js';
import { DEFAULT_DIALECTS, type BsreCloudDialect, type BsreDialect } from '../dialects.js';
import { badResponse, httpError, invalid, ProviderError, type ProviderErrorCode } from '../shared/errors.js';
import { TokenCache } from '../shared/token-cache.js';
import { call, type SendOptions } from '../shared/transport.js';
import { encodeWhileSending, type Base64Encoder, type MultipartFile, type ProviderRequest, type RequestBody } from '../shared/types.js';


// ===================================================================================================
// Shared

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
  /** Seal TOTP `data`: a number by its field text, the string `"2"` in its example (seed 002 §6.5). Default `number`. */
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
  throw new ProviderError({ code: info.code, provider: 'bsre', operation: 'bsre.userStatus', providerCode: outcome.status, providerMessage: outcome.providerMessage, message: info.message, httpStatus: info.httpStatus, retryable: false });
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
  if (known) return new ProviderError({ ...known, provider: 'bsre', operation, providerCode: providerCode ?? String(status), providerMessage: text, retryable: false });
  if (/\b(t?otp)\b/i.test(text ?? '') && /(salah|tidak valid|invalid|expired|kadaluarsa)/i.test(text ?? '')) {
    return new ProviderError({ code: 'otp-invalid', provider: 'bsre', operation, providerCode: providerCode ?? String(status), providerMessage: text, message: 'The one-time code is wrong or expired.', httpStatus: 422, retryable: false });
  }
  // BSrE answered and refused, with its own code (a 200 carrying an error, or a 4xx with status_code other
  // than an authentication failure): the refusal is about the request (certificate not usable, TOTP used,
  // coordinates, tag not found…), so 422 with BSrE's text for the person. Unreadable answers stay 502.
  const refusal = (status >= 200 && status < 300) || (providerCode !== undefined && status >= 400 && status < 500 && status !== 401 && status !== 403);
  if (refusal) {
    return new ProviderError({ code: 'provider-rejected', provider: 'bsre', operation, providerCode: providerCode ?? String(status), providerMessage: text, message: `BSrE refused ${operation}.`, httpStatus: 422, retryable: false });
  }
  const e = httpError('bsre', operation, status, text);
  return providerCode === undefined ? e : new ProviderError({ code: e.code, provider: 'bsre', operation, providerCode, providerMessage: text, message: e.message, httpStatus: e.httpStatus, retryable: e.retryable });
}

function basic(settings: BsreClientSettings): string {
  const user = requireString(settings.username, 'settings.username');
  const pass = requireString(settings.password, 'settings.password');
  return `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}`;
}

function clientRequest(operation: string, method: 'GET' | 'POST', path: string, body: RequestBody, settings: BsreClientSettings, idempotent = false): ProviderRequest {
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
function jsonSuccess(operation: string, status: number, headers: Headers, body: Uint8Array): Record<string, unknown> {
  const op = `bsre.${operation}`;
  if (status < 200 || status >= 300) throw parseBsreError(op, status, headers, body);
  if (!isJsonType(headers)) throw badResponse('bsre', op, `content type is "${mediaType(headers)}", expected application/json`);
  const obj = jsonObject('bsre', op, body);
  if ('status_code' in obj && 'error' in obj) throw parseBsreError(op, status, headers, body);
  if (obj.success === false || obj.result === false || obj.status === false) throw parseBsreError(op, status, headers, body);
  return obj;
}

const isPdf = (b: Uint8Array) => b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46;

/** A PDF success (v1 sign/download, cloud download): 2xx + PDF bytes; JSON means an error. */
function pdfSuccess(operation: string, status: number, headers: Headers, body: Uint8Array): Uint8Array {
  const op = `bsre.${operation}`;
  if (status < 200 || status >= 300 || isJsonType(headers)) throw parseBsreError(op, status, headers, body);
  const type = mediaType(headers);
  if (!['application/pdf', 'application/octet-stream', ''].includes(type)) throw badResponse('bsre', op, `content type is "${type}", expected application/pdf`);
  if (!isPdf(body)) throw badResponse('bsre', op, 'the body is not a PDF');
  return body;
}

function findStatus(obj: Record<string, unknown>): BsreUserStatus | undefined {
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
function parseUserStatus(operation: string, status: number, headers: Headers, body: Uint8Array): BsreUserStatusOutcome {
  const obj = jsonSuccess(operation, status, headers, body);
  const s = findStatus(obj);
  if (!s) throw badResponse('bsre', `bsre.${operation}`, 'no known user status in the answer');
  const desc = optionalStringField(obj, 'message') ?? optionalStringField(obj, 'description');
  return { status: s, canSign: BSRE_USER_STATUSES[s].canSign, message: BSRE_USER_STATUSES[s].message, providerMessage: desc };
}

export type BsreSigner = { nik: string; email?: undefined } | { email: string; nik?: undefined };

function signerFields(signer: BsreSigner | undefined): { nik: string } | { email: string } {
  if (!signer) invalid('signer', 'signer must give a nik or an email.');
  if (signer.nik !== undefined && signer.email !== undefined) invalid('signer', 'signer must give exactly one of nik or email.');
  if (signer.nik !== undefined) return { nik: requireNik(signer.nik, 'signer.nik') };
  return { email: requireEmail(signer.email, 'signer.email', 255) };
}

function image(value: unknown, field: string): Uint8Array {
  const b = requireBytes(value, field);
  if (!isJpeg(b) && !isPng(b)) invalid(field, `${field} must be a JPEG or PNG image.`);
  return b;
}

// ===================================================================================================
// Esign Client v2 (Part D): JSON bodies

export interface BsreV2Box {
  box: NeutralBox;
  pages: readonly PageGeometry[];
  profile?: ProfileOverrides;
}

export type BsreV2Signature =
  | { visible: false; location?: string; reason?: string; pdfPassword?: string }
  | ({ visible: true; image: Uint8Array; location?: string; reason?: string; pdfPassword?: string } & (BsreV2Box | { tag: string; width: number; height: number }));

function v2Properties(sig: BsreV2Signature, settings: BsreClientSettings, i: number): Record<string, unknown> {
  const f = `signatures[${i}]`;
  const location = optionalString(sig.location, `${f}.location`);
  const reason = optionalString(sig.reason, `${f}.reason`);
  const pdfPassword = optionalString(sig.pdfPassword, `${f}.pdfPassword`);
  const tail = { ...(location !== undefined ? { location } : {}), ...(reason !== undefined ? { reason } : {}), ...(pdfPassword !== undefined ? { pdfPassword } : {}) };
  if (!sig.visible) return { tampilan: 'INVISIBLE', ...tail };
  const imageBase64 = toBase64(image(sig.image, `${f}.image`));
  if ('tag' in sig) {
    const tag = requireString(sig.tag, `${f}.tag`);
    if ([...tag].length !== 1) invalid(`${f}.tag`, `${f}.tag must be one marker character such as "$" or "#".`);
    if (!(sig.width > 0) || !(sig.height > 0)) invalid(`${f}.width`, `${f}.width and height must be positive.`);
    // tag_koordinat: in the examples, not in the schema (gap 19).
    return { tampilan: 'VISIBLE', tag_koordinat: tag, imageBase64, width: sig.width, height: sig.height, ...tail };
  }
  const [p] = convertBoxes('bsre-v2', { boxes: [sig.box], pages: sig.pages, ...(sig.profile ? { profile: sig.profile } : {}) }, settings.profileV2, `${f}.box`);
  return { tampilan: 'VISIBLE', imageBase64, page: p!.page, originX: p!.originX, originY: p!.originY, width: p!.width, height: p!.height, ...tail };
}

export type BsreCredential = { passphrase: string; totp?: undefined } | { totp: string; passphrase?: undefined };

export interface BsreV2SignInput {
  signer: BsreSigner;
  credential: BsreCredential;
  /** One or more PDFs (bulk). */
  files: readonly Uint8Array[];
  /** One for all files, or exactly one per file, matched by position (D.1, gap 21). */
  signatures: readonly BsreV2Signature[];
}

export function buildBsreV2SignRequest(input: BsreV2SignInput, settings: BsreClientSettings, encode: Base64Encoder = toBase64): ProviderRequest {
  if (!Array.isArray(input.files) || input.files.length === 0) invalid('files', 'files must hold at least one PDF.');
  const files = input.files.map((f, i) => encode(requirePdf(f, `files[${i}]`)));
  if (!Array.isArray(input.signatures) || (input.signatures.length !== 1 && input.signatures.length !== files.length)) {
    invalid('signatures', 'signatures must hold one entry for all files or exactly one per file.');
  }
  const c = input.credential;
  if (!c || (c.passphrase === undefined) === (c.totp === undefined)) invalid('credential', 'credential must give exactly one of passphrase or totp.');
  const cred = c.passphrase !== undefined ? { passphrase: requireString(c.passphrase, 'credential.passphrase') } : { [settings.signOtpField ?? DEFAULT_DIALECTS.bsre.signOtpField]: requireOtp(c.totp, 'credential.totp') };
  return clientRequest(
    'v2.signPdf',
    'POST',
    '/api/v2/sign/pdf',
    { kind: 'json', value: { ...signerFields(input.signer), ...cred, signatureProperties: input.signatures.map((s, i) => v2Properties(s, settings, i)), file: files } },
    settings,
  );
}

/** D.1/D.5 success: `{time, file[]}` (printed under D.2, gap 22), base64 PDFs in input order. */
export function parseBsreV2SignResponse(status: number, headers: Headers, body: Uint8Array): { files: Uint8Array[]; timeMs: number | undefined } {
  return parseSignedFiles('v2.signPdf', status, headers, body);
}

function parseSignedFiles(operation: string, status: number, headers: Headers, body: Uint8Array): { files: Uint8Array[]; timeMs: number | undefined } {
  const obj = jsonSuccess(operation, status, headers, body);
  const list = Array.isArray(obj.file) ? obj.file : isRecord(obj.data) && Array.isArray(obj.data.file) ? obj.data.file : undefined;
  if (!list || list.length === 0) throw badResponse('bsre', `bsre.${operation}`, 'file[] is missing');
  const files = list.map((f) => {
    if (!(typeof f === 'string' || f instanceof Base64Text) || !isBase64(f)) throw badResponse('bsre', `bsre.${operation}`, 'file[] holds something that is not base64');
    const pdf = fromBase64(f);
    if (!isPdf(pdf)) throw badResponse('bsre', `bsre.${operation}`, 'file[] holds something that is not a PDF');
    return pdf;
  });
  return { files, timeMs: typeof obj.time === 'number' ? obj.time : undefined };
}

/** D.2: the OTP goes to the signer's e-mail; `data` is the number of files of the next Sign PDF. */
export function buildBsreV2SignTotpRequest(input: { nik?: string; email?: string; fileCount: number }, settings: BsreClientSettings): ProviderRequest {
  if (input.nik === undefined && input.email === undefined) invalid('signer', 'give a nik, an email or both (the D.2 example sends both).');
  if (!Number.isInteger(input.fileCount) || input.fileCount < 1) invalid('fileCount', 'fileCount must be a positive whole number.');
  const value = {
    ...(input.nik !== undefined ? { nik: requireNik(input.nik, 'nik') } : {}),
    ...(input.email !== undefined ? { email: requireEmail(input.email, 'email', 255) } : {}),
    data: input.fileCount,
  };
  return clientRequest('v2.signTotp', 'POST', '/api/v2/sign/get/totp', { kind: 'json', value }, settings);
}

export interface BsreAck {
  message: string | undefined;
  totp?: string;
  expires?: string;
}

function ack(operation: string): (status: number, headers: Headers, body: Uint8Array) => BsreAck {
  return (status, headers, body) => {
    const obj = jsonSuccess(operation, status, headers, body);
    const src = isRecord(obj.data) ? { ...obj, ...obj.data } : obj;
    const message = optionalStringField(src, 'message') ?? optionalStringField(obj, 'message');
    const totp = optionalStringField(src, 'totp');
    const expires = optionalStringField(src, 'expires');
    return { message, ...(totp !== undefined ? { totp } : {}), ...(expires !== undefined ? { expires } : {}) };
  };
}

/** The response is undocumented (gap 22); any JSON 2xx without an error is an acknowledgement. */
export const parseBsreV2SignTotpResponse = ack('v2.signTotp');

/** D.3: request (no totp) or refresh (with the activation totp) — one path. */
export function buildBsreSealActivationRequest(input: { idSubscriber: string; totp?: string }, settings: BsreClientSettings): ProviderRequest {
  const value = { idSubscriber: requireString(input.idSubscriber, 'idSubscriber'), ...(input.totp !== undefined ? { totp: requireString(input.totp, 'totp') } : {}) };
  return clientRequest('v2.sealActivation', 'POST', '/api/v2/seal/get/activation', { kind: 'json', value }, settings);
}
export const parseBsreSealActivationResponse = ack('v2.sealActivation');

export function buildBsreSealRevokeRequest(input: { idSubscriber: string; totp: string }, settings: BsreClientSettings): ProviderRequest {
  return clientRequest('v2.sealRevoke', 'POST', '/api/v2/seal/revoke/activation', { kind: 'json', value: { idSubscriber: requireString(input.idSubscriber, 'idSubscriber'), totp: requireString(input.totp, 'totp') } }, settings);
}
export const parseBsreSealRevokeResponse = ack('v2.sealRevoke');

/** D.4: `totp` is the activation TOTP; `data` the number of files of the next Seal PDF. */
export function buildBsreSealTotpRequest(input: { idSubscriber: string; activationTotp: string; fileCount: number }, settings: BsreClientSettings): ProviderRequest {
  if (!Number.isInteger(input.fileCount) || input.fileCount < 1) invalid('fileCount', 'fileCount must be a positive whole number.');
  const data = (settings.sealTotpDataType ?? DEFAULT_DIALECTS.bsre.sealTotpDataType) === 'string' ? String(input.fileCount) : input.fileCount;
  return clientRequest('v2.sealTotp', 'POST', '/api/v2/seal/get/totp', { kind: 'json', value: { idSubscriber: requireString(input.idSubscriber, 'idSubscriber'), data, totp: requireString(input.activationTotp, 'activationTotp') } }, settings);
}
export const parseBsreSealTotpResponse = ack('v2.sealTotp');

/** D.5: only the invisible seal is documented (gap 26). `totp` is the D.4 OTP. */
export function buildBsreSealPdfRequest(
  input: { idSubscriber: string; totp: string; files: readonly Uint8Array[]; location?: string; reason?: string },
  settings: BsreClientSettings,
  encode: Base64Encoder = toBase64,
): ProviderRequest {
  if (!Array.isArray(input.files) || input.files.length === 0) invalid('files', 'files must hold at least one PDF.');
  const value = {
    idSubscriber: requireString(input.idSubscriber, 'idSubscriber'),
    totp: requireOtp(input.totp, 'totp'),
    signatureProperties: [{ tampilan: 'INVISIBLE', location: optionalString(input.location, 'location') ?? null, reason: optionalString(input.reason, 'reason') ?? null }],
    file: input.files.map((f, i) => encode(requirePdf(f, `files[${i}]`))),
  };
  return clientRequest('v2.sealPdf', 'POST', '/api/v2/seal/pdf', { kind: 'json', value }, settings);
}
export function parseBsreSealPdfResponse(status: number, headers: Headers, body: Uint8Array): { files: Uint8Array[]; timeMs: number | undefined } {
  return parseSignedFiles('v2.sealPdf', status, headers, body);
}

export function buildBsreV2UserStatusRequest(input: BsreSigner, settings: BsreClientSettings): ProviderRequest {
  return clientRequest('v2.userStatus', 'POST', '/api/v2/user/check/status', { kind: 'json', value: signerFields(input) }, settings, true);
}
export function parseBsreV2UserStatusResponse(status: number, headers: Headers, body: Uint8Array): BsreUserStatusOutcome {
  return parseUserStatus('v2.userStatus', status, headers, body);
}

export function buildBsreV2RegistrationRequest(input: { name: string; email: string }, settings: BsreClientSettings): ProviderRequest {
  return clientRequest('v2.registration', 'POST', '/api/v2/user/registration', { kind: 'json', value: { nama: requireString(input.name, 'name'), email: requireEmail(input.email, 'email', 255) } }, settings);
}
export const parseBsreV2RegistrationResponse = ack('v2.registration');

export function buildBsreV2VerifyRequest(input: { pdf: Uint8Array; password?: string }, settings: BsreClientSettings, encode: Base64Encoder = toBase64): ProviderRequest {
  const password = optionalString(input.password, 'password');
  const value = { file: encode(requirePdf(input.pdf, 'pdf')), ...(password !== undefined ? { password } : {}) };
  return clientRequest('v2.verify', 'POST', '/api/v2/verify/pdf', { kind: 'json', value }, settings, true);
}

export interface BsreV2Verification {
  /** The answer as BSrE sent it, for callers who need a field we do not read. */
  raw: Record<string, unknown>;
  conclusion: string;
  description: string | undefined;
  signatureCount: number;
  signatures: {
    signerName: string | undefined;
    signatureDate: string | undefined;
    fieldName: string | undefined;
    reason: string | undefined;
    location: string | undefined;
    integrityValid: boolean | undefined;
    certificateTrusted: boolean | undefined;
    timestampDate: string | undefined;
    certificates: { commonName: string | undefined; issuerName: string | undefined; serialNumber: string | undefined; notBefore: string | undefined; notAfter: string | undefined }[];
  }[];
}

const bool = (v: unknown) => (typeof v === 'boolean' ? v : undefined);

/** D.8; keys as sent, including the typos `timestampInfomation` and `signatureAlgoritm` (gap 28). */
export function parseBsreV2VerifyResponse(status: number, headers: Headers, body: Uint8Array): BsreV2Verification {
  const op = 'v2.verify';
  const obj = jsonSuccess(op, status, headers, body);
  const conclusion = stringField(obj, 'conclusion', 'bsre', `bsre.${op}`);
  const infos = obj.signatureInformations ?? [];
  if (!Array.isArray(infos)) throw badResponse('bsre', `bsre.${op}`, 'signatureInformations is not an array');
  const signatures = infos.filter(isRecord).map((s) => ({
    signerName: optionalStringField(s, 'signerName'),
    signatureDate: optionalStringField(s, 'signatureDate'),
    fieldName: optionalStringField(s, 'fieldName'),
    reason: optionalStringField(s, 'reason'),
    location: optionalStringField(s, 'location'),
    integrityValid: bool(s.integrityValid),
    certificateTrusted: bool(s.certificateTrusted),
    timestampDate: isRecord(s.timestampInfomation) ? optionalStringField(s.timestampInfomation, 'timestampDate') : undefined,
    certificates: (Array.isArray(s.certificateDetails) ? s.certificateDetails : []).filter(isRecord).map((c) => ({
      commonName: optionalStringField(c, 'commonName'),
      issuerName: optionalStringField(c, 'issuerName'),
      serialNumber: optionalStringField(c, 'serialNumber'),
      notBefore: optionalStringField(c, 'notBeforeDate'),
      notAfter: optionalStringField(c, 'notAfterDate'),
    })),
  }));
  const count = typeof obj.signatureCount === 'number' ? obj.signatureCount : signatures.length;
  return { raw: obj, conclusion, description: optionalStringField(obj, 'description'), signatureCount: count, signatures };
}

// ===================================================================================================
// Esign Client v1 (Part C): multipart; the signed PDF comes back as the raw body

export type BsreV1Mode =
  | { mode: 'invisible' }
  /** Visible with a custom specimen image (`image=true`, `imageTTD`). */
  | { mode: 'image'; image: Uint8Array; box: NeutralBox; pages: readonly PageGeometry[]; profile?: ProfileOverrides }
  /** Visible with a generated QR code (`image=false`, `linkQR`). */
  | { mode: 'qr'; linkQR: string; box: NeutralBox; pages: readonly PageGeometry[]; profile?: ProfileOverrides }
  /** Visible at a marker character in the text (`tag_koordinat`), with an image or a QR code. */
  | ({ mode: 'tag'; tag: string; width: number; height: number } & ({ image: Uint8Array } | { linkQR: string }));

export type BsreV1SignInput = BsreV1Mode & {
  pdf: Uint8Array;
  fileName?: string;
  nik: string;
  passphrase: string;
  reason?: string;
  location?: string;
  text?: string;
};

function linkQr(value: unknown): string {
  const s = requireString(value, 'linkQR');
  try {
    const u = new URL(s);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('scheme');
  } catch {
    invalid('linkQR', 'linkQR must be an http(s) URL.');
  }
  return s;
}

const num = (n: number) => String(n);

export function buildBsreV1SignRequest(input: BsreV1SignInput, settings: BsreClientSettings): ProviderRequest {
  const pdf = requirePdf(input.pdf, 'pdf');
  const fields: Record<string, string> = {
    nik: requireNik(input.nik, 'nik'),
    passphrase: requireString(input.passphrase, 'passphrase'),
    tampilan: input.mode === 'invisible' ? 'invisible' : 'visible',
  };
  const files: MultipartFile[] = [{ field: 'file', filename: optionalString(input.fileName, 'fileName') ?? 'document.pdf', contentType: 'application/pdf', data: pdf }];
  const addImage = (img: Uint8Array) => {
    const b = image(img, 'image');
    fields.image = 'true';
    files.push({ field: 'imageTTD', filename: isPng(b) ? 'specimen.png' : 'specimen.jpg', contentType: isPng(b) ? 'image/png' : 'image/jpeg', data: b });
  };
  const addBox = (box: NeutralBox, pages: readonly PageGeometry[], profile?: ProfileOverrides) => {
    const [p] = convertBoxes('bsre-v1', { boxes: [box], pages, ...(profile ? { profile } : {}) }, settings.profileV1, 'box');
    // `page` (a number) rather than `halaman` (first/last only): any page can be addressed (C.2, gap 11).
    Object.assign(fields, { page: num(p!.page), xAxis: num(p!.xAxis), yAxis: num(p!.yAxis), width: num(p!.width), height: num(p!.height) });
  };
  switch (input.mode) {
    case 'invisible':
      break;
    case 'image':
      addImage(input.image);
      addBox(input.box, input.pages, input.profile);
      break;
    case 'qr':
      fields.image = 'false';
      fields.linkQR = linkQr(input.linkQR);
      addBox(input.box, input.pages, input.profile);
      break;
    case 'tag': {
      const tag = requireString(input.tag, 'tag');
      if ([...tag].length !== 1) invalid('tag', 'tag must be one marker character such as "#" or "$".');
      if (!(input.width > 0) || !(input.height > 0)) invalid('width', 'width and height must be positive.');
      if ('image' in input) addImage(input.image);
      else {
        fields.image = 'false';
        fields.linkQR = linkQr(input.linkQR);
      }
      // No page/xAxis/yAxis in tag mode (C.2 mode matrix, inferred).
      Object.assign(fields, { tag_koordinat: tag, width: num(input.width), height: num(input.height) });
      break;
    }
    default:
      invalid('mode', 'mode must be invisible, image, qr or tag.');
  }
  for (const key of ['reason', 'location', 'text'] as const) {
    const v = optionalString(input[key], key);
    if (v !== undefined) fields[key] = v;
  }
  return clientRequest('v1.signPdf', 'POST', '/api/sign/pdf', { kind: 'multipart', fields, files }, settings);
}

/** C.2: the signed PDF is the body; `id_dokumen` (header, may be stripped by proxies, gap 16) names it for C.3. */
export function parseBsreV1SignResponse(status: number, headers: Headers, body: Uint8Array): { pdf: Uint8Array; documentId: string | undefined } {
  const documentId = headers.get('id_dokumen') ?? headers.get('id-dokumen') ?? undefined;
  try {
    return { pdf: pdfSuccess('v1.signPdf', status, headers, body), documentId };
  } catch (err) {
    // A 2xx whose body is not the PDF but whose header names the document: BSrE signed it, and the one
    // download of C.3 can still fetch it. The id travels with the error (details.documentId).
    if (err instanceof ProviderError && err.code === 'provider-bad-response' && documentId !== undefined && status >= 200 && status < 300) {
      throw new ProviderError({ code: err.code, provider: 'bsre', operation: err.operation, message: err.message, httpStatus: err.httpStatus, retryable: false, details: { documentId }, cause: err });
    }
    throw err;
  }
}

/** C.3: each document can be downloaded only once, so this is not idempotent and never retried. */
export function buildBsreV1DownloadRequest(input: { documentId: string }, settings: BsreClientSettings): ProviderRequest {
  return clientRequest('v1.download', 'GET', `/api/sign/download/${encodeURIComponent(requireString(input.documentId, 'documentId'))}`, { kind: 'none' }, settings);
}
export function parseBsreV1DownloadResponse(status: number, headers: Headers, body: Uint8Array): { pdf: Uint8Array } {
  if (status === 404) {
    throw new ProviderError({ code: 'document-not-found', provider: 'bsre', operation: 'bsre.v1.download', providerCode: '404', message: 'BSrE has no such document (each can be downloaded only once).', httpStatus: 404, retryable: false });
  }
  return { pdf: pdfSuccess('v1.download', status, headers, body) };
}

export function buildBsreV1VerifyRequest(input: { pdf: Uint8Array; fileName?: string }, settings: BsreClientSettings): ProviderRequest {
  const pdf = requirePdf(input.pdf, 'pdf');
  return clientRequest('v1.verify', 'POST', '/api/sign/verify', { kind: 'multipart', fields: {}, files: [{ field: 'signed_file', filename: optionalString(input.fileName, 'fileName') ?? 'document.pdf', contentType: 'application/pdf', data: pdf }] }, settings, true);
}

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
function parseLegacyVerification(operation: string, status: number, headers: Headers, body: Uint8Array): BsreLegacyVerification {
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

export function parseBsreV1VerifyResponse(status: number, headers: Headers, body: Uint8Array): BsreLegacyVerification {
  return parseLegacyVerification('v1.verify', status, headers, body);
}

export function buildBsreV1UserStatusRequest(input: { nik: string }, settings: BsreClientSettings): ProviderRequest {
  const path = (settings.v1UserStatusPath ?? DEFAULT_DIALECTS.bsre.v1UserStatusPath).replace('{nik}', encodeURIComponent(requireNik(input.nik, 'nik')));
  return clientRequest('v1.userStatus', 'GET', path, { kind: 'none' }, settings, true);
}
export function parseBsreV1UserStatusResponse(status: number, headers: Headers, body: Uint8Array): BsreUserStatusOutcome {
  return parseUserStatus('v1.userStatus', status, headers, body);
}

// ===================================================================================================
// Cloud "E-Sign API service" (Part A): OAuth client credentials, query parameters

export interface BsreCloudSettings {
  /** `{{url}}` of the slides; no host is given (A.0). */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Deployment overrides of the `bsre-cloud` coordinate profile. */
  profile?: ProfileOverrides;
  /** How the token is presented: not stated (seed 000). Default `header` (`Authorization: Bearer`). */
  tokenPlacement?: BsreCloudDialect['tokenPlacement'];
  timeoutMs?: number;
}

function cloudRequest(operation: string, path: string, query: Record<string, string>, body: RequestBody, settings: BsreCloudSettings, token: string | null): ProviderRequest {
  const q = new URLSearchParams(query);
  const headers: Record<string, string> = { Accept: 'application/json, application/pdf' };
  if (token !== null) {
    if ((settings.tokenPlacement ?? DEFAULT_DIALECTS.bsreCloud.tokenPlacement) === 'query') q.set('access_token', token);
    else headers.Authorization = `Bearer ${requireString(token, 'token')}`;
  }
  const qs = q.toString();
  return {
    provider: 'bsre',
    operation: `bsre.cloud.${operation}`,
    method: 'POST',
    url: requireString(settings.baseUrl, 'settings.baseUrl').replace(/\/+$/, '') + path + (qs ? `?${qs}` : ''),
    headers,
    body,
    idempotent: operation === 'token' || operation === 'verify',
    ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
  };
}

/** A.1: the credentials travel in the query string, as the slides show. The URL must never be logged. */
export function buildBsreCloudTokenRequest(settings: BsreCloudSettings): ProviderRequest {
  return cloudRequest('token', '/oauth/token', { client_id: requireString(settings.clientId, 'settings.clientId'), client_secret: requireString(settings.clientSecret, 'settings.clientSecret'), grant_type: 'client_credentials' }, { kind: 'none' }, settings, null);
}

export function parseBsreCloudTokenResponse(status: number, headers: Headers, body: Uint8Array): { accessToken: string; expiresInSeconds: number } {
  const op = 'cloud.token';
  const obj = jsonSuccess(op, status, headers, body);
  const accessToken = stringField(obj, 'access_token', 'bsre', `bsre.${op}`);
  const type = optionalStringField(obj, 'token_type');
  if (type !== undefined && type.toLowerCase() !== 'bearer') throw badResponse('bsre', `bsre.${op}`, `token_type is "${type}", expected bearer`);
  const exp = obj.expires_in;
  if (typeof exp !== 'number' || !(exp > 0)) throw badResponse('bsre', `bsre.${op}`, 'expires_in is missing or not a positive number');
  return { accessToken, expiresInSeconds: exp };
}

export interface BsreCloudSignRequestInput {
  /** `penandatangan`: `$nik` in the table, `{{username}}` in the URL template (gap 2); sent as given. */
  signer: string;
  pdf: Uint8Array;
  fileName?: string;
  tujuan?: string;
  perihal?: string;
  info?: string;
  jenisDokumen?: string;
  nomor?: string;
  appearance:
    | { visible: false }
    /** `halaman` is only first (`pertama`) or last (`terakhir`): a box on another page is a CoordinateError. */
    | ({ visible: true; box: NeutralBox; pages: readonly PageGeometry[]; profile?: ProfileOverrides } & ({ image: true } | { linkQR: string }));
}

/** A.2: every field is a query parameter; the PDF is the multipart part `file` (name not given, "probably file"). */
export function buildBsreCloudSignRequestRequest(input: BsreCloudSignRequestInput, settings: BsreCloudSettings, token: string): ProviderRequest {
  const pdf = requirePdf(input.pdf, 'pdf');
  const q: Record<string, string> = { penandatangan: requireString(input.signer, 'signer') };
  const optional: [keyof BsreCloudSignRequestInput, string][] = [['tujuan', 'tujuan'], ['perihal', 'perihal'], ['info', 'info'], ['jenisDokumen', 'jenis_dokumen'], ['nomor', 'nomor']];
  for (const [key, name] of optional) {
    const v = optionalString(input[key], key);
    if (v !== undefined) q[name] = v;
  }
  const a = input.appearance;
  if (!a) invalid('appearance', 'appearance is required.');
  q.tampilan = a.visible ? 'visible' : 'invisible';
  if (a.visible) {
    if ('linkQR' in a) {
      q.image = 'false';
      q.linkQR = linkQr(a.linkQR);
    } else q.image = 'true';
    const [p] = convertBoxes('bsre-cloud', { boxes: [a.box], pages: a.pages, ...(a.profile ? { profile: a.profile } : {}) }, settings.profile, 'appearance.box');
    Object.assign(q, { halaman: p!.halaman, yAxis: num(p!.yAxis), xAxis: num(p!.xAxis), width: num(p!.width), height: num(p!.height) });
  }
  return cloudRequest('signRequest', '/api/v2/entity/sign/request', q, { kind: 'multipart', fields: {}, files: [{ field: 'file', filename: optionalString(input.fileName, 'fileName') ?? 'document.pdf', contentType: 'application/pdf', data: pdf }] }, settings, token);
}

export function parseBsreCloudSignRequestResponse(status: number, headers: Headers, body: Uint8Array): { idSigned: string; message: string | undefined } {
  const obj = jsonSuccess('cloud.signRequest', status, headers, body);
  const idSigned = stringField(obj, 'id_signed', 'bsre', 'bsre.cloud.signRequest');
  if (!/^[A-Za-z0-9_-]+$/.test(idSigned)) throw badResponse('bsre', 'bsre.cloud.signRequest', 'id_signed is not an id');
  return { idSigned, message: optionalStringField(obj, 'message') };
}

/** A.3: the passphrase is a query parameter in the slides; the URL must never be logged. */
export function buildBsreCloudSignRequest(input: { idSigned: string; passphrase: string; approvedInfo?: string }, settings: BsreCloudSettings, token: string): ProviderRequest {
  const id = requireString(input.idSigned, 'idSigned');
  if (!/^[A-Za-z0-9_-]+$/.test(id)) invalid('idSigned', 'idSigned must be the id returned by the sign request.');
  const q: Record<string, string> = { passphrase: requireString(input.passphrase, 'passphrase') };
  q.approved_info = optionalString(input.approvedInfo, 'approvedInfo') ?? '';
  return cloudRequest('sign', `/api/v2/entity/sign/${id}`, q, { kind: 'none' }, settings, token);
}

export function parseBsreCloudSignResponse(status: number, headers: Headers, body: Uint8Array): { message: string | undefined; elapsed: string | undefined } {
  const obj = jsonSuccess('cloud.sign', status, headers, body);
  return { message: optionalStringField(obj, 'message'), elapsed: optionalStringField(obj, 'waktu') };
}

export function buildBsreCloudDownloadRequest(input: { idSigned: string }, settings: BsreCloudSettings, token: string): ProviderRequest {
  const id = requireString(input.idSigned, 'idSigned');
  if (!/^[A-Za-z0-9_-]+$/.test(id)) invalid('idSigned', 'idSigned must be the id returned by the sign request.');
  return cloudRequest('download', `/api/v2/entity/sign/download/${id}`, {}, { kind: 'none' }, settings, token);
}

/** A.4: the format is not shown; presumably the PDF. */
export function parseBsreCloudDownloadResponse(status: number, headers: Headers, body: Uint8Array): { pdf: Uint8Array } {
  return { pdf: pdfSuccess('cloud.download', status, headers, body) };
}

export function buildBsreCloudVerifyRequest(input: { pdf: Uint8Array; fileName?: string }, settings: BsreCloudSettings, token: string): ProviderRequest {
  const pdf = requirePdf(input.pdf, 'pdf');
  return cloudRequest('verify', '/api/v2/entity/verify/', {}, { kind: 'multipart', fields: {}, files: [{ field: 'signed_file', filename: optionalString(input.fileName, 'fileName') ?? 'document.pdf', contentType: 'application/pdf', data: pdf }] }, settings, token);
}

export function parseBsreCloudVerifyResponse(status: number, headers: Headers, body: Uint8Array): BsreLegacyVerification {
  return parseLegacyVerification('cloud.verify', status, headers, body);
}

// ===================================================================================================
// Clients

type Parser<T> = (status: number, headers: Headers, body: Uint8Array) => T;

export class BsreEsignClient {
  readonly #settings: BsreClientSettings;
  readonly #options: Omit<SendOptions, 'signal'>;

  constructor(settings: BsreClientSettings, options: Omit<SendOptions, 'signal'> = {}) {
    this.#settings = settings;
    this.#options = options;
  }

  async #run<I, T>(build: (input: I, s: BsreClientSettings) => ProviderRequest, parse: Parser<T>, input: I, signal?: AbortSignal): Promise<T> {
    return call(build(input, this.#settings), parse, signal ? { ...this.#options, signal } : this.#options);
  }

  // v1
  v1UserStatus = (input: { nik: string }, signal?: AbortSignal) => this.#run(buildBsreV1UserStatusRequest, parseBsreV1UserStatusResponse, input, signal);
  v1SignPdf = (input: BsreV1SignInput, signal?: AbortSignal) => this.#run(buildBsreV1SignRequest, parseBsreV1SignResponse, input, signal);
  v1Download = (input: { documentId: string }, signal?: AbortSignal) => this.#run(buildBsreV1DownloadRequest, parseBsreV1DownloadResponse, input, signal);
  v1Verify = (input: { pdf: Uint8Array; fileName?: string }, signal?: AbortSignal) => this.#run(buildBsreV1VerifyRequest, parseBsreV1VerifyResponse, input, signal);
  // v2
  // PDFs go out as bytes the transport base64-encodes while sending (a large PDF is never one big string).
  signPdf = (input: BsreV2SignInput, signal?: AbortSignal) => this.#run((i: BsreV2SignInput, s) => buildBsreV2SignRequest(i, s, encodeWhileSending), parseBsreV2SignResponse, input, signal);
  requestSignTotp = (input: { nik?: string; email?: string; fileCount: number }, signal?: AbortSignal) => this.#run(buildBsreV2SignTotpRequest, parseBsreV2SignTotpResponse, input, signal);
  sealActivation = (input: { idSubscriber: string; totp?: string }, signal?: AbortSignal) => this.#run(buildBsreSealActivationRequest, parseBsreSealActivationResponse, input, signal);
  sealRevoke = (input: { idSubscriber: string; totp: string }, signal?: AbortSignal) => this.#run(buildBsreSealRevokeRequest, parseBsreSealRevokeResponse, input, signal);
  requestSealTotp = (input: { idSubscriber: string; activationTotp: string; fileCount: number }, signal?: AbortSignal) => this.#run(buildBsreSealTotpRequest, parseBsreSealTotpResponse, input, signal);
  sealPdf = (input: { idSubscriber: string; totp: string; files: readonly Uint8Array[]; location?: string; reason?: string }, signal?: AbortSignal) =>
    this.#run((i: Parameters<typeof buildBsreSealPdfRequest>[0], s) => buildBsreSealPdfRequest(i, s, encodeWhileSending), parseBsreSealPdfResponse, input, signal);
  userStatus = (input: BsreSigner, signal?: AbortSignal) => this.#run(buildBsreV2UserStatusRequest, parseBsreV2UserStatusResponse, input, signal);
  register = (input: { name: string; email: string }, signal?: AbortSignal) => this.#run(buildBsreV2RegistrationRequest, parseBsreV2RegistrationResponse, input, signal);
  verify = (input: { pdf: Uint8Array; password?: string }, signal?: AbortSignal) => this.#run((i: { pdf: Uint8Array; password?: string }, s) => buildBsreV2VerifyRequest(i, s, encodeWhileSending), parseBsreV2VerifyResponse, input, signal);
}

export interface BsreCloudClientOptions extends Omit<SendOptions, 'signal'> {
  now?: () => number;
  /** Refresh this long before `expires_in` runs out. Default 60 s. */
  refreshMarginMs?: number;
}

export class BsreCloudClient {
  readonly #settings: BsreCloudSettings;
  readonly #send: Omit<SendOptions, 'signal'>;
  readonly tokens: TokenCache;

  constructor(settings: BsreCloudSettings, options: BsreCloudClientOptions = {}) {
    this.#settings = settings;
    const { now = Date.now, refreshMarginMs = 60_000, ...send } = options;
    this.#send = send;
    this.tokens = new TokenCache({
      now,
      refreshMarginMs,
      fetchToken: async () => {
        const issuedAt = now();
        const t = await call(buildBsreCloudTokenRequest(settings), parseBsreCloudTokenResponse, send);
        return { token: t.accessToken, expiresAt: issuedAt + t.expiresInSeconds * 1000 };
      },
    });
  }

  async #run<I, T>(build: (input: I, s: BsreCloudSettings, token: string) => ProviderRequest, parse: Parser<T>, input: I, signal?: AbortSignal): Promise<T> {
    build(input, this.#settings, 'validation');
    return this.tokens.withToken((token) => call(build(input, this.#settings, token), parse, signal ? { ...this.#send, signal } : this.#send));
  }

  signRequest = (input: BsreCloudSignRequestInput, signal?: AbortSignal) => this.#run(buildBsreCloudSignRequestRequest, parseBsreCloudSignRequestResponse, input, signal);
  sign = (input: { idSigned: string; passphrase: string; approvedInfo?: string }, signal?: AbortSignal) => this.#run(buildBsreCloudSignRequest, parseBsreCloudSignResponse, input, signal);
  download = (input: { idSigned: string }, signal?: AbortSignal) => this.#run(buildBsreCloudDownloadRequest, parseBsreCloudDownloadResponse, input, signal);
  verify = (input: { pdf: Uint8Array; fileName?: string }, signal?: AbortSignal) => this.#run(buildBsreCloudVerifyRequest, parseBsreCloudVerifyResponse, input, signal);
}
