import type { NeutralBox, PlacedBox } from '@esign-kit/core';
import type { Signer, SignerValue } from './signers.js';

// esign-ready and esign-error are shared with <esign-webview>: declared in ../internal/events.ts.
export type { EsignErrorDetail, EsignPlacerReadyDetail } from '../internal/events.js';

/**
 * `value`: without `signers`, one object of provider fields per box; with `signers`, one entry per signer in
 * signing order (then the document's e-meterai), each with its boxes both neutral and in the provider's fields.
 */
export type PlacerValue = Record<string, string | number>[] | SignerValue[];

export interface EsignPlacerChangeDetail {
  boxes: PlacedBox[];
  /** The boxes in the provider's own fields: exactly what its API takes (per signer when `signers` is set). */
  value: PlacerValue;
  /** The box that was added, moved, resized, reassigned or removed (null when all changed, e.g. a form reset). */
  box: PlacedBox | null;
  /** That box's signer (null for a box without one, such as an e-meterai, or without `signers`). */
  signer: Signer | null;
}

export interface TagMatch extends NeutralBox {
  /** The marker's text as found. */
  text: string;
}

declare global {
  interface HTMLElementEventMap {
    'esign-change': CustomEvent<EsignPlacerChangeDetail>;
  }
  // Bubbling and composed: typed on document and window listeners too.
  interface GlobalEventHandlersEventMap {
    'esign-change': CustomEvent<EsignPlacerChangeDetail>;
  }
}
