// The document and its pages, as pdf.js's viewer keeps them apart from its rendering queue and its page views:
// loading a PDF (pdf.js's module and worker, a password, progress, failures as stable codes), the pages'
// geometry (page 1's size for all until every page is read), the scale the zoom gives, which pages are near the
// view (an IntersectionObserver) and so drawn by the PageRenderer (./page-renderer.ts), a redraw when the
// device pixel ratio changes, the BSrE tag's positions, and tearing all of it down when the document changes
// or the element leaves the page. A new document makes the old one's work stale (RunController).
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PDFDocumentLoadingTask, PDFDocumentProxy } from 'pdfjs-dist';
import { displayedSize, pageGeometry, viewportSize, type PageGeometry } from '@esign-kit/core';
import type { EsignErrorDetail, EsignPlacerReadyDetail } from '../internal/events.js';
import { RunController } from '../internal/run-controller.js';
import type { PlacerDom } from './dom.js';
import type { TagMatch } from './events.js';
import { loadDocumentCode, type DocumentCode } from './document-code.js';
import type { PageRenderer } from './page-renderer.js';
import { classifyPdfError } from './pdf.js';
import type { PdfSource } from './pdf-document.js';
import type { Status } from './status-view.js';
import type { PlacerStrings } from './strings.js';
import { PAGE_GAP } from './zoom.js';

/** What the controller needs of the element. */
export interface PagesView {
  dom: PlacerDom;
  /** The PDF to open: its bytes, else its URL; its password; pdf.js's worker. */
  data(): ArrayBuffer | Uint8Array | Blob | null;
  src(): string;
  password(): string | undefined;
  workerSrc(): string;
  /** The scale the element's zoom gives for the current pages and view; whether it follows the view's size. */
  zoomScale(): number;
  zoomFollowsView(): boolean;
  /** The BSrE tag marker, and the size of the specimen placed at it (points). */
  tag(): string;
  boxSize(): { width: number; height: number };
  strings(): PlacerStrings;
  /** The document's code is loaded (before the document is shown): the element takes its parts from it. */
  codeLoaded(code: DocumentCode): void;
  /** The document is open and every page's geometry read. */
  ready(detail: EsignPlacerReadyDetail): void;
  error(detail: EsignErrorDetail): void;
}

export class PagesController implements ReactiveController {
  status: Status = 'empty';
  /** Loading progress in percent (null: unknown). */
  progress: number | null = null;
  /** Why the document is not shown (or the password it waits for). */
  error: EsignErrorDetail | null = null;
  pages: PageGeometry[] = [];
  /** CSS pixels per point, after `fit-width`/`fit-page`. */
  scale = 1;
  /** How many pages have elements: until page 1 is painted, only those that fill the view (a long document's 300 would delay it). */
  laidOut = Number.POSITIVE_INFINITY;
  /** Where the tag marker will place the specimen. */
  tagMatches: TagMatch[] = [];

