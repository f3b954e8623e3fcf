// Peruri Digital Signature web service (peruri.md). Every API is a JSON POST under one gateway, with
// `x-Gateway-APIKey` and, except Get JWT, `Authorization: Bearer <JWT>`; the body is wrapped in `param`,
// `requestSigning`, `requestSetSignature` or `requestGetOtpBulk` (§1). Success is `resultCode` "0".
import { createHmac } from 'node:crypto';
import type { ProfileOverrides } from '@esign-kit/core';
import {
  Base64Text,
  fromBase64,
  isBase64,
  isJsonType,
  isRecord,
  jsonObject,
  optionalString,
  optionalStringField,
  requireBytes,
  requireIsoDate,
  requireEmail,
  requireNik,
  requireOtp,
  requirePdf,
  requireString,
  stringField,
  toBase64,
} from '../shared/check.js';
import { convertBoxes, type Placement } from '../shared/coordinates.js';
import { DEFAULT_DIALECTS, type PeruriDialect } from '../dialects.js';
import { badResponse, httpError, invalid, ProviderError } from '../shared/errors.js';
import { TokenCache } from '../shared/token-cache.js';
import { call, type SendOptions } from '../shared/transport.js';
import { encodeWhileSending, type Base64Encoder, type ProviderRequest } from '../shared/types.js';


export const PERURI_OPERATIONS = [
  'getJsonWebToken',
  'registration',
  'activation',
  'videoVerification',
  'sendSpeciment',
  'checkCertificate',
  'sendDocument',
  'viewDocument',
  'getOtp',
  'signing',
  'checkDocumentStatus',
  'downloadDocument',
  'sendDocumentTier',
  'signingTier',
  'sendDocumentBulk',
  'setSignature',
  'getOtpBulk',
  'signingBulk',
  'setKey',
  'signingSystem',
] as const;
export type PeruriOperation = (typeof PERURI_OPERATIONS)[number];

export interface PeruriSettings {
  /** The gateway, e.g. `https://apgdev.peruri.co.id:9044/gateway` (from the Peruri API Portal). */
  baseUrl: string;
  /** `x-Gateway-APIKey` (a UUID from the API Portal). */
  apiKey: string;
  systemId: string;
  /** Chooses the default paths of §2.1 (`…Sandbox` or not). Default `sandbox`. */
  environment?: 'sandbox' | 'production';
  /** Per-operation path overrides: newer gateways renamed some operations (§2.1). */
  paths?: Partial<Record<PeruriOperation, string>>;
  /** Deployment overrides of the `peruri` coordinate profile. */
  profile?: ProfileOverrides;
  /** Per-operation client timeouts in ms (default 30 s; video verification takes ~15 s, §4.3). */
  timeouts?: Partial<Record<PeruriOperation, number>>;
  /** Get OTP Bulk `data[].orderId`: string in the table, a number in the example (seed 003 Bulk §4). Default `string`. */
  bulkOtpOrderIdType?: PeruriDialect['bulkOtpOrderIdType'];
  /** Set Signature `signer`: an array in the table, an object in the example (seed 003 Bulk §3). Default `array`. */
  setSignatureSigner?: PeruriDialect['setSignatureSigner'];
  /** Where `orderType: "SYSTEM"` goes (seed 003 Signing System §1 names no position). Default `param`. */
  orderTypePlacement?: PeruriDialect['orderTypePlacement'];
  /** Web-view host for the iframes (§4.6, §5.7), e.g. `https://webview.peruri.co.id`. */
  webViewBaseUrl?: string;
}

const WRAPPER: Record<PeruriOperation, string> = {
  getJsonWebToken: 'param',
  registration: 'param',
  activation: 'param',
  videoVerification: 'param',
  sendSpeciment: 'param',
  checkCertificate: 'param',
  sendDocument: 'param',
  viewDocument: 'param',
  getOtp: 'param',
  signing: 'requestSigning',
  checkDocumentStatus: 'param',
  downloadDocument: 'param',
  sendDocumentTier: 'param',
  signingTier: 'requestSigning',
  sendDocumentBulk: 'param',
  setSignature: 'requestSetSignature',
  getOtpBulk: 'requestGetOtpBulk',
  signingBulk: 'requestSigning',
  setKey: 'param',
  signingSystem: 'param',
};

