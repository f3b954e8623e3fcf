// The element's parts that only work on an open document: the page views, the boxes' gestures, zoom by wheel,
// pinch, keys and buttons, navigation (page in view, next box, scrolling to a page or a box) and the inspector of
// the selected box. They come in the document's chunk (./document.ts), which the element preloads when it is
// connected and a document waits for before it is shown: until then there are no pages, no boxes and the
// toolbar's controls are disabled, so nothing a person does can reach a part that is not there yet.
import type { nothing, ReactiveControllerHost, TemplateResult } from 'lit';
import type { CoordinateProfile, ViewportRect } from '@esign-kit/core';
import type { Language } from '../internal/localize.js';
import { BoxGestures } from './box-gestures.js';
import type { DocumentView } from './document-view.js';
import { BoxInspector } from './inspector.js';
import { NavigationController, readingOrder } from './navigation-controller.js';
import { renderPage } from './page-view.js';
import type { Signer } from './signers.js';
import type { PlacerStrings } from './strings.js';
import type { Zoom } from './zoom.js';
import { ZoomController } from './zoom-controller.js';

/** What the parts need of the element. */
export interface PlacerInternals extends DocumentView {
  /** Whether the document is shown (the inspector is not, before). */
  shown(): boolean;
  zoom(): Zoom;
  setZoom(zoom: Zoom): void;
  /** The page in the middle of the view; called when it changes. */
  currentPage(): number;
  setPageInView(page: number): void;
  /** The dock floats at the top of the view (else at the bottom). */
  dockAtTop(top: boolean): void;
  /** The rectangle being drawn, to show it (null when done). */
  drawing(drawing: { page: number; rect: ViewportRect } | null): void;
  readonly(): boolean;
  profile(): CoordinateProfile | null;
  signers(): readonly Signer[];
  t(): PlacerStrings;
  lang(): Language;
  announce(text: string): void;
}

export class DocumentParts {
  readonly renderPage = renderPage;
  readonly gestures: BoxGestures;
  readonly zoomer: ZoomController;
  readonly navigation: NavigationController;
  private readonly inspector: BoxInspector;

  constructor(
    host: ReactiveControllerHost & HTMLElement,
    private readonly p: PlacerInternals,
  ) {
    this.gestures = new BoxGestures(host, {
      ...p,
      minSize: () => p.profile()?.minSize ?? 10,
      focus: (id) => void host.updateComplete.then(() => p.dom.boxElement(id)?.focus()),
    });
    this.zoomer = new ZoomController(host, p);
    this.navigation = new NavigationController(host, {
      ...p,
      clientRatio: (page) => this.gestures.clientRatio(page),
      // Selected and focused without the browser's own scrolling (the navigation scrolls).
      selectBox: (id) => {
        p.model.select(id);
        void host.updateComplete.then(() => p.dom.boxElement(id)?.focus({ preventScroll: true }));
      },
    });
    this.inspector = new BoxInspector(host, p);
  }

  renderInspector(): TemplateResult | typeof nothing {
    return this.inspector.render();
  }

  /** Keys of the whole element (not of a text field or list): N / Shift+N step through boxes; +, − and 0 zoom. */
  onKeyDown(event: KeyboardEvent): void {
    if ((event.key === 'n' || event.key === 'N') && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      void this.stepBox(event.shiftKey ? -1 : 1);
    } else if (this.zoomer.onKey(event)) event.preventDefault();
  }

  /** Selects the next (or previous) box in reading order, brings it into view and says which it is. */
  async stepBox(direction: 1 | -1): Promise<void> {
    const { model, t } = this.p;
    const box = await this.navigation.step(direction);
    if (!box) return this.p.announce(t().noBoxes);
    const ordered = readingOrder(model.boxes, this.p.pages());
    const index = ordered.findIndex((b) => b.id === box.id) + 1;
    this.p.announce(t().boxOf(index, ordered.length, `${model.name(box)}, ${model.describe(box)}`));
  }
}
