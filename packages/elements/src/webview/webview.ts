import { html, nothing, type PropertyValues } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { ChannelGuard, createChannelId, frameNameFor, type BridgeEvent, type Flow, type Provider } from '@esign-kit/bridge';
import { EsignElement } from '../internal/element.js';
import { fire } from '../internal/events.js';
import { LocalizeController } from '../internal/localize.js';
import { RunController } from '../internal/run-controller.js';
import { ServerClient, ServerError } from '../internal/server-client.js';
import type {
  EsignWebviewCancelDetail,
  EsignWebviewCompleteDetail,
  EsignWebviewDebugDetail,
  EsignWebviewErrorDetail,
  EsignWebviewReadyDetail,
  EsignWebviewTimeoutDetail,
} from './events.js';
import { confirmOutcome, missingAttribute, readMessage, webviewRequest, type FlowTarget } from './messages.js';
import { WEBVIEW_STRINGS } from './strings.js';
import { webviewStyles } from './webview.styles.js';

export type WebviewStatus = 'idle' | 'loading' | 'open' | 'confirming' | 'done' | 'cancelled' | 'error' | 'timeout';

/** 15 minutes: longer than any provider session (a Peruri OTP lives 5 minutes, a Digisign link 30). */
const DEFAULT_TIMEOUT_MS = 15 * 60 * 1000;
/** The codes the element passes on; any other refusal of the server's is an `http-error`. */
const KNOWN_CODES = new Set(['network-error', 'provider-not-configured', 'not-confirmed', 'origin-mismatch']);

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
 * @cssproperty --esign-webview-height - Height of the element (default 640px).
 * @cssproperty --esign-webview-accent - Colour of the buttons and focus rings (default: `--esign-accent`).
 * @cssproperty --esign-webview-border - Border colour (default: `--esign-border`).
 * @cssproperty --esign-webview-background - Background (default: `--esign-background`).
 * @cssproperty --esign-webview-color - Text colour (default: `--esign-color`).
 * @cssproperty --esign-webview-status-background - Background of the status bar (default: `--esign-surface`).
 * @cssproperty --esign-webview-error-color - Colour of error and timeout messages (default: `--esign-error`).
 * @cssproperty --esign-accent - Design token shared by the kit's elements: buttons, links, focus rings (default #0b57d0).
 * @cssproperty --esign-border - Design token: borders and separators (default #c9d1dd).
 * @cssproperty --esign-background - Design token: the element's background (default #fff).
 * @cssproperty --esign-color - Design token: text (default #1d2433).
 * @cssproperty --esign-surface - Design token: toolbars and status bars (default #f6f8fb).
 * @cssproperty --esign-error - Design token: error messages (default #a40000).
 * @cssproperty --esign-font-family - Design token: the text's font family (default `system-ui, sans-serif`).
 */
export class EsignWebview extends EsignElement {
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

  declare private _status: WebviewStatus;
  declare private _url: string | null;
  declare private _channel: string | null;
  declare private _error: EsignWebviewErrorDetail | null;

  /** Messages this element ignored (wrong origin or source, unreadable, foreign channel, replayed, late). */
  ignoredMessages = 0;

  private readonly _runs = new RunController(this);
  private readonly _localize = new LocalizeController(this, WEBVIEW_STRINGS);
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
    if (this._status === 'idle')
      queueMicrotask(() => {
        if (this.isConnected && this._status === 'idle') void this.start();
      });
  }

  override disconnectedCallback(): void {
    // The run's requests are aborted by its controller; the timer is the element's.
    super.disconnectedCallback();
    if (this._listening) {
      window.removeEventListener('message', this._onMessage);
      this._listening = false;
    }
    this._clearTimer();
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
    this._clearTimer();
    const run = this._runs.begin();
    this._status = 'loading';
    this._url = null;
    this._error = null;
    this._readyFired = false;
    const provider = String(this.provider);
    const flow = String(this.flow);
    if (!isProvider(provider) || !isFlow(flow)) return this._fail(run, 'invalid-attributes', `Unknown provider "${provider}" or flow "${flow}".`);
    const target = this._target(provider, flow);
    const missing = missingAttribute(target);
    if (missing) return this._fail(run, 'invalid-attributes', `${missing} is required for ${provider} ${flow}.`);
    const channel = createChannelId();
    if (this._guard) this._guard.renew(channel);
    else this._guard = new ChannelGuard(channel);
    try {
      const server = this._server;
      const { signal } = this._runs;
      const described = await server.request<{ providers?: Record<string, { configured?: boolean; webViewOrigin?: string | null }> }>('GET', 'api/providers', {
        signal,
      });
      const announced = described?.providers?.[provider];
      if (!announced?.configured || !announced.webViewOrigin) throw new ServerError('provider-not-configured', `${provider} is not configured on the server.`);
      const view = await server.request<{ url?: string }>('POST', 'api/webviews', { body: webviewRequest(target), signal });
      if (!this._runs.isCurrent(run)) return;
      const url = new URL(String(view?.url));
      if (url.origin !== announced.webViewOrigin)
        throw new ServerError('origin-mismatch', `The web view is on ${url.origin}, not on ${announced.webViewOrigin}.`);
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
    this._close('cancelled');
    fire<EsignWebviewCancelDetail>(this, 'esign-cancel', { provider: this.provider, flow: this.flow, by: 'user' });
  }

  private _target(provider: Provider, flow: Flow): FlowTarget {
    return { provider, flow, orderId: this.orderId, documentId: this.documentId, email: this.email, viewOnly: this.viewOnly };
  }

  /** The companion server: the API, and the origin of our own Digisign landing page (the redirect target). */
  private get _server(): ServerClient {
    return new ServerClient(this.server || '/', this.token);
  }

  private _clearTimer(): void {
    if (this._timer !== null) clearTimeout(this._timer);
    this._timer = null;
  }

  /** Ends the run (cancelled, timed out): the page closes and whatever the run still awaits is dropped. */
  private _close(status: 'cancelled' | 'timeout'): void {
    this._clearTimer();
    this._runs.end();
    this._status = status;
    this._url = null;
  }

  private _failFrom(run: number, err: unknown): void {
    if (!this._runs.isCurrent(run) || (err as Error)?.name === 'AbortError') return;
    if (!(err instanceof ServerError)) return this._fail(run, 'http-error', String((err as Error)?.message ?? err));
    const code = KNOWN_CODES.has(err.code) ? err.code : 'http-error';
    const message = code === 'network-error' ? `The server could not be reached: ${err.message}` : err.message;
    this._fail(run, code, message, err.status, err.provider?.code || undefined);
  }

  private _fail(run: number, code: string, message: string, status?: number, providerCode?: string): void {
    if (!this._runs.isCurrent(run)) return;
    this._runs.abort();
    this._clearTimer();
    this._status = 'error';
    this._url = null;
    const detail: EsignWebviewErrorDetail = { code, message };
    if (status !== undefined) detail.status = status;
    if (providerCode !== undefined) detail.providerCode = providerCode;
    this._error = detail;
    fire(this, 'esign-error', detail);
  }

  private _onTimeout(run: number): void {
    if (!this._runs.isCurrent(run) || this._status !== 'open') return;
    this._close('timeout');
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
    const run = this._runs.id;
    const outcome = readMessage(event.origin, event.data, {
      provider: this.provider,
      flow: this.flow,
      webViewOrigin: this._origin,
      serverOrigin: this._server.base.origin,
      email: this.email,
      guard: this._guard!,
    });
    if (outcome.kind === 'ignore') return this._ignore(outcome.reason, event.origin);
    if (outcome.kind === 'fail') return this._fail(run, outcome.code, outcome.message, undefined, outcome.providerCode);
    const parsed = outcome.event;
    if (parsed.type === 'cancel') {
      this._close('cancelled');
      fire<EsignWebviewCancelDetail>(this, 'esign-cancel', { provider: this.provider, flow: this.flow, by: 'provider' });
      return;
    }
    if (parsed.type !== 'complete') {
      const message = parsed.providerMessage ?? this._localize.strings('en').errors['provider-error']!;
      return this._fail(run, 'provider-error', message, undefined, parsed.providerCode);
    }
    void this._confirm(run, parsed);
  }

  /** The page's word is not final: the server confirms the outcome for the signer this element was opened for. */
  private async _confirm(run: number, event: BridgeEvent): Promise<void> {
    this._clearTimer();
    this._status = 'confirming';
    try {
      const result = await confirmOutcome(this._server, this._target(this.provider, this.flow), event, {
        signal: this._runs.signal,
        stale: () => !this._runs.isCurrent(run),
      });
      if (!this._runs.isCurrent(run)) return;
      if (!result) throw new ServerError('not-confirmed', this._localize.strings('en').errors['not-confirmed']!);
      this._runs.abort();
      this._status = 'done';
      this._url = null;
      fire<EsignWebviewCompleteDetail>(this, 'esign-complete', { provider: this.provider, flow: this.flow, result, confirmed: true });
    } catch (err) {
      this._failFrom(run, err);
    }
  }

  private _onLoad(run: number): void {
    if (!this._runs.isCurrent(run) || this._readyFired || this._status !== 'open') return;
    this._readyFired = true;
    fire<EsignWebviewReadyDetail>(this, 'esign-ready', { provider: this.provider, flow: this.flow, origin: this._origin });
  }

  protected override render() {
    const t = this._localize.t;
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
    const run = this._runs.id;
    // e-KYC (Peruri activation) needs the camera, for the provider's origin only; nothing else gets a feature.
    const allow = this.provider === 'peruri' && flow === 'activation' ? `camera ${this._origin}` : "camera 'none'; microphone 'none'";
    return html`<div class="status" part="status" data-state=${s} role="status" aria-live="polite">
        <span class="text">${text}</span>
        ${s === 'loading' || s === 'open' ? html`<button part="cancel" class="cancel" @click=${() => this.cancel()}>${t.cancel}</button>` : nothing}
        ${s === 'error' || s === 'timeout' || s === 'cancelled' ? html`<button part="retry" class="retry" @click=${() => void this.retry()}>${t.retry}</button>` : nothing}
      </div>
      ${
        this._url && this._channel && (s === 'open' || s === 'confirming')
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
          : nothing
      }`;
  }
}
