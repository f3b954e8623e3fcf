// Zoom, as a document view is expected to do it: Ctrl/⌘+wheel (and a trackpad's pinch, which Chromium and
// Firefox send as Ctrl+wheel) and a two-finger pinch on touch screens, each anchored where the pointer or the
// fingers are; the toolbar's buttons, its list and the +/−/0 keys, anchored at the middle of the view.
//
// Anchoring, like pdf.js's viewer (web/app.js `updateZoom(…, origin)`), keeps the document point under the
// pointer in place. Pages are laid out with gaps that do not scale and centred in a container at least as wide
// as the view, so no single formula moves the scroll position right; instead the point is remembered as a
// fraction of the page under it (fractions do not change with the scale), the pages are laid out at the new
// scale, and the view scrolls so that the same fraction of the same page is under the pointer again — in the
// same task, before anything is painted.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DocumentView } from './document-view.js';
import { ZOOM_STEPS, clampZoom, type Zoom } from './zoom.js';

/** Ctrl+wheel: scale factor per pixel of wheel delta (a 100-pixel notch zooms by about 22 %). */
const WHEEL_RATE = 0.002;

/** What the controller needs of the element's view. */
export interface ZoomView extends Pick<DocumentView, 'dom' | 'pages' | 'scale'> {
  zoom(): Zoom;
  setZoom(zoom: Zoom): void;
  /** The page in the middle of the view (1-based). */
  currentPage(): number;
}

/** A document point: a page and where on it, as fractions of its displayed width and height. */
interface Anchor {
  page: number;
  u: number;
  v: number;
}

