// One page as the element shows it: the slot its canvas is drawn into, the tag previews, the boxes (coloured,
// labelled and named by signer) and the rectangle being drawn. A template of the element's shadow root.
import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { userBoxToViewport, viewportSize, type PageGeometry, type PlacedBox, type ViewportRect } from '@esign-kit/core';
import type { TagMatch } from './events.js';
import { METERAI_COLOR, isDocumentKind, kindOf, signerColor, type Signer } from './signers.js';
import type { PlacerStrings } from './strings.js';

export interface PageViewState {
  t: PlacerStrings;
  geometry: PageGeometry;
  page: number;
  pageCount: number;
  scale: number;
  /** Every box of the document (numbers and names count them all), and the tag previews of this page. */
  boxes: readonly PlacedBox[];
  tags: readonly TagMatch[];
  selected: string | null;
  readonly: boolean;
  drawing: { page: number; rect: ViewportRect } | null;
  signers: readonly Signer[];
  /** A box's accessible name with its position. */
  describe(box: PlacedBox): string;
}

export interface PageViewActions {
  pagePointerDown(event: PointerEvent): void;
  boxPointerDown(event: PointerEvent): void;
  boxKeyDown(event: KeyboardEvent, id: string): void;
  boxFocus(id: string): void;
}

const HANDLES = ['n', 's', 'e', 'w', 'n w', 'n e', 's w', 's e'];
const rectStyle = (r: ViewportRect) => `left:${r.left}px;top:${r.top}px;width:${r.width}px;height:${r.height}px`;

/** What a box shows on itself: its label, else its number with its signer's name (or its kind, for a document box). */
function boxLabel(t: PlacerStrings, signers: readonly Signer[], box: PlacedBox, index: number): string {
  if (box.label) return box.label;
  if (!signers.length) return String(index);
  const kind = kindOf(box);
  const signer = signers.find((s) => s.id === box.signer)?.name;
  const what = kind === 'signature' ? signer : signer ? `${t.kinds[kind] ?? kind} · ${signer}` : (t.kinds[kind] ?? kind);
  return `${index}${what ? ` · ${what}` : ''}`;
}

/** A signer's colour, or the e-meterai's; only a colour, since it goes into a style attribute. */
function colourOf(signers: readonly Signer[], box: PlacedBox): string {
  const wanted = isDocumentKind(kindOf(box)) && signers.length ? METERAI_COLOR : signerColor(signers, box.signer);
  return wanted && CSS.supports('color', wanted) ? `;--_box:${wanted}` : '';
}

export function renderPage(s: PageViewState, a: PageViewActions): TemplateResult {
  const { t, geometry, scale } = s;
  const size = viewportSize(geometry, scale);
  const boxes = s.boxes.filter((b) => b.page === s.page);
  return html`<div
    class="page"
    part="page"
    data-page=${s.page}
    style="width:${size.width}px;height:${size.height}px"
    aria-label=${t.pageOf(s.page, s.pageCount)}
    role="group"
    @pointerdown=${a.pagePointerDown}
  >
    <div class="canvas-slot"></div>
    ${s.tags.map((m) => html`<div class="tag-preview" part="tag-preview" style=${rectStyle(userBoxToViewport(geometry, scale, m))} title=${t.tagPreview(m.text)}></div>`)}
    ${repeat(
      boxes,
      (b) => b.id,
      (b) => {
        const selected = b.id === s.selected;
        return html`<div
          class="box ${selected ? 'selected' : ''}"
          part="box ${selected ? 'box-selected' : ''}"
          data-id=${b.id}
          data-signer=${b.signer ?? nothing}
          data-kind=${b.kind ?? nothing}
          role="group"
          aria-roledescription=${t.boxRole(b.kind ?? 'signature')}
          tabindex=${s.readonly ? -1 : 0}
          aria-label=${s.describe(b)}
          aria-describedby="box-help"
          style=${rectStyle(userBoxToViewport(geometry, scale, b)) + colourOf(s.signers, b)}
          @focus=${() => a.boxFocus(b.id)}
          @pointerdown=${a.boxPointerDown}
          @keydown=${(e: KeyboardEvent) => a.boxKeyDown(e, b.id)}
          @dragstart=${(e: Event) => e.preventDefault()}
        >
          <span class="label">${boxLabel(t, s.signers, b, s.boxes.indexOf(b) + 1)}</span>
          ${s.readonly ? nothing : HANDLES.map((h) => html`<span class="handle ${h}" part="handle"></span>`)}
        </div>`;
      },
    )}
    ${s.drawing?.page === s.page ? html`<div class="drawing" style=${rectStyle(s.drawing.rect)}></div>` : nothing}
  </div>`;
}
