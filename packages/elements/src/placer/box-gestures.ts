// Boxes under the pointer and the keyboard: drag (onto another page too), resize by the handles, draw a new box
// on a page, arrows and Delete. interact.js drives drags and resizes; during a gesture the box moves by CSS only
// (no update, no page redrawn), and the result is committed once, in the page's own CSS pixels.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import interact from 'interactjs';
import { userBoxToViewport, viewportRectToUser, viewportSize, type ViewportRect } from '@esign-kit/core';
import type { DocumentView } from './document-view.js';
import { PAGE_GAP } from './zoom.js';

type Interactable = ReturnType<typeof interact>;

/** What the controller needs of the element. */
export interface BoxGestureView extends DocumentView {
  readonly(): boolean;
  /** The provider's smallest box, in points. */
  minSize(): number;
  /** The rectangle being drawn, to show it (null when done). */
  drawing(drawing: { page: number; rect: ViewportRect } | null): void;
  /** Focuses a box once it is rendered. */
  focus(id: string): void;
}

export class BoxGestures implements ReactiveController {
  private readonly interactables = new Map<HTMLElement, Interactable>();

  constructor(
    host: ReactiveControllerHost,
    private readonly view: BoxGestureView,
  ) {
    host.addController(this);
  }

  /** Binds new box elements, unbinds gone ones, and follows `readonly`. */
  hostUpdated(): void {
    const alive = new Set<HTMLElement>();
    for (const element of this.view.dom.boxElements()) {
      alive.add(element);
      if (!this.interactables.has(element)) this.interactables.set(element, this.makeInteractable(element));
    }
    for (const [element, interactable] of this.interactables) {
      if (alive.has(element)) continue;
      interactable.unset();
      this.interactables.delete(element);
    }
    for (const interactable of this.interactables.values()) {
      interactable.draggable(!this.view.readonly());
      interactable.resizable(!this.view.readonly());
    }
  }

  hostDisconnected(): void {
    for (const interactable of this.interactables.values()) interactable.unset();
    this.interactables.clear();
  }

  /** A rectangle on page `page` in CSS pixels at the current scale, kept inside the page and at least the minimum size. */
  private clampRect(page: number, rect: ViewportRect): ViewportRect {
    const size = viewportSize(this.view.pages()[page - 1]!, this.view.scale());
    const min = this.minPixels();
    const width = Math.min(Math.max(rect.width, min), size.width);
    const height = Math.min(Math.max(rect.height, min), size.height);
    return {
      left: Math.min(Math.max(rect.left, 0), size.width - width),
      top: Math.min(Math.max(rect.top, 0), size.height - height),
      width,
      height,
    };
  }

  /** The profile's minimum size in CSS pixels: one point is `scale` CSS pixels whatever the page's UserUnit. */
  private minPixels(): number {
    return this.view.minSize() * this.view.scale();
  }

  /** Commits a rectangle in page `page`'s CSS pixels: clamped to the page, then read back in user space. */
  commitRect(id: string | null, page: number, rect: ViewportRect): void {
    const clamped = this.clampRect(page, rect);
    this.view.model.place(id, page, viewportRectToUser(this.view.pages()[page - 1]!, this.view.scale(), clamped));
  }

  /**
   * Client pixels per CSS pixel of a page: 1 unless an ancestor is CSS-transformed (scaled). Measured against
   * the page's exact layout width (offsetWidth is rounded to whole pixels).
   */
  clientRatio(page: number): number {
    const element = this.view.dom.pageElement(page);
    const width = viewportSize(this.view.pages()[page - 1]!, this.view.scale()).width;
    return (element && width > 0 ? element.getBoundingClientRect().width / width : 1) || 1;
  }

  private makeInteractable(element: HTMLElement): Interactable {
    // During a gesture the box moves by CSS transform only: no Lit update, no page re-render.
    let start: { rect: ViewportRect; ratio: number; dx: number; dy: number } | null = null;
    const begin = () => {
      const id = element.dataset.id!;
      const box = this.view.model.boxes.find((b) => b.id === id);
      if (!box) return;
      this.view.model.select(id);
      start = { rect: userBoxToViewport(this.view.pages()[box.page - 1]!, this.view.scale(), box), ratio: this.clientRatio(box.page), dx: 0, dy: 0 };
      element.classList.add('moving');
    };
    return interact(element)
      .styleCursor(false)
      .draggable({
        listeners: {
          start: begin,
          move: (event: { dx: number; dy: number }) => {
            if (!start) return;
            start.dx += event.dx / start.ratio;
            start.dy += event.dy / start.ratio;
            element.style.transform = `translate(${start.dx}px, ${start.dy}px)`;
          },
          end: () => {
            if (!start) return;
            element.classList.remove('moving');
            element.style.transform = '';
            const s = start;
            start = null;
            this.dropOnPage(element.dataset.id!, s.rect, s.dx, s.dy);
          },
        },
        modifiers: [interact.modifiers.restrictRect({ restriction: (() => this.view.dom.pagesContainer) as never, endOnly: false })],
      })
      .resizable({
        edges: { left: '.handle.w', right: '.handle.e', top: '.handle.n', bottom: '.handle.s' },
        listeners: {
          start: begin,
          move: (event: { deltaRect: { left: number; top: number; width: number; height: number } }) => {
            if (!start) return;
            const r = start.rect;
            start.rect = {
              left: r.left + event.deltaRect.left / start.ratio,
              top: r.top + event.deltaRect.top / start.ratio,
              width: r.width + event.deltaRect.width / start.ratio,
              height: r.height + event.deltaRect.height / start.ratio,
            };
            Object.assign(element.style, {
              left: `${start.rect.left}px`,
              top: `${start.rect.top}px`,
              width: `${start.rect.width}px`,
              height: `${start.rect.height}px`,
            });
          },
          end: () => {
            if (!start) return;
            element.classList.remove('moving');
            const s = start;
            start = null;
            const box = this.view.model.boxes.find((b) => b.id === element.dataset.id);
            if (box) this.commitRect(box.id, box.page, s.rect);
          },
        },
        modifiers: [
          interact.modifiers.restrictEdges({ outer: 'parent' }),
          interact.modifiers.restrictSize({ min: () => ({ width: this.minPixels(), height: this.minPixels() }) } as never),
        ],
      });
  }

