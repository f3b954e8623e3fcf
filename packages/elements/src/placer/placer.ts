import type { PropertyDeclarations, PropertyValues } from 'lit';
import { isProfileId, type CoordinateProfile, type PlacedBox, type ViewportRect } from '@esign-kit/core';
import { fire, type EsignErrorDetail } from '../internal/events.js';
import { LocalizeController } from '../internal/localize.js';
import { BoxModel, type BoxInput } from './box-model.js';
import { loadDocumentCode, type DocumentCode } from './document-code.js';
import type { DocumentParts } from './document-parts.js';
import { PlacerDom } from './dom.js';
import type { EsignPlacerChangeDetail, PlacerValue, TagMatch } from './events.js';
import { PagesController } from './pages-controller.js';
import { preloadPdfJs } from './pdf.js';
import { PlacerProperties } from './placer-properties.js';
import { placerStyles } from './placer.styles.js';
import { renderPlacer } from './placer-view.js';
import { signingRules, type Signer } from './signers.js';
import { STRINGS } from './strings.js';
import { checkBoxes, resolvePlacerProfile } from './validity.js';
import { scaleFor } from './zoom.js';

export type { Zoom } from './zoom.js';

/**
 * Places signature boxes on a PDF and gives them in the chosen provider's own fields.
 *
 * The element is form-associated: with a `name`, the form submits `value` as JSON; its `validity` says
 * `valueMissing` (no box but `required`, or a signer still without one), `rangeUnderflow`/`rangeOverflow`
 * (`min-boxes`/`max-boxes`) or `customError` (boxes or signers the provider refuses). Its language (`id` or
 * `en`) follows `lang` on the element or its closest ancestor.
 *
 * Its layout does not depend on the host's `display` (block, inline-block, a flex or grid item, inside a
 * `<dialog>`): it fills the height the host gets from its CSS, else `--esign-placer-height`.
 *
 * @summary Drag and resize signature boxes on any page of a PDF, for each signer of a signing order; read them in BSrE, Peruri or Digisign fields.
 *
 * @fires {CustomEvent<EsignPlacerReadyDetail>} esign-ready - The PDF is open: `{ pageCount, pages: [{ width, height, rotate, userUnit }] }` (displayed size in user units).
 * @fires {CustomEvent<EsignPlacerChangeDetail>} esign-change - Boxes changed: `{ boxes, value, box, signer }` (the box that changed and its signer); validity is already current.
 * @fires {CustomEvent<EsignErrorDetail>} esign-error - Something failed: `{ code, message, status?, field?, signer? }`; also shown inside the element.
 *
 * @csspart base - The element's layout box, inside the host: toolbar above, pages below.
 * @csspart toolbar - The bar with the add, signer, navigation and zoom controls.
 * @csspart viewport - The scrolling area holding the pages.
 * @csspart page - One page (a canvas with its boxes on top).
 * @csspart canvas - A page's rendered canvas.
 * @csspart box - A signature box.
 * @csspart box-selected - The selected signature box (together with `box`).
 * @csspart handle - A resize handle of a box.
 * @csspart tag-preview - Where a BSrE tag (`tag_koordinat`) marker will place the specimen.
 * @csspart inspector - The panel showing the selected box in the provider's fields (floats over the pages).
 * @csspart status - Loading progress and error messages (float over the pages).
 *
 * @cssproperty --esign-placer-height - Height of the element when its CSS gives it none (default 640px).
 * @cssproperty --esign-placer-background - Background behind the pages (default #e6e9ef).
 * @cssproperty --esign-placer-accent - Colour of boxes without a signer, and of focus rings (default: `--esign-accent`).
 * @cssproperty --esign-placer-box-fill - Fill of a box (default: its signer's colour, faint).
 * @cssproperty --esign-placer-border - Colour of the element's border and of the bars' separators (default: `--esign-border`).
 * @cssproperty --esign-placer-color - Text colour (default: `--esign-color`).
 * @cssproperty --esign-placer-toolbar-background - Background of the toolbar, the inspector and the status bar (default: `--esign-surface`).
 * @cssproperty --esign-placer-error - Colour of error messages (default: `--esign-error`).
 * @cssproperty --esign-placer-tag - Colour of the tag preview's dashed outline (default #b26a00).
 * @cssproperty --esign-accent - Design token shared by the kit's elements: buttons, links, focus rings (default #0b57d0).
 * @cssproperty --esign-border - Design token: borders and separators (default #c9d1dd).
 * @cssproperty --esign-color - Design token: text (default #1d2433).
 * @cssproperty --esign-surface - Design token: toolbars and status bars (default #f6f8fb).
 * @cssproperty --esign-error - Design token: error messages (default #a40000).
 * @cssproperty --esign-font-family - Design token: the text's font family (default `system-ui, sans-serif`).
 */
