// Peruri's response parsers (docs/providers/peruri.md), pure.
import { Base64Text, fromBase64, isBase64, isJsonType, isRecord, jsonObject, optionalStringField, stringField } from '../shared/check.js';
import { badResponse, httpError, ProviderError } from '../shared/errors.js';
import type { PeruriOperation } from './operations.js';

// Parsers (pure): HTTP status, content type, body shape, then `resultCode`, then `data`.

/**
 * Peruri documents no result-code catalogue (gap 3): only "0" = success. The one failure code reported
 * by integrators is 4012 for decimal coordinates (docs/providers/COORDINATES.md). Every other code is a refusal we
 * cannot classify. Peruri answered properly and refused, and its refusals are about the request (a wrong
 * OTP, an unknown e-mail, an account not activated): 422, not retried, with Peruri's `resultDesc` kept for
 * the person. 502 is kept for answers we cannot read (malformed, 5xx).
 */
export function peruriResultError(operation: string, resultCode: string, resultDesc: string | undefined): ProviderError {
  if (resultCode === '4012') {
    return new ProviderError({
      code: 'invalid-coordinates',
      provider: 'peruri',
      operation,
      providerCode: resultCode,
      providerMessage: resultDesc,
      message: 'Peruri refused the signature coordinates (they must be whole numbers of at most 3 digits).',
      httpStatus: 422,
      retryable: false,
    });
  }
  const checks: Record<string, string> = {
    'peruri.checkDocumentStatus': `Peruri did not confirm the document is signed: resultCode ${resultCode} is a failure ("0" = Sukses, Selain "0" = Gagal).`,
    'peruri.checkCertificate': `Peruri did not confirm the certificate is issued: resultCode ${resultCode} is a failure ("0" = Sukses, Selain "0" = Gagal).`,
  };
  return new ProviderError({
    code: 'provider-rejected',
    provider: 'peruri',
    operation,
    providerCode: resultCode,
    providerMessage: resultDesc,
    message: checks[operation] ?? `Peruri refused ${operation} (resultCode ${resultCode}).`,
    httpStatus: 422,
    retryable: false,
  });
}

export interface PeruriEnvelope {
  resultDesc: string;
  data: unknown;
}

export function parsePeruriEnvelope(operation: PeruriOperation, status: number, headers: Headers, body: Uint8Array): PeruriEnvelope {
  const op = `peruri.${operation}`;
  if (status === 401) throw httpError('peruri', op, 401);
  const json = isJsonType(headers);
  if (status < 200 || status >= 300) {
    // A gateway error may still carry an envelope; keep Peruri's words when it does.
    let desc: string | undefined;
    if (json) {
      try {
        desc = optionalStringField(jsonObject('peruri', op, body), 'resultDesc');
      } catch {
        desc = undefined;
      }
    }
    throw httpError('peruri', op, status, desc);
  }
  if (!json) throw badResponse('peruri', op, `content type is "${headers.get('content-type') ?? ''}", expected application/json`);
  const obj = jsonObject('peruri', op, body);
  const resultCode = stringField(obj, 'resultCode', 'peruri', op);
  const resultDesc = optionalStringField(obj, 'resultDesc') ?? '';
  if (resultCode !== '0') throw peruriResultError(op, resultCode, resultDesc);
  return { resultDesc, data: obj.data };
}

function dataObject(operation: PeruriOperation, data: unknown): Record<string, unknown> {
  if (!isRecord(data)) throw badResponse('peruri', `peruri.${operation}`, 'data is missing or not an object');
  return data;
}

export interface PeruriAck {
  resultDesc: string;
}

type Parser<T> = (status: number, headers: Headers, body: Uint8Array) => T;

function ackParser(operation: PeruriOperation): Parser<PeruriAck> {
  return (status, headers, body) => ({ resultDesc: parsePeruriEnvelope(operation, status, headers, body).resultDesc });
}

export const parsePeruriRegistrationResponse = ackParser('registration');
export const parsePeruriActivationResponse = ackParser('activation');
export const parsePeruriVideoVerificationResponse = ackParser('videoVerification');
export const parsePeruriSendSpecimenResponse = ackParser('sendSpeciment');
/**
 * Check Certificate and Check Document Status define only `resultCode` — `"0" = Sukses, Selain "0" = Gagal`
 * (seed 003, each API's Output Parameter table) — with no status field and no "pending" code. So "0" is the
 * confirmation and any other code is Peruri's failure, thrown with its code and text: never read as "not
 * yet", which made an unknown order or e-mail look pending forever (issue #14).
 */
function checkParser(operation: 'checkCertificate' | 'checkDocumentStatus'): Parser<{ resultCode: '0'; resultDesc: string }> {
  return (status, headers, body) => ({ resultCode: '0', resultDesc: parsePeruriEnvelope(operation, status, headers, body).resultDesc });
}

/** The certificate is issued ("0"); any other code throws (§4.5). */
export const parsePeruriCheckCertificateResponse = checkParser('checkCertificate');
export const parsePeruriSigningResponse = ackParser('signing');
export const parsePeruriSigningTierResponse = ackParser('signingTier');
/** The document is signed ("0"); any other code throws (§5.5). */
export const parsePeruriCheckDocumentStatusResponse = checkParser('checkDocumentStatus');
export const parsePeruriSigningSystemResponse = ackParser('signingSystem');

export function parsePeruriGetJwtResponse(status: number, headers: Headers, body: Uint8Array): { jwt: string } {
  const { data } = parsePeruriEnvelope('getJsonWebToken', status, headers, body);
  const jwt = stringField(dataObject('getJsonWebToken', data), 'jwt', 'peruri', 'peruri.getJsonWebToken');
  if (!jwt) throw badResponse('peruri', 'peruri.getJsonWebToken', 'data.jwt is empty');
  return { jwt };
}

