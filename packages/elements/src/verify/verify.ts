import { html, nothing, type PropertyValues } from 'lit';
import type { InspectionReport } from '@esign-kit/verify';
import { EsignElement } from '../internal/element.js';
import { fire } from '../internal/events.js';
import { LocalizeController } from '../internal/localize.js';
import { RunController } from '../internal/run-controller.js';
import { ServerClient, ServerError } from '../internal/server-client.js';
import { compareReports, localConclusion, matchSignatures } from './compare.js';
import type { DescribedDisagreement, EsignVerifiedDetail, EsignVerifyErrorDetail } from './events.js';
import { checkLocally } from './local-check.js';
import { isPdfInput, readSource, sourceOf, type PdfInput, type Source, type TrustedRootInput } from './input.js';
import { askProvider, providerName } from './provider.js';
import { formatDate, renderCard, renderSummary, type ReportView } from './report-view.js';
import { VERIFY_STRINGS } from './strings.js';
import { TrustRoots, type TrustInfo } from './trust-roots.js';
import { verifyStyles } from './verify.styles.js';

export type { PdfInput, TrustedRootInput } from './input.js';

/**
 * `idle` (nothing to show), `checking` (reading and checking the file here), `password` (waiting for the PDF's
 * password), `asking` (the local result is shown, the provider's is awaited), `done`, `error` (bad input).
 */
export type VerifyStatus = 'idle' | 'checking' | 'password' | 'asking' | 'done' | 'error';

/** A server's refusal as the element reports it: no answer, no provider configured, or (any other) `otherwise`. */
const serverCode = (error: ServerError, otherwise: string): string =>
  error.code === 'network-error' || error.code === 'provider-not-configured' ? error.code : otherwise;

/**
 * Checks the signatures of a PDF in the browser (@esign-kit/verify) and, unless told not to, with the provider
 * through the companion server (POST /api/verify); shows each signature as a card, the provider's word beside
 * the local one, and where they disagree.
 *
 * @summary Signature verification of a PDF, local first, then the provider's.
 *
 * @fires {CustomEvent<EsignVerifiedDetail>} esign-verified - A check finished: `{ local, provider?, providerError?, disagreements }`.
 * @fires {CustomEvent<EsignVerifyErrorDetail>} esign-error - Bad input, a trust list or a provider call that failed: `{ code, message, stage, status?, providerCode? }`.
 *
 * @csspart dropzone - The drop zone and file picker.
 * @csspart status - The progress line.
 * @csspart error - The message for bad input.
 * @csspart password - The password form of an encrypted PDF.
 * @csspart summary - The banner with the document's conclusion, the trust list and the provider's result.
 * @csspart disagreements - The list of disagreements between the local check and the provider.
 * @csspart card - One signature.
 * @csspart badge - A status badge (text and colour).
 * @csspart provider - The provider's word on one signature.
 * @csspart details - A signature's certificate and technical details.
 *
 * @cssproperty --esign-verify-accent - Links, buttons and focus rings (default: `--esign-accent`).
 * @cssproperty --esign-verify-border - Borders (default: `--esign-border`).
 * @cssproperty --esign-verify-background - Background (default: `--esign-background`).
 * @cssproperty --esign-verify-color - Text colour (default: `--esign-color`).
 * @cssproperty --esign-verify-valid - Colour of "valid".
 * @cssproperty --esign-verify-untrusted - Colour of "valid but untrusted".
 * @cssproperty --esign-verify-modified - Colour of "modified after signing" and of disagreements.
 * @cssproperty --esign-verify-invalid - Colour of "invalid" and of errors (default: `--esign-error`).
 * @cssproperty --esign-verify-neutral - Secondary text, "no signature" and "cannot be checked".
 * @cssproperty --esign-accent - Design token shared by the kit's elements: buttons, links, focus rings (default #0b57d0).
 * @cssproperty --esign-border - Design token: borders and separators (default #c9d1dd).
 * @cssproperty --esign-background - Design token: the element's background (default #fff).
 * @cssproperty --esign-color - Design token: text (default #1d2433).
 * @cssproperty --esign-error - Design token: error messages (default #a40000).
 * @cssproperty --esign-font-family - Design token: the text's font family (default `system-ui, sans-serif`).
 */