/** Reads that can be repeated without effect; only these are retried by the transport. */
const IDEMPOTENT = new Set<PeruriOperation>(['getJsonWebToken', 'checkCertificate', 'viewDocument', 'checkDocumentStatus', 'downloadDocument']);

export function peruriPath(operation: PeruriOperation, settings: PeruriSettings): string {
  const custom = settings.paths?.[operation];
  if (custom) return custom;
  const sandbox = (settings.environment ?? 'sandbox') === 'sandbox';
  if (operation === 'getJsonWebToken') return sandbox ? '/jwtSandbox/1.0/getJsonWebToken/v1' : '/jwt/1.0/getJsonWebToken/v1';
  return `/${sandbox ? 'digitalSignatureFullJwtSandbox' : 'digitalSignatureFullJwt'}/1.0/${operation}/v1`;
}

function peruriRequest(operation: PeruriOperation, fields: Record<string, unknown>, settings: PeruriSettings, jwt: string | null): ProviderRequest {
  requireString(settings.baseUrl, 'settings.baseUrl');
  requireString(settings.apiKey, 'settings.apiKey');
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'x-Gateway-APIKey': settings.apiKey };
  if (jwt !== null) headers.Authorization = `Bearer ${requireString(jwt, 'jwt')}`;
  const timeoutMs = settings.timeouts?.[operation];
  return {
    provider: 'peruri',
    operation: `peruri.${operation}`,
    method: 'POST',
    url: settings.baseUrl.replace(/\/+$/, '') + peruriPath(operation, settings),
    headers,
    body: { kind: 'json', value: { [WRAPPER[operation]]: fields } },
    idempotent: IDEMPOTENT.has(operation),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };
}

const systemId = (settings: PeruriSettings) => requireString(settings.systemId, 'settings.systemId', 255);
const orderIdOf = (value: unknown, field = 'orderId') => requireString(value, field, 100);

// ---------------------------------------------------------------------------------------------------
// Signer placement (§5.1 `payload.signer[]`): coordinates through the `peruri` profile (integer strings).

export type CertificateLevel = 'NOT_CERTIFIED' | 'NO_CHANGES_ALLOWED';

export type PeruriPlacement =
  | (Placement & { visible?: true; certificateLevel?: CertificateLevel; location?: string; reason?: string })
  | { visible: false; certificateLevel?: CertificateLevel; location?: string; reason?: string };

export interface PeruriSigner {
  isVisualSign: 'YES' | 'NO';
  lowerLeftX?: string;
  lowerLeftY?: string;
  upperRightX?: string;
  upperRightY?: string;
  page?: string;
  certificateLevel: CertificateLevel;
  varLocation?: string;
  varReason?: string;
}

/** Signer entries in the doc's field order. `withReason`: Signing (§5.4) does not list `varReason`. */
export function toPeruriSigners(placement: PeruriPlacement, settings: PeruriSettings, withReason = true, field = 'signer'): PeruriSigner[] {
  const level = placement.certificateLevel ?? 'NOT_CERTIFIED';
  if (level !== 'NOT_CERTIFIED' && level !== 'NO_CHANGES_ALLOWED') invalid(`${field}.certificateLevel`, `${field}.certificateLevel must be NOT_CERTIFIED or NO_CHANGES_ALLOWED.`);
  const location = optionalString(placement.location, `${field}.location`, 100);
  const reason = optionalString(placement.reason, `${field}.reason`, 100);
  const tail = {
    certificateLevel: level,
    ...(location !== undefined ? { varLocation: location } : {}),
    ...(withReason && reason !== undefined ? { varReason: reason } : {}),
  };
  if (placement.visible === false) return [{ isVisualSign: 'NO', ...tail }];
  return convertBoxes('peruri', placement, settings.profile, field).map((f) => ({
    isVisualSign: 'YES',
    lowerLeftX: f.lowerLeftX,
    lowerLeftY: f.lowerLeftY,
    upperRightX: f.upperRightX,
    upperRightY: f.upperRightY,
    page: f.page,
    ...tail,
  }));
}