/** `data.orderId`; the output tables misprint it `orderld` (gap 4), so that spelling is read too. */
function orderIdField(operation: PeruriOperation, data: unknown, key = 'orderId'): string {
  const obj = dataObject(operation, data);
  const value = optionalStringField(obj, key) ?? optionalStringField(obj, key.replace('orderId', 'orderld'));
  if (!value) throw badResponse('peruri', `peruri.${operation}`, `data.${key} is missing`);
  return value;
}

export function parsePeruriSendDocumentResponse(status: number, headers: Headers, body: Uint8Array): { orderId: string } {
  return { orderId: orderIdField('sendDocument', parsePeruriEnvelope('sendDocument', status, headers, body).data) };
}

export function parsePeruriSendDocumentTierResponse(status: number, headers: Headers, body: Uint8Array): { orderId: string } {
  return { orderId: orderIdField('sendDocumentTier', parsePeruriEnvelope('sendDocumentTier', status, headers, body).data) };
}

function pdfField(operation: PeruriOperation, obj: Record<string, unknown>): Uint8Array {
  // A large document comes as a Base64Text (jsonObject): decoded from the answer's bytes, never one big string.
  const text = obj.base64Document instanceof Base64Text ? obj.base64Document : stringField(obj, 'base64Document', 'peruri', `peruri.${operation}`);
  if (!isBase64(text)) throw badResponse('peruri', `peruri.${operation}`, 'data.base64Document is not base64');
  return fromBase64(text);
}

export function parsePeruriViewDocumentResponse(status: number, headers: Headers, body: Uint8Array): { pdf: Uint8Array; coordinatesSet: boolean } {
  const obj = dataObject('viewDocument', parsePeruriEnvelope('viewDocument', status, headers, body).data);
  const signer = optionalStringField(obj, 'signer');
  if (signer !== '0' && signer !== '1') throw badResponse('peruri', 'peruri.viewDocument', 'data.signer is not "0" or "1"');
  return { pdf: pdfField('viewDocument', obj), coordinatesSet: signer === '1' };
}

export function parsePeruriDownloadDocumentResponse(status: number, headers: Headers, body: Uint8Array): { pdf: Uint8Array } {
  const obj = dataObject('downloadDocument', parsePeruriEnvelope('downloadDocument', status, headers, body).data);
  return { pdf: pdfField('downloadDocument', obj) };
}

export interface PeruriOtp {
  token: string;
  phone: string | undefined;
}

export function parsePeruriGetOtpResponse(status: number, headers: Headers, body: Uint8Array): PeruriOtp {
  const obj = dataObject('getOtp', parsePeruriEnvelope('getOtp', status, headers, body).data);
  return { token: stringField(obj, 'token', 'peruri', 'peruri.getOtp'), phone: optionalStringField(obj, 'phone') };
}

export function parsePeruriGetOtpBulkResponse(status: number, headers: Headers, body: Uint8Array): PeruriOtp & { orderIdBulk: string } {
  const data = parsePeruriEnvelope('getOtpBulk', status, headers, body).data;
  const obj = dataObject('getOtpBulk', data);
  return {
    token: stringField(obj, 'token', 'peruri', 'peruri.getOtpBulk'),
    phone: optionalStringField(obj, 'phone'),
    orderIdBulk: orderIdField('getOtpBulk', obj, 'orderIdBulk'),
  };
}

/** §7.1: the example answers an array of `{orderId}` (the table says object, gap 12); one object is read too. */
export function parsePeruriSendDocumentBulkResponse(status: number, headers: Headers, body: Uint8Array): { orderIds: string[] } {
  const data = parsePeruriEnvelope('sendDocumentBulk', status, headers, body).data;
  const items = Array.isArray(data) ? data : [data];
  return { orderIds: items.map((item) => orderIdField('sendDocumentBulk', item)) };
}

export function parsePeruriSetSignatureResponse(status: number, headers: Headers, body: Uint8Array): PeruriAck & { orderId?: string } {
  const { resultDesc, data } = parsePeruriEnvelope('setSignature', status, headers, body);
  const orderId = isRecord(data) ? (optionalStringField(data, 'orderId') ?? optionalStringField(data, 'orderld')) : undefined;
  return { resultDesc, ...(orderId !== undefined ? { orderId } : {}) };
}

/** §7.4: `data[]` of `{orderId, fileName}` appears only in the example; absent, the list is empty. */
export function parsePeruriSigningBulkResponse(
  status: number,
  headers: Headers,
  body: Uint8Array,
): PeruriAck & { documents: { orderId: string; fileName: string | undefined }[] } {
  const { resultDesc, data } = parsePeruriEnvelope('signingBulk', status, headers, body);
  if (data === undefined || data === null) return { resultDesc, documents: [] };
  if (!Array.isArray(data)) throw badResponse('peruri', 'peruri.signingBulk', 'data is not an array');
  return {
    resultDesc,
    documents: data.map((d) => ({ orderId: orderIdField('signingBulk', d), fileName: isRecord(d) ? optionalStringField(d, 'fileName') : undefined })),
  };
}

export function parsePeruriSetKeyResponse(status: number, headers: Headers, body: Uint8Array): PeruriAck & { expiredDate?: string } {
  const { resultDesc, data } = parsePeruriEnvelope('setKey', status, headers, body);
  const expiredDate = isRecord(data) ? optionalStringField(data, 'expiredDate') : undefined;
  return { resultDesc, ...(expiredDate !== undefined ? { expiredDate } : {}) };
}
