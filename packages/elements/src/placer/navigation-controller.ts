// Finding one's way in a long document: which page is in view (the toolbar's "3 / 12"), going to a page,
// bringing a box into view on both axes (a zoomed page scrolls sideways too), stepping from box to box in
// reading order (the "next box" control and the N / Shift+N keys), and where in view a new box goes. It also
// keeps the floating dock clear of the selected box, since both depend on what is in view.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { userBoxToViewport, viewportToUser, type PageGeometry, type PlacedBox } from '@esign-kit/core';
import type { DocumentView } from './document-view.js';
import { PAGE_GAP } from './zoom.js';

/** What the controller needs of the element. */
export interface NavigationView extends DocumentView {
  /** Client pixels per CSS pixel of a page (1 unless an ancestor is transformed). */
  clientRatio(page: number): number;
  /** Selects a box and focuses it (without the browser's own scrolling). */
  selectBox(id: string): void;
  /** Called when the page in the middle of the view changes. */
  setPageInView(page: number): void;
  /** Called when the dock should move to the other side of the view (`top`: above, else below). */
  dockAtTop(top: boolean): void;
}

/** Reading order: page, then top to bottom and left to right as displayed. */
export function readingOrder(boxes: readonly PlacedBox[], pages: readonly PageGeometry[]): PlacedBox[] {
  const key = (b: PlacedBox) => {
    const g = pages[b.page - 1];
    const r = g ? userBoxToViewport(g, 1, b) : { top: 0, left: 0 };
    return [b.page, r.top, r.left] as const;
  };
  return [...boxes].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2];
  });
}

