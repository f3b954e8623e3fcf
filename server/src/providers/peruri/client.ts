// The Peruri client: the pure builders and parsers bound to the transport and the one-day JWT cache
// (docs/providers/peruri.md §3.0).
import { isRecord } from '../shared/check.js';
import { TokenCache, type IssuedToken, type SharedTokens } from '../shared/token-cache.js';
import { call, type SendOptions } from '../shared/transport.js';
import { encodeWhileSending, type ProviderRequest } from '../shared/types.js';
import type { PeruriSettings } from './operations.js';
import type { PeruriPlacement } from './placement.js';
import {
  buildPeruriGetJwtRequest,
  buildPeruriRegistrationRequest,
  buildPeruriActivationRequest,
  buildPeruriVideoVerificationRequest,
  buildPeruriSendSpecimenRequest,
  buildPeruriCheckCertificateRequest,
  buildPeruriSendDocumentRequest,
  buildPeruriViewDocumentRequest,
  buildPeruriGetOtpRequest,
  buildPeruriSigningRequest,
  buildPeruriCheckDocumentStatusRequest,
  buildPeruriDownloadDocumentRequest,
  buildPeruriSendDocumentTierRequest,
  buildPeruriSigningTierRequest,
  buildPeruriSendDocumentBulkRequest,
  buildPeruriSetSignatureRequest,
  buildPeruriGetOtpBulkRequest,
  buildPeruriSigningBulkRequest,
  buildPeruriSetKeyRequest,
  buildPeruriSigningSystemRequest,
  type PeruriRegistrationInput,
  type PeruriSendDocumentInput,
  type PeruriSigningInput,
  type PeruriSendDocumentTierInput,
  type PeruriSigningTierInput,
  type PeruriSendDocumentBulkInput,
} from './requests.js';
import {
  parsePeruriRegistrationResponse,
  parsePeruriActivationResponse,
  parsePeruriVideoVerificationResponse,
  parsePeruriSendSpecimenResponse,
  parsePeruriCheckCertificateResponse,
  parsePeruriSigningResponse,
  parsePeruriSigningTierResponse,
  parsePeruriCheckDocumentStatusResponse,
  parsePeruriSigningSystemResponse,
  parsePeruriGetJwtResponse,
  parsePeruriSendDocumentResponse,
  parsePeruriSendDocumentTierResponse,
  parsePeruriViewDocumentResponse,
  parsePeruriDownloadDocumentResponse,
  parsePeruriGetOtpResponse,
  parsePeruriGetOtpBulkResponse,
  parsePeruriSendDocumentBulkResponse,
  parsePeruriSetSignatureResponse,
  parsePeruriSigningBulkResponse,
  parsePeruriSetKeyResponse,
} from './responses.js';