export class EsignPlacer extends PlacerProperties {
  static override styles = placerStyles;
  static override shadowRootOptions = { ...PlacerProperties.shadowRootOptions, delegatesFocus: false };
  /** Where pdf.js's worker is, for every placer that has no `worker-src` (set it before the element is connected). */
  static defaultWorkerSrc = '';

  static override properties: PropertyDeclarations = {
    boxes: { attribute: false },
    _drawing: { state: true },
    _problem: { state: true },
    _pageInView: { state: true },
    _dockTop: { state: true },
  };

  declare private _drawing: { page: number; rect: ViewportRect } | null;
  /** What makes `value` incomplete (provider, profile, a box or a signer), shown while the pages stay usable. */
  declare private _problem: EsignErrorDetail | null;
  declare private _pageInView: number;
  declare private _dockTop: boolean;
  /** The problem last reported with `esign-error`, so that each is reported once. */
  private _reportedProblem = '';

  private readonly _dom = new PlacerDom(this);
  private readonly _localize = new LocalizeController(this, STRINGS);
  private readonly _model: BoxModel = new BoxModel(this, {
    signers: () => this._signingOrder,
    provider: () => this.provider,
    activeSigner: () => this.activeSigner,
    activeKind: () => this.activeKind,
    setActive: (signer, kind) => {
      this.activeSigner = signer;
      this.activeKind = kind;
    },
    t: () => this._localize.t,
    announce: (text) => this.announce(text),
    changed: (box) => this._changed(box),
  });
  private readonly _document = new PagesController(this, {
    dom: this._dom,
    data: () => this.data,
    src: () => this.src,
    password: () => this.password,
    workerSrc: () => this._workerSrc(),
    zoomScale: () => this._scaleFor(),
    zoomFollowsView: () => typeof this.zoom === 'string',
    tag: () => this.tag,
    boxSize: () => ({ width: this.boxWidth, height: this.boxHeight }),
    strings: () => this._localize.t,
    codeLoaded: (code) => this._attachParts(code),
    ready: (detail) => {
      fire(this, 'esign-ready', detail);
      this._syncForm();
    },
    error: (detail) => fire(this, 'esign-error', detail),
  });
  /** The parts that work on an open document: they come with its code, before it is shown (./document-parts.ts). */
  private _parts: DocumentParts | null = null;

  constructor() {
    super();
    this._drawing = null;
    this._problem = null;
    this._pageInView = 1;
    this._dockTop = false;
    this.addEventListener('keydown', this._onKeyDown);
  }

  // ── Public API ────────────────────────────────────────────────────────────────────────────────────

  /** The boxes in the neutral model: 1-based page, PDF user-space units, lower-left corner; each with its `signer` and `kind` when there is a signing order. */
  get boxes(): PlacedBox[] {
    return this._model.boxes.map((b) => ({ ...b }));
  }
  set boxes(value: readonly BoxInput[]) {
    const old = this._model.boxes;
    this._model.replace(value ?? []);
    this.requestUpdate('boxes', old);
  }

  /**
   * The boxes in the chosen provider's own fields, exactly what its API takes. Without `signers`: one object
   * per box. With `signers`: one entry per signer in signing order, `{ signer, name, kind, boxes, fields }`
   * (`boxes` neutral, for the companion server's routes; `fields` the provider's), then the document's
   * e-meterai boxes (`signer: null`). Boxes the provider cannot accept are left out (see `validity`).
   */
  get value(): PlacerValue {
    return this._model.value(this._currentProfile(), this._document.pages);
  }

  /** Where a `tag` marker will place the specimen (empty until the text is searched). */
  get tagMatches(): TagMatch[] {
    return this._document.tagMatches.map((m) => ({ ...m }));
  }