export class NavigationController implements ReactiveController {
  /** The page in the middle of the view (1-based). */
  current = 1;
  private listeners: AbortController | null = null;
  private frame = 0;
  private dockTop = false;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly view: NavigationView,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    const scroller = this.view.dom.scroller;
    if (!this.listeners && scroller) {
      this.listeners = new AbortController();
      scroller.addEventListener('scroll', this.onScroll, { passive: true, signal: this.listeners.signal });
    }
    this.placeDock();
  }

  hostDisconnected(): void {
    this.listeners?.abort();
    this.listeners = null;
    cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  /** Scroll offsets are CSS pixels of the scroller; client rectangles are scaled by transformed ancestors. */
  private ratio(scroller: HTMLElement): number {
    return (scroller.offsetWidth ? scroller.getBoundingClientRect().width / scroller.offsetWidth : 1) || 1;
  }

  /** Brings page `page` into view: its top edge at the top, and horizontally centred (or its left edge, if wider than the view). */
  scrollToPage(page: number): void {
    const scroller = this.view.dom.scroller;
    const element = this.view.dom.pageElement(page);
    if (!scroller || !element) return;
    const ratio = this.ratio(scroller);
    const view = scroller.getBoundingClientRect();
    const rect = element.getBoundingClientRect();
    scroller.scrollTop += (rect.top - view.top) / ratio - PAGE_GAP;
    const width = scroller.clientWidth;
    const pageWidth = rect.width / ratio;
    scroller.scrollLeft +=
      pageWidth + 2 * PAGE_GAP <= width ? (rect.left + rect.width / 2 - (view.left + view.width / 2)) / ratio : (rect.left - view.left) / ratio - PAGE_GAP;
    this.update();
  }

  /** Brings a box into the middle of the view on both axes (its top-left corner first, if it is larger than the view). */
  scrollToBox(id: string): boolean {
    const scroller = this.view.dom.scroller;
    const element = this.view.dom.boxElement(id);
    if (!scroller || !element) return false;
    const ratio = this.ratio(scroller);
    const view = scroller.getBoundingClientRect();
    const rect = element.getBoundingClientRect();
    const axis = (start: number, size: number, viewStart: number, viewSize: number, client: number) =>
      size / ratio + 2 * PAGE_GAP <= client ? (start + size / 2 - (viewStart + viewSize / 2)) / ratio : (start - viewStart) / ratio - PAGE_GAP;
    scroller.scrollTop += axis(rect.top, rect.height, view.top, view.height, scroller.clientHeight);
    scroller.scrollLeft += axis(rect.left, rect.width, view.left, view.width, scroller.clientWidth);
    this.update();
    return true;
  }

  /** Selects the next (or previous) box in reading order after the selected one, or from the page in view; wraps around. */
  async step(direction: 1 | -1): Promise<PlacedBox | null> {
    const ordered = readingOrder(this.view.model.boxes, this.view.pages());
    if (!ordered.length) return null;
    const at = ordered.findIndex((b) => b.id === this.view.model.selected);
    let index: number;
    if (at >= 0) index = (at + direction + ordered.length) % ordered.length;
    else if (direction > 0)
      index = Math.max(
        0,
        ordered.findIndex((b) => b.page >= this.current),
      );
    else {
      const before = ordered.map((b) => b.page <= this.current).lastIndexOf(true);
      index = before >= 0 ? before : ordered.length - 1;
    }
    const box = ordered[index]!;
    // The box's page may not be laid out at its final size yet: select, render, then scroll.
    this.view.selectBox(box.id);
    await this.host.updateComplete;
    this.scrollToBox(box.id);
    return box;
  }

  /** The middle of the part of page `page` that is in view, in user space (null when none of it is). */
  visibleCentre(page: number): { x: number; y: number } | null {
    const element = this.view.dom.pageElement(page);
    const scroller = this.view.dom.scroller;
    const geometry = this.view.pages()[page - 1];
    if (!element || !scroller || !geometry) return null;
    const p = element.getBoundingClientRect();
    const v = scroller.getBoundingClientRect();
    const ratio = this.view.clientRatio(page);
    const left = Math.max(p.left, v.left);
    const right = Math.min(p.right, v.left + scroller.clientWidth * ratio);
    const top = Math.max(p.top, v.top);
    const bottom = Math.min(p.bottom, v.top + scroller.clientHeight * ratio);
    if (right <= left || bottom <= top) return null;
    return viewportToUser(geometry, this.view.scale(), { x: ((left + right) / 2 - p.left) / ratio, y: ((top + bottom) / 2 - p.top) / ratio });
  }

  /** The page in the middle of the view, recomputed now. */
  update(): number {
    const scroller = this.view.dom.scroller;
    const count = this.view.pages().length;
    if (!scroller || !count) return this.current;
    const view = scroller.getBoundingClientRect();
    const low = this.view.dom.pageAt(view.top + view.height / 2, count);
    if (low !== this.current) {
      this.current = low;
      this.view.setPageInView(low);
    }
    return low;
  }

  private onScroll = (): void => {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.update();
      this.placeDock();
    });
  };

  /** The dock floats at the bottom of the view, or at the top while the selected box is under it there. */
  private placeDock(): void {
    const dock = this.view.dom.dock;
    const id = this.view.model.selected;
    const scroller = this.view.dom.scroller;
    const box = id ? this.view.dom.boxElement(id) : null;
    if (!dock || !scroller || !box || !dock.firstElementChild) return this.setDock(false);
    const view = scroller.getBoundingClientRect();
    const b = box.getBoundingClientRect();
    const height = dock.getBoundingClientRect().height;
    const bottomBand = { top: view.top + scroller.clientHeight - height - 16, bottom: view.top + scroller.clientHeight };
    const topBand = { top: view.top, bottom: view.top + height + 16 };
    const under = (band: { top: number; bottom: number }) => b.bottom > band.top && b.top < band.bottom;
    if (under(bottomBand) && !under(topBand)) this.setDock(true);
    else if (under(topBand) && !under(bottomBand)) this.setDock(false);
  }

  private setDock(top: boolean): void {
    if (top === this.dockTop) return;
    this.dockTop = top;
    this.view.dockAtTop(top);
  }
}