export class ZoomController implements ReactiveController {
  private listeners: AbortController | null = null;
  private pending: { anchor: Anchor; client: { x: number; y: number } } | null = null;
  private restoring = false;
  private pinch: { distance: number; scale: number; anchor: Anchor; listeners: AbortController } | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly view: ZoomView,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    // The scroller exists from the first render on; listeners are attached once per connection.
    const scroller = this.view.dom.scroller;
    if (this.listeners || !scroller) return;
    this.listeners = new AbortController();
    const { signal } = this.listeners;
    scroller.addEventListener('wheel', this.onWheel, { passive: false, signal });
    scroller.addEventListener('touchstart', this.onTouchStart, { passive: false, signal });
  }

  hostDisconnected(): void {
    this.listeners?.abort();
    this.listeners = null;
    this.endPinch();
    this.pending = null;
  }

  /** Zooms to `zoom` keeping the document point under `client` (default: the middle of the view) in place. */
  zoomAt(zoom: Zoom, client?: { x: number; y: number }, anchor?: Anchor): void {
    const at = client ?? this.viewCentre();
    if (!at) {
      this.view.setZoom(zoom);
      return;
    }
    // Several wheel events can arrive before the pages are laid out again: keep the first anchor (it was
    // measured on the layout that is still on screen) and the latest pointer position.
    const kept = this.pending?.anchor ?? anchor ?? this.anchorAt(at);
    if (!kept) {
      this.view.setZoom(zoom);
      return;
    }
    this.pending = { anchor: kept, client: at };
    this.view.setZoom(typeof zoom === 'number' ? clampZoom(zoom) : zoom);
    if (this.restoring) return;
    this.restoring = true;
    void this.host.updateComplete.then(() => {
      this.restoring = false;
      const pending = this.pending;
      this.pending = null;
      if (pending) this.scrollAnchorTo(pending.anchor, pending.client);
    });
  }

  /** One step of the toolbar's list, anchored at the middle of the view. */
  step(direction: 1 | -1): void {
    const current = this.view.scale();
    const next = direction > 0 ? ZOOM_STEPS.find((z) => z > current + 1e-6) : [...ZOOM_STEPS].reverse().find((z) => z < current - 1e-6);
    if (next) this.zoomAt(next);
  }

  /** `+`/`=`, `-` and `0` (fit width) from anywhere in the element but a text field. Returns whether it was a zoom key. */
  onKey(event: KeyboardEvent): boolean {
    if (event.ctrlKey || event.metaKey || event.altKey) return false;
    if (event.key === '+' || event.key === '=') this.step(1);
    else if (event.key === '-' || event.key === '_') this.step(-1);
    else if (event.key === '0') this.zoomAt('fit-width');
    else return false;
    return true;
  }

  private viewCentre(): { x: number; y: number } | null {
    const scroller = this.view.dom.scroller;
    if (!scroller) return null;
    const r = scroller.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  }

  /** The page under (or, between pages, nearest to) a client point, and the point as fractions of it. */
  private anchorAt(client: { x: number; y: number }): Anchor | null {
    const count = this.view.pages().length;
    if (!count) return null;
    const low = this.view.dom.pageAt(client.y, count);
    const element = this.view.dom.pageElement(low);
    if (!element) return null;
    const rect = element.getBoundingClientRect();
    if (!rect.width || !rect.height) return null;
    return { page: low, u: (client.x - rect.left) / rect.width, v: (client.y - rect.top) / rect.height };
  }

  private scrollAnchorTo(anchor: Anchor, client: { x: number; y: number }): void {
    const scroller = this.view.dom.scroller;
    const element = this.view.dom.pageElement(anchor.page);
    if (!scroller || !element) return;
    const rect = element.getBoundingClientRect();
    // Client pixels per scroll pixel: 1 unless an ancestor is CSS-transformed.
    const ratio = scroller.offsetWidth ? scroller.getBoundingClientRect().width / scroller.offsetWidth : 1;
    scroller.scrollLeft += (rect.left + anchor.u * rect.width - client.x) / (ratio || 1);
    scroller.scrollTop += (rect.top + anchor.v * rect.height - client.y) / (ratio || 1);
  }

  private onWheel = (event: WheelEvent): void => {
    if (!(event.ctrlKey || event.metaKey) || !this.view.pages().length) return;
    // Ours, not the browser's page zoom.
    event.preventDefault();
    const pixels =
      event.deltaMode === WheelEvent.DOM_DELTA_LINE ? event.deltaY * 16 : event.deltaMode === WheelEvent.DOM_DELTA_PAGE ? event.deltaY * 400 : event.deltaY;
    const zoom = this.view.zoom();
    const base = typeof zoom === 'number' && this.pending ? zoom : this.view.scale();
    this.zoomAt(base * Math.exp(-pixels * WHEEL_RATE), { x: event.clientX, y: event.clientY });
  };

  private static centre(touches: TouchList): { x: number; y: number; distance: number } {
    const a = touches[0]!;
    const b = touches[1]!;
    return { x: (a.clientX + b.clientX) / 2, y: (a.clientY + b.clientY) / 2, distance: Math.hypot(a.clientX - b.clientX, a.clientY - b.clientY) };
  }

  private onTouchStart = (event: TouchEvent): void => {
    if (event.touches.length !== 2 || !this.view.pages().length) {
      this.endPinch();
      return;
    }
    // Two fingers: a pinch of the document, not a scroll or the browser's zoom of the portal.
    event.preventDefault();
    this.endPinch();
    const c = ZoomController.centre(event.touches);
    const anchor = this.anchorAt(c);
    if (!anchor || c.distance <= 0) return;
    // Touch events keep going to the element each finger first touched, even once it has left the document —
    // and a zoom replaces the page canvases under the fingers. So listen on those elements themselves.
    const listeners = new AbortController();
    for (const touch of Array.from(event.touches)) {
      const target = touch.target;
      target.addEventListener('touchmove', this.onTouchMove as EventListener, { passive: false, signal: listeners.signal });
      target.addEventListener('touchend', this.onTouchEnd as EventListener, { signal: listeners.signal });
      target.addEventListener('touchcancel', this.onTouchEnd as EventListener, { signal: listeners.signal });
    }
    this.pinch = { distance: c.distance, scale: this.view.scale(), anchor, listeners };
  };

  private onTouchMove = (event: TouchEvent): void => {
    if (!this.pinch || event.touches.length !== 2) return;
    event.preventDefault();
    // Both fingers' elements hear a move; each event carries both fingers, so either may act.
    event.stopPropagation();
    const c = ZoomController.centre(event.touches);
    // The point that was under the fingers when they touched follows their centre (pinch and pan at once).
    this.zoomAt(this.pinch.scale * (c.distance / this.pinch.distance), c, this.pinch.anchor);
  };

  private onTouchEnd = (event: TouchEvent): void => {
    if (event.touches.length < 2) this.endPinch();
  };

  private endPinch(): void {
    this.pinch?.listeners.abort();
    this.pinch = null;
  }
}
