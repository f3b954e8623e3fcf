// Peruri's request builders (docs/providers/peruri.md §3–§8), pure: input checked, fields named and
// wrapped as the document says. `jwt` comes from the token cache; Get JWT is the only call without one.
import { createHmac } from 'node:crypto';
import { optionalString, requireBytes, requireIsoDate, requireEmail, requireNik, requireOtp, requirePdf, requireString, toBase64 } from '../shared/check.js';
import type { Placement } from '../shared/coordinates.js';
import { invalid } from '../shared/errors.js';
import type { Base64Encoder, ProviderRequest } from '../shared/types.js';
import { DEFAULT_PERURI_DIALECT } from './dialect.js';
import { peruriRequest, systemId, orderIdOf, type PeruriSettings } from './operations.js';
import { toPeruriSigners, type CertificateLevel, type PeruriPlacement } from './placement.js';

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

export function buildPeruriSendDocumentRequest(
  input: PeruriSendDocumentInput,
  settings: PeruriSettings,
  jwt: string,
  encode: Base64Encoder = toBase64,
): ProviderRequest {
  const payload: Record<string, unknown> = { fileName: fileName(input.fileName), base64Document: encode(requirePdf(input.pdf, 'pdf')) };
  if (input.placement) payload.signer = toPeruriSigners(input.placement, settings, true, 'placement');
  if (input.orderType !== undefined && input.orderType !== 'SYSTEM') invalid('orderType', 'orderType can only be "SYSTEM".');
  const system = input.orderType === 'SYSTEM';
  const inPayload = (settings.orderTypePlacement ?? DEFAULT_PERURI_DIALECT.orderTypePlacement) === 'payload';
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

export function buildPeruriSendDocumentTierRequest(
  input: PeruriSendDocumentTierInput,
  settings: PeruriSettings,
  jwt: string,
  encode: Base64Encoder = toBase64,
): ProviderRequest {
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

export function buildPeruriSendDocumentBulkRequest(
  input: PeruriSendDocumentBulkInput,
  settings: PeruriSettings,
  jwt: string,
  encode: Base64Encoder = toBase64,
): ProviderRequest {
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
  const asObject = (settings.setSignatureSigner ?? DEFAULT_PERURI_DIALECT.setSignatureSigner) === 'object';
  if (signers.length !== 1) invalid('placement.boxes', 'Set Signature takes exactly one box (one placement per order, seed 003 Bulk §3).');
  return peruriRequest('setSignature', { orderId: orderIdOf(input.orderId), signer: asObject ? signers[0] : signers }, settings, jwt);
}

export function buildPeruriGetOtpBulkRequest(input: { orderIds: readonly string[] }, settings: PeruriSettings, jwt: string): ProviderRequest {
  if (!Array.isArray(input.orderIds) || input.orderIds.length === 0) invalid('orderIds', 'orderIds must hold at least one order id.');
  const asNumber = (settings.bulkOtpOrderIdType ?? DEFAULT_PERURI_DIALECT.bulkOtpOrderIdType) === 'number';
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
  return peruriRequest(
    'signingSystem',
    { data: ids.map((orderId) => ({ orderId })), session: peruriSession(key, ids), systemId: systemId(settings) },
    settings,
    jwt,
  );
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