  private readonly runs: RunController;
  private pdf: PDFDocumentProxy | null = null;
  private loading: PDFDocumentLoadingTask | null = null;
  private renderer: PageRenderer | null = null;
  private observer: IntersectionObserver | null = null;
  private observed: PageGeometry[] | null = null;
  private resizeObserver: ResizeObserver | null = null;
  private readonly visiblePages = new Set<number>();
  /** The file's bytes, for reading page boxes pdf.js does not expose. */
  private bytes: Uint8Array | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly view: PagesView,
  ) {
    host.addController(this);
    this.runs = new RunController(host);
  }

  /** Whether a document is open (or opening). */
  get isOpen(): boolean {
    return this.pdf !== null;
  }

  /** Pages drawn so far (a benchmark uses it to show that dragging redraws nothing). */
  get renderCount(): number {
    return this.renderer?.renderCount ?? 0;
  }

  /** Live page canvases (bounded: far pages give theirs back). */
  get liveCanvases(): number {
    return this.renderer?.liveCanvases ?? 0;
  }

  /** A new scale (a zoom): the pages are laid out at it, then drawn at it. */
  setScale(scale: number): void {
    if (scale === this.scale) return;
    this.scale = scale;
    this.host.requestUpdate();
  }

  hostUpdated(): void {
    // Drawn at the new scale once the pages are laid out at it; observed again once they are new elements.
    this.renderer?.setScale(this.scale);
    if (this.observed !== this.pages) this.observePages();
  }

  hostDisconnected(): void {
    this.teardown();
  }

  private teardown(): void {
    this.runs.end();
    void this.loading?.destroy();
    this.loading = null;
    this.renderer?.destroy();
    this.renderer = null;
    this.observer?.disconnect();
    this.observer = null;
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
    void this.pdf?.destroy();
    this.pdf = null;
  }

  private set(state: Partial<Pick<PagesController, 'status' | 'progress' | 'error' | 'pages' | 'scale' | 'laidOut' | 'tagMatches'>>): void {
    Object.assign(this, state);
    this.host.requestUpdate();
  }

  private async source(): Promise<PdfSource | null> {
    const data = this.view.data();
    if (data) {
      const bytes = data instanceof Blob ? new Uint8Array(await data.arrayBuffer()) : new Uint8Array(data instanceof Uint8Array ? data : data.slice(0));
      // pdf.js transfers the bytes to its worker; keep ours (and the caller's) usable with a copy.
      this.bytes = bytes;
      return { data: bytes.slice() };
    }
    const src = this.view.src();
    return src ? { url: new URL(src, document.baseURI).href } : null;
  }

  /** Opens the element's PDF (closing the one before): page 1 painted first, then every page's geometry. */
  async load(): Promise<void> {
    this.teardown();
    const run = this.runs.begin();
    const current = () => this.runs.isCurrent(run);
    this.set({ status: 'loading', progress: null, error: null, pages: [], tagMatches: [] });
    this.bytes = null;
    const t = this.view.strings();
    try {
      // This document's code, fetched beside pdf.js (and usually already there: the element preloads it).
      const [source, code] = await Promise.all([this.source(), loadDocumentCode()]);
      this.view.codeLoaded(code);
      const { openPdf, readGeometries, PageRenderer } = code;
      if (!source) return;
      const opened = await openPdf(source, {
        workerSrc: this.view.workerSrc(),
        password: this.view.password(),
        onProgress: (loaded, total) => {
          if (current()) this.set({ progress: total ? Math.min(100, Math.round((loaded / total) * 100)) : null });
        },
      });
      this.loading = opened.task;
      const pdf = await opened.document;
      if (!current()) {
        void pdf.destroy();
        return;
      }
      this.pdf = pdf;
      // Paint page 1 first, as pdf.js's viewer does: until every page's geometry is read (300 pages, and the
      // page tree from the file), all pages are laid out with page 1's size.
      const first = await pdf.getPage(1);
      const provisional = pageGeometry({ mediaBox: first.view, rotate: first.rotate, userUnit: first.userUnit });
      this.pages = Array.from({ length: pdf.numPages }, () => provisional);
      const scale = this.view.zoomScale();
      // Building every page's element costs a long document 100-200 ms of main thread, which page 1's drawing
      // would wait for: until it is painted, only the pages that fill two views get one.
      const laidOut = Math.ceil((2 * (this.view.dom.scroller?.clientHeight || 800)) / (viewportSize(provisional, scale).height + PAGE_GAP)) + 1;
      this.set({ scale, laidOut, status: 'ready' });
      let painted: () => void = () => {};
      const firstPaint = new Promise<void>((resolve) => (painted = resolve));
      this.renderer = new PageRenderer(pdf, {
        slotFor: (page) => this.view.dom.canvasSlot(page),
        onError: (page) => this.view.error({ code: 'render-failed', message: `${t.errors['render-failed']} (${page})` }),
        onRendered: () => painted(),
        settled: () => this.host.updateComplete,
      });
      this.renderer.setScale(this.scale);
      // Page 1 starts drawing now, without waiting a frame for the IntersectionObserver, and before the
      // pages' elements are built: the worker prepares its drawing while a long document is laid out.
      this.renderer.start(first);
      await this.host.updateComplete;
      // Reading every page's geometry competes with painting page 1 for the main thread: paint first.
      await Promise.race([firstPaint, new Promise((resolve) => setTimeout(resolve, 2000))]);
      if (!current()) return;
      // Painted: every page gets its element now (at page 1's size until the geometries are read).
      this.set({ laidOut: Number.POSITIVE_INFINITY });
      const pages = await readGeometries(pdf, this.bytes);
      if (!current()) return;
      this.pages = pages;
      this.set({ scale: this.view.zoomScale() });
      this.watchLayout();
      await this.host.updateComplete;
      if (!current()) return;
      const scroller = this.view.dom.scroller;
      if (scroller) this.resizeObserver?.observe(scroller);
      const container = this.view.dom.pagesContainer;
      if (container) this.resizeObserver?.observe(container, { box: 'device-pixel-content-box' });
      this.view.ready({
        pageCount: this.pages.length,
        pages: this.pages.map((g) => ({ ...displayedSize(g), rotate: g.rotate, userUnit: g.userUnit })),
      });
      if (this.view.tag()) void this.searchTag();
    } catch (error) {
      if (!current()) return;
      const classified = classifyPdfError(error);
      if (classified.code === 'aborted') return;
      if (classified.code === 'password-required' || classified.code === 'password-incorrect') {
        this.set({
          status: 'password',
          error: { code: classified.code, message: classified.code === 'password-required' ? t.passwordPrompt : t.passwordIncorrect },
        });
      } else {
        const message =
          classified.code === 'http-error' && classified.status
            ? `${t.errors['http-error']} ${t.httpStatus(classified.status)}`
            : (t.errors[classified.code as keyof PlacerStrings['errors']] ?? t.errors['invalid-pdf']);
        this.set({ status: 'error', error: { code: classified.code, message, ...(classified.status ? { status: classified.status } : {}) } });
      }
      this.view.error(this.error!);
    }
  }

  /**
   * One observer for both: the view's size (fit-width/fit-page follow it) and the pages' size in device
   * pixels, which changes with devicePixelRatio (browser zoom, another screen) and calls for a redraw.
   */
  private watchLayout(): void {
    const { signal } = this.runs;
    let dpr = window.devicePixelRatio;
    const checkPixelRatio = () => {
      if (window.devicePixelRatio === dpr) return;
      dpr = window.devicePixelRatio;
      this.renderer?.refresh();
      watchResolution();
    };
    // No single signal is reliable everywhere (emulated ratios skip some): listen to all three.
    const watchResolution = () => matchMedia(`(resolution: ${dpr}dppx)`).addEventListener('change', checkPixelRatio, { once: true, signal });
    watchResolution();
    window.addEventListener('resize', checkPixelRatio, { signal });
    this.resizeObserver = new ResizeObserver(() => {
      if (this.view.zoomFollowsView()) this.setScale(this.view.zoomScale());
      checkPixelRatio();
      this.measureScrollbars();
    });
  }

  /** The dock floats clear of the scrollbars, whose size depends on the platform (0 where they overlay). */
  private measureScrollbars(): void {
    const scroller = this.view.dom.scroller;
    const view = scroller?.parentElement;
    if (!scroller || !view) return;
    view.style.setProperty('--_scrollbar-x', `${scroller.offsetHeight - scroller.clientHeight}px`);
    view.style.setProperty('--_scrollbar-y', `${scroller.offsetWidth - scroller.clientWidth}px`);
  }

  /** Pages within one screen above or below are "visible": they are drawn before they scroll in. */
  private observePages(): void {
    this.observed = this.pages;
    this.observer?.disconnect();
    const scroller = this.view.dom.scroller;
    if (!scroller || !this.pages.length) return;
    this.visiblePages.clear();
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
    void this.host.updateComplete.then(() => {
      for (const element of this.view.dom.pageElements()) this.observer?.observe(element);
    });
  }

  /** Finds the tag marker in the document's text (again, when the tag changes). */
  async searchTag(): Promise<void> {
    const pdf = this.pdf;
    const tag = this.view.tag();
    if (!pdf || !tag) {
      this.set({ tagMatches: [] });
      return;
    }
    const size = this.view.boxSize();
    const { findTag } = await loadDocumentCode();
    const matches = (await findTag(pdf, tag)).map((m) => {
      const unit = this.pages[m.page - 1]?.userUnit ?? 1;
      return { ...m, width: size.width / unit, height: size.height / unit };
    });
    if (pdf !== this.pdf || tag !== this.view.tag()) return;
    this.set({ tagMatches: matches });
    if (!matches.length) this.view.error({ code: 'tag-not-found', message: this.view.strings().tagNotFound(tag) });
  }
}