// ---------------------------------------------------------------------------------------------------
// Builders (pure). `jwt` comes from the token cache; Get JWT is the only call without one.

export function buildPeruriGetJwtRequest(settings: PeruriSettings): ProviderRequest {
  return peruriRequest('getJsonWebToken', { systemId: requireString(settings.systemId, 'settings.systemId', 100) }, settings, null);
}

export interface PeruriRegistrationInput {
  name: string;
  phone: string;
  email: string;
  password?: string;
  /** NIK, 16 digits. */
  ktp: string;
  ktpPhoto: Uint8Array;
  npwp?: string;
  npwpPhoto?: Uint8Array;
  address: string;
  city: string;
  province: string;
  gender: 'M' | 'F';
  placeOfBirth: string;
  /** ISO `yyyy-mm-dd`; sent as `dd/mm/yyyy` (§4.1). */
  dateOfBirth: string;
  /** Corporate User License only (§4.1); leave out for customers. */
  orgUnit?: string;
  workUnit?: string;
  position?: string;
}



export function buildPeruriRegistrationRequest(input: PeruriRegistrationInput, settings: PeruriSettings, jwt: string): ProviderRequest {
  const [y, m, d] = requireIsoDate(input.dateOfBirth, 'dateOfBirth');
  if (input.gender !== 'M' && input.gender !== 'F') invalid('gender', 'gender must be "M" or "F".');
  const phone = requireString(input.phone, 'phone', 50);
  if (!/^\+?\d{8,15}$/.test(phone)) invalid('phone', 'phone must be a mobile number of 8 to 15 digits.');
  const npwp = optionalString(input.npwp, 'npwp', 15);
  const fields: Record<string, unknown> = {
    name: requireString(input.name, 'name', 100),
    phone,
    email: requireEmail(input.email, 'email', 75),
    ...(input.password !== undefined ? { password: requireString(input.password, 'password', 255) } : {}),
    type: 'INDIVIDUAL',
    ktp: requireNik(input.ktp, 'ktp'),
    ktpPhoto: toBase64(requireBytes(input.ktpPhoto, 'ktpPhoto')),
    ...(npwp !== undefined ? { npwp } : {}),
    ...(input.npwpPhoto !== undefined ? { npwpPhoto: toBase64(requireBytes(input.npwpPhoto, 'npwpPhoto')) } : {}),
    address: requireString(input.address, 'address', 255),
    city: requireString(input.city, 'city', 255),
    province: requireString(input.province, 'province', 255),
    gender: input.gender,
    placeOfBirth: requireString(input.placeOfBirth, 'placeOfBirth', 255),
    dateOfBirth: `${d}/${m}/${y}`,
    orgUnit: optionalString(input.orgUnit, 'orgUnit', 255) ?? '',
    workUnit: optionalString(input.workUnit, 'workUnit', 255) ?? '',
    position: optionalString(input.position, 'position', 255) ?? '',
    systemId: systemId(settings),
  };
  return peruriRequest('registration', fields, settings, jwt);
}

export function buildPeruriActivationRequest(input: { email: string }, settings: PeruriSettings, jwt: string): ProviderRequest {
  return peruriRequest('activation', { email: requireEmail(input.email, 'email', 75), systemId: systemId(settings) }, settings, jwt);
}

/** §4.3: the video goes as plain base64, never `data:video/mp4;base64,…`. */
export function buildPeruriVideoVerificationRequest(input: { email: string; video: Uint8Array }, settings: PeruriSettings, jwt: string): ProviderRequest {
  return peruriRequest(
    'videoVerification',
    { email: requireEmail(input.email, 'email', 75), videoStream: toBase64(requireBytes(input.video, 'video')), systemId: systemId(settings) },
    settings,
    jwt,
  );
}

