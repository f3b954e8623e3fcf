// The BSrE clients: the pure builders and parsers of v1.ts, v2.ts and cloud.ts bound to the transport (and,
// for the cloud service, to its OAuth token cache).
import { TokenCache, type IssuedToken, type SharedTokens } from '../shared/token-cache.js';
import type { AnswerSpool } from '../shared/answer-spool.js';
import { call, type SendOptions } from '../shared/transport.js';
import { encodeWhileSending, type ProviderRequest } from '../shared/types.js';
import type { BsreClientSettings, BsreSigner } from './common.js';
import {
  buildBsreV1SignRequest,
  parseBsreV1SignResponse,
  buildBsreV1DownloadRequest,
  parseBsreV1DownloadResponse,
  buildBsreV1VerifyRequest,
  parseBsreV1VerifyResponse,
  buildBsreV1UserStatusRequest,
  parseBsreV1UserStatusResponse,
  type BsreV1SignInput,
} from './v1.js';
import {
  buildBsreV2SignRequest,
  parseBsreV2SignResponse,
  buildBsreV2SignTotpRequest,
  parseBsreV2SignTotpResponse,
  buildBsreSealActivationRequest,
  parseBsreSealActivationResponse,
  buildBsreSealRevokeRequest,
  parseBsreSealRevokeResponse,
  buildBsreSealTotpRequest,
  parseBsreSealTotpResponse,
  buildBsreSealPdfRequest,
  parseBsreSealPdfResponse,
  buildBsreV2UserStatusRequest,
  parseBsreV2UserStatusResponse,
  buildBsreV2RegistrationRequest,
  parseBsreV2RegistrationResponse,
  buildBsreV2VerifyRequest,
  parseBsreV2VerifyResponse,
  type BsreSignedFiles,
  type BsreV2SignInput,
} from './v2.js';
import {
  buildBsreCloudTokenRequest,
  parseBsreCloudTokenResponse,
  buildBsreCloudSignRequestRequest,
  parseBsreCloudSignRequestResponse,
  buildBsreCloudSignRequest,
  parseBsreCloudSignResponse,
  buildBsreCloudDownloadRequest,
  parseBsreCloudDownloadResponse,
  buildBsreCloudVerifyRequest,
  parseBsreCloudVerifyResponse,
  type BsreCloudSettings,
  type BsreCloudSignRequestInput,
} from './cloud.js';

type Parser<T> = (status: number, headers: Headers, body: Uint8Array) => T;

/** Signing or sealing: without a spool the signed PDFs come back in memory only (the transport makes files only in a spool). */
interface SignsFiles<I> {
  (input: I, signal?: AbortSignal): Promise<{ files: Uint8Array[]; timeMs: number | undefined }>;
  (input: I, signal: AbortSignal | undefined, spool: AnswerSpool | undefined): Promise<BsreSignedFiles>;
}

export class BsreEsignClient {
  readonly #settings: BsreClientSettings;
  readonly #options: Omit<SendOptions, 'signal'>;

  constructor(settings: BsreClientSettings, options: Omit<SendOptions, 'signal'> = {}) {
    this.#settings = settings;
    this.#options = options;
  }

