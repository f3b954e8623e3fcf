// The placer's shadow root: the toolbar above, the pages below in their scroller, and the dock floating over them
// with the inspector and the status line; a live region for announcements. One template, composed from the
// toolbar's, the page views', the inspector's and the status line's, over the element's parts (those of an open
// document, `parts`, come with the document's code: ./document-parts.ts).
import { html, nothing, type TemplateResult } from 'lit';
import type { BoxKind, PageGeometry, ViewportRect } from '@esign-kit/core';
import type { EsignErrorDetail } from '../internal/events.js';
import type { BoxModel } from './box-model.js';
import type { DocumentParts } from './document-parts.js';
import type { PagesController } from './pages-controller.js';
import type { Signer } from './signers.js';
import { renderStatus } from './status-view.js';
import type { PlacerStrings } from './strings.js';
import { renderToolbar } from './toolbar.js';
import type { Zoom } from './zoom.js';

/** The element's parts the view reads and drives. */
export interface PlacerParts {
  document: PagesController;
  model: BoxModel;
  /** Null until the document's code is loaded (and so before any page is shown). */
  parts: DocumentParts | null;
}

export interface PlacerViewState {
  t: PlacerStrings;
  readonly: boolean;
  zoom: Zoom;
  /** The page in the middle of the view. */
  page: number;
  signers: readonly Signer[];
  activeSigner: string;
  /** Kinds the provider lets a person place, and the kind new boxes are. */
  kinds: readonly BoxKind[];
  activeKind: BoxKind;
  drawing: { page: number; rect: ViewportRect } | null;
  /** The dock floats at the top of the view (the selected box is under its usual place). */
  dockTop: boolean;
  /** What makes `value` incomplete. */
  problem: EsignErrorDetail | null;
}

export interface PlacerViewActions {
  add(): void;
  explainBlocked(reason: string): void;
  goToPage(page: number): void;
  stepBox(direction: 1 | -1): void;
  chooseSigner(id: string): void;
  chooseKind(kind: BoxKind): void;
  submitPassword(password: string): void;
}

export function renderPlacer(p: PlacerParts, s: PlacerViewState, a: PlacerViewActions): TemplateResult {
  const { t } = s;
  const { document: doc, model, parts } = p;
  const ready = doc.status === 'ready' && !!parts;
  const page = (parts: DocumentParts, geometry: PageGeometry, n: number) =>
    parts.renderPage(
      {
        t,
        geometry,
        page: n,
        pageCount: doc.pages.length,
        scale: doc.scale,
        boxes: model.boxes,
        tags: doc.tagMatches.filter((m) => m.page === n),
        selected: model.selected,
        readonly: s.readonly,
        drawing: s.drawing,
        signers: s.signers,
        describe: (box) => `${model.name(box)}, ${model.describe(box)}`,
      },
      {
        pagePointerDown: (e) => parts.gestures.onPagePointerDown(e, n),
        boxPointerDown: parts.gestures.onBoxPointerDown,
        boxKeyDown: (e, id) => parts.gestures.onBoxKeyDown(e, id),
        boxFocus: (id) => model.select(id),
      },
    );
  return html`<div class="base" part="base">
    ${renderToolbar(
      {
        t,
        ready,
        readonly: s.readonly,
        zoom: s.zoom,
        page: s.page,
        pageCount: doc.pages.length,
        boxCount: model.boxes.length,
        signers: s.signers,
        activeSigner: s.activeSigner,
        kinds: s.kinds,
        activeKind: s.activeKind,
        addBlocked: model.addBlocked(),
      },
      {
        add: a.add,
        explainBlocked: a.explainBlocked,
        stepZoom: (direction) => parts?.zoomer.step(direction),
        zoomTo: (zoom) => parts?.zoomer.zoomAt(zoom),
        goToPage: a.goToPage,
        stepBox: a.stepBox,
        chooseSigner: a.chooseSigner,
        chooseKind: a.chooseKind,
      },
    )}
    <div class="view">
      <div class="scroller" part="viewport" tabindex="0" role="region" aria-label=${t.pages}>
        <div class="pages">${ready && parts ? doc.pages.slice(0, doc.laidOut).map((geometry, i) => page(parts, geometry, i + 1)) : nothing}</div>
      </div>
      <div class="dock ${s.dockTop ? 'top' : ''}">
        ${parts?.renderInspector() ?? nothing}
        ${renderStatus({ t, status: doc.status, progress: doc.progress, error: doc.error, problem: s.problem }, a.submitPassword)}
      </div>
    </div>
    <div class="live visually-hidden" role="status" aria-live="polite"></div>
    <span id="box-help" class="visually-hidden">${t.boxHelp}</span>
  </div>`;
}
