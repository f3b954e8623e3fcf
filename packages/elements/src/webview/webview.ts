import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import {
  ChannelGuard,
  createChannelId,
  frameNameFor,
  isRejection,
  parseLandingMessage,
  parsePeruriMessage,
  type BridgeEvent,
  type Flow,
  type Provider,
} from '@esign-kit/bridge';
import { fire } from '../placer/events.js';
import { languageOf } from '../placer/strings.js';
import type {
  EsignWebviewCancelDetail,
  EsignWebviewCompleteDetail,
  EsignWebviewDebugDetail,
  EsignWebviewErrorDetail,
  EsignWebviewReadyDetail,
  EsignWebviewTimeoutDetail,
} from './events.js';
import { WEBVIEW_STRINGS } from './strings.js';
import { webviewStyles } from './webview.styles.js';

export type WebviewStatus = 'idle' | 'loading' | 'open' | 'confirming' | 'done' | 'cancelled' | 'error' | 'timeout';

/** 15 minutes: longer than any provider session (a Peruri OTP lives 5 minutes, a Digisign link 30). */
const DEFAULT_TIMEOUT_MS = 15 * 60 * 1000;
/** How often and how long the server is asked whether a Peruri order is signed after the page said so. */
const CONFIRM_ATTEMPTS = 5;
const CONFIRM_DELAY_MS = 800;

class RequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const isProvider = (v: string): v is Provider => v === 'peruri' || v === 'digisign';
const isFlow = (v: string): v is Flow => v === 'activation' || v === 'sign';

/**
 * Shows a provider's own activation or signing page (Peruri, Digisign) in an iframe and reports its outcome,
 * confirmed by the companion server, as typed events.
 *
 * @summary Peruri / Digisign activation and signing web views, with server-confirmed completion.
 *
 * @fires {CustomEvent<EsignWebviewReadyDetail>} esign-ready - The provider's page has loaded: `{ provider, flow, origin }`.
 * @fires {CustomEvent<EsignWebviewCompleteDetail>} esign-complete - The server confirmed the outcome: `{ provider, flow, result, confirmed: true }`.
 * @fires {CustomEvent<EsignWebviewCancelDetail>} esign-cancel - The flow was cancelled: `{ provider, flow, by }`.
 * @fires {CustomEvent<EsignWebviewErrorDetail>} esign-error - Something failed: `{ code, message, status?, providerCode? }`.
 * @fires {CustomEvent<EsignWebviewTimeoutDetail>} esign-timeout - The page stayed open longer than `timeout` ms: `{ provider, flow, timeout }`.
 * @fires {CustomEvent<EsignWebviewDebugDetail>} esign-debug - A message was ignored: `{ reason, origin, ignored }`.
 *
 * @csspart status - The bar with the state, the cancel and the retry buttons.
 * @csspart frame - The provider's iframe.
 * @csspart retry - The retry button.
 * @csspart cancel - The cancel button.
 *
 * @cssprop --esign-webview-height - Height of the element (default 640px).
 * @cssprop --esign-webview-accent - Colour of the buttons and focus rings.
 * @cssprop --esign-webview-border - Border colour.
 * @cssprop --esign-webview-background - Background.
 * @cssprop --esign-webview-color - Text colour.
 * @cssprop --esign-webview-status-background - Background of the status bar.
 * @cssprop --esign-webview-error-color - Colour of error and timeout messages.
 */
export class EsignWebview extends LitElement {
  static override styles = webviewStyles;

  static override properties = {
    provider: { type: String, reflect: true },
    flow: { type: String, reflect: true },
    server: { type: String },
    token: { type: String },
    orderId: { type: String, attribute: 'order-id' },
    documentId: { type: String, attribute: 'document-id' },
    email: { type: String },
    viewOnly: { type: Boolean, attribute: 'view-only' },
    timeout: { type: Number },
    _status: { state: true },
    _url: { state: true },
    _channel: { state: true },
    _error: { state: true },
  };

