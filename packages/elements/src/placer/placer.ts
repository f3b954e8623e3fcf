import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type { PDFDocumentLoadingTask, PDFDocumentProxy } from 'pdfjs-dist';
import {
  CoordinateError,
  PROFILES,
  fromProviderFields,
  isProfileId,
  pageGeometry,
  resolveProfile,
  toProviderFields,
  validateBoxes,
  viewportSize,
  viewportToUser,
  displayedSize,
  type Box,
  type BoxKind,
  type CoordinateProfile,
  type PageGeometry,
  type PlacedBox,
  type ProfileId,
  type ProfileOverrides,
  type ViewportRect,
} from '@esign-kit/core';
import { fire, type EsignErrorDetail, type EsignPlacerChangeDetail, type EsignPlacerReadyDetail, type PlacerValue, type TagMatch } from './events.js';
import { renderInspector, renderStatus, type Status } from './inspector.js';
import { BoxGestures } from './box-gestures.js';
import { NavigationController, readingOrder } from './navigation-controller.js';
import { classifyPdfError, findTag, openPdf, preloadPdfJs, readGeometries, type PdfSource } from './pdf.js';
import { PageRenderer } from './page-renderer.js';
import { renderPage } from './page-view.js';
import { placerStyles } from './placer.styles.js';
import { isDocumentKind, kindOf, signerIssues, signerValue, signingRules, type Signer } from './signers.js';
import { STRINGS, languageOf, type PlacerStrings } from './strings.js';
import { renderToolbar } from './toolbar.js';
import { PAGE_GAP, ZoomController, parseZoom, type Zoom } from './zoom-controller.js';

export type { Zoom } from './zoom-controller.js';