export function buildPeruriSendSpecimenRequest(input: { email: string; specimen: Uint8Array }, settings: PeruriSettings, jwt: string): ProviderRequest {
  return peruriRequest(
    'sendSpeciment',
    { email: requireEmail(input.email, 'email', 75), speciment: toBase64(requireBytes(input.specimen, 'specimen')), systemId: systemId(settings) },
    settings,
    jwt,
  );
}

export function buildPeruriCheckCertificateRequest(input: { email: string }, settings: PeruriSettings, jwt: string): ProviderRequest {
  return peruriRequest('checkCertificate', { email: requireEmail(input.email, 'email', 75), systemId: systemId(settings) }, settings, jwt);
}

export interface PeruriSendDocumentInput {
  email: string;
  fileName: string;
  pdf: Uint8Array;
  /** Optional here: placement may instead come with Signing (§5). */
  placement?: PeruriPlacement;
  /** `SYSTEM` routes the document to Signing System (§8). */
  orderType?: 'SYSTEM';
}

function fileName(value: unknown, field = 'fileName'): string {
  return requireString(value, field, 100);
}

export function buildPeruriSendDocumentRequest(input: PeruriSendDocumentInput, settings: PeruriSettings, jwt: string, encode: Base64Encoder = toBase64): ProviderRequest {
  const payload: Record<string, unknown> = { fileName: fileName(input.fileName), base64Document: encode(requirePdf(input.pdf, 'pdf')) };
  if (input.placement) payload.signer = toPeruriSigners(input.placement, settings, true, 'placement');
  if (input.orderType !== undefined && input.orderType !== 'SYSTEM') invalid('orderType', 'orderType can only be "SYSTEM".');
  const system = input.orderType === 'SYSTEM';
  const inPayload = (settings.orderTypePlacement ?? DEFAULT_DIALECTS.peruri.orderTypePlacement) === 'payload';
  if (system && inPayload) payload.orderType = 'SYSTEM';
  const fields: Record<string, unknown> = { email: requireEmail(input.email, 'email', 75), payload, systemId: systemId(settings) };
  if (system && !inPayload) fields.orderType = 'SYSTEM';
  return peruriRequest('sendDocument', fields, settings, jwt);
}

export function buildPeruriViewDocumentRequest(input: { orderId: string }, settings: PeruriSettings, jwt: string): ProviderRequest {
  return peruriRequest('viewDocument', { orderId: orderIdOf(input.orderId) }, settings, jwt);
}

export function buildPeruriGetOtpRequest(input: { orderId: string }, settings: PeruriSettings, jwt: string): ProviderRequest {
  return peruriRequest('getOtp', { orderId: orderIdOf(input.orderId) }, settings, jwt);
}

export interface PeruriSigningInput {
  orderId: string;
  otpCode: string;
  token: string;
  /** Only when no placement was given at Send Document (§5). */
  placement?: PeruriPlacement;
}

function otpAndToken(input: { otpCode: string; token: string }): { otpCode: string; token: string } {
  const otpCode = requireOtp(input.otpCode, 'otpCode');
  if (otpCode.length !== 6) invalid('otpCode', 'otpCode must be the 6-digit code the user received.');
  return { otpCode, token: requireString(input.token, 'token', 32) };
}

export function buildPeruriSigningRequest(input: PeruriSigningInput, settings: PeruriSettings, jwt: string): ProviderRequest {
  const fields: Record<string, unknown> = { orderId: orderIdOf(input.orderId), ...otpAndToken(input) };
  // §5.4 lists no `varReason` for Signing.
  if (input.placement) fields.signer = toPeruriSigners(input.placement, settings, false, 'placement');
  return peruriRequest('signing', fields, settings, jwt);
}

export function buildPeruriCheckDocumentStatusRequest(input: { orderId: string }, settings: PeruriSettings, jwt: string): ProviderRequest {
  return peruriRequest('checkDocumentStatus', { orderId: orderIdOf(input.orderId) }, settings, jwt);
}

export function buildPeruriDownloadDocumentRequest(input: { orderId: string }, settings: PeruriSettings, jwt: string): ProviderRequest {
  return peruriRequest('downloadDocument', { orderId: orderIdOf(input.orderId) }, settings, jwt);
}