  /**
   * A dragged box lands on the page under its centre, which may be another page than the one it left.
   * Positions come from client rectangles (exact), not offsetTop (rounded to whole pixels: pages below a
   * page of fractional height sit at fractional offsets).
   */
  private dropOnPage(id: string, rect: ViewportRect, dx: number, dy: number): void {
    const box = this.view.model.boxes.find((b) => b.id === id);
    if (!box) return;
    const ratio = this.clientRatio(box.page);
    const from = this.view.dom.pageElement(box.page)!.getBoundingClientRect();
    const centreY = from.top + (rect.top + dy + rect.height / 2) * ratio;
    let target = box.page;
    let to = from;
    for (const element of this.view.dom.pageElements()) {
      const bounds = element.getBoundingClientRect();
      // The page whose vertical span (with half the gap above it) holds the centre.
      if (centreY >= bounds.top - (PAGE_GAP / 2) * ratio) {
        target = Number(element.dataset.page);
        to = bounds;
      }
    }
    const left = (from.left - to.left) / ratio + rect.left + dx;
    const top = (from.top - to.top) / ratio + rect.top + dy;
    this.commitRect(id, target, { left, top, width: rect.width, height: rect.height });
  }

  /** Drawing a new box with the mouse or a pen (a finger scrolls instead). */
  onPagePointerDown(event: PointerEvent, page: number): void {
    if (this.view.readonly() || event.button !== 0 || event.pointerType === 'touch' || this.view.model.addBlocked()) return;
    if ((event.composedPath()[0] as Element).closest?.('.box')) return;
    const element = event.currentTarget as HTMLElement;
    const bounds = element.getBoundingClientRect();
    const ratio = this.clientRatio(page);
    const origin = { x: (event.clientX - bounds.left) / ratio, y: (event.clientY - bounds.top) / ratio };
    element.setPointerCapture(event.pointerId);
    let drawn: ViewportRect = { left: origin.x, top: origin.y, width: 0, height: 0 };
    this.view.drawing({ page, rect: drawn });
    const move = (e: PointerEvent) => {
      const x = (e.clientX - bounds.left) / ratio;
      const y = (e.clientY - bounds.top) / ratio;
      drawn = { left: Math.min(x, origin.x), top: Math.min(y, origin.y), width: Math.abs(x - origin.x), height: Math.abs(y - origin.y) };
      this.view.drawing({ page, rect: drawn });
    };
    const up = () => {
      element.removeEventListener('pointermove', move);
      element.removeEventListener('pointerup', up);
      element.removeEventListener('pointercancel', up);
      this.view.drawing(null);
      // A click (or a tiny scribble) selects nothing and draws nothing.
      if (drawn.width < 4 || drawn.height < 4) this.view.model.select(null);
      else this.commitRect(null, page, drawn);
    };
    element.addEventListener('pointermove', move);
    element.addEventListener('pointerup', up);
    element.addEventListener('pointercancel', up);
  }

  /**
   * Focus a grabbed box without the browser's focus scrolling: a half-visible box would otherwise jump under
   * the pointer as the drag starts, and the drop would land off by that jump.
   */
  onBoxPointerDown = (event: PointerEvent): void => {
    if ((event.composedPath()[0] as Element).closest?.('.handle') === null || event.button === 0) {
      event.preventDefault();
      (event.currentTarget as HTMLElement).focus({ preventScroll: true });
    }
  };

  /** Arrows move by 1 pt (Shift: 10 pt) as displayed, Alt+arrows resize, Delete removes and focuses the next box. */
  onBoxKeyDown(event: KeyboardEvent, id: string): void {
    // Look the box up now: several keys can arrive before the next render.
    const boxes = this.view.model.boxes;
    const box = boxes.find((b) => b.id === id);
    if (this.view.readonly() || !box) return;
    if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      const index = boxes.findIndex((b) => b.id === box.id);
      this.view.model.remove(box.id);
      const left = this.view.model.boxes;
      const next = left[Math.min(index, left.length - 1)];
      if (next) this.view.focus(next.id);
      return;
    }
    const arrows: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    const direction = arrows[event.key];
    if (!direction) return;
    event.preventDefault();
    // Steps are points on the page as displayed: at scale 1, one CSS pixel is one point (UserUnit included).
    const scale = this.view.scale();
    const step = (event.shiftKey ? 10 : 1) * scale;
    const rect = userBoxToViewport(this.view.pages()[box.page - 1]!, scale, box);
    const [dx, dy] = direction;
    const next = event.altKey
      ? { ...rect, width: rect.width + dx * step, height: rect.height + dy * step }
      : { ...rect, left: rect.left + dx * step, top: rect.top + dy * step };
    this.commitRect(box.id, box.page, next);
  }
}
