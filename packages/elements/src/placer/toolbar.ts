// The toolbar: add a box (for the active signer, of the chosen kind), step from box to box, the page in view
// ("3 / 12", which takes a typed page), and zoom. A template of the element's shadow root, not an element of
// its own: its controls stay reachable for `::part` and for the element's form and focus handling. Lists take
// their value both from `?selected` (the first render, before the options exist) and `.value` (later, when a
// person's choice has made the options' own `selected` attributes inert).
import { html, nothing, type TemplateResult } from 'lit';
import type { BoxKind } from '@esign-kit/core';
import { ZOOM_STEPS, parseZoom, type Zoom } from './zoom.js';
import { signerColor, type Signer } from './signers.js';
import type { PlacerStrings } from './strings.js';

export interface ToolbarState {
  t: PlacerStrings;
  ready: boolean;
  readonly: boolean;
  zoom: Zoom;
  page: number;
  pageCount: number;
  boxCount: number;
  signers: readonly Signer[];
  activeSigner: string | null;
  /** Kinds the provider lets a person place. */
  kinds: readonly BoxKind[];
  activeKind: BoxKind;
  /** Why nothing can be added for the active signer (BSrE's seal request takes no position), if so. */
  addBlocked: string;
}

export interface ToolbarActions {
  add(): void;
  /** Says why adding is blocked (the live region), for those who cannot see a tooltip. */
  explainBlocked(reason: string): void;
  stepZoom(direction: 1 | -1): void;
  zoomTo(zoom: Zoom): void;
  goToPage(page: number): void;
  stepBox(direction: 1 | -1): void;
  chooseSigner(id: string): void;
  chooseKind(kind: BoxKind): void;
}

export function renderToolbar(s: ToolbarState, a: ToolbarActions): TemplateResult {
  const { t } = s;
  const disabled = !s.ready;
  const onPage = (event: Event) => {
    const input = event.target as HTMLInputElement;
    const page = Number(input.value.trim());
    if (Number.isInteger(page) && page >= 1 && page <= s.pageCount) a.goToPage(page);
    // A page that does not exist: show the page in view again.
    else input.value = String(s.page);
  };
  const active = s.signers.find((x) => x.id === s.activeSigner);
  // A blocked "add" stays focusable (aria-disabled, not disabled): its reason is its description and is said
  // when it is pressed, which a `title` on a disabled button gives no keyboard or screen-reader user.
  const blocked = !!s.addBlocked;
  return html`<div class="toolbar" part="toolbar" role="toolbar" aria-label=${t.toolbar}>
    <button
      class="add"
      type="button"
      ?disabled=${s.readonly || disabled}
      aria-disabled=${blocked ? 'true' : nothing}
      aria-describedby=${blocked ? 'add-blocked' : nothing}
      title=${s.addBlocked || nothing}
      @click=${() => (blocked ? a.explainBlocked(s.addBlocked) : a.add())}
    >${t.addBox}</button>
    ${blocked ? html`<span id="add-blocked" class="visually-hidden">${s.addBlocked}</span>` : nothing}
    ${
      s.signers.length
        ? html`<span class="signer">
          <span class="swatch" aria-hidden="true" style="background:${signerColor(s.signers, active?.id) ?? 'transparent'}"></span>
          <select class="signer-select" aria-label=${t.signer} title=${t.signer} .value=${s.activeSigner} ?disabled=${s.readonly} @change=${(e: Event) => a.chooseSigner((e.target as HTMLSelectElement).value)}>
            ${s.signers.map((x, i) => html`<option value=${x.id} ?selected=${x.id === s.activeSigner}>${i + 1}. ${x.name}${x.kind === 'seal' ? ` (${t.kinds.seal})` : ''}</option>`)}
          </select>
        </span>`
        : nothing
    }
    ${
      s.signers.length && s.kinds.length > 1
        ? html`<select class="kind-select" aria-label=${t.kind} title=${t.kind} .value=${s.activeKind} ?disabled=${s.readonly || active?.kind === 'seal'} @change=${(e: Event) => a.chooseKind((e.target as HTMLSelectElement).value as BoxKind)}>
          ${s.kinds.map((k) => html`<option value=${k} ?selected=${k === s.activeKind}>${t.kinds[k]}</option>`)}
        </select>`
        : nothing
    }
    <span class="spacer"></span>
    <span class="group">
      <button class="previous-box" type="button" aria-label=${t.previousBox} title="${t.previousBox} (Shift+N)" aria-keyshortcuts="Shift+N" ?disabled=${disabled || !s.boxCount} @click=${() => a.stepBox(-1)}>‹</button>
      <button class="next-box" type="button" aria-label=${t.nextBox} title="${t.nextBox} (N)" aria-keyshortcuts="N" ?disabled=${disabled || !s.boxCount} @click=${() => a.stepBox(1)}>›</button>
    </span>
    <span class="page-indicator">
      <input
        class="page-input"
        type="text"
        inputmode="numeric"
        autocomplete="off"
        aria-label=${t.pageInput(s.pageCount)}
        title=${t.page}
        size=${String(Math.max(1, String(s.pageCount).length))}
        .value=${String(s.page)}
        ?disabled=${disabled}
        @change=${onPage}
        @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && onPage(e)}
      /><span class="page-count" aria-hidden="true">/ ${s.pageCount}</span>
    </span>
    <span class="group">
      <button type="button" class="zoom-out" aria-label=${t.zoomOut} title="${t.zoomOut} (−)" aria-keyshortcuts="-" ?disabled=${disabled} @click=${() => a.stepZoom(-1)}>−</button>
      <select class="zoom-select" aria-label=${t.zoom} ?disabled=${disabled} @change=${(e: Event) => a.zoomTo(parseZoom((e.target as HTMLSelectElement).value))}>
        <option value="fit-width" ?selected=${s.zoom === 'fit-width'}>${t.fitWidth}</option>
        <option value="fit-page" ?selected=${s.zoom === 'fit-page'}>${t.fitPage}</option>
        ${ZOOM_STEPS.map((z) => html`<option value=${z} ?selected=${s.zoom === z}>${Math.round(z * 100)}%</option>`)}
        ${typeof s.zoom === 'number' && !ZOOM_STEPS.includes(s.zoom) ? html`<option value=${s.zoom} selected>${Math.round(s.zoom * 100)}%</option>` : nothing}
      </select>
      <button type="button" class="zoom-in" aria-label=${t.zoomIn} title="${t.zoomIn} (+)" aria-keyshortcuts="+" ?disabled=${disabled} @click=${() => a.stepZoom(1)}>+</button>
    </span>
  </div>`;
}
