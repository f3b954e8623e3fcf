import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type { CertificateInfo, InspectionReport, SignatureReport } from '@esign-kit/verify';
import { fire } from '../placer/events.js';
import { languageOf } from '../placer/strings.js';
import { compareReports, localConclusion, matchSignatures, providerVerdict, type ProviderReport, type ProviderSignature } from './compare.js';
import type { DescribedDisagreement, EsignVerifiedDetail, EsignVerifyErrorDetail } from './events.js';
import { VERIFY_STRINGS, reasonsFor, type Language, type VerifyStrings } from './strings.js';
import { verifyStyles } from './verify.styles.js';

/**
 * `idle` (nothing to show), `checking` (reading and checking the file here), `password` (waiting for the PDF's
 * password), `asking` (the local result is shown, the provider's is awaited), `done`, `error` (bad input).
 */
export type VerifyStatus = 'idle' | 'checking' | 'password' | 'asking' | 'done' | 'error';
/** A trusted root: PEM text (one or several certificates) or DER bytes. */
export type TrustedRootInput = string | Uint8Array | ArrayBuffer;
export type PdfInput = Blob | ArrayBuffer | Uint8Array;

interface Source {
  bytes: Uint8Array;
  name: string;
}

interface TrustInfo {
  count: number;
  source: 'server' | 'page' | 'none';
  /** The server's list could not be loaded. */
  failed: boolean;
}

class RequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
    readonly providerCode?: string,
  ) {
    super(message);
  }
}

/**
 * @esign-kit/verify is loaded when the first file is checked, not with the page: a small client that runs the
 * inspection (pkijs, asn1js) in a Web Worker, or on the main thread where no worker can start.
 */
let verifyModule: Promise<typeof import('@esign-kit/verify/worker')> | undefined;
const loadVerify = () => (verifyModule ??= import('@esign-kit/verify/worker').catch((err: unknown) => {
  verifyModule = undefined;
  throw err;
}));

const isPdfInput = (v: unknown): v is PdfInput => v instanceof Blob || v instanceof ArrayBuffer || v instanceof Uint8Array;
const GLYPH: Record<string, string> = { valid: '✓', 'valid-untrusted': '!', 'modified-after-signing': '✎', invalid: '✗', unknown: '?', 'no-signature': '–' };
const INPUT_ERRORS: Record<string, string> = {
  NOT_A_PDF: 'not-a-pdf',
  TRUNCATED: 'truncated',
  DAMAGED: 'damaged',
  INVALID_INPUT: 'invalid-input',
  ENCRYPTION_UNSUPPORTED: 'encryption-unsupported',
  PASSWORD_REQUIRED: 'password-required',
  PASSWORD_INCORRECT: 'password-incorrect',
  TOO_COMPLEX: 'too-complex',
};

/** A copy of the caller's bytes: the inspection and the upload never touch the caller's buffer. */
async function bytesOf(input: PdfInput): Promise<Uint8Array> {
  if (input instanceof Blob) return new Uint8Array(await input.arrayBuffer());
  return input instanceof Uint8Array ? new Uint8Array(input) : new Uint8Array(input.slice(0));
}

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
 * @cssproperty --esign-verify-accent - Links, buttons and focus rings.
 * @cssproperty --esign-verify-border - Borders.
 * @cssproperty --esign-verify-background - Background.
 * @cssproperty --esign-verify-color - Text colour.
 * @cssproperty --esign-verify-valid - Colour of "valid".
 * @cssproperty --esign-verify-untrusted - Colour of "valid but untrusted".
 * @cssproperty --esign-verify-modified - Colour of "modified after signing" and of disagreements.
 * @cssproperty --esign-verify-invalid - Colour of "invalid" and of errors.
 * @cssproperty --esign-verify-neutral - Secondary text, "no signature" and "cannot be checked".
 */
export class EsignVerify extends LitElement {
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

  private declare _status: VerifyStatus;
  private declare _result: EsignVerifiedDetail | null;
  private declare _error: EsignVerifyErrorDetail | null;
  private declare _trust: TrustInfo | null;
  private declare _over: boolean;