type Parser<T> = (status: number, headers: Headers, body: Uint8Array) => T;

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
  /** The JWT shared by every instance (the state store); default: this process only. */
  sharedTokens?: SharedTokens | undefined;
  /** Told of every JWT fetched, with its expiry (TokenCacheOptions.onIssued). */
  onToken?: (issued: IssuedToken) => void;
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
      shared: options.sharedTokens,
      ...(options.onToken ? { onIssued: options.onToken } : {}),
      fetchToken: async () => {
        const issuedAt = now();
        const { jwt } = await call(buildPeruriGetJwtRequest(settings), parsePeruriGetJwtResponse, this.#sendOptions());
        return { token: jwt, expiresAt: peruriJwtExpiry(jwt, issuedAt) };
      },
    });
  }

  #sendOptions(signal?: AbortSignal): SendOptions {
    const { now: _now, refreshMarginMs: _m, sharedTokens: _s, onToken: _t, ...send } = this.#options;
    return signal ? { ...send, signal } : send;
  }

  async #run<I, T>(build: (input: I, settings: PeruriSettings, jwt: string) => ProviderRequest, parse: Parser<T>, input: I, signal?: AbortSignal): Promise<T> {
    // Built (and validated) once, before a JWT is fetched: a caller's mistake costs no call, and a large
    // PDF is not copied again when a 401 makes us send it twice (its base64 is written while sending).
    // Only the Authorization header changes.
    const request = build(input, this.#settings, 'pending');
    return this.tokens.withToken((jwt) =>
      call({ ...request, headers: { ...request.headers, Authorization: `Bearer ${jwt}` } }, parse, this.#sendOptions(signal)),
    );
  }

  registration = (input: PeruriRegistrationInput, signal?: AbortSignal) =>
    this.#run(buildPeruriRegistrationRequest, parsePeruriRegistrationResponse, input, signal);
  activation = (input: { email: string }, signal?: AbortSignal) => this.#run(buildPeruriActivationRequest, parsePeruriActivationResponse, input, signal);
  videoVerification = (input: { email: string; video: Uint8Array }, signal?: AbortSignal) =>
    this.#run(buildPeruriVideoVerificationRequest, parsePeruriVideoVerificationResponse, input, signal);
  sendSpecimen = (input: { email: string; specimen: Uint8Array }, signal?: AbortSignal) =>
    this.#run(buildPeruriSendSpecimenRequest, parsePeruriSendSpecimenResponse, input, signal);
  checkCertificate = (input: { email: string }, signal?: AbortSignal) =>
    this.#run(buildPeruriCheckCertificateRequest, parsePeruriCheckCertificateResponse, input, signal);
  // PDFs go out as bytes the transport base64-encodes while sending (a large PDF is never one big string).
  sendDocument = (input: PeruriSendDocumentInput, signal?: AbortSignal) =>
    this.#run(
      (i: PeruriSendDocumentInput, s, jwt) => buildPeruriSendDocumentRequest(i, s, jwt, encodeWhileSending),
      parsePeruriSendDocumentResponse,
      input,
      signal,
    );
  viewDocument = (input: { orderId: string }, signal?: AbortSignal) =>
    this.#run(buildPeruriViewDocumentRequest, parsePeruriViewDocumentResponse, input, signal);
  getOtp = (input: { orderId: string }, signal?: AbortSignal) => this.#run(buildPeruriGetOtpRequest, parsePeruriGetOtpResponse, input, signal);
  signing = (input: PeruriSigningInput, signal?: AbortSignal) => this.#run(buildPeruriSigningRequest, parsePeruriSigningResponse, input, signal);
  checkDocumentStatus = (input: { orderId: string }, signal?: AbortSignal) =>
    this.#run(buildPeruriCheckDocumentStatusRequest, parsePeruriCheckDocumentStatusResponse, input, signal);
  downloadDocument = (input: { orderId: string }, signal?: AbortSignal) =>
    this.#run(buildPeruriDownloadDocumentRequest, parsePeruriDownloadDocumentResponse, input, signal);
  sendDocumentTier = (input: PeruriSendDocumentTierInput, signal?: AbortSignal) =>
    this.#run(
      (i: PeruriSendDocumentTierInput, s, jwt) => buildPeruriSendDocumentTierRequest(i, s, jwt, encodeWhileSending),
      parsePeruriSendDocumentTierResponse,
      input,
      signal,
    );
  signingTier = (input: PeruriSigningTierInput, signal?: AbortSignal) =>
    this.#run(buildPeruriSigningTierRequest, parsePeruriSigningTierResponse, input, signal);
  sendDocumentBulk = (input: PeruriSendDocumentBulkInput, signal?: AbortSignal) =>
    this.#run(
      (i: PeruriSendDocumentBulkInput, s, jwt) => buildPeruriSendDocumentBulkRequest(i, s, jwt, encodeWhileSending),
      parsePeruriSendDocumentBulkResponse,
      input,
      signal,
    );
  setSignature = (input: { orderId: string; placement: PeruriPlacement }, signal?: AbortSignal) =>
    this.#run(buildPeruriSetSignatureRequest, parsePeruriSetSignatureResponse, input, signal);
  getOtpBulk = (input: { orderIds: readonly string[] }, signal?: AbortSignal) =>
    this.#run(buildPeruriGetOtpBulkRequest, parsePeruriGetOtpBulkResponse, input, signal);
  signingBulk = (input: { orderIdBulk: string; otpCode: string; token: string }, signal?: AbortSignal) =>
    this.#run(buildPeruriSigningBulkRequest, parsePeruriSigningBulkResponse, input, signal);
  setKey = (input: { key: string; minutes: number }, signal?: AbortSignal) => this.#run(buildPeruriSetKeyRequest, parsePeruriSetKeyResponse, input, signal);
  signingSystem = (input: { orderIds: readonly string[]; key: string }, signal?: AbortSignal) =>
    this.#run(buildPeruriSigningSystemRequest, parsePeruriSigningSystemResponse, input, signal);
}