  /** `peruri` or `digisign`. */
  declare provider: Provider;
  /** `activation` (needs `email`) or `sign` (Peruri: `order-id`; Digisign: `document-id` and `email`). */
  declare flow: Flow;
  /** The companion server's base URL (default `/`). */
  declare server: string;
  /** A portal token (`Authorization: Bearer …`). */
  declare token: string;
  /** Peruri signing: the orderId the server returned. */
  declare orderId: string;
  /** Digisign signing: the document id. */
  declare documentId: string;
  /** Activation (both providers) and Digisign signing: the signer's e-mail. */
  declare email: string;
  /** Digisign signing: show the document without letting the person sign. */
  declare viewOnly: boolean;
  /** Milliseconds the provider's page may stay open (0: no limit). */
  declare timeout: number;

  private declare _status: WebviewStatus;
  private declare _url: string | null;
  private declare _channel: string | null;
  private declare _error: EsignWebviewErrorDetail | null;

  /** Messages this element ignored (wrong origin or source, unreadable, foreign channel, replayed, late). */
  ignoredMessages = 0;

  private _run = 0;
  private _abort: AbortController | null = null;
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _guard: ChannelGuard | null = null;
  private _origin = '';
  private _readyFired = false;
  private _listening = false;
  private readonly _onMessage = (event: MessageEvent) => this._handleMessage(event);

  constructor() {
    super();
    this.provider = 'peruri';
    this.flow = 'sign';
    this.server = '/';
    this.token = '';
    this.orderId = '';
    this.documentId = '';
    this.email = '';
    this.viewOnly = false;
    this.timeout = DEFAULT_TIMEOUT_MS;
    this._status = 'idle';
    this._url = null;
    this._channel = null;
    this._error = null;
  }

  /** The element's state: `idle`, `loading`, `open`, `confirming`, `done`, `cancelled`, `error` or `timeout`. */
  get status(): WebviewStatus {
    return this._status;
  }

