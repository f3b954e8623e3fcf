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

  /** Every page element, top to bottom. */
  pageElements(): HTMLElement[] {
    return [...(this.host.renderRoot?.querySelectorAll<HTMLElement>('.page') ?? [])];
  }

  boxElements(): HTMLElement[] {
    return [...(this.host.renderRoot?.querySelectorAll<HTMLElement>('.box[data-id]') ?? [])];
  }
}