export class EsignVerify extends EsignElement {
  static override styles = verifyStyles;

  static override properties = {
    server: { type: String },
    token: { type: String },
    localOnly: { type: Boolean, attribute: 'local-only', reflect: true },
    src: { type: String, reflect: true },
    data: { attribute: false },
    trustedRoots: { attribute: false },
    password: { attribute: false },
    _status: { state: true },
    _result: { state: true },
    _error: { state: true },
    _trust: { state: true },
    _over: { state: true },
  };

  /** The companion server's base URL; without it (or with `local-only`) nothing is uploaded. */
  declare server: string;
  /** A portal token for POST /api/verify. */
  declare token: string;
  /** Check in the browser only: the file is never uploaded (the server's trust list is still used). */
  declare localOnly: boolean;
  /** URL of a PDF to check. */
  declare src: string;
  /** The PDF's bytes, instead of `src` (your buffer is not consumed). */
  declare data: PdfInput | null;
  /** Roots to trust (PEM or DER). `null` (default): the server's `GET api/trust/roots`, or none without a server. */
  declare trustedRoots: readonly TrustedRootInput[] | null;
  /** The password of an encrypted PDF (the element also asks for it itself). */
  declare password: string | undefined;

  declare private _status: VerifyStatus;
  declare private _result: EsignVerifiedDetail | null;
  declare private _error: EsignVerifyErrorDetail | null;
  declare private _trust: TrustInfo | null;
  declare private _over: boolean;

  private readonly _runs = new RunController(this);
  private readonly _localize = new LocalizeController(this, VERIFY_STRINGS);
  private readonly _trustRoots = new TrustRoots();
  private _source: Source | null = null;

  constructor() {
    super();
    this.server = '';
    this.token = '';
    this.localOnly = false;
    this.src = '';
    this.data = null;
    this.trustedRoots = null;
    this.password = undefined;
    this._status = 'idle';
    this._result = null;
    this._error = null;
    this._trust = null;
    this._over = false;
  }

  // ── Public API ────────────────────────────────────────────────────────────────────────────────────

  get status(): VerifyStatus {
    return this._status;
  }

  /** What is shown: the local report at once, the provider's and the disagreements when they arrive. */
  get report(): EsignVerifiedDetail | null {
    return this._result;
  }

  /**
   * Checks a PDF: `file` (a File, Blob, ArrayBuffer or Uint8Array), else `data`, else `src`. Resolves with what
   * `esign-verified` carries, or null (bad input, a password is needed, or another check started); never rejects.
   */
  async verify(file?: PdfInput): Promise<EsignVerifiedDetail | null> {
    const run = this._begin();
    this._status = 'checking';
    try {
      let read: Source | Awaited<ReturnType<typeof readSource>>;
      if (file !== undefined) read = isPdfInput(file) ? await sourceOf(file) : { code: 'invalid-input' };
      else read = await readSource(this.data, this.src, this._runs.signal);
      if (!this._runs.isCurrent(run)) return null;
      if (!read) {
        if (this._status === 'checking') this._status = 'idle'; // nothing to check
        return null;
      }
      if ('code' in read)
        return this._fail(run, { code: read.code, stage: 'input', ...(read.status !== undefined ? { status: read.status } : {}) }, read.detail);
      this._source = read;
      return await this._check(run);
    } catch (err) {
      return this._failFrom(run, err, 'input');
    }
  }

  /** Forgets the file, its password and the result (`src` and `data` are left as they are). */
  reset(): void {
    this._begin();
    this._source = null;
    this.password = undefined;
    this._status = 'idle';
    const input = this.renderRoot?.querySelector<HTMLInputElement>('input[type=file]');
    if (input) input.value = '';
  }