  /** Pages drawn so far (a benchmark uses it to show that dragging redraws nothing). */
  get renderCount(): number {
    return this._document.renderCount;
  }

  /** Live page canvases (bounded: far pages give theirs back). */
  get liveCanvases(): number {
    return this._document.liveCanvases;
  }

  /** Pages of the open PDF (0 until `esign-ready`). */
  get pageCount(): number {
    return this._document.pages.length;
  }

  /** The page in the middle of the view (1-based), as the toolbar's page indicator shows it. */
  get currentPage(): number {
    return this._pageInView;
  }

  /** The effective scale (CSS pixels per point), after `fit-width`/`fit-page`. */
  get scale(): number {
    return this._document.scale;
  }

  /**
   * Adds a box and returns its id. Defaults: the page in view, centred in the part of it that is in view,
   * `box-width` × `box-height`; with `signers`, the active signer's and of the active kind.
   */
  addBox(partial: Partial<PlacedBox> = {}): string {
    const page = partial.page ?? this._parts?.navigation.update() ?? this._pageInView;
    const geometry = this._document.pages[page - 1];
    if (!geometry) throw new RangeError(`Page ${page} does not exist.`);
    return this._model.add(partial, page, geometry, this._parts?.navigation.visibleCentre(page) ?? null, { width: this.boxWidth, height: this.boxHeight });
  }

  /** Removes the box with this id (nothing happens for an unknown id). */
  removeBox(id: string): void {
    this._model.remove(id);
  }

  /** Scrolls the view to page `page` (1-based): its top at the top, centred horizontally (its left edge, if wider than the view). */
  scrollToPage(page: number): void {
    this._parts?.navigation.scrollToPage(page);
  }

  /** Brings the box with this id into the middle of the view, on both axes; false for an unknown id. */
  scrollToBox(id: string): boolean {
    return this._parts?.navigation.scrollToBox(id) ?? false;
  }

  // ── Lifecycle ─────────────────────────────────────────────────────────────────────────────────────