export interface PeruriSendDocumentTierInput {
  uploader: string;
  fileName: string;
  pdf: Uint8Array;
  /** Signers in signing order (§6). */
  signers: readonly string[];
}

export function buildPeruriSendDocumentTierRequest(input: PeruriSendDocumentTierInput, settings: PeruriSettings, jwt: string, encode: Base64Encoder = toBase64): ProviderRequest {
  if (!Array.isArray(input.signers) || input.signers.length === 0) invalid('signers', 'signers must list at least one e-mail, in signing order.');
  const payload = {
    fileName: fileName(input.fileName),
    base64Document: encode(requirePdf(input.pdf, 'pdf')),
    signer: input.signers.map((email, i) => ({ email: requireEmail(email, `signers[${i}]`, 75) })),
  };
  return peruriRequest('sendDocumentTier', { uploader: requireEmail(input.uploader, 'uploader', 75), payload, systemId: systemId(settings) }, settings, jwt);
}

export interface PeruriSigningTierInput {
  orderId: string;
  otpCode: string;
  token: string;
  /** Mandatory in tiers (§6.2), including certificate level and location. */
  placement: Placement & { certificateLevel?: CertificateLevel; location: string };
}

export function buildPeruriSigningTierRequest(input: PeruriSigningTierInput, settings: PeruriSettings, jwt: string): ProviderRequest {
  if (!input.placement) invalid('placement', 'placement is required for Signing Tier.');
  requireString(input.placement.location, 'placement.location', 100);
  const signer = toPeruriSigners({ ...input.placement, visible: true }, settings, false, 'placement');
  return peruriRequest('signingTier', { orderId: orderIdOf(input.orderId), ...otpAndToken(input), signer }, settings, jwt);
}

export interface PeruriSendDocumentBulkInput {
  email: string;
  files: readonly { fileName: string; pdf: Uint8Array }[];
  placement?: PeruriPlacement;
}

export function buildPeruriSendDocumentBulkRequest(input: PeruriSendDocumentBulkInput, settings: PeruriSettings, jwt: string, encode: Base64Encoder = toBase64): ProviderRequest {
  if (!Array.isArray(input.files) || input.files.length === 0) invalid('files', 'files must hold at least one PDF.');
  const payload: Record<string, unknown> = {
    file: input.files.map((f, i) => ({ fileName: fileName(f.fileName, `files[${i}].fileName`), base64Document: encode(requirePdf(f.pdf, `files[${i}].pdf`)) })),
  };
  if (input.placement) payload.signer = toPeruriSigners(input.placement, settings, true, 'placement');
  return peruriRequest('sendDocumentBulk', { email: requireEmail(input.email, 'email', 75), payload, systemId: systemId(settings) }, settings, jwt);
}

export function buildPeruriSetSignatureRequest(input: { orderId: string; placement: PeruriPlacement }, settings: PeruriSettings, jwt: string): ProviderRequest {
  if (!input.placement) invalid('placement', 'placement is required for Set Signature.');
  const signers = toPeruriSigners(input.placement, settings, true, 'placement');
  const asObject = (settings.setSignatureSigner ?? DEFAULT_DIALECTS.peruri.setSignatureSigner) === 'object';
  if (signers.length !== 1) invalid('placement.boxes', 'Set Signature takes exactly one box (one placement per order, seed 003 Bulk §3).');
  return peruriRequest('setSignature', { orderId: orderIdOf(input.orderId), signer: asObject ? signers[0] : signers }, settings, jwt);
}

