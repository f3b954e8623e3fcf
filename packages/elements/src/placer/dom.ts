// Where things are in the placer's shadow root, for the controllers that measure, scroll and bind to them. The
// templates (placer-view.ts, page-view.ts, toolbar.ts) give these elements their classes.

export class PlacerDom {
  constructor(private readonly host: { readonly renderRoot: HTMLElement | DocumentFragment }) {}

  private query(selector: string): HTMLElement | null {
    return this.host.renderRoot?.querySelector<HTMLElement>(selector) ?? null;
  }

  /** The scrolling area holding the pages. */
  get scroller(): HTMLElement | null {
    return this.query('.scroller');
  }

  /** The pages' container (what a dragged box is kept inside). */
  get pagesContainer(): HTMLElement | null {
    return this.query('.pages');
  }

  /** The dock floating over the pages (inspector, status). */
  get dock(): HTMLElement | null {
    return this.query('.dock');
  }

  /** The add button, which validity messages point at. */
  get addButton(): HTMLElement | null {
    return this.query('.add');
  }

  pageElement(page: number): HTMLElement | null {
    return this.query(`.page[data-page="${page}"]`);
  }

  /** Where page `page`'s canvas goes. */
  canvasSlot(page: number): HTMLElement | null {
    return this.query(`.page[data-page="${page}"] .canvas-slot`);
  }

  boxElement(id: string): HTMLElement | null {
    return this.query(`.box[data-id="${CSS.escape(id)}"]`);
  }

  /**
   * The page at client height `y` among the first `count`: the last one whose top is above it (pages are stacked
   * top to bottom: a binary search, for 300 pages as for 3). Page 1 when `y` is above them all.
   */
  pageAt(y: number, count: number): number {
    let low = 1;
    let high = count;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      const top = this.pageElement(mid)?.getBoundingClientRect().top ?? Infinity;
      if (top <= y) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  /** Every page element, top to bottom. */
  pageElements(): HTMLElement[] {
    return [...(this.host.renderRoot?.querySelectorAll<HTMLElement>('.page') ?? [])];
  }

  boxElements(): HTMLElement[] {
    return [...(this.host.renderRoot?.querySelectorAll<HTMLElement>('.box[data-id]') ?? [])];
  }
}
