// The Digisign client (§ numbers: docs/providers/digisign.md): the pure builders and parsers bound to the transport.
import { requireString } from '../shared/check.js';
import { call, type SendOptions } from '../shared/transport.js';
import type { ProviderRequest } from '../shared/types.js';
import type { DigisignSettings } from './operations.js';
import {
  buildDigisignRegisterRequest,
  buildDigisignActivationRequest,
  buildDigisignSendDocumentRequest,
  buildDigisignSignPageRequest,
  buildDigisignDownloadPdfRequest,
  buildDigisignDownloadBase64Request,
  buildDigisignChangeContactRequest,
  type DigisignRegisterInput,
  type DigisignSendDocumentInput,
  type DigisignChangeContactInput,
} from './requests.js';
import {
  parseDigisignRegisterResponse,
  parseDigisignActivationResponse,
  parseDigisignSendDocumentResponse,
  parseDigisignSignPageResponse,
  parseDigisignDownloadPdfResponse,
  parseDigisignDownloadBase64Response,
  parseDigisignChangeContactResponse,
} from './responses.js';
import { buildDigisignWebViewProbe, parseDigisignWebViewProbe } from './webview.js';
import { decryptDigisignRedirect, type DigisignRedirect } from './redirect.js';

// Client

export class DigisignClient {
  readonly #settings: DigisignSettings;
  readonly #options: Omit<SendOptions, 'signal'>;

  constructor(settings: DigisignSettings, options: Omit<SendOptions, 'signal'> = {}) {
    this.#settings = settings;
    this.#options = options;
  }

  async #run<I, T>(
    build: (input: I, s: DigisignSettings) => ProviderRequest,
    parse: (s: number, h: Headers, b: Uint8Array) => T,
    input: I,
    signal?: AbortSignal,
  ): Promise<T> {
    return call(build(input, this.#settings), parse, signal ? { ...this.#options, signal } : this.#options);
  }

  register = (input: DigisignRegisterInput, signal?: AbortSignal) => this.#run(buildDigisignRegisterRequest, parseDigisignRegisterResponse, input, signal);
  activationLink = (input: { email: string }, signal?: AbortSignal) =>
    this.#run(buildDigisignActivationRequest, parseDigisignActivationResponse, input, signal);
  sendDocument = (input: DigisignSendDocumentInput, signal?: AbortSignal) =>
    this.#run(buildDigisignSendDocumentRequest, parseDigisignSendDocumentResponse, input, signal);
  signPageLink = (input: { documentId: string; email: string; viewOnly?: boolean }, signal?: AbortSignal) =>
    this.#run(buildDigisignSignPageRequest, parseDigisignSignPageResponse, input, signal);
  downloadPdf = (input: { documentId: string }, signal?: AbortSignal) =>
    this.#run(buildDigisignDownloadPdfRequest, parseDigisignDownloadPdfResponse, input, signal);
  downloadBase64 = (input: { documentId: string }, signal?: AbortSignal) =>
    this.#run(buildDigisignDownloadBase64Request, parseDigisignDownloadBase64Response, input, signal);
  changeContact = (input: DigisignChangeContactInput, signal?: AbortSignal) =>
    this.#run(buildDigisignChangeContactRequest, parseDigisignChangeContactResponse, input, signal);
  /** §11: a web-view link answers 200 (or redirects); 401/403/404/408 become typed errors. */
  checkWebView = (link: string, signal?: AbortSignal) => this.#run(buildDigisignWebViewProbe, (status) => parseDigisignWebViewProbe(status), link, signal);

  decryptRedirect(msg: string): DigisignRedirect {
    return decryptDigisignRedirect(msg, requireString(this.#settings.aesKey, 'settings.aesKey'));
  }
}