export function buildPeruriGetOtpBulkRequest(input: { orderIds: readonly string[] }, settings: PeruriSettings, jwt: string): ProviderRequest {
  if (!Array.isArray(input.orderIds) || input.orderIds.length === 0) invalid('orderIds', 'orderIds must hold at least one order id.');
  const asNumber = (settings.bulkOtpOrderIdType ?? DEFAULT_DIALECTS.peruri.bulkOtpOrderIdType) === 'number';
  const data = input.orderIds.map((id, i) => {
    const text = orderIdOf(id, `orderIds[${i}]`);
    if (asNumber && !/^\d{1,15}$/.test(text)) invalid(`orderIds[${i}]`, `orderIds[${i}] must be digits to be sent as a number (settings.bulkOtpOrderIdType).`);
    return { orderId: asNumber ? Number(text) : text };
  });
  // The table also lists a top-level `orderId` (gap 8); the example omits it, and so do we.
  return peruriRequest('getOtpBulk', { data, systemId: systemId(settings) }, settings, jwt);
}

export function buildPeruriSigningBulkRequest(
  input: { orderIdBulk: string; otpCode: string; token: string },
  settings: PeruriSettings,
  jwt: string,
): ProviderRequest {
  const { otpCode, token } = otpAndToken(input);
  return peruriRequest('signingBulk', { orderIdBulk: orderIdOf(input.orderIdBulk, 'orderIdBulk'), otpCodeBulk: otpCode, tokenBulk: token }, settings, jwt);
}

export function buildPeruriSetKeyRequest(input: { key: string; minutes: number }, settings: PeruriSettings, jwt: string): ProviderRequest {
  if (!Number.isInteger(input.minutes) || input.minutes <= 0) invalid('minutes', 'minutes must be a positive whole number.');
  return peruriRequest('setKey', { key: requireString(input.key, 'key', 100), minutes: String(input.minutes), systemId: systemId(settings) }, settings, jwt);
}

/**
 * §8.2: `session` = lowercase hex HMAC-SHA256 keyed with the Set Key value over the order ids concatenated
 * without separator, in `data[]` order. (The text says "SHA 256"; both code samples use HMAC.)
 */
export function peruriSession(key: string, orderIds: readonly string[]): string {
  return createHmac('sha256', key).update(orderIds.join(''), 'utf8').digest('hex');
}

/**
 * §8.3, the well-formed request of the table (`orderId`, `session`); the printed example's `orderid`,
 * `Session` and 63-character hash are misprints (gap 5).
 */
export function buildPeruriSigningSystemRequest(input: { orderIds: readonly string[]; key: string }, settings: PeruriSettings, jwt: string): ProviderRequest {
  if (!Array.isArray(input.orderIds) || input.orderIds.length === 0) invalid('orderIds', 'orderIds must hold at least one order id.');
  const ids = input.orderIds.map((id, i) => orderIdOf(id, `orderIds[${i}]`));
  const key = requireString(input.key, 'key', 100);
  return peruriRequest('signingSystem', { data: ids.map((orderId) => ({ orderId })), session: peruriSession(key, ids), systemId: systemId(settings) }, settings, jwt);
}

/** §4.6: the activation web view (E-KYC + specimen) for an iframe. */
export function peruriActivationWebViewUrl(input: { email: string }, settings: PeruriSettings): string {
  const base = requireString(settings.webViewBaseUrl, 'settings.webViewBaseUrl').replace(/\/+$/, '');
  const q = new URLSearchParams({ email: requireEmail(input.email, 'email', 75), systemId: systemId(settings) });
  return `${base}/index.php?${q}`;
}

/** §5.7: the signing web view for an iframe. */
export function peruriSigningWebViewUrl(input: { orderId: string }, settings: PeruriSettings): string {
  const base = requireString(settings.webViewBaseUrl, 'settings.webViewBaseUrl').replace(/\/+$/, '');
  return `${base}/signing.php?${new URLSearchParams({ orderId: orderIdOf(input.orderId) })}`;
}

// ---------------------------------------------------------------------------------------------------
// Parsers (pure): HTTP status, content type, body shape, then `resultCode`, then `data`.