  override connectedCallback(): void {
    super.connectedCallback();
    // pdf.js's module and worker are what a first page waits for longest: start them now, not when the data
    // arrives. After the current task, so that a page setting `defaultWorkerSrc` right after defining the
    // element (as the demo does) is heard.
    setTimeout(() => {
      if (!this.isConnected) return;
      preloadPdfJs(this._workerSrc());
      void loadDocumentCode().catch(() => undefined); // a document that needs it tries again, and reports
    });
    // A re-attached element (single-page apps) picks its document up again.
    if (this.hasUpdated && !this._document.isOpen && (this.src || this.data)) void this._document.load();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('zoom') && this._document.pages.length) this._document.setScale(this._scaleFor());
    if (changed.has('signers') || changed.has('provider')) this._model.settleActive();
    // Before rendering: a problem it finds is shown by this very update.
    this._syncForm();
  }

  protected override firstUpdated(): void {
    // Synced once more: the first sync ran before the add button, which anchors validity messages, existed.
    this._syncForm();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('src') || changed.has('data') || changed.has('password' as keyof EsignPlacer)) {
      if (this.src || this.data) void this._document.load();
    }
    if (changed.has('tag' as keyof EsignPlacer) && this._document.isOpen) void this._document.searchTag();
  }

  // ── Form ──────────────────────────────────────────────────────────────────────────────────────────

  protected override resetForm(): void {
    this._model.clear();
  }

  protected override restoreForm(state: string | File | FormData): void {
    if (typeof state !== 'string') return;
    try {
      const boxes = JSON.parse(state) as PlacedBox[];
      if (Array.isArray(boxes)) this.boxes = boxes;
    } catch {
      // A state we did not write: ignore it.
    }
  }

  protected override disableForm(disabled: boolean): void {
    this.readonly = disabled;
  }

  /** Reports a change: the box it was about and its signer go with the boxes and the value. */
  private _changed(box: PlacedBox | null): void {
    const signer = box?.signer !== undefined ? (this._signingOrder.find((s) => s.id === box.signer) ?? null) : null;
    const detail: EsignPlacerChangeDetail = { boxes: this.boxes, value: this.value, box: box ? { ...box } : null, signer: signer ? { ...signer } : null };
    this.requestUpdate();
    // Form value and validity are current when listeners run, not one update later.
    this._syncForm();
    fire(this, 'esign-change', detail);
  }

  /** The form's value, state and validity, and `esign-error` once per new problem (shown, and cleared once solved). */
  private _syncForm(): void {
    const { problem, validity } = checkBoxes({
      provider: this.provider,
      overrides: this.profile,
      boxes: this._model.boxes,
      pages: this._document.pages,
      signers: this._signingOrder,
      t: this._localize.t,
      lang: this.language,
      boxName: (box) => this._model.name(box),
      required: this.required,
      minBoxes: this.minBoxes,
      maxBoxes: this.maxBoxes,
      anchor: this._dom.addButton ?? undefined,
    });
    this.updateForm(this.name ? JSON.stringify(this.value) : null, JSON.stringify(this._model.boxes), validity);
    const key = problem ? `${problem.code} ${problem.field ?? ''} ${problem.signer ?? ''} ${problem.message}` : '';
    if (key === this._reportedProblem) return;
    this._reportedProblem = key;
    this._problem = problem;
    if (problem) fire(this, 'esign-error', problem);
  }

  // ── Helpers ───────────────────────────────────────────────────────────────────────────────────────

  private _currentProfile = (): CoordinateProfile | null => resolvePlacerProfile(this.provider, this.profile).profile;

  private get _signingOrder(): readonly Signer[] {
    return Array.isArray(this.signers) ? this.signers : [];
  }

  private _workerSrc = (): string => this.workerSrc || EsignPlacer.defaultWorkerSrc || new URL(/* @vite-ignore */ './pdf.worker.min.mjs', import.meta.url).href;

  /** The scale the zoom gives in the view now. */
  private _scaleFor(): number {
    const view = this._dom.scroller;
    const size = { width: view?.clientWidth || this.clientWidth, height: view?.clientHeight || this.clientHeight };
    return scaleFor(this.zoom, size, this._document.pages, this._pageInView);
  }

  private _attachParts(code: DocumentCode): void {
    this._parts ??= new code.DocumentParts(this, {
      dom: this._dom,
      model: this._model,
      pages: () => this._document.pages,
      scale: () => this._document.scale,
      shown: () => this._document.status === 'ready',
      zoom: () => this.zoom,
      setZoom: (zoom) => (this.zoom = zoom),
      currentPage: () => this._pageInView,
      setPageInView: (page) => (this._pageInView = page),
      dockAtTop: (top) => (this._dockTop = top),
      drawing: (drawing) => (this._drawing = drawing),
      readonly: () => this.readonly,
      profile: () => this._currentProfile(),
      signers: () => this._signingOrder,
      t: () => this._localize.t,
      lang: () => this.language,
      announce: (text) => this.announce(text),
    });
  }

  /** Keys of the whole element (not of a text field or list), once a document is shown: ./document-parts.ts. */
  private _onKeyDown = (event: KeyboardEvent): void => {
    const target = event.composedPath()[0] as Element | undefined;
    if (event.defaultPrevented || target?.closest?.('input, select, textarea') || this._document.status !== 'ready') return;
    this._parts?.onKeyDown(event);
  };

  // ── Rendering ─────────────────────────────────────────────────────────────────────────────────────

  protected override render() {
    return renderPlacer(
      { document: this._document, model: this._model, parts: this._parts },
      {
        t: this._localize.t,
        readonly: this.readonly,
        zoom: this.zoom,
        page: this._pageInView,
        signers: this._signingOrder,
        activeSigner: this.activeSigner,
        kinds: isProfileId(this.provider) ? signingRules(this.provider).kinds : ['signature'],
        activeKind: this.activeKind,
        drawing: this._drawing,
        dockTop: this._dockTop,
        problem: this._problem,
      },
      {
        add: () => this.addBox(),
        explainBlocked: (reason) => this.announce(reason),
        goToPage: (page) => this.scrollToPage(page),
        stepBox: (direction) => void this._parts?.stepBox(direction),
        chooseSigner: (id) => (this.activeSigner = id),
        chooseKind: (kind) => (this.activeKind = kind),
        submitPassword: (password) => (this.password = password),
      },
    );
  }
}