let boxSequence = 0;

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * Places signature boxes on a PDF and gives them in the chosen provider's own fields.
 *
 * The element is form-associated: with a `name`, the form submits `value` as JSON. Its language (`id` or `en`)
 * follows `lang` on the element or its closest ancestor.
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
 * @cssprop --esign-placer-height - Height of the element when its CSS gives it none (default 640px).
 * @cssprop --esign-placer-background - Background behind the pages.
 * @cssprop --esign-placer-accent - Colour of boxes without a signer, and of focus rings.
 * @cssprop --esign-placer-box-fill - Fill of a box (default: its signer's colour, faint).
 * @cssprop --esign-placer-border - Colour of the element's border and of the bars' separators.
 * @cssprop --esign-placer-color - Text colour.
 * @cssprop --esign-placer-toolbar-background - Background of the toolbar, the inspector and the status bar.
 * @cssprop --esign-placer-error - Colour of error messages.
 * @cssprop --esign-placer-tag - Colour of the tag preview's dashed outline.
 */
export class EsignPlacer extends LitElement {
  static override styles = placerStyles;
  static formAssociated = true;
  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: false };
  /** Where pdf.js's worker is, for every placer that has no `worker-src` (set it before the element is connected). */
  static defaultWorkerSrc = '';

  static override properties = {
    src: { type: String, reflect: true },
    data: { attribute: false },
    provider: { type: String, reflect: true },
    profile: { attribute: false },
    boxes: { attribute: false },
    signers: { attribute: false },
    activeSigner: { type: String, attribute: 'active-signer' },
    activeKind: { type: String, attribute: 'active-kind' },
    zoom: { converter: { fromAttribute: parseZoom, toAttribute: (z: Zoom) => String(z) } },
    name: { type: String, reflect: true },
    required: { type: Boolean, reflect: true },
    minBoxes: { type: Number, attribute: 'min-boxes' },
    maxBoxes: { type: Number, attribute: 'max-boxes' },
    tag: { type: String },
    boxWidth: { type: Number, attribute: 'box-width' },
    boxHeight: { type: Number, attribute: 'box-height' },
    readonly: { type: Boolean, reflect: true },
    password: { attribute: false },
    workerSrc: { type: String, attribute: 'worker-src' },
    _pages: { state: true },
    _scale: { state: true },
    _status: { state: true },
    _error: { state: true },
    _progress: { state: true },
    _selected: { state: true },
    _tagMatches: { state: true },
    _inspectorError: { state: true },
    _drawing: { state: true },
    _problem: { state: true },
    _pageInView: { state: true },
    _laidOut: { state: true },
    _dockTop: { state: true },
  };

  /** URL of the PDF. */
  declare src: string;
  /** The PDF's bytes, instead of `src`. */
  declare data: ArrayBuffer | Uint8Array | Blob | null;
  /** The provider convention of `value`: `bsre-v1`, `bsre-v2`, `bsre-cloud`, `peruri` or `digisign`. */
  declare provider: ProfileId;
  /** Overrides of the provider's coordinate convention (COORDINATES.md). */
  declare profile: ProfileOverrides | null;
  /**
   * The signing order: `{ id, name, color?, kind? }[]`, first signer first. With signers, every box belongs
   * to one (`boxes[].signer`) and has a `kind`, boxes are coloured and named by signer, and `value` is given
   * per signer in the provider's shape. Empty: boxes are anonymous signatures and `value` a flat list.
   */
  declare signers: Signer[];
  /** The signer new boxes are for (default: the first signer); chosen in the toolbar. */
  declare activeSigner: string;
  /** The kind of new boxes (`signature`, `qr`, `meterai`: those the provider supports); chosen in the toolbar. */
  declare activeKind: BoxKind;
  /** A number (1 = one CSS pixel per point), `fit-width` or `fit-page`. */
  declare zoom: Zoom;
  /** Form field name: the form submits `value` as JSON under it. */
  declare name: string;
  /** The form is invalid without at least one box. */
  declare required: boolean;
  /** Fewest boxes the form accepts. */
  declare minBoxes: number;
  /** Most boxes the form accepts (default: no limit). */
  declare maxBoxes: number;
  /** BSrE `tag_koordinat` marker (e.g. `#`): preview where the specimen will land. */
  declare tag: string;
  /** Width of a new box, in points. */
  declare boxWidth: number;
  /** Height of a new box, in points. */
  declare boxHeight: number;
  /** Show the boxes without letting anyone change them. */
  declare readonly: boolean;
  /** Password of an encrypted PDF (the element also asks for it itself). */
  declare password: string | undefined;
  /** URL of pdf.js's worker (default: `EsignPlacer.defaultWorkerSrc`, else `pdf.worker.min.mjs` beside the module); never a CDN. */
  declare workerSrc: string;

  private _boxes: PlacedBox[] = [];
  private declare _pages: PageGeometry[];
  private declare _scale: number;
  private declare _status: Status;
  private declare _error: EsignErrorDetail | null;
  private declare _progress: number | null;
  private declare _selected: string | null;
  private declare _tagMatches: TagMatch[];
  private declare _inspectorError: string;
  private declare _drawing: { page: number; rect: ViewportRect } | null;
  /** What makes `value` incomplete (provider, profile, a box or a signer), shown while the pages stay usable. */
  private declare _problem: EsignErrorDetail | null;
  private declare _pageInView: number;
  private declare _dockTop: boolean;
  /** How many pages have elements: until page 1 is painted, only those that fill the view (a long document's 300 would delay it). */
  private declare _laidOut: number;

  private readonly internals: ElementInternals;
  private readonly zoomer = new ZoomController(this, {
    zoom: () => this.zoom,
    setZoom: (zoom) => (this.zoom = zoom),
    scale: () => this._scale,
    scroller: () => this.scroller,
    pageElement: (page) => this.pageElement(page),
    pages: () => this._pages,
    currentPage: () => this._pageInView,
  });
  private readonly gestures = new BoxGestures(this, {
    boxes: () => this._boxes,
    pages: () => this._pages,
    scale: () => this._scale,
    readonly: () => this.readonly,
    minSize: () => this.currentProfile()?.minSize ?? 10,
    pageElement: (page) => this.pageElement(page),
    pageElements: () => this.renderRoot.querySelectorAll<HTMLElement>('.page'),
    boxElements: () => this.renderRoot.querySelectorAll<HTMLElement>('.box[data-id]'),
    pagesContainer: () => this.renderRoot.querySelector<HTMLElement>('.pages'),
    select: (id) => (this._selected = id),
    canDraw: () => !this.addBlocked(),
    drawing: (drawing) => (this._drawing = drawing),
    place: (id, page, box) => this.placeBox(id, page, box),
    remove: (id) => this.removeBox(id),
    focus: (id) => void this.updateComplete.then(() => this.boxElement(id)?.focus()),
  });
  private readonly navigation = new NavigationController(this, {
    scroller: () => this.scroller,
    pageElement: (page) => this.pageElement(page),
    boxElement: (id) => this.boxElement(id),
    pages: () => this._pages,
    boxes: () => this._boxes,
    selectedBox: () => this._selected,
    selectBox: (id) => this.selectBox(id),
    pageInView: (page) => (this._pageInView = page),
    dockAtTop: (top) => (this._dockTop = top),
    dock: () => this.renderRoot.querySelector<HTMLElement>('.dock'),
  });
  private pdf: PDFDocumentProxy | null = null;
  private loading: PDFDocumentLoadingTask | null = null;
  private renderer: PageRenderer | null = null;
  private observer: IntersectionObserver | null = null;
  private resizeObserver: ResizeObserver | null = null;
  /** Listeners for the open document, torn down together (as pdf.js's viewer does with an AbortSignal). */
  private listeners: AbortController | null = null;
  private readonly visiblePages = new Set<number>();
  private loadGeneration = 0;
  /** The file's bytes, for reading page boxes pdf.js does not expose. */
  private bytes: Uint8Array | null = null;
  /** The problem last reported with `esign-error`, so that each is reported once. */
  private reportedProblem = '';

  constructor() {
    super();
    // Reactive properties are declared above and set here: a class field initialiser would shadow Lit's accessors.
    this.src = '';
    this.data = null;
    this.provider = 'peruri';
    this.profile = null;
    this.signers = [];
    this.activeSigner = '';
    this.activeKind = 'signature';
    this.zoom = 'fit-width';
    this.name = '';
    this.required = false;
    this.minBoxes = 0;
    this.maxBoxes = Number.POSITIVE_INFINITY;
    this.tag = '';
    this.boxWidth = 150;
    this.boxHeight = 75;
    this.readonly = false;
    this.password = undefined;
    this.workerSrc = '';
    this._pages = [];
    this._scale = 1;
    this._status = 'empty';
    this._error = null;
    this._progress = null;
    this._selected = null;
    this._tagMatches = [];
    this._inspectorError = '';
    this._drawing = null;
    this._problem = null;
    this._pageInView = 1;
    this._dockTop = false;
    this._laidOut = Number.POSITIVE_INFINITY;
    this.internals = this.attachInternals();
    this.addEventListener('keydown', this.onKeyDown);
  }

  // ── Public API ────────────────────────────────────────────────────────────────────────────────────

  /** The boxes in the neutral model: 1-based page, PDF user-space units, lower-left corner; each with its `signer` and `kind` when there is a signing order. */
  get boxes(): PlacedBox[] {
    return this._boxes.map((b) => ({ ...b }));
  }
  set boxes(value: readonly (Partial<PlacedBox> & { page: number; x: number; y: number; width: number; height: number })[]) {
    const old = this._boxes;
    this._boxes = (value ?? []).map((b) => ({ ...b, id: b.id ?? this.newId() }));
    this.requestUpdate('boxes', old);
  }

  /**
   * The boxes in the chosen provider's own fields, exactly what its API takes. Without `signers`: one object
   * per box. With `signers`: one entry per signer in signing order, `{ signer, name, kind, boxes, fields }`
   * (`boxes` neutral, for the companion server's routes; `fields` the provider's), then the document's
   * e-meterai boxes (`signer: null`). Boxes the provider cannot accept are left out (see `validity`).
   */
  get value(): PlacerValue {
    const profile = this.currentProfile();
    if (!profile || !this._pages.length) return [];
    if (this.signingOrder.length) return signerValue(this._boxes, this.signingOrder, this._pages, profile);
    const out: Record<string, string | number>[] = [];
    for (const box of this._boxes) {
      try {
        out.push(toProviderFields(box, this._pages, profile) as unknown as Record<string, string | number>);
      } catch (e) {
        if (!(e instanceof CoordinateError)) throw e;
      }
    }
    return out;
  }

  /** Where a `tag` marker will place the specimen (empty until the text is searched). */
  get tagMatches(): TagMatch[] {
    return this._tagMatches.map((m) => ({ ...m }));
  }

  /** Pages drawn so far (a benchmark uses it to show that dragging redraws nothing). */
  get renderCount(): number {
    return this.renderer?.renderCount ?? 0;
  }

  /** Live page canvases (bounded: far pages give theirs back). */
  get liveCanvases(): number {
    return this.renderer?.liveCanvases ?? 0;
  }

  /** Pages of the open PDF (0 until `esign-ready`). */
  get pageCount(): number {
    return this._pages.length;
  }

  /** The page in the middle of the view (1-based), as the toolbar's page indicator shows it. */
  get currentPage(): number {
    return this._pageInView;
  }

  /** The effective scale (CSS pixels per point), after `fit-width`/`fit-page`. */
  get scale(): number {
    return this._scale;
  }

  /** The form the element belongs to. */
  get form(): HTMLFormElement | null {
    return this.internals.form;
  }
  /** Too few or too many boxes (`valueMissing`, `rangeUnderflow`, `rangeOverflow`), or boxes or signers the provider refuses (`customError`). */
  get validity(): ValidityState {
    return this.internals.validity;
  }
  /** What is wrong, in the element's language (naming the signer, when it is about one). */
  get validationMessage(): string {
    return this.internals.validationMessage;
  }
  /** Whether the form validates this element. */
  get willValidate(): boolean {
    return this.internals.willValidate;
  }
  /** Whether the boxes are valid; fires `invalid` when they are not. */
  checkValidity(): boolean {
    return this.internals.checkValidity();
  }
  /** Like `checkValidity()`, and shows the message to the person. */
  reportValidity(): boolean {
    return this.internals.reportValidity();
  }

  /**
   * Adds a box and returns its id. Defaults: the page in view, centred in the part of it that is in view,
   * `box-width` × `box-height`; with `signers`, the active signer's and of the active kind.
   */
  addBox(partial: Partial<PlacedBox> = {}): string {
    const page = partial.page ?? this.navigation.update();
    const geometry = this._pages[page - 1];
    if (!geometry) throw new RangeError(`Page ${page} does not exist.`);
    const unit = geometry.userUnit;
    const [cx0, cy0, cx1, cy1] = geometry.cropBox;
    const width = Math.min(partial.width ?? this.boxWidth / unit, cx1 - cx0);
    const height = Math.min(partial.height ?? this.boxHeight / unit, cy1 - cy0);
    const centre = this.visibleCentre(page) ?? { x: (cx0 + cx1) / 2, y: (cy0 + cy1) / 2 };
    const box: PlacedBox = {
      ...this.newBoxOwner(),
      ...partial,
      id: partial.id ?? this.newId(),
      page,
      width,
      height,
      x: partial.x ?? Math.min(Math.max(centre.x - width / 2, cx0), cx1 - width),
      y: partial.y ?? Math.min(Math.max(centre.y - height / 2, cy0), cy1 - height),
    };
    this._boxes = [...this._boxes, box];
    this._selected = box.id;
    this.announce(this.t.added(this.boxName(box), this.describe(box)));
    this.changed(box);
    return box.id;
  }

  /** Removes the box with this id (nothing happens for an unknown id). */
  removeBox(id: string): void {
    const box = this._boxes.find((b) => b.id === id);
    if (!box) return;
    const name = this.boxName(box);
    this._boxes = this._boxes.filter((b) => b.id !== id);
    if (this._selected === id) this._selected = null;
    this.announce(this.t.removed(name));
    this.changed(box);
  }

  /** Scrolls the view to page `page` (1-based): its top at the top, centred horizontally (its left edge, if wider than the view). */
  scrollToPage(page: number): void {
    this.navigation.scrollToPage(page);
  }

  /** Brings the box with this id into the middle of the view, on both axes; false for an unknown id. */
  scrollToBox(id: string): boolean {
    return this.navigation.scrollToBox(id);
  }

  // ── Lifecycle ─────────────────────────────────────────────────────────────────────────────────────

  override connectedCallback(): void {
    super.connectedCallback();
    // pdf.js's module and worker are what a first page waits for longest: start them now, not when the data
    // arrives. After the current task, so that a page setting `defaultWorkerSrc` right after defining the
    // element (as the demo does) is heard.
    setTimeout(() => {
      if (this.isConnected) preloadPdfJs(this.resolveWorkerSrc());
    });
    // A re-attached element (single-page apps) picks its document up again.
    if (this.hasUpdated && !this.pdf && (this.src || this.data)) void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.teardown();
  }

  private teardown(): void {
    this.loadGeneration++;
    void this.loading?.destroy();
    this.loading = null;
    this.renderer?.destroy();
    this.renderer = null;
    this.observer?.disconnect();
    this.observer = null;
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
    this.listeners?.abort();
    this.listeners = null;
    void this.pdf?.destroy();
    this.pdf = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('zoom') && this._pages.length) this._scale = this.zoomer.scaleFor(this.zoom);
    if (changed.has('signers') || changed.has('provider')) this.settleActive();
    // Before rendering: a problem it finds is shown by this very update.
    this.syncForm();
  }

  protected override firstUpdated(): void {
    // Synced once more: the first sync ran before the add button, which anchors validity messages, existed.
    this.syncForm();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('src') || changed.has('data') || changed.has('password' as keyof EsignPlacer)) {
      if (this.src || this.data) void this.load();
    }
    if (changed.has('tag' as keyof EsignPlacer) && this.pdf) void this.searchTag();
    if (changed.has('_scale' as keyof EsignPlacer)) this.renderer?.setScale(this._scale);
    if (changed.has('_pages' as keyof EsignPlacer)) this.observePages();
  }

  // ── Loading ───────────────────────────────────────────────────────────────────────────────────────

  private async source(): Promise<PdfSource | null> {
    if (this.data) {
      const d = this.data;
      const bytes = d instanceof Blob ? new Uint8Array(await d.arrayBuffer()) : new Uint8Array(d instanceof Uint8Array ? d : d.slice(0));
      // pdf.js transfers the bytes to its worker; keep ours (and the caller's) usable with a copy.
      this.bytes = bytes;
      return { data: bytes.slice() };
    }
    if (this.src) return { url: new URL(this.src, document.baseURI).href };
    return null;
  }

  private async load(): Promise<void> {
    this.teardown();
    const generation = this.loadGeneration;
    this._status = 'loading';
    this._progress = null;
    this._error = null;
    this._pages = [];
    this._tagMatches = [];
    this.bytes = null;
    try {
      const source = await this.source();
      if (!source) return;
      const opened = await openPdf(source, {
        workerSrc: this.resolveWorkerSrc(),
        password: this.password,
        onProgress: (loaded, total) => {
          if (generation === this.loadGeneration) this._progress = total ? Math.min(100, Math.round((loaded / total) * 100)) : null;
        },
      });
      this.loading = opened.task;
      const pdf = await opened.document;
      if (generation !== this.loadGeneration) {
        void pdf.destroy();
        return;
      }
      this.pdf = pdf;
      // Paint page 1 first, as pdf.js's viewer does: until every page's geometry is read (300 pages, and the
      // page tree from the file), all pages are laid out with page 1's size.
      const first = await pdf.getPage(1);
      const provisional = pageGeometry({ mediaBox: first.view, rotate: first.rotate, userUnit: first.userUnit });
      this._pages = Array.from({ length: pdf.numPages }, () => provisional);
      this._scale = this.zoomer.scaleFor(this.zoom);
      // Building every page's element costs a long document 100-200 ms of main thread, which page 1's drawing
      // would wait for: until it is painted, only the pages that fill two views get one.
      this._laidOut = Math.ceil((2 * (this.scroller?.clientHeight || 800)) / (viewportSize(provisional, this._scale).height + PAGE_GAP)) + 1;
      this._status = 'ready';
      let painted: () => void = () => {};
      const firstPaint = new Promise<void>((resolve) => (painted = resolve));
      this.renderer = new PageRenderer(pdf, {
        slotFor: (page) => this.renderRoot.querySelector<HTMLElement>(`.page[data-page="${page}"] .canvas-slot`),
        onError: (page) => this.emitError({ code: 'render-failed', message: `${this.t.errors['render-failed']} (${page})` }),
        onRendered: () => painted(),
        settled: () => this.updateComplete,
      });
      this.renderer.setScale(this._scale);
      // Page 1 starts drawing now, without waiting a frame for the IntersectionObserver, and before the
      // pages' elements are built: the worker prepares its drawing while a long document is laid out.
      this.renderer.start(first);
      await this.updateComplete;
      // Reading every page's geometry competes with painting page 1 for the main thread: paint first.
      await Promise.race([firstPaint, new Promise((resolve) => setTimeout(resolve, 2000))]);
      if (generation !== this.loadGeneration) return;
      // Painted: every page gets its element now (at page 1's size until the geometries are read).
      this._laidOut = Number.POSITIVE_INFINITY;
      this._pages = await readGeometries(pdf, this.bytes);
      if (generation !== this.loadGeneration) return;
      this._scale = this.zoomer.scaleFor(this.zoom);
      // One observer for both: the view's size (fit-width/fit-page follow it) and the pages' size in device
      // pixels, which changes with devicePixelRatio (browser zoom, another screen) and calls for a redraw.
      let dpr = window.devicePixelRatio;
      const checkPixelRatio = () => {
        if (window.devicePixelRatio === dpr) return;
        dpr = window.devicePixelRatio;
        this.renderer?.refresh();
        watchResolution();
      };
      this.listeners = new AbortController();
      const { signal } = this.listeners;
      // No single signal is reliable everywhere (emulated ratios skip some): listen to all three.
      const watchResolution = () =>
        matchMedia(`(resolution: ${dpr}dppx)`).addEventListener('change', checkPixelRatio, { once: true, signal });
      watchResolution();
      window.addEventListener('resize', checkPixelRatio, { signal });
      this.resizeObserver = new ResizeObserver(() => {
        if (typeof this.zoom === 'string') this._scale = this.zoomer.scaleFor(this.zoom);
        checkPixelRatio();
        this.measureScrollbars();
      });
      await this.updateComplete;
      if (this.scroller) this.resizeObserver.observe(this.scroller);
      const pagesElement = this.renderRoot.querySelector('.pages');
      if (pagesElement) this.resizeObserver.observe(pagesElement, { box: 'device-pixel-content-box' });
      const detail: EsignPlacerReadyDetail = {
        pageCount: this._pages.length,
        pages: this._pages.map((g) => ({ ...displayedSize(g), rotate: g.rotate, userUnit: g.userUnit })),
      };
      fire(this, 'esign-ready', detail);
      if (this.tag) void this.searchTag();
      this.syncForm();
    } catch (error) {
      if (generation !== this.loadGeneration) return;
      const classified = classifyPdfError(error);
      if (classified.code === 'aborted') return;
      if (classified.code === 'password-required' || classified.code === 'password-incorrect') {
        this._status = 'password';
        this._error = { code: classified.code, message: classified.code === 'password-required' ? this.t.passwordPrompt : this.t.passwordIncorrect };
        this.emitError(this._error);
        return;
      }
      this._status = 'error';
      const message =
        classified.code === 'http-error' && classified.status
          ? `${this.t.errors['http-error']} ${this.t.httpStatus(classified.status)}`
          : this.t.errors[classified.code as keyof PlacerStrings['errors']] ?? this.t.errors['invalid-pdf'];
      this._error = { code: classified.code, message, ...(classified.status ? { status: classified.status } : {}) };
      this.emitError(this._error);
    }
  }

  private resolveWorkerSrc(): string {
    return this.workerSrc || EsignPlacer.defaultWorkerSrc || new URL(/* @vite-ignore */ "./pdf.worker.min.mjs", import.meta.url).href;
  }

  private async searchTag(): Promise<void> {
    const pdf = this.pdf;
    const tag = this.tag;
    if (!pdf || !tag) {
      this._tagMatches = [];
      return;
    }
    const matches = (await findTag(pdf, tag)).map((m) => {
      const unit = this._pages[m.page - 1]?.userUnit ?? 1;
      return { ...m, width: this.boxWidth / unit, height: this.boxHeight / unit };
    });
    if (pdf !== this.pdf || tag !== this.tag) return;
    this._tagMatches = matches;
    if (!matches.length) this.emitError({ code: 'tag-not-found', message: this.t.tagNotFound(tag) });
  }

  // ── Layout, keys and selection ──────────────────────────────────────────────────────────────────

  private get scroller(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('.scroller');
  }

  private pageElement(page: number): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(`.page[data-page="${page}"]`);
  }

  private boxElement(id: string): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(`.box[data-id="${CSS.escape(id)}"]`);
  }

  /** The dock floats clear of the scrollbars, whose size depends on the platform (0 where they overlay). */
  private measureScrollbars(): void {
    const scroller = this.scroller;
    const view = scroller?.parentElement;
    if (!scroller || !view) return;
    view.style.setProperty('--_scrollbar-x', `${scroller.offsetHeight - scroller.clientHeight}px`);
    view.style.setProperty('--_scrollbar-y', `${scroller.offsetWidth - scroller.clientWidth}px`);
  }

  /** The middle of the part of page `page` that is in view, in user space (null when none of it is). */
  private visibleCentre(page: number): { x: number; y: number } | null {
    const element = this.pageElement(page);
    const scroller = this.scroller;
    const geometry = this._pages[page - 1];
    if (!element || !scroller || !geometry) return null;
    const p = element.getBoundingClientRect();
    const v = scroller.getBoundingClientRect();
    const ratio = this.gestures.clientRatio(page);
    const left = Math.max(p.left, v.left);
    const right = Math.min(p.right, v.left + scroller.clientWidth * ratio);
    const top = Math.max(p.top, v.top);
    const bottom = Math.min(p.bottom, v.top + scroller.clientHeight * ratio);
    if (right <= left || bottom <= top) return null;
    return viewportToUser(geometry, this._scale, { x: ((left + right) / 2 - p.left) / ratio, y: ((top + bottom) / 2 - p.top) / ratio });
  }

  /** Keys of the whole element (not of a text field or list): N / Shift+N step through boxes; +, − and 0 zoom. */
  private onKeyDown = (event: KeyboardEvent): void => {
    const target = event.composedPath()[0] as Element | undefined;
    if (event.defaultPrevented || target?.closest?.('input, select, textarea') || this._status !== 'ready') return;
    if ((event.key === 'n' || event.key === 'N') && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      void this.stepBox(event.shiftKey ? -1 : 1);
    } else if (this.zoomer.onKey(event)) event.preventDefault();
  };

  private async stepBox(direction: 1 | -1): Promise<void> {
    const box = await this.navigation.step(direction);
    if (!box) {
      this.announce(this.t.noBoxes);
      return;
    }
    const ordered = readingOrder(this._boxes, this._pages);
    const index = ordered.findIndex((b) => b.id === box.id) + 1;
    this.announce(this.t.boxOf(index, ordered.length, `${this.boxName(box)}, ${this.describe(box)}`));
  }

  /** Selects a box and focuses it, without the browser's own scrolling (the caller scrolls). */
  private selectBox(id: string): void {
    this._selected = id;
    void this.updateComplete.then(() => this.boxElement(id)?.focus({ preventScroll: true }));
  }

  /** With a signing order: an active signer that is in it, and an active kind the provider takes. */
  private settleActive(): void {
    const signers = Array.isArray(this.signers) ? this.signers : [];
    if (!signers.some((s) => s.id === this.activeSigner)) this.activeSigner = signers[0]?.id ?? '';
    const kinds = isProfileId(this.provider) ? signingRules(this.provider).kinds : ['signature'];
    if (!kinds.includes(this.activeKind)) this.activeKind = 'signature';
  }

  /** Who a new box belongs to: the active signer and kind (an e-meterai belongs to the document); nobody without signers. */
  private newBoxOwner(): Pick<PlacedBox, 'signer' | 'kind'> {
    if (!this.signingOrder.length) return {};
    // `signers` may have been set in this very task, before an update settled the active signer.
    this.settleActive();
    return isDocumentKind(this.activeKind) ? { kind: this.activeKind } : { signer: this.activeSigner, kind: this.activeKind };
  }

  /** Why no box can be placed for the active signer (a BSrE seal is invisible), or ''. */
  private addBlocked(): string {
    const signer = this.signingOrder.find((s) => s.id === this.activeSigner);
    return signer?.kind === 'seal' ? this.t.sealInvisible(signer.name) : '';
  }

  private observePages(): void {
    this.observer?.disconnect();
    const scroller = this.scroller;
    if (!scroller || !this._pages.length) return;
    this.visiblePages.clear();
    // Pages within one screen above or below are "visible": they are drawn before they scroll in.
    this.observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const page = Number((entry.target as HTMLElement).dataset.page);
          if (entry.isIntersecting) this.visiblePages.add(page);
          else this.visiblePages.delete(page);
        }
        this.renderer?.setVisible(this.visiblePages);
      },
      { root: scroller, rootMargin: '100% 0px' },
    );
    void this.updateComplete.then(() => {
      for (const element of this.renderRoot.querySelectorAll('.page')) this.observer?.observe(element);
    });
  }

  // ── Boxes: placed, edited, reassigned (gestures: box-gestures.ts) ─────────────────────────────────

  private newId(): string {
    return `box-${++boxSequence}-${Math.random().toString(36).slice(2, 8)}`;
  }

  /** A box moved, resized or drawn (`id` null: a new box, of the active signer and kind), now `box` in user space. */
  private placeBox(id: string | null, page: number, box: Box): void {
    let updated: PlacedBox | undefined;
    if (id === null) {
      updated = { ...this.newBoxOwner(), id: this.newId(), page, ...box };
      this._boxes = [...this._boxes, updated];
      this._selected = updated.id;
    } else this._boxes = this._boxes.map((b) => (b.id === id ? (updated = { ...b, page, ...box }) : b));
    if (updated) this.announce(this.t[id === null ? 'added' : 'moved'](this.boxName(updated), this.describe(updated)));
    this.changed(updated ?? null);
  }

  private onInspectorChange(event: Event, box: PlacedBox): void {
    const form = (event.currentTarget as HTMLElement).closest('form')!;
    const fields = Object.fromEntries(new FormData(form).entries());
    const profile = this.currentProfile();
    if (!profile) return;
    try {
      const user = fromProviderFields(fields, this._pages, profile);
      this._boxes = this._boxes.map((b) => (b.id === box.id ? { ...b, ...user } : b));
      this._inspectorError = '';
      this.announce(this.t.moved(this.boxName({ ...box, ...user }), this.describe({ ...box, ...user })));
      this.changed({ ...box, ...user });
    } catch (error) {
      if (!(error instanceof CoordinateError)) throw error;
      this._inspectorError = `${error.field}: ${languageOf(this) === 'id' ? error.messages.id : error.messages.en}`;
    }
  }

  /** Gives a box to another signer or makes it another kind (from the inspector); an e-meterai belongs to no signer. */
  private assignBox(id: string, patch: { signer?: string; kind?: BoxKind }): void {
    let updated: PlacedBox | undefined;
    this._boxes = this._boxes.map((b) => {
      if (b.id !== id) return b;
      const next: PlacedBox = { ...b, ...patch };
      if (isDocumentKind(kindOf(next))) delete next.signer;
      else if (next.signer === undefined) next.signer = this.activeSigner;
      return (updated = next);
    });
    if (!updated) return;
    this.announce(this.t.moved(this.boxName(updated), this.describe(updated)));
    this.changed(updated);
  }

  // ── State out: events, form, announcements ───────────────────────────────────────────────────────

  private currentProfile(): CoordinateProfile | null {
    return this.resolveCurrentProfile().profile;
  }

  /** The provider's convention with the element's overrides, or the reason there is none (an unknown provider: null). */
  private resolveCurrentProfile(): { profile: CoordinateProfile | null; error: CoordinateError | null } {
    if (!isProfileId(this.provider)) return { profile: null, error: null };
    try {
      return { profile: resolveProfile(this.provider, this.profile ?? {}), error: null };
    } catch (error) {
      if (error instanceof CoordinateError) return { profile: null, error };
      throw error;
    }
  }

  /**
   * Why `value` lacks boxes: an unknown provider, invalid `profile` overrides, the first box the provider
   * refuses, or a signing order it refuses (a signer without a box, a kind it has no place for). Each makes
   * the element invalid, so that a form never silently submits less than was placed. Messages name the signer.
   */
  private problem(): EsignErrorDetail | null {
    const lang = languageOf(this);
    if (!isProfileId(this.provider)) return { code: 'invalid-provider', message: `${this.t.errors['invalid-provider']} (${String(this.provider)})` };
    const { profile, error } = this.resolveCurrentProfile();
    if (error) return { code: 'invalid-profile', field: error.field, message: `${this.t.errors['invalid-profile']} ${error.messages[lang]}` };
    const first = profile && this._pages.length ? validateBoxes(this._boxes, this._pages, profile)[0] : undefined;
    if (first) {
      // `boxes.<index>.<field>`: the index in `boxes` (from 0), the field neutral (`width`) or the provider's
      // (`lowerLeftX`); an overlap is about the later box as a whole: `boxes.<index>`.
      const field = first.field === 'boxes' ? `boxes.${first.index}` : `boxes.${first.index}.${first.field}`;
      const box = first.index !== undefined ? this._boxes[first.index] : undefined;
      const whose = this.signingOrder.length && box ? ` ${this.boxName(box)}:` : '';
      return { code: first.code, field, ...(box?.signer ? { signer: box.signer } : {}), message: `${this.t.invalidBoxes}${whose} ${first.messages[lang]}` };
    }
    // A signer who has no box yet is not an error but a missing value (see syncForm), like `required`.
    const issue = signerIssues(this._boxes, this.signingOrder, this.provider).find((i) => i.code !== 'signer-without-box');
    if (!issue) return null;
    return { code: issue.code, field: issue.field, ...(issue.signer ? { signer: issue.signer } : {}), message: `${this.t.invalidSigners} ${issue.messages[lang]}` };
  }

  private get signingOrder(): readonly Signer[] {
    return Array.isArray(this.signers) ? this.signers : [];
  }

  /** Reports a change: the box it was about and its signer go with the boxes and the value. */
  private changed(box: PlacedBox | null = null): void {
    const signer = box?.signer !== undefined ? (this.signingOrder.find((s) => s.id === box.signer) ?? null) : null;
    const detail: EsignPlacerChangeDetail = { boxes: this.boxes, value: this.value, box: box ? { ...box } : null, signer: signer ? { ...signer } : null };
    this.requestUpdate();
    // Form value and validity are current when listeners run, not one update later.
    this.syncForm();
    fire(this, 'esign-change', detail);
  }

  private emitError(detail: EsignErrorDetail): void {
    fire(this, 'esign-error', detail);
  }

  private syncForm(): void {
    const value = this.value;
    this.internals.setFormValue(this.name ? JSON.stringify(value) : null, JSON.stringify(this._boxes));
    const count = this._boxes.length;
    const problem = this.problem();
    const missing = isProfileId(this.provider) ? signerIssues(this._boxes, this.signingOrder, this.provider).find((i) => i.code === 'signer-without-box') : undefined;
    const anchor = this.renderRoot.querySelector<HTMLElement>('.add') ?? undefined;
    if (this.required && count === 0) this.internals.setValidity({ valueMissing: true }, this.t.required, anchor);
    else if (count < this.minBoxes) this.internals.setValidity({ rangeUnderflow: true }, this.t.minBoxes(this.minBoxes), anchor);
    else if (count > this.maxBoxes) this.internals.setValidity({ rangeOverflow: true }, this.t.maxBoxes(this.maxBoxes), anchor);
    else if (problem) this.internals.setValidity({ customError: true }, problem.message, anchor);
    else if (missing) this.internals.setValidity({ valueMissing: true }, missing.messages[languageOf(this)], anchor);
    else this.internals.setValidity({});
    this.report(problem);
  }

  /** Fires `esign-error` once per new problem (validity is already current) and shows it; clears it once solved. */
  private report(problem: EsignErrorDetail | null): void {
    const key = problem ? `${problem.code} ${problem.field ?? ''} ${problem.signer ?? ''} ${problem.message}` : '';
    if (key === this.reportedProblem) return;
    this.reportedProblem = key;
    this._problem = problem;
    if (problem) this.emitError(problem);
  }

  formResetCallback(): void {
    this._boxes = [];
    this._selected = null;
    this.changed();
  }

  formStateRestoreCallback(state: string | File | FormData | null): void {
    if (typeof state !== 'string') return;
    try {
      const boxes = JSON.parse(state) as PlacedBox[];
      if (Array.isArray(boxes)) this.boxes = boxes;
    } catch {
      // A state we did not write: ignore it.
    }
  }

  formDisabledCallback(disabled: boolean): void {
    this.readonly = disabled;
  }

  /** The live region is written directly (no template binding), so that each message is announced once. */
  private announce(text: string): void {
    const region = this.renderRoot.querySelector('.live');
    if (region) region.textContent = text;
  }

  private get t(): PlacerStrings {
    return STRINGS[languageOf(this)];
  }

  private boxName(box: PlacedBox): string {
    const signer = this.signingOrder.find((s) => s.id === box.signer)?.name;
    return this.t.boxName(this._boxes.findIndex((b) => b.id === box.id) + 1, this.t.kinds[kindOf(box)] ?? this.t.kinds.signature, signer, box.label);
  }

  private describe(box: PlacedBox): string {
    return this.t.boxPosition(box.page, round1(box.x), round1(box.y), round1(box.width), round1(box.height));
  }


  // ── Rendering ─────────────────────────────────────────────────────────────────────────────────────

  protected override render() {
    const t = this.t;
    const ready = this._status === 'ready';
    const kinds = isProfileId(this.provider) ? signingRules(this.provider).kinds : (['signature'] as const);
    return html`<div class="base" part="base">
      ${renderToolbar(
        {
          t,
          ready,
          readonly: this.readonly,
          zoom: this.zoom,
          page: this._pageInView,
          pageCount: this._pages.length,
          boxCount: this._boxes.length,
          signers: this.signingOrder,
          activeSigner: this.activeSigner,
          kinds,
          activeKind: this.activeKind,
          addBlocked: this.addBlocked(),
        },
        {
          add: () => this.addBox(),
          stepZoom: (direction) => this.zoomer.step(direction),
          zoomTo: (zoom) => this.zoomer.zoomAt(zoom),
          goToPage: (page) => this.scrollToPage(page),
          stepBox: (direction) => void this.stepBox(direction),
          chooseSigner: (id) => (this.activeSigner = id),
          chooseKind: (kind) => (this.activeKind = kind),
        },
      )}
      <div class="view">
        <div class="scroller" part="viewport" tabindex="0" role="region" aria-label=${t.pages}>
          <div class="pages">${ready ? this._pages.slice(0, this._laidOut).map((geometry, i) => this.renderPage(geometry, i + 1)) : nothing}</div>
        </div>
        <div class="dock ${this._dockTop ? 'top' : ''}">
          ${this.renderInspector()}
          ${renderStatus({ t, status: this._status, progress: this._progress, error: this._error, problem: this._problem }, (password) => (this.password = password))}
        </div>
      </div>
      <div class="live visually-hidden" role="status" aria-live="polite"></div>
      <span id="box-help" class="visually-hidden">${t.boxHelp}</span>
    </div>`;
  }

  private renderInspector() {
    const box = this._boxes.find((b) => b.id === this._selected);
    const profile = this.currentProfile();
    if (!box || !profile || this._status !== 'ready') return nothing;
    let fields: Record<string, string | number>;
    try {
      fields = toProviderFields(box, this._pages, profile) as unknown as Record<string, string | number>;
    } catch (error) {
      if (!(error instanceof CoordinateError)) throw error;
      fields = {};
    }
    return renderInspector(
      {
        t: this.t,
        box,
        name: this.boxName(box),
        providerLabel: PROFILES[profile.id].label,
        fields,
        readonly: this.readonly,
        error: this._inspectorError,
        signers: this.signingOrder,
        kinds: signingRules(profile.id).kinds,
      },
      {
        edit: (event) => this.onInspectorChange(event, box),
        remove: () => this.removeBox(box.id),
        assign: (patch) => this.assignBox(box.id, patch),
      },
    );
  }

  private renderPage(geometry: PageGeometry, page: number) {
    return renderPage(
      {
        t: this.t,
        geometry,
        page,
        pageCount: this._pages.length,
        scale: this._scale,
        boxes: this._boxes,
        tags: this._tagMatches.filter((m) => m.page === page),
        selected: this._selected,
        readonly: this.readonly,
        drawing: this._drawing,
        signers: this.signingOrder,
        describe: (box) => `${this.boxName(box)}, ${this.describe(box)}`,
      },
      {
        pagePointerDown: (e) => this.gestures.onPagePointerDown(e, page),
        boxPointerDown: this.gestures.onBoxPointerDown,
        boxKeyDown: (e, id) => this.gestures.onBoxKeyDown(e, id),
        boxFocus: (id) => (this._selected = id),
      },
    );
  }
}