/**
 * Peruri documents no result-code catalogue (gap 3): only "0" = success. The one failure code reported
 * by integrators is 4012 for decimal coordinates (COORDINATES.md). Every other code is a refusal we
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
  return { token: stringField(obj, 'token', 'peruri', 'peruri.getOtpBulk'), phone: optionalStringField(obj, 'phone'), orderIdBulk: orderIdField('getOtpBulk', obj, 'orderIdBulk') };
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
export function parsePeruriSigningBulkResponse(status: number, headers: Headers, body: Uint8Array): PeruriAck & { documents: { orderId: string; fileName: string | undefined }[] } {
  const { resultDesc, data } = parsePeruriEnvelope('signingBulk', status, headers, body);
  if (data === undefined || data === null) return { resultDesc, documents: [] };
  if (!Array.isArray(data)) throw badResponse('peruri', 'peruri.signingBulk', 'data is not an array');
  return { resultDesc, documents: data.map((d) => ({ orderId: orderIdField('signingBulk', d), fileName: isRecord(d) ? optionalStringField(d, 'fileName') : undefined })) };
}

export function parsePeruriSetKeyResponse(status: number, headers: Headers, body: Uint8Array): PeruriAck & { expiredDate?: string } {
  const { resultDesc, data } = parsePeruriEnvelope('setKey', status, headers, body);
  const expiredDate = isRecord(data) ? optionalStringField(data, 'expiredDate') : undefined;
  return { resultDesc, ...(expiredDate !== undefined ? { expiredDate } : {}) };
}

// ---------------------------------------------------------------------------------------------------
// Client: binds the builders and parsers to the transport and the one-day JWT cache (§3.0).

export const PERURI_JWT_LIFETIME_MS = 24 * 60 * 60 * 1000;

/**
 * When the JWT expires: one day after issue (§3.0), or earlier if the token's own `exp` claim says so.
 * The claim is only read, never trusted for anything else (the signature is Peruri's business).
 */
export function peruriJwtExpiry(jwt: string, issuedAt: number): number {
  const day = issuedAt + PERURI_JWT_LIFETIME_MS;
  const payload = jwt.split('.')[1];
  if (!payload) return day;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const exp = isRecord(claims) ? claims.exp : undefined;
    return typeof exp === 'number' && Number.isFinite(exp) ? Math.min(day, exp * 1000) : day;
  } catch {
    return day;
  }
}

export interface PeruriClientOptions extends Omit<SendOptions, 'signal'> {
  now?: () => number;
  /** Refresh the JWT this long before its day is over. Default 10 minutes. */
  refreshMarginMs?: number;
}

export class PeruriClient {
  readonly #settings: PeruriSettings;
  readonly #options: PeruriClientOptions;
  readonly tokens: TokenCache;

  constructor(settings: PeruriSettings, options: PeruriClientOptions = {}) {
    this.#settings = settings;
    this.#options = options;
    const now = options.now ?? Date.now;
    this.tokens = new TokenCache({
      now,
      refreshMarginMs: options.refreshMarginMs ?? 10 * 60_000,
      fetchToken: async () => {
        const issuedAt = now();
        const { jwt } = await call(buildPeruriGetJwtRequest(settings), parsePeruriGetJwtResponse, this.#sendOptions());
        return { token: jwt, expiresAt: peruriJwtExpiry(jwt, issuedAt) };
      },
    });
  }

  #sendOptions(signal?: AbortSignal): SendOptions {
    const { now: _now, refreshMarginMs: _m, ...send } = this.#options;
    return signal ? { ...send, signal } : send;
  }