  async #run<I, T>(
    build: (input: I, s: BsreClientSettings) => ProviderRequest,
    parse: Parser<T>,
    input: I,
    signal?: AbortSignal,
    spool?: AnswerSpool,
  ): Promise<T> {
    return call(build(input, this.#settings), parse, { ...this.#options, ...(signal ? { signal } : {}), ...(spool ? { spool } : {}) });
  }

  // v1
  v1UserStatus = (input: { nik: string }, signal?: AbortSignal) => this.#run(buildBsreV1UserStatusRequest, parseBsreV1UserStatusResponse, input, signal);
  v1SignPdf = (input: BsreV1SignInput, signal?: AbortSignal) => this.#run(buildBsreV1SignRequest, parseBsreV1SignResponse, input, signal);
  v1Download = (input: { documentId: string }, signal?: AbortSignal) => this.#run(buildBsreV1DownloadRequest, parseBsreV1DownloadResponse, input, signal);
  v1Verify = (input: { pdf: Uint8Array; fileName?: string }, signal?: AbortSignal) =>
    this.#run(buildBsreV1VerifyRequest, parseBsreV1VerifyResponse, input, signal);
  // v2
  // PDFs go out as bytes the transport base64-encodes while sending (a large PDF is never one big string);
  // with a spool, the signed PDFs come back decoded into its files as they arrive (never in memory).
  signPdf = ((input: BsreV2SignInput, signal?: AbortSignal, spool?: AnswerSpool) =>
    this.#run(
      (i: BsreV2SignInput, s) => buildBsreV2SignRequest(i, s, encodeWhileSending),
      parseBsreV2SignResponse,
      input,
      signal,
      spool,
    )) as SignsFiles<BsreV2SignInput>;
  requestSignTotp = (input: { nik?: string; email?: string; fileCount: number }, signal?: AbortSignal) =>
    this.#run(buildBsreV2SignTotpRequest, parseBsreV2SignTotpResponse, input, signal);
  sealActivation = (input: { idSubscriber: string; totp?: string }, signal?: AbortSignal) =>
    this.#run(buildBsreSealActivationRequest, parseBsreSealActivationResponse, input, signal);
  sealRevoke = (input: { idSubscriber: string; totp: string }, signal?: AbortSignal) =>
    this.#run(buildBsreSealRevokeRequest, parseBsreSealRevokeResponse, input, signal);
  requestSealTotp = (input: { idSubscriber: string; activationTotp: string; fileCount: number }, signal?: AbortSignal) =>
    this.#run(buildBsreSealTotpRequest, parseBsreSealTotpResponse, input, signal);
  sealPdf = ((input: Parameters<typeof buildBsreSealPdfRequest>[0], signal?: AbortSignal, spool?: AnswerSpool) =>
    this.#run(
      (i: Parameters<typeof buildBsreSealPdfRequest>[0], s) => buildBsreSealPdfRequest(i, s, encodeWhileSending),
      parseBsreSealPdfResponse,
      input,
      signal,
      spool,
    )) as SignsFiles<Parameters<typeof buildBsreSealPdfRequest>[0]>;
  userStatus = (input: BsreSigner, signal?: AbortSignal) => this.#run(buildBsreV2UserStatusRequest, parseBsreV2UserStatusResponse, input, signal);
  register = (input: { name: string; email: string }, signal?: AbortSignal) =>
    this.#run(buildBsreV2RegistrationRequest, parseBsreV2RegistrationResponse, input, signal);
  verify = (input: { pdf: Uint8Array; password?: string }, signal?: AbortSignal) =>
    this.#run((i: { pdf: Uint8Array; password?: string }, s) => buildBsreV2VerifyRequest(i, s, encodeWhileSending), parseBsreV2VerifyResponse, input, signal);
}

export interface BsreCloudClientOptions extends Omit<SendOptions, 'signal'> {
  now?: () => number;
  /** Refresh this long before `expires_in` runs out. Default 60 s. */
  refreshMarginMs?: number;
  /** The access token shared by every instance (the state store); default: this process only. */
  sharedTokens?: SharedTokens | undefined;
  /** Told of every access token fetched, with its expiry (TokenCacheOptions.onIssued). */
  onToken?: (issued: IssuedToken) => void;
}

export class BsreCloudClient {
  readonly #settings: BsreCloudSettings;
  readonly #send: Omit<SendOptions, 'signal'>;
  readonly tokens: TokenCache;

  constructor(settings: BsreCloudSettings, options: BsreCloudClientOptions = {}) {
    this.#settings = settings;
    const { now = Date.now, refreshMarginMs = 60_000, sharedTokens, onToken, ...send } = options;
    this.#send = send;
    this.tokens = new TokenCache({
      now,
      refreshMarginMs,
      shared: sharedTokens,
      ...(onToken ? { onIssued: onToken } : {}),
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

  signRequest = (input: BsreCloudSignRequestInput, signal?: AbortSignal) =>
    this.#run(buildBsreCloudSignRequestRequest, parseBsreCloudSignRequestResponse, input, signal);
  sign = (input: { idSigned: string; passphrase: string; approvedInfo?: string }, signal?: AbortSignal) =>
    this.#run(buildBsreCloudSignRequest, parseBsreCloudSignResponse, input, signal);
  download = (input: { idSigned: string }, signal?: AbortSignal) => this.#run(buildBsreCloudDownloadRequest, parseBsreCloudDownloadResponse, input, signal);
  verify = (input: { pdf: Uint8Array; fileName?: string }, signal?: AbortSignal) =>
    this.#run(buildBsreCloudVerifyRequest, parseBsreCloudVerifyResponse, input, signal);
}
