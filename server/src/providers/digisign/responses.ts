// Digisign's response parsers (docs/providers/digisign.md §10 result codes), pure: a lenient reading of its
// JSON, one typed error per documented failure.
import { decodeText, fromBase64, isBase64, isRecord, mediaType, optionalStringField } from '../shared/check.js';
import { badResponse, httpError, ProviderError, type ProviderErrorCode } from '../shared/errors.js';
import type { DigisignOperation } from './operations.js';

// Parsing

/** A Digisign answer after unwrapping: `result` (also read from `res`, §10.7 row 6) and the other fields. */
export interface DigisignResult {
  result: string;
  notif: string | undefined;
  info: string | undefined;
  fields: Record<string, unknown>;
}

/**
 * Digisign's JSON is not always JSON (gap 9): raw backslashes in `notif` (`NIK\Nama`), an extra `}`, a
 * missing `JSONFile` wrapper (the `91` example). Repairs only those, in that order.
 */
export function parseLenientJson(text: string): unknown {
  const attempts = [
    text,
    // A serializer that left `NIK\Nama\tanggal` unescaped escaped no backslash at all: keep them literal.
    text.replace(/\\(?!["/])/g, '\\\\'),
  ];
  for (const t of attempts) {
    for (let trimmed = t.trim(), n = 0; n < 3; n++) {
      try {
        return JSON.parse(trimmed);
      } catch {
        if (!trimmed.endsWith('}}')) break;
        trimmed = trimmed.slice(0, -1);
      }
    }
  }
  throw new SyntaxError('not JSON');
}

const TEXTUAL = new Set(['application/json', 'text/plain', 'text/html', 'text/json', '']);

export function readDigisignResult(operation: DigisignOperation, status: number, headers: Headers, body: Uint8Array): DigisignResult {
  const op = `digisign.${operation}`;
  if (status !== 200) throw httpError('digisign', op, status);
  // The `.html` endpoints answer a JSON string; some gateways label it text/html.
  const type = mediaType(headers);
  if (!TEXTUAL.has(type)) throw badResponse('digisign', op, `content type is "${type}", expected JSON text`);
  const text = decodeText(body).trim();
  if (text === '$trxjson') {
    // §10.5 row 1: the unexpanded placeholder means "incomplete parameters" — our request, not the caller's.
    throw new ProviderError({
      code: 'provider-rejected',
      provider: 'digisign',
      operation: op,
      providerMessage: text,
      message: `Digisign found the ${operation} request incomplete.`,
      httpStatus: 502,
      retryable: false,
    });
  }
  let value: unknown;
  try {
    value = parseLenientJson(text);
  } catch (cause) {
    throw badResponse('digisign', op, 'the body is not JSON', cause);
  }
  const obj = isRecord(value) && isRecord(value.JSONFile) ? value.JSONFile : value;
  if (!isRecord(obj)) throw badResponse('digisign', op, 'the body is not a JSON object');
  const raw = obj.result ?? obj.res;
  const result = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw).padStart(2, '0') : undefined;
  if (!result) throw badResponse('digisign', op, 'the result code is missing');
  return { result, notif: optionalStringField(obj, 'notif'), info: optionalStringField(obj, 'info'), fields: obj };
}

interface Mapping {
  code: ProviderErrorCode;
  httpStatus: number;
  message: string;
  retryAfterMs?: number | undefined;
  details?: Record<string, unknown> | undefined;
}

const m = (code: ProviderErrorCode, httpStatus: number, message: string, extra: Partial<Mapping> = {}): Mapping => ({ code, httpStatus, message, ...extra });
const has = (text: string | undefined, needle: string) => (text ?? '').toLowerCase().includes(needle.toLowerCase());

function verificationDetails(r: DigisignResult): Record<string, unknown> {
  const d: Record<string, unknown> = {};
  if (r.fields.data !== undefined) d.verification = r.fields.data;
  if (r.info !== undefined) d.info = r.info;
  const ref = optionalStringField(r.fields, 'refTrx');
  if (ref !== undefined) d.refTrx = ref;
  return d;
}

/** The documented meaning of a non-"00" result for one operation (§10), or undefined if undocumented. */
function mapFailure(operation: DigisignOperation, r: DigisignResult): Mapping | undefined {
  const { result, notif, info } = r;
  // §10.1, §10.8: codes with one meaning on every API.
  switch (result) {
    case '55':
      return m('provider-auth-failed', 502, 'Digisign refused the partner token or userid (check the server configuration).');
    case '91':
      // "system timeout, silahkan coba kembali 10 menit kemudian": retry later, not now.
      return m('provider-busy', 504, 'Digisign timed out internally; try again in about 10 minutes.', { retryAfterMs: 10 * 60_000 });
    case '61':
      return m('insufficient-balance', 502, 'The partner balance at Digisign is insufficient.');
  }
  switch (operation) {
    case 'register':
      switch (result) {
        case 'FE':
          if (has(notif, 'email')) return m('invalid-email', 422, 'Digisign rejected the e-mail format.');
          if (has(notif, 'nik')) return m('invalid-nik', 422, 'Digisign rejected the NIK format.');
          return m('invalid-input', 422, 'Digisign rejected the format of the registration data.');
        case '28':
          return m('invalid-input', 422, 'Digisign found the registration data incomplete or invalid.', { details: verificationDetails(r) });
        case '12':
          if (typeof r.fields.data === 'string' && has(r.fields.data, 'saldo')) {
            return m('verification-balance-exhausted', 502, 'The partner verification balance at Digisign is exhausted.', { details: verificationDetails(r) });
          }
          if (has(info, 'selfie maksimal') || has(info, 'format foto selfie'))
            return m('selfie-rejected', 422, 'Digisign rejected the selfie (JPEG of at most 500 KB required).', { details: verificationDetails(r) });
          return m('verification-failed', 422, 'The identity could not be verified (civil registry data or face match).', { details: verificationDetails(r) });
        case '14': {
          const registered = optionalStringField(r.fields, 'email_registered');
          if (has(notif, 'NIK sudah terdaftar')) {
            return m('nik-taken', 409, 'This NIK is already registered with another e-mail.', {
              details: { ...verificationDetails(r), ...(registered !== undefined ? { emailRegistered: registered } : {}) },
            });
          }
          return m('email-taken', 409, 'This e-mail is already registered with another NIK.', { details: verificationDetails(r) });
        }
        case '15':
          return m('phone-taken', 409, 'This phone number is already used by another user.');
        case '20':
          return m('registration-attempts-exceeded', 429, 'This user was registered with invalid data more than 3 times; check the data first.', {
            details: verificationDetails(r),
          });
        case '05':
          return m('provider-rejected', 502, 'Digisign did not find the request data.');
      }
      return undefined;
    case 'activation':
      if (result === '06') return m('user-not-found', 404, 'Digisign does not know this e-mail.');
      if (result === '14') return m('already-activated', 409, 'This account is already activated.');
      if (result === '05') return m('provider-rejected', 502, 'Digisign did not find the request data.');
      return undefined;
    case 'sendDocument':
      switch (result) {
        case 'FE':
          return m('document-not-pdf', 422, 'Digisign only accepts PDF documents.');
        case '28':
          return m('invalid-input', 422, 'Digisign found the document request incomplete.');
        case '17':
          return m('document-id-taken', 409, 'This document id was already used.');
        case '05':
          return m('provider-rejected', 502, 'Digisign found a required field missing in the document request.');
        case '08':
          return m('redirect-not-configured', 502, 'Digisign has no redirect link for this partner.');
        case '03':
          return m('boxes-overlap', 422, 'Signature (and e-meterai) boxes must not overlap.', { details: info !== undefined ? { info } : undefined });
      }
      return undefined;
    case 'signPage':
      if (result === '05') {
        if (has(notif, 'dokumen tidak ditemukan')) return m('document-not-found', 404, 'Digisign does not know this document.');
        if (has(notif, 'user tidak ditemukan')) return m('user-not-found', 404, 'Digisign does not know this user.');
        if (has(notif, 'tidak masuk')) return m('not-a-signer', 403, 'This user is not a signer of this document.');
        if (has(notif, 'telah menandatangani')) return m('already-signed', 409, 'This user has already signed this document.');
        return m('provider-rejected', 502, 'Digisign did not find the request data.');
      }
      return undefined;
    case 'downloadPdf':
    case 'downloadBase64':
      if (result === '05') return m('document-not-found', 404, 'Digisign does not have this file.');
      if (result === '12') return m('access-denied', 403, 'This partner may not access this document.');
      return undefined;
    case 'changeContact':
      switch (result) {
        case '14':
          if (has(notif, 'User sudah aktif')) return m('user-already-active', 409, 'The user is already active; changes go through the Digisign dashboard.');
          if (has(notif, 'Nomor handphone')) return m('phone-taken', 409, 'The new phone number is already registered.');
          return m('email-taken', 409, 'The new e-mail is already registered.');
        case '05':
          return m('user-not-found', 404, 'This e-mail is not registered at Digisign.');
        case '06':
          return m('update-failed', 502, 'Digisign could not update the e-mail or phone number.');
        case '08':
          return m('old-phone-mismatch', 422, 'The old phone number does not match.');
      }
      return undefined;
  }
}

/** Throws the typed error of a non-"00" result; returns the result when it is "00". */
export function checkDigisignResult(operation: DigisignOperation, r: DigisignResult): DigisignResult {
  if (r.result === '00') return r;
  const mapped = mapFailure(operation, r) ?? m('provider-rejected', 502, `Digisign refused ${operation} with an undocumented result.`);
  throw new ProviderError({
    code: mapped.code,
    provider: 'digisign',
    operation: `digisign.${operation}`,
    providerCode: r.result,
    providerMessage: [r.notif, r.info].filter((t) => t !== undefined && t !== '').join(' — ') || undefined,
    message: mapped.message,
    httpStatus: mapped.httpStatus,
    retryable: false,
    retryAfterMs: mapped.retryAfterMs,
    details: mapped.details,
  });
}

/**
 * Links are printed with broken escaping (`https://\\wv.tandatanganku.com\\activationpage.html`,
 * `\/ signingpage.html`, gap 9): backslashes become slashes, spaces go, and duplicate slashes collapse.
 */
export function normalizeDigisignLink(raw: string): string {
  const cleaned = raw.replace(/\\/g, '/').replace(/\s+/g, '');
  const m = /^(https?):\/*(.*)$/i.exec(cleaned);
  if (!m) throw new TypeError('not an http(s) link');
  const url = new URL(`${m[1]!.toLowerCase()}://${m[2]!.replace(/\/{2,}/g, '/')}`);
  return url.toString();
}

function linkOf(operation: DigisignOperation, r: DigisignResult): string {
  const raw = optionalStringField(r.fields, 'link');
  if (!raw) throw badResponse('digisign', `digisign.${operation}`, 'the link is missing');
  try {
    return normalizeDigisignLink(raw);
  } catch (cause) {
    throw badResponse('digisign', `digisign.${operation}`, 'the link is not a URL', cause);
  }
}

export type DigisignRegisterStatus = 'activation-required' | 'not-yet-activated' | 'already-registered' | 're-registered';

export interface DigisignRegisterOutcome {
  status: DigisignRegisterStatus;
  /** `kode_user`, Digisign's reference. */
  userCode: string | undefined;
  /** The pre-registration/activation URL (`info` on success). */
  activationUrl: string | undefined;
  /** `expired_aktifasi`, `dd-MM-yyyy HH:mm:ss WIB`, as sent. */
  activationExpires: string | undefined;
  verification: unknown;
  notif: string | undefined;
}

/** §2.5, §10.2: "00" has four meanings told apart only by `notif`. */
export function parseDigisignRegisterResponse(status: number, headers: Headers, body: Uint8Array): DigisignRegisterOutcome {
  const r = checkDigisignResult('register', readDigisignResult('register', status, headers, body));
  const n = r.notif ?? '';
  const kind: DigisignRegisterStatus = has(n, 'belum melakukan aktivasi')
    ? 'not-yet-activated'
    : has(n, 'Registrasi berhasil. Anda sudah terdaftar')
      ? 're-registered'
      : has(n, 'sudah terdaftar sebelumnya')
        ? 'already-registered'
        : 'activation-required';
  const info = r.info;
  return {
    status: kind,
    userCode: optionalStringField(r.fields, 'kode_user'),
    activationUrl: info !== undefined && /^https?:/i.test(info) ? info : undefined,
    activationExpires: optionalStringField(r.fields, 'expired_aktifasi'),
    verification: r.fields.data,
    notif: r.notif,
  };
}

export function parseDigisignActivationResponse(status: number, headers: Headers, body: Uint8Array): { link: string } {
  return { link: linkOf('activation', checkDigisignResult('activation', readDigisignResult('activation', status, headers, body))) };
}

export function parseDigisignSendDocumentResponse(
  status: number,
  headers: Headers,
  body: Uint8Array,
): { notif: string | undefined; refTrx: string | undefined } {
  const r = checkDigisignResult('sendDocument', readDigisignResult('sendDocument', status, headers, body));
  return { notif: r.notif, refTrx: optionalStringField(r.fields, 'refTrx') };
}

export function parseDigisignSignPageResponse(status: number, headers: Headers, body: Uint8Array): { link: string } {
  return { link: linkOf('signPage', checkDigisignResult('signPage', readDigisignResult('signPage', status, headers, body))) };
}

const isPdfBytes = (b: Uint8Array) => b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46;

/** §8.1: raw PDF bytes; errors are HTTP 403/404 (§11), or a JSON result if Digisign sends one. */
export function parseDigisignDownloadPdfResponse(status: number, headers: Headers, body: Uint8Array): { pdf: Uint8Array } {
  const op = 'digisign.downloadPdf';
  if (status === 403)
    throw new ProviderError({
      code: 'access-denied',
      provider: 'digisign',
      operation: op,
      providerCode: '403',
      message: 'This partner may not access this document.',
      httpStatus: 403,
      retryable: false,
    });
  if (status === 404)
    throw new ProviderError({
      code: 'document-not-found',
      provider: 'digisign',
      operation: op,
      providerCode: '404',
      message: 'Digisign does not have this document.',
      httpStatus: 404,
      retryable: false,
    });
  if (status !== 200) throw httpError('digisign', op, status);
  const type = mediaType(headers);
  // The `.html` endpoint may label the PDF text/html; the %PDF header is conclusive.
  if (isPdfBytes(body) && (type === 'application/pdf' || type === 'application/octet-stream' || TEXTUAL.has(type))) return { pdf: body };
  if (TEXTUAL.has(type)) {
    checkDigisignResult('downloadPdf', readDigisignResult('downloadPdf', status, headers, body));
    throw badResponse('digisign', op, 'a JSON answer came instead of the PDF');
  }
  throw badResponse('digisign', op, `content type is "${type}", expected application/pdf`);
}

export function parseDigisignDownloadBase64Response(status: number, headers: Headers, body: Uint8Array): { pdf: Uint8Array } {
  const r = checkDigisignResult('downloadBase64', readDigisignResult('downloadBase64', status, headers, body));
  const file = optionalStringField(r.fields, 'file');
  if (!file || !isBase64(file)) throw badResponse('digisign', 'digisign.downloadBase64', 'file is missing or not base64');
  const pdf = fromBase64(file);
  if (!isPdfBytes(pdf)) throw badResponse('digisign', 'digisign.downloadBase64', 'file is not a PDF');
  return { pdf };
}

export function parseDigisignChangeContactResponse(status: number, headers: Headers, body: Uint8Array): { notif: string | undefined } {
  return { notif: checkDigisignResult('changeContact', readDigisignResult('changeContact', status, headers, body)).notif };
}