  private _run = 0;
  private _abort: AbortController | null = null;
  private _source: Source | null = null;
  private _rootsCache: { url: string; roots: Promise<string[]> } | null = null;

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
      let source: Source | null;
      if (file !== undefined) {
        if (!isPdfInput(file)) return this._fail(run, { code: 'invalid-input', stage: 'input' });
        source = { bytes: await bytesOf(file), name: file instanceof File && file.name ? file.name : 'document.pdf' };
      } else source = await this._read(run);
      if (run !== this._run) return null;
      if (!source) {
        if (this._status === 'checking') this._status = 'idle'; // nothing to check (or _read said why)
        return null;
      }
      this._source = source;
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
    else if (changed.has('password') && this.password !== undefined && this._status === 'password' && this._source) {
      const run = this._begin();
      void this._check(run).catch((err: unknown) => this._failFrom(run, err, 'input'));
    }
  }

  // ── The check ─────────────────────────────────────────────────────────────────────────────────────

  private _begin(): number {
    this._abort?.abort();
    this._abort = new AbortController();
    this._result = null;
    this._error = null;
    this._trust = null;
    return ++this._run;
  }

  private get _t(): VerifyStrings {
    return VERIFY_STRINGS[this._lang];
  }

  private get _lang(): Language {
    return languageOf(this);
  }

  private get _serverBase(): URL | null {
    if (!this.server) return null;
    const base = new URL(this.server, location.href);
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    return base;
  }

  private get _uploads(): boolean {
    return !!this.server && !this.localOnly;
  }

  /** The PDF from `data` or `src`. */
  private async _read(run: number): Promise<Source | null> {
    if (this.data) {
      if (!isPdfInput(this.data)) return this._fail(run, { code: 'invalid-input', stage: 'input' });
      return { bytes: await bytesOf(this.data), name: this.data instanceof File && this.data.name ? this.data.name : 'document.pdf' };
    }
    if (!this.src) return null;
    const url = new URL(this.src, document.baseURI);
    let res: Response;
    try {
      res = await fetch(url, { signal: this._abort!.signal });
    } catch (err) {
      if ((err as Error)?.name === 'AbortError') return null;
      return this._fail(run, { code: 'network-error', stage: 'input' }, String((err as Error)?.message ?? err));
    }
    if (!res.ok) return this._fail(run, { code: 'http-error', stage: 'input', status: res.status });
    const name = decodeURIComponent(url.pathname.split('/').pop() || '') || 'document.pdf';
    return { bytes: new Uint8Array(await res.arrayBuffer()), name };
  }

  /** The roots to trust: the page's, else the server's list (fetched once), else none. */
  private async _roots(run: number): Promise<(string | Uint8Array)[]> {
    if (this.trustedRoots) {
      const roots = [...this.trustedRoots].map((r) => (r instanceof ArrayBuffer ? new Uint8Array(r) : r));
      this._trust = { count: roots.length, source: roots.length ? 'page' : 'none', failed: false };
      return roots;
    }
    const base = this._serverBase;
    if (!base) {
      this._trust = { count: 0, source: 'none', failed: false };
      return [];
    }
    const url = new URL('api/trust/roots', base).href;
    if (this._rootsCache?.url !== url) this._rootsCache = { url, roots: this._fetchRoots(url) };
    try {
      const roots = await this._rootsCache.roots;
      this._trust = { count: roots.length, source: roots.length ? 'server' : 'none', failed: false };
      return roots;
    } catch (err) {
      this._rootsCache = null; // asked again next time
      if (run === this._run) {
        this._trust = { count: 0, source: 'none', failed: true };
        const e = err instanceof RequestError ? err : new RequestError('network-error', String(err));
        const detail: EsignVerifyErrorDetail = { code: e.code, message: `${this._t.trustListFailed} ${e.message}`, stage: 'trust' };
        if (e.status !== undefined) detail.status = e.status;
        fire(this, 'esign-error', detail);
      }
      return [];
    }
  }

  private async _fetchRoots(url: string): Promise<string[]> {
    const body = (await this._request(url, { method: 'GET' })) as { roots?: { pem?: unknown }[] } | null;
    if (!Array.isArray(body?.roots)) throw new RequestError('http-error', 'The server answered without a list of roots.');
    return body.roots.map((r) => r.pem).filter((pem): pem is string => typeof pem === 'string');
  }

  /** Reads the file here; then, if allowed and signed, asks the provider. Bad input ends with esign-error. */
  private async _check(run: number): Promise<EsignVerifiedDetail | null> {
    const source = this._source!;
    this._status = 'checking';
    this._announce(this._t.checking);
    const roots = await this._roots(run);
    if (run !== this._run) return null;
    const { inspectInWorker } = await loadVerify();
    if (run !== this._run) return null;
    let local: InspectionReport;
    try {
      // In a Web Worker: a hostile or huge file never freezes the page, and a new check (or reset) ends it.
      local = await inspectInWorker(source.bytes, {
        trustedRoots: roots,
        signal: this._abort!.signal,
        ...(this.password !== undefined ? { password: this.password } : {}),
      });
    } catch (err) {
      if ((err as Error)?.name === 'AbortError') return null;
      // inspectPdf throws only for roots that are not certificates (a caller's mistake): say so.
      const code = err instanceof TypeError && /trusted root/i.test(err.message) ? 'invalid-trusted-roots' : 'inspect-failed';
      return this._fail(run, { code, stage: 'input' }, (err as Error)?.message);
    }
    if (run !== this._run) return null;
    if (local.error && local.status !== 'no-signature') {
      const code = INPUT_ERRORS[local.error.code] ?? 'damaged';
      const waiting = code === 'password-required' || code === 'password-incorrect';
      return this._fail(run, { code, stage: 'input' }, undefined, waiting ? 'password' : 'error');
    }

    const t = this._t;
    const conclusion = localConclusion(local)!;
    this._result = { local, disagreements: [] };
    const ask = this._uploads && local.status === 'signed';
    this._status = ask ? 'asking' : 'done';
    this._announce(t.headline(conclusion, local.signatures.length));
    if (!ask) return this._finish(run);

    try {
      const provider = await this._askProvider(source);
      if (run !== this._run) return null;
      const name = providerName(provider);
      const disagreements: DescribedDisagreement[] = compareReports(local, provider).map((d) => ({ ...d, message: t.disagreement(d, name) }));
      this._result = { local, provider, disagreements };
      const word = t.word[provider.conclusion];
      this._announce(disagreements.length ? `${t.disagrees(name, word)} ${disagreements.map((d) => d.message).join(' ')}` : t.agrees(name, word));
    } catch (err) {
      if (run !== this._run || (err as Error)?.name === 'AbortError') return null;
      const e = err instanceof RequestError ? err : new RequestError('provider-error', String((err as Error)?.message ?? err));
      const code = e.code === 'network-error' || e.code === 'provider-not-configured' ? e.code : 'provider-error';
      const detail: EsignVerifyErrorDetail = { code, message: this._message(code, e.message, e.status), stage: 'provider' };
      if (e.status !== undefined) detail.status = e.status;
      if (e.providerCode !== undefined) detail.providerCode = e.providerCode;
      this._result = { local, providerError: detail, disagreements: [] };
      this._announce(`${t.providerFailed(providerName())} ${detail.message}`);
      fire(this, 'esign-error', detail);
    }
    this._status = 'done';
    return this._finish(run);
  }

  private _finish(run: number): EsignVerifiedDetail | null {
    if (run !== this._run || !this._result) return null;
    fire<EsignVerifiedDetail>(this, 'esign-verified', this._result);
    return this._result;
  }

  private async _askProvider(source: Source): Promise<ProviderReport> {
    const form = new FormData();
    form.append('file', new Blob([source.bytes as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), source.name);
    if (this.password !== undefined) form.append('password', this.password);
    const body = (await this._request(new URL('api/verify', this._serverBase!).href, { method: 'POST', body: form })) as Partial<ProviderReport> | null;
    if (!body || typeof body.conclusion !== 'string' || !Array.isArray(body.signatures)) {
      throw new RequestError('provider-error', 'The server answered without a verification report.');
    }
    return { ...body, notes: Array.isArray(body.notes) ? body.notes : [], signatureCount: Number(body.signatureCount ?? body.signatures.length) } as ProviderReport;
  }

  private async _request(url: string, init: RequestInit): Promise<unknown> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let res: Response;
    try {
      res = await fetch(url, { ...init, headers, signal: this._abort!.signal });
    } catch (err) {
      if ((err as Error)?.name === 'AbortError') throw err;
      throw new RequestError('network-error', String((err as Error)?.message ?? err));
    }
    const data = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string; provider?: { code?: string } } } | null;
    if (!res.ok) {
      const code = data?.error?.code === 'provider-not-configured' ? 'provider-not-configured' : 'http-error';
      throw new RequestError(code, data?.error?.message ?? `HTTP ${res.status}`, res.status, data?.error?.provider?.code || undefined);
    }
    return data;
  }

  private _message(code: string, extra?: string, status?: number): string {
    const t = this._t;
    return [t.errors[code] ?? t.errors['inspect-failed'], extra, status !== undefined ? t.httpStatus(status) : ''].filter(Boolean).join(' ');
  }

  private _fail(run: number, detail: Omit<EsignVerifyErrorDetail, 'message'>, extra?: string, status: 'error' | 'password' = 'error'): null {
    if (run !== this._run) return null;
    const full: EsignVerifyErrorDetail = { ...detail, message: this._message(detail.code, extra, detail.status) };
    this._status = status;
    this._error = full;
    this._result = null;
    fire(this, 'esign-error', full);
    return null;
  }

  private _failFrom(run: number, err: unknown, stage: EsignVerifyErrorDetail['stage']): null {
    if (run !== this._run || (err as Error)?.name === 'AbortError') return null;
    return this._fail(run, { code: 'inspect-failed', stage }, String((err as Error)?.message ?? err));
  }

  /** The live region is written directly (no binding), so that each message is announced once. */
  private _announce(text: string): void {
    const region = this.renderRoot?.querySelector('.live');
    if (region) region.textContent = text;
  }

  /** The form's password: checked again at once, also when the same (wrong) password is sent twice. */
  private _submitPassword(password: string): void {
    if (!this._source) return;
    this.password = password;
    const run = this._begin();
    void this._check(run).catch((err: unknown) => this._failFrom(run, err, 'input'));
  }

  // ── Input ─────────────────────────────────────────────────────────────────────────────────────────

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

  private _date(d: Date | string | undefined): string {
    if (d === undefined) return '';
    const date = typeof d === 'string' ? new Date(d) : d;
    if (Number.isNaN(date.getTime())) return String(d);
    return new Intl.DateTimeFormat(this._lang === 'id' ? 'id-ID' : 'en-GB', { dateStyle: 'long', timeStyle: 'long' }).format(date);
  }

  protected override render() {
    const t = this._t;
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
    const t = this._t;
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
    const { local, provider } = this._result;
    const pairs = provider ? matchSignatures(local.signatures, provider.signatures) : [];
    return html`${this._renderSummary(this._result)}
      ${local.signatures.length
        ? html`<ol class="cards">
            ${local.signatures.map((sig, i) => {
              const j = pairs.find(([a]) => a === i)?.[1];
              return this._renderCard(sig, j === undefined ? undefined : provider!.signatures[j], this._result!.disagreements);
            })}
          </ol>`
        : nothing}`;
  }

  private _renderSummary({ local, provider, providerError, disagreements }: EsignVerifiedDetail) {
    const t = this._t;
    const conclusion = localConclusion(local)!;
    const name = providerName(provider);
    const trust = this._trust;
    let providerLine: unknown = nothing;
    if (provider) {
      const word = t.word[provider.conclusion];
      providerLine = html`<p class="provider" data-agree=${disagreements.length ? 'false' : 'true'}>
          ${disagreements.length ? t.disagrees(name, word) : t.agrees(name, word)}
        </p>
        ${disagreements.length ? html`<ul part="disagreements" class="disagreements">${disagreements.map((d) => html`<li>${d.message}</li>`)}</ul>` : nothing}
        ${provider.notes.length ? html`<p class="provider">${t.providerNotes(name)}: ${provider.notes.join(' ')}</p>` : nothing}`;
    } else if (providerError) {
      providerLine = html`<p class="provider error">${t.providerFailed(name)} ${providerError.message}</p>`;
    } else if (this._status === 'asking') {
      providerLine = html`<p class="provider" aria-busy="true">${t.asking(name)}</p>`;
    } else if (!this._uploads) {
      providerLine = html`<p class="provider">${t.localOnly} ${t.notUploaded}</p>`;
    }
    return html`<section class="summary" part="summary" data-verdict=${conclusion}>
      <p class="headline">${this._badge(conclusion)} <span>${t.headline(conclusion, local.signatures.length)}</span></p>
      ${trust && local.status === 'signed'
        ? html`<p class="trust ${trust.failed ? 'error' : ''}">${trust.failed ? t.trustListFailed : t.trustList(trust.count, trust.source)}</p>`
        : nothing}
      ${providerLine}
    </section>`;
  }

  private _badge(verdict: string) {
    const t = this._t;
    return html`<span class="badge" part="badge" data-verdict=${verdict}><span aria-hidden="true">${GLYPH[verdict]}</span>${t.badge[verdict as keyof VerifyStrings['badge']]}</span>`;
  }

  private _renderCard(s: SignatureReport, p: ProviderSignature | undefined, disagreements: DescribedDisagreement[]) {
    const t = this._t;
    const signer = s.signer;
    const mine = disagreements.filter((d) => (d.kind === 'verdict' || d.kind === 'signer') && d.index === s.index);
    const stated = s.signingTime.cms ?? s.signingTime.dictionary;
    const row = (label: string, value: unknown) => (value === undefined || value === '' ? nothing : html`<dt>${label}</dt><dd>${value}</dd>`);
    const stamp = s.kind === 'document-timestamp';
    const time = stamp
      ? s.timestamp ? this._date(s.timestamp.time) : undefined
      : s.timestamp
        ? html`${this._date(s.timestamp.time)} <span class="marker">(${t.timestampFrom(s.timestamp.tsa ?? '?')})</span>`
        : stated
          ? html`${this._date(stated)} <span class="marker">(${t.statedBySigner})</span>`
          : undefined;
    const title = stamp
      ? t.documentTimestamp(signer?.subject.commonName ?? s.timestamp?.tsa ?? t.unknownSigner)
      : signer?.subject.commonName ?? s.name ?? t.unknownSigner;
    const name = providerName(this._result?.provider);
    const ltv = s.ltv;
    const missing = ltv ? ltv.missing.map((m) => t.missing[m]).join(', ') : '';
    return html`<li class="card" part="card" data-verdict=${s.verdict} data-kind=${s.kind} data-level=${s.level ?? nothing}
        data-long-term=${ltv ? String(ltv.longTerm) : nothing}>
      <div class="card-head">
        <span class="signer">${title}</span>
        ${this._badge(s.verdict)}
      </div>
      <ul class="reasons">${reasonsFor(s, t).map((r) => html`<li>${r}</li>`)}</ul>
      <dl>
        ${row(t.labels.organisation, signer?.subject.organisation)}
        ${row(t.labels.issuer, signer ? signer.issuer.commonName ?? signer.issuer.text : undefined)}
        ${row(stamp ? t.labels.timestamp : t.labels.signed, time)}
        ${row(t.labels.level, s.level ? html`<span class="level">${t.level(s.level)}</span> <span class="marker">${t.levelMeaning[s.level]}</span>` : undefined)}
        ${row(t.labels.longTerm, ltv && s.integrity !== 'broken' ? t.longTerm(ltv.longTerm, missing) : undefined)}
        ${row(t.labels.reason, s.reason)}
        ${row(t.labels.location, s.location)}
        ${row(t.labels.field, s.fieldName)}
      </dl>
      ${p
        ? html`<p class="provider" part="provider" data-agree=${mine.length ? 'false' : 'true'}>${t.providerSays(name, t.word[providerVerdict(p)])}</p>`
        : nothing}
      ${mine.map((d) => html`<p class="disagreement">${d.message}</p>`)}
      ${this._renderDetails(s)}
    </li>`;
  }

  private _renderDetails(s: SignatureReport) {
    const t = this._t;
    const signer = s.signer;
    const cert = (c: CertificateInfo) => html`<li>${c.subject.text} <span class="marker">← ${c.issuer.text}</span></li>`;
    const algorithms = [s.subFilter, s.digest.algorithm, s.signatureAlgorithm].filter(Boolean).join(', ');
    const ltv = s.ltv;
    return html`<details part="details">
      <summary>${t.labels.details}</summary>
      <dl>
        ${signer
          ? html`<dt>${t.labels.serial}</dt><dd><code>${signer.serialNumber}</code></dd>
              <dt>${t.labels.validity}</dt><dd>${t.validity(this._date(signer.notBefore), this._date(signer.notAfter))}</dd>
              <dt>${t.labels.fingerprint}</dt><dd><code>${signer.fingerprint}</code></dd>`
          : nothing}
        ${algorithms ? html`<dt>${t.labels.algorithms}</dt><dd>${algorithms}</dd>` : nothing}
        <dt>${t.labels.coverage}</dt><dd>${t.coversWholeFile(s.coversWholeFile)}${s.byteRange ? html` <code>[${s.byteRange.join(' ')}]</code>` : nothing}</dd>
        ${s.kind === 'signature' && (s.signingTime.dictionary || s.signingTime.cms)
          ? html`<dt>${t.labels.signed}</dt><dd>${this._date(s.signingTime.cms ?? s.signingTime.dictionary)} <span class="marker">(${t.statedBySigner})</span></dd>`
          : nothing}
        <dt>${t.labels.chain}</dt>
        <dd>${s.chain.length ? html`<ol>${s.chain.map(cert)}</ol>` : t.labels.none}</dd>
        ${ltv
          ? html`<dt>${t.labels.revocation}</dt>
              <dd>
                <p>${t.checkedAt(this._date(ltv.validationTime), ltv.timeSource)}</p>
                <ul class="revocation">${ltv.chain.map(
                  (c) => html`<li data-status=${c.status}>${c.certificate.subject.commonName ?? c.certificate.subject.text}: ${t.revocation[c.status]}${c.via && c.source ? html` <span class="marker">(${t.revocationSource(c.via, c.source)})</span>` : nothing}</li>`,
                )}</ul>
              </dd>`
          : nothing}
        <dt>${t.labels.changes}</dt>
        <dd>
          ${s.changes.length
            ? html`<ul>${s.changes.map(
                (c) => html`<li data-allowed=${String(c.allowed)}>${t.change[c.kind]}${c.action ? html` ${t.action[c.action]}` : nothing}${c.object !== undefined ? html` <code>#${c.object}</code>` : nothing}${c.field ? html` <span class="marker">${c.field}</span>` : nothing} (${t.allowed(c.allowed)})</li>`,
              )}</ul>`
            : t.labels.none}
        </dd>
        <dt>${t.labels.findings}</dt>
        <dd>${s.problems.length ? html`<ul>${s.problems.map((code) => html`<li><code>${code}</code> ${t.problem[code]}</li>`)}</ul>` : t.labels.none}</dd>
      </dl>
    </details>`;
  }
}

/** How the provider is named to people ('BSrE': the only one with a verification API). */
function providerName(report?: ProviderReport): string {
  if (!report || report.provider === 'bsre') return 'BSrE';
  return report.provider;
}