  // ── Lifecycle ─────────────────────────────────────────────────────────────────────────────────────

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated && this._status === 'idle' && (this.src || this.data)) void this.verify();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // A check cut short starts again (from src/data) when the element comes back.
    if (this._status === 'checking' || this._status === 'asking') {
      this._begin();
      this._status = 'idle';
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if ((changed.has('src') || changed.has('data')) && (this.src || this.data)) void this.verify();
    // A password given while the element waits for one (its own form, or the property) opens the file.
    else if (changed.has('password') && this.password !== undefined && this._status === 'password' && this._source) this._recheck();
  }

  // ── The check ─────────────────────────────────────────────────────────────────────────────────────

  /** A new check: the previous one is aborted, its result forgotten. */
  private _begin(): number {
    this._result = null;
    this._error = null;
    this._trust = null;
    return this._runs.begin();
  }

  /** The same file again (with a password now). */
  private _recheck(): void {
    const run = this._begin();
    void this._check(run).catch((err: unknown) => this._failFrom(run, err, 'input'));
  }

  /** The companion server, when there is one. */
  private get _server(): ServerClient | null {
    return this.server ? new ServerClient(this.server, this.token) : null;
  }

  /** Whether the file goes to the provider. */
  private get _uploads(): boolean {
    return !!this.server && !this.localOnly;
  }

  /** Reads the file here; then, if allowed and signed, asks the provider. Bad input ends with esign-error. */
  private async _check(run: number): Promise<EsignVerifiedDetail | null> {
    const source = this._source!;
    const t = this._localize.t;
    this._status = 'checking';
    this.announce(t.checking);
    const { roots, trust, error } = await this._trustRoots.resolve(this.trustedRoots, this._server, this._runs.signal);
    if (!this._runs.isCurrent(run)) return null;
    this._trust = trust;
    if (error) {
      const detail: EsignVerifyErrorDetail = { code: serverCode(error, 'http-error'), message: `${t.trustListFailed} ${error.message}`, stage: 'trust' };
      if (error.status !== undefined) detail.status = error.status;
      fire(this, 'esign-error', detail);
    }
    const checked = await checkLocally(source.bytes, roots, this.password, this._runs.signal);
    if (!checked || !this._runs.isCurrent(run)) return null;
    if ('failure' in checked) {
      const { code, detail, password } = checked.failure;
      return this._fail(run, { code, stage: 'input' }, detail, password ? 'password' : 'error');
    }
    const local = checked.report;
    this._result = { local, disagreements: [] };
    const ask = this._uploads && local.status === 'signed';
    this._status = ask ? 'asking' : 'done';
    this.announce(t.headline(localConclusion(local)!, local.signatures.length));
    if (ask && !(await this._ask(run, local, source))) return null;
    this._status = 'done';
    return this._finish(run);
  }

  /** The provider's word, compared with the local report; a failure is reported and shown. False: the run is over. */
  private async _ask(run: number, local: InspectionReport, source: Source): Promise<boolean> {
    const t = this._localize.t;
    try {
      const provider = await askProvider(this._server!, source, this.password, this._runs.signal);
      if (!this._runs.isCurrent(run)) return false;
      const name = providerName(provider);
      const disagreements: DescribedDisagreement[] = compareReports(local, provider).map((d) => ({ ...d, message: t.disagreement(d, name) }));
      this._result = { local, provider, disagreements };
      const word = t.word[provider.conclusion];
      this.announce(disagreements.length ? `${t.disagrees(name, word)} ${disagreements.map((d) => d.message).join(' ')}` : t.agrees(name, word));
    } catch (err) {
      if (!this._runs.isCurrent(run) || (err as Error)?.name === 'AbortError') return false;
      const e = err instanceof ServerError ? err : new ServerError('provider-error', String((err as Error)?.message ?? err));
      const code = serverCode(e, 'provider-error');
      const detail: EsignVerifyErrorDetail = { code, message: this._message(code, e.message, e.status), stage: 'provider' };
      if (e.status !== undefined) detail.status = e.status;
      if (e.provider?.code) detail.providerCode = e.provider.code;
      this._result = { local, providerError: detail, disagreements: [] };
      this.announce(`${t.providerFailed(providerName())} ${detail.message}`);
      fire(this, 'esign-error', detail);
    }
    return true;
  }

  private _finish(run: number): EsignVerifiedDetail | null {
    if (!this._runs.isCurrent(run) || !this._result) return null;
    fire<EsignVerifiedDetail>(this, 'esign-verified', this._result);
    return this._result;
  }

  private _message(code: string, extra?: string, status?: number): string {
    const t = this._localize.t;
    return [t.errors[code] ?? t.errors['inspect-failed'], extra, status !== undefined ? t.httpStatus(status) : ''].filter(Boolean).join(' ');
  }

  private _fail(run: number, detail: Omit<EsignVerifyErrorDetail, 'message'>, extra?: string, status: 'error' | 'password' = 'error'): null {
    if (!this._runs.isCurrent(run)) return null;
    const full: EsignVerifyErrorDetail = { ...detail, message: this._message(detail.code, extra, detail.status) };
    this._status = status;
    this._error = full;
    this._result = null;
    fire(this, 'esign-error', full);
    return null;
  }

  private _failFrom(run: number, err: unknown, stage: EsignVerifyErrorDetail['stage']): null {
    if (!this._runs.isCurrent(run) || (err as Error)?.name === 'AbortError') return null;
    return this._fail(run, { code: 'inspect-failed', stage }, String((err as Error)?.message ?? err));
  }

  // ── Input ─────────────────────────────────────────────────────────────────────────────────────────

  /** The form's password: checked again at once, also when the same (wrong) password is sent twice. */
  private _submitPassword(password: string): void {
    if (!this._source) return;
    this.password = password;
    this._recheck();
  }

  private _picked(file: File | undefined): void {
    if (!file) return;
    this.password = undefined; // a new file: its own password, if any
    void this.verify(file);
  }

  private _onDrop(e: DragEvent): void {
    e.preventDefault();
    this._over = false;
    this._picked(e.dataTransfer?.files?.[0]);
  }

  private _onDragOver(e: DragEvent): void {
    if (![...(e.dataTransfer?.types ?? [])].includes('Files')) return;
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    this._over = true;
  }

  // ── Rendering ─────────────────────────────────────────────────────────────────────────────────────

  protected override render() {
    const t = this._localize.t;
    return html`<div
      class="root"
      @dragover=${(e: DragEvent) => this._onDragOver(e)}
      @dragleave=${() => (this._over = false)}
      @drop=${(e: DragEvent) => this._onDrop(e)}
    >
      <label class="dropzone" part="dropzone" ?data-over=${this._over}>
        <input
          class="visually-hidden"
          type="file"
          accept="application/pdf,.pdf"
          @change=${(e: Event) => this._picked((e.target as HTMLInputElement).files?.[0])}
        />
        <span>${t.dropzone}</span>
        <span class="choose" aria-hidden="true">${t.choose}</span>
      </label>
      ${this._renderState()}
      <div class="live visually-hidden" role="status" aria-live="polite"></div>
    </div>`;
  }

  private _renderState() {
    const t = this._localize.t;
    const s = this._status;
    if (s === 'checking') return html`<p class="status" part="status">${t.checking}</p>`;
    if (s === 'password') {
      return html`<form class="password" part="password" @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        this._submitPassword(String(new FormData(e.target as HTMLFormElement).get('password') ?? ''));
      }}>
        <p role="alert" class=${this._error?.code === 'password-incorrect' ? 'error' : ''}>${this._error?.message}</p>
        <label>${t.labels.password} <input type="password" name="password" autocomplete="off" required /></label>
        <button type="submit">${t.labels.submit}</button>
      </form>`;
    }
    if (s === 'error' && this._error) return html`<p class="error" part="error" role="alert">${this._error.message}</p>`;
    if (!this._result) return nothing;
    const result = this._result;
    const { local, provider } = result;
    const lang = this.language;
    const view: ReportView = { t, date: (d) => formatDate(lang, d), provider, trust: this._trust, asking: s === 'asking', uploads: this._uploads };
    const pairs = provider ? matchSignatures(local.signatures, provider.signatures) : [];
    return html`${renderSummary(view, result)}
      ${
        local.signatures.length
          ? html`<ol class="cards">
            ${local.signatures.map((sig, i) => {
              const j = pairs.find(([a]) => a === i)?.[1];
              return renderCard(view, sig, j === undefined ? undefined : provider!.signatures[j], result.disagreements);
            })}
          </ol>`
          : nothing
      }`;
  }
}