  /** The provider's iframe, while a flow is open. */
  get frame(): HTMLIFrameElement | null {
    return this.renderRoot?.querySelector('iframe') ?? null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this._listening) {
      window.addEventListener('message', this._onMessage);
      this._listening = true;
    }
    // Attributes set right after creation (or properties set after appending) are taken into account.
    if (this._status === 'idle') queueMicrotask(() => {
      if (this.isConnected && this._status === 'idle') void this.start();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this._listening) {
      window.removeEventListener('message', this._onMessage);
      this._listening = false;
    }
    this._stop();
    // A flow cut short starts again when the element comes back (the browser reloads a moved iframe anyway).
    if (this._status === 'loading' || this._status === 'open' || this._status === 'confirming') {
      this._status = 'idle';
      this._url = null;
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    const keys = ['provider', 'flow', 'server', 'orderId', 'documentId', 'email', 'viewOnly'] as const;
    // A change of what the flow is about while it runs starts it again (first render excluded).
    if (!this.isConnected || !keys.some((k) => changed.has(k) && changed.get(k) !== undefined)) return;
    // Properties set after the element was appended (frameworks do) complete what was missing.
    if (this._status === 'open' || this._status === 'loading' || (this._status === 'error' && this._error?.code === 'invalid-attributes')) void this.start();
  }

  /** Opens (or opens again) the flow: asks the server for the web view and shows it. */
  async start(): Promise<void> {
    this._stop();
    const run = ++this._run;
    this._abort = new AbortController();
    this._status = 'loading';
    this._url = null;
    this._error = null;
    this._readyFired = false;
    const provider = String(this.provider);
    const flow = String(this.flow);
    if (!isProvider(provider) || !isFlow(flow)) return this._fail(run, 'invalid-attributes', `Unknown provider "${provider}" or flow "${flow}".`);
    const missing = this._missing(provider, flow);
    if (missing) return this._fail(run, 'invalid-attributes', `${missing} is required for ${provider} ${flow}.`);
    const channel = createChannelId();
    if (this._guard) this._guard.renew(channel);
    else this._guard = new ChannelGuard(channel);
    try {
      const described = (await this._request('GET', 'api/providers')) as { providers?: Record<string, { configured?: boolean; webViewOrigin?: string | null }> };
      const announced = described.providers?.[provider];
      if (!announced?.configured || !announced.webViewOrigin) throw new RequestError('provider-not-configured', `${provider} is not configured on the server.`);
      const body: Record<string, unknown> = { provider, flow: flow === 'sign' ? 'signing' : 'activation' };
      if (provider === 'peruri' && flow === 'sign') body.orderId = this.orderId;
      else if (provider === 'digisign' && flow === 'sign') Object.assign(body, { email: this.email, digisignDocumentId: this.documentId, ...(this.viewOnly ? { viewOnly: true } : {}) });
      else body.email = this.email;
      const view = (await this._request('POST', 'api/webviews', body)) as { url?: string };
      if (run !== this._run) return;
      const url = new URL(String(view.url));
      if (url.origin !== announced.webViewOrigin) throw new RequestError('origin-mismatch', `The web view is on ${url.origin}, not on ${announced.webViewOrigin}.`);
      this._origin = url.origin;
      this._channel = channel;
      this._url = url.href;
      this._status = 'open';
      if (this.timeout > 0) this._timer = setTimeout(() => this._onTimeout(run), this.timeout);
    } catch (err) {
      this._failFrom(run, err);
    }
  }

  /** Starts the flow again after an error, a timeout or a cancellation. */
  retry(): Promise<void> {
    return this.start();
  }

  /** Ends the flow: the page is closed and esign-cancel fires. */
  cancel(): void {
    if (this._status !== 'loading' && this._status !== 'open') return;
    this._stop();
    this._run++;
    this._status = 'cancelled';
    this._url = null;
    fire<EsignWebviewCancelDetail>(this, 'esign-cancel', { provider: this.provider, flow: this.flow, by: 'user' });
  }

  private _missing(provider: Provider, flow: Flow): string | null {
    if (provider === 'peruri' && flow === 'sign') return this.orderId ? null : 'order-id';
    if (provider === 'digisign' && flow === 'sign' && !this.documentId) return 'document-id';
    return this.email ? null : 'email';
  }

  private _stop(): void {
    this._abort?.abort();
    this._abort = null;
    if (this._timer !== null) clearTimeout(this._timer);
    this._timer = null;
  }

  /** The server's origin: where our own Digisign landing page (the redirect target) is served from. */
  private get _serverBase(): URL {
    const base = new URL(this.server || '/', location.href);
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    return base;
  }

  private async _request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(new URL(path, this._serverBase), { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), ...(this._abort ? { signal: this._abort.signal } : {}) });
    } catch (err) {
      if ((err as Error)?.name === 'AbortError') throw err;
      throw new RequestError('network-error', `The server could not be reached: ${(err as Error)?.message ?? err}`);
    }
    const data = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    if (!res.ok) {
      const known = data?.error?.code === 'provider-not-configured' || data?.error?.code === 'not-confirmed';
      const code = known ? data!.error!.code! : 'http-error';
      throw new RequestError(code, data?.error?.message ?? `The server answered HTTP ${res.status}.`, res.status);
    }
    return data;
  }

  private _failFrom(run: number, err: unknown): void {
    if (run !== this._run || (err as Error)?.name === 'AbortError') return;
    if (err instanceof RequestError) this._fail(run, err.code, err.message, err.status);
    else this._fail(run, 'http-error', String((err as Error)?.message ?? err));
  }

  private _fail(run: number, code: string, message: string, status?: number, providerCode?: string): void {
    if (run !== this._run) return;
    this._stop();
    this._status = 'error';
    this._url = null;
    const detail: EsignWebviewErrorDetail = { code, message };
    if (status !== undefined) detail.status = status;
    if (providerCode !== undefined) detail.providerCode = providerCode;
    this._error = detail;
    fire(this, 'esign-error', detail);
  }

  private _onTimeout(run: number): void {
    if (run !== this._run || this._status !== 'open') return;
    this._stop();
    this._run++;
    this._status = 'timeout';
    this._url = null;
    fire<EsignWebviewTimeoutDetail>(this, 'esign-timeout', { provider: this.provider, flow: this.flow, timeout: this.timeout });
  }

  private _ignore(reason: string, origin: string): void {
    this.ignoredMessages++;
    fire<EsignWebviewDebugDetail>(this, 'esign-debug', { reason, origin, ignored: this.ignoredMessages });
  }

  private _handleMessage(event: MessageEvent): void {
    const frame = this.frame;
    // Only our own iframe's window may talk to us: another frame, a popup or the page itself is ignored.
    if (!frame || !event.source || event.source !== frame.contentWindow) return this._ignore('foreign-source', event.origin);
    if (this._status !== 'open') return this._ignore('late', event.origin);
    const run = this._run;
    let parsed: BridgeEvent;
    if (this.provider === 'peruri') {
      // Peruri's pages post from the web-view origin the server announced.
      if (event.origin !== this._origin) return this._ignore('foreign-origin', event.origin);
      const p = parsePeruriMessage(event.data, this.flow);
      if (isRejection(p)) return this._ignore(p.reason, event.origin);
      parsed = p;
    } else {
      // Digisign's pages never post: they redirect to our server's landing page, which decrypts the result
      // and posts a bridge landing message carrying this element's channel.
      if (event.origin !== this._serverBase.origin) return this._ignore('foreign-origin', event.origin);
      const m = parseLandingMessage(event.data);
      if (isRejection(m)) return this._ignore(m.reason, event.origin);
      if (m.provider !== this.provider || m.flow !== this.flow) return this._ignore('wrong-flow', event.origin);
      // Another signer's outcome (a landing URL replayed into this frame) is not this element's: ignored, before
      // it can use up this channel. The server refuses to confirm it anyway.
      const named = String(m.result?.email ?? '');
      if (m.ok && m.channel === this._guard!.current && named && this.email && named.toLowerCase() !== this.email.toLowerCase()) return this._ignore('wrong-signer', event.origin);
      const accepted = this._guard!.accept(m);
      if (isRejection(accepted)) return this._ignore(accepted.reason, event.origin);
      if (!m.ok && m.error) return this._fail(run, m.error.code, m.error.message, undefined, m.providerCode);
      parsed = accepted;
    }
    if (parsed.type === 'cancel') {
      this._stop();
      this._run++;
      this._status = 'cancelled';
      this._url = null;
      fire<EsignWebviewCancelDetail>(this, 'esign-cancel', { provider: this.provider, flow: this.flow, by: 'provider' });
      return;
    }
    if (parsed.type !== 'complete') {
      const message = parsed.providerMessage ?? WEBVIEW_STRINGS.en.errors['provider-error']!;
      return this._fail(run, 'provider-error', message, undefined, parsed.providerCode);
    }
    void this._confirm(run, parsed);
  }

  /**
   * The page's word is not final: the server confirms the outcome for the signer this element was opened for
   * (POST /api/webviews/confirmations) — Peruri: the order's status and signer, or the certificate; Digisign: a
   * redirect it decrypted naming this very signer (and document), and the signed PDF downloaded and stored.
   */
  private async _confirm(run: number, event: BridgeEvent): Promise<void> {
    if (this._timer !== null) clearTimeout(this._timer);
    this._timer = null;
    this._status = 'confirming';
    try {
      let result: Record<string, unknown> | null = null;
      const confirm = async (body: Record<string, unknown>) => (await this._request('POST', 'api/webviews/confirmations', body)) as { confirmed?: boolean; result?: Record<string, unknown> };
      if (this.provider === 'peruri') {
        const body = this.flow === 'sign' ? { provider: 'peruri', flow: 'signing', orderId: this.orderId, ...(this.email ? { email: this.email } : {}) } : { provider: 'peruri', flow: 'activation', email: this.email };
        // Peruri's status follows its page by a moment: ask a few times.
        for (let i = 0; i < CONFIRM_ATTEMPTS && !result; i++) {
          if (i) await new Promise((r) => setTimeout(r, CONFIRM_DELAY_MS));
          if (run !== this._run) return;
          const c = await confirm(body);
          if (c.confirmed && c.result) result = c.result;
        }
      } else {
        // The landing page carries what the server decrypted; AES-ECB has no integrity, so the server checks its
        // own record of the redirect and, for signing, downloads the document.
        if (this.flow === 'sign' && String(event.result?.documentId ?? '') !== this.documentId) throw new RequestError('not-confirmed', 'The callback names another document.');
        const body = this.flow === 'sign' ? { provider: 'digisign', flow: 'signing', digisignDocumentId: this.documentId, email: this.email } : { provider: 'digisign', flow: 'activation', email: this.email };
        const c = await confirm(body);
        if (c.confirmed && c.result) result = c.result;
      }
      if (run !== this._run) return;
      if (!result) throw new RequestError('not-confirmed', WEBVIEW_STRINGS.en.errors['not-confirmed']!);
      this._stop();
      this._status = 'done';
      this._url = null;
      fire<EsignWebviewCompleteDetail>(this, 'esign-complete', { provider: this.provider, flow: this.flow, result, confirmed: true });
    } catch (err) {
      this._failFrom(run, err);
    }
  }

  private _onLoad(run: number): void {
    if (run !== this._run || this._readyFired || this._status !== 'open') return;
    this._readyFired = true;
    fire<EsignWebviewReadyDetail>(this, 'esign-ready', { provider: this.provider, flow: this.flow, origin: this._origin });
  }

  protected override render() {
    const t = WEBVIEW_STRINGS[languageOf(this)];
    const flow: Flow = this.flow === 'activation' ? 'activation' : 'sign';
    const name = this.provider === 'digisign' ? 'Digisign' : 'Peruri';
    const s = this._status;
    let text: string;
    if (s === 'loading' || s === 'idle') text = t.loading;
    else if (s === 'open') text = t.title(name, flow);
    else if (s === 'confirming') text = t.confirming;
    else if (s === 'done') text = t.done(flow);
    else if (s === 'cancelled') text = t.cancelled;
    else if (s === 'timeout') text = t.timedOut;
    else text = `${t.errors[this._error?.code ?? ''] ?? t.errors['provider-error']} ${this._error?.message ?? ''}`.trim();
    const run = this._run;
    // e-KYC (Peruri activation) needs the camera, for the provider's origin only; nothing else gets a feature.
    const allow = this.provider === 'peruri' && flow === 'activation' ? `camera ${this._origin}` : "camera 'none'; microphone 'none'";
    return html`<div class="status" part="status" data-state=${s} role="status" aria-live="polite">
        <span class="text">${text}</span>
        ${s === 'loading' || s === 'open' ? html`<button part="cancel" class="cancel" @click=${() => this.cancel()}>${t.cancel}</button>` : nothing}
        ${s === 'error' || s === 'timeout' || s === 'cancelled' ? html`<button part="retry" class="retry" @click=${() => void this.retry()}>${t.retry}</button>` : nothing}
      </div>
      ${this._url && this._channel && (s === 'open' || s === 'confirming')
        ? keyed(
            this._channel,
            html`<iframe
              part="frame"
              name=${frameNameFor(this._channel)}
              src=${this._url}
              allow=${allow}
              sandbox="allow-scripts allow-forms allow-same-origin"
              referrerpolicy="origin"
              title=${t.title(name, flow)}
              @load=${() => this._onLoad(run)}
            ></iframe>`,
          )
        : nothing}`;
  }
}
