// Peruri Digital Signature web service (docs/providers/peruri.md, whose § and gap numbers the comments of this
// folder cite). Every API is a JSON POST under one gateway, with `x-Gateway-APIKey` and, except Get JWT,
// `Authorization: Bearer <JWT>`; the body is wrapped in `param`, `requestSigning`, `requestSetSignature` or
// `requestGetOtpBulk` (§1). Success is `resultCode` "0". This module names the operations, their paths,
// wrappers and timeouts, and builds the request every builder returns.
import type { ProfileOverrides } from '@esign-kit/core';
import { requireString } from '../shared/check.js';
import type { ProviderRequest } from '../shared/types.js';
import type { PeruriDialect } from './dialect.js';

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

export function peruriRequest(operation: PeruriOperation, fields: Record<string, unknown>, settings: PeruriSettings, jwt: string | null): ProviderRequest {
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

export const systemId = (settings: PeruriSettings) => requireString(settings.systemId, 'settings.systemId', 255);
export const orderIdOf = (value: unknown, field = 'orderId') => requireString(value, field, 100);
