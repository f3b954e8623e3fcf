// Renders pages lazily into canvases, like pdf.js's viewer: one queue decides what renders next (visible
// pages first, nearest to the centre of the view first), and a least-recently-used budget bounds the number
// of live canvases, so a 300-page document costs what a few pages cost.
import type { PDFDocumentProxy, PDFPageProxy, RenderTask } from 'pdfjs-dist';

interface RenderedPage {
  canvas: HTMLCanvasElement;
  scale: number;
  dpr: number;
  lastSeen: number;
}

export interface PageRendererOptions {
  /** The element that receives page n's canvas. */
  slotFor: (page: number) => HTMLElement | null;
  /** Resolves once the pages' elements are laid out (a page drawn before its slot exists waits for it). */
  settled?: () => Promise<unknown>;
  /** Canvases kept alive at most (visible pages always render, even past the budget). */
  maxCanvases?: number;
  onError?: (page: number, error: unknown) => void;
  onRendered?: (page: number) => void;
}

export class PageRenderer {
  /** Pages drawn so far: a benchmark reads it to prove that dragging a box redraws nothing. */
  renderCount = 0;
  private readonly rendered = new Map<number, RenderedPage>();
  private visible = new Set<number>();
  private scale = 1;
  private running: { page: number; task: RenderTask } | null = null;
  private pumping = false;
  private clock = 0;
  private destroyed = false;

  constructor(
    private readonly pdf: PDFDocumentProxy,
    private readonly options: PageRendererOptions,
  ) {}

  get liveCanvases(): number {
    return this.rendered.size;
  }

  setScale(scale: number): void {
    if (scale === this.scale) return;
    this.scale = scale;
    // Until a page is drawn again at the new scale, its old canvas is stretched to the page's new size, so
    // that a zoom (a pinch, a run of Ctrl+wheel steps) shows the page at once, if blurred, and never a gap.
    for (const r of this.rendered.values()) {
      r.canvas.style.transformOrigin = '0 0';
      r.canvas.style.transform = r.scale === scale ? '' : `scale(${scale / r.scale})`;
    }
    // A running render at the old scale is wasted work.
    this.running?.task.cancel();
    void this.pump();
  }

  setVisible(pages: Iterable<number>): void {
    this.visible = new Set(pages);
    for (const page of this.visible) {
      const r = this.rendered.get(page);
      if (r) r.lastSeen = ++this.clock;
    }
    void this.pump();
  }

  /**
   * Starts drawing a page at once, before its element exists: the worker prepares its drawing while the
   * element lays out its pages, instead of after (the first page of a long document).
   */
  start(page: PDFPageProxy): void {
    this.visible.add(page.pageNumber);
    void this.pump(page);
  }

  /** Re-render visible pages, e.g. after a devicePixelRatio change. */
  refresh(): void {
    void this.pump();
  }

  destroy(): void {
    this.destroyed = true;
    this.running?.task.cancel();
    for (const page of [...this.rendered.keys()]) this.release(page);
  }

  private dpr(): number {
    return window.devicePixelRatio || 1;
  }

  private isCurrent(page: number): boolean {
    const r = this.rendered.get(page);
    return !!r && r.scale === this.scale && r.dpr === this.dpr();
  }

  private next(): number | undefined {
    const pending = [...this.visible].filter((p) => !this.isCurrent(p)).sort((a, b) => a - b);
    if (!pending.length) return undefined;
    // Nearest to the middle of what is visible first: the page the person is looking at.
    const middle = pending[Math.floor(pending.length / 2)]!;
    return pending.sort((a, b) => Math.abs(a - middle) - Math.abs(b - middle))[0];
  }

  private async pump(first?: PDFPageProxy): Promise<void> {
    if (this.pumping || this.destroyed) return;
    this.pumping = true;
    try {
      if (first) await this.draw(first.pageNumber, first);
      for (let page = this.next(); page !== undefined && !this.destroyed; page = this.next()) {
        await this.draw(page);
        // Within the loop, not after it: while someone keeps scrolling there is always a next page to draw,
        // and far pages must give their canvases back meanwhile.
        this.evict();
      }
      this.evict();
    } finally {
      this.pumping = false;
    }
  }

  private async draw(pageNumber: number, proxy?: PDFPageProxy): Promise<void> {
    if (!proxy && !this.options.slotFor(pageNumber)) {
      this.visible.delete(pageNumber);
      return;
    }
    const scale = this.scale;
    const dpr = this.dpr();
    try {
      const page = proxy ?? (await this.pdf.getPage(pageNumber));
      const viewport = page.getViewport({ scale });
      const canvas = document.createElement('canvas');
      // Crisp at any devicePixelRatio: one canvas pixel is one device pixel. The CSS size is the whole device
      // pixels (not the page's fractional size): stretching 297 pixels over 297.5 would shift the drawing
      // against the boxes by up to half a pixel.
      canvas.width = Math.max(1, Math.floor(viewport.width * dpr));
      canvas.height = Math.max(1, Math.floor(viewport.height * dpr));
      canvas.style.width = `${canvas.width / dpr}px`;
      canvas.style.height = `${canvas.height / dpr}px`;
      canvas.setAttribute('part', 'canvas');
      canvas.setAttribute('aria-hidden', 'true');
      const task = page.render({
        canvas,
        canvasContext: canvas.getContext('2d', { alpha: false })!,
        viewport,
        ...(dpr !== 1 ? { transform: [dpr, 0, 0, dpr, 0, 0] } : {}),
      });
      this.running = { page: pageNumber, task };
      await task.promise;
      let slot = this.options.slotFor(pageNumber);
      if (!slot && this.options.settled) {
        await this.options.settled();
        slot = this.options.slotFor(pageNumber);
      }
      if (this.destroyed || !slot) return;
      this.renderCount++;
      this.release(pageNumber, false);
      slot.replaceChildren(canvas);
      this.rendered.set(pageNumber, { canvas, scale, dpr, lastSeen: ++this.clock });
      this.options.onRendered?.(pageNumber);
    } catch (error) {
      const name = (error as { name?: string } | null)?.name;
      if (name === 'RenderingCancelledException') return;
      // Do not retry a page that cannot be drawn in a loop: mark it drawn (empty) at this scale.
      this.rendered.set(pageNumber, { canvas: document.createElement('canvas'), scale, dpr, lastSeen: ++this.clock });
      this.options.onError?.(pageNumber, error);
    } finally {
      this.running = null;
    }
  }

  private evict(): void {
    const max = this.options.maxCanvases ?? 6;
    const far = [...this.rendered.entries()].filter(([page]) => !this.visible.has(page)).sort((a, b) => a[1].lastSeen - b[1].lastSeen);
    while (this.rendered.size > max && far.length) this.release(far.shift()![0]);
  }

  private release(page: number, cleanup = true): void {
    const r = this.rendered.get(page);
    if (!r) return;
    // Zero-sized canvases give their backing store back at once instead of at the next GC.
    r.canvas.width = 0;
    r.canvas.height = 0;
    r.canvas.remove();
    this.rendered.delete(page);
    // Far pages also give back pdf.js's parsed operator lists and fonts.
    if (cleanup) void this.pdf.getPage(page).then((p) => p.cleanup());
  }
}