  async #run<I, T>(build: (input: I, settings: PeruriSettings, jwt: string) => ProviderRequest, parse: Parser<T>, input: I, signal?: AbortSignal): Promise<T> {
    // Built (and validated) once, before a JWT is fetched: a caller's mistake costs no call, and a large
    // PDF is not copied again when a 401 makes us send it twice (its base64 is written while sending).
    // Only the Authorization header changes.
    const request = build(input, this.#settings, 'pending');
    return this.tokens.withToken((jwt) => call({ ...request, headers: { ...request.headers, Authorization: `Bearer ${jwt}` } }, parse, this.#sendOptions(signal)));
  }

  registration = (input: PeruriRegistrationInput, signal?: AbortSignal) => this.#run(buildPeruriRegistrationRequest, parsePeruriRegistrationResponse, input, signal);
  activation = (input: { email: string }, signal?: AbortSignal) => this.#run(buildPeruriActivationRequest, parsePeruriActivationResponse, input, signal);
  videoVerification = (input: { email: string; video: Uint8Array }, signal?: AbortSignal) =>
    this.#run(buildPeruriVideoVerificationRequest, parsePeruriVideoVerificationResponse, input, signal);
  sendSpecimen = (input: { email: string; specimen: Uint8Array }, signal?: AbortSignal) =>
    this.#run(buildPeruriSendSpecimenRequest, parsePeruriSendSpecimenResponse, input, signal);
  checkCertificate = (input: { email: string }, signal?: AbortSignal) => this.#run(buildPeruriCheckCertificateRequest, parsePeruriCheckCertificateResponse, input, signal);
  // PDFs go out as bytes the transport base64-encodes while sending (a large PDF is never one big string).
  sendDocument = (input: PeruriSendDocumentInput, signal?: AbortSignal) =>
    this.#run((i: PeruriSendDocumentInput, s, jwt) => buildPeruriSendDocumentRequest(i, s, jwt, encodeWhileSending), parsePeruriSendDocumentResponse, input, signal);
  viewDocument = (input: { orderId: string }, signal?: AbortSignal) => this.#run(buildPeruriViewDocumentRequest, parsePeruriViewDocumentResponse, input, signal);
  getOtp = (input: { orderId: string }, signal?: AbortSignal) => this.#run(buildPeruriGetOtpRequest, parsePeruriGetOtpResponse, input, signal);
  signing = (input: PeruriSigningInput, signal?: AbortSignal) => this.#run(buildPeruriSigningRequest, parsePeruriSigningResponse, input, signal);
  checkDocumentStatus = (input: { orderId: string }, signal?: AbortSignal) =>
    this.#run(buildPeruriCheckDocumentStatusRequest, parsePeruriCheckDocumentStatusResponse, input, signal);
  downloadDocument = (input: { orderId: string }, signal?: AbortSignal) => this.#run(buildPeruriDownloadDocumentRequest, parsePeruriDownloadDocumentResponse, input, signal);
  sendDocumentTier = (input: PeruriSendDocumentTierInput, signal?: AbortSignal) =>
    this.#run((i: PeruriSendDocumentTierInput, s, jwt) => buildPeruriSendDocumentTierRequest(i, s, jwt, encodeWhileSending), parsePeruriSendDocumentTierResponse, input, signal);
  signingTier = (input: PeruriSigningTierInput, signal?: AbortSignal) => this.#run(buildPeruriSigningTierRequest, parsePeruriSigningTierResponse, input, signal);
  sendDocumentBulk = (input: PeruriSendDocumentBulkInput, signal?: AbortSignal) =>
    this.#run((i: PeruriSendDocumentBulkInput, s, jwt) => buildPeruriSendDocumentBulkRequest(i, s, jwt, encodeWhileSending), parsePeruriSendDocumentBulkResponse, input, signal);
  setSignature = (input: { orderId: string; placement: PeruriPlacement }, signal?: AbortSignal) =>
    this.#run(buildPeruriSetSignatureRequest, parsePeruriSetSignatureResponse, input, signal);
  getOtpBulk = (input: { orderIds: readonly string[] }, signal?: AbortSignal) => this.#run(buildPeruriGetOtpBulkRequest, parsePeruriGetOtpBulkResponse, input, signal);
  signingBulk = (input: { orderIdBulk: string; otpCode: string; token: string }, signal?: AbortSignal) =>
    this.#run(buildPeruriSigningBulkRequest, parsePeruriSigningBulkResponse, input, signal);
  setKey = (input: { key: string; minutes: number }, signal?: AbortSignal) => this.#run(buildPeruriSetKeyRequest, parsePeruriSetKeyResponse, input, signal);
  signingSystem = (input: { orderIds: readonly string[]; key: string }, signal?: AbortSignal) =>
    this.#run(buildPeruriSigningSystemRequest, parsePeruriSigningSystemResponse, input, signal);
}
