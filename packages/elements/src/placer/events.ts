import type { NeutralBox, PlacedBox } from '@esign-kit/core';
import type { EsignWebviewReadyDetail } from '../webview/events.js';
import type { Signer, SignerValue } from './signers.js';

/**
 * `value`: without `signers`, one object of provider fields per box; with `signers`, one entry per signer in
 * signing order (then the document's e-meterai), each with its boxes both neutral and in the provider's fields.
 */
export type PlacerValue = Record<string, string | number>[] | SignerValue[];

export interface EsignPlacerReadyDetail {
  pageCount: number;
  /** Each page as displayed (after /Rotate and the CropBox), in user-space units. */
  pages: { width: number; height: number; rotate: number; userUnit: number }[];
}

export interface EsignPlacerChangeDetail {
  boxes: PlacedBox[];
  /** The boxes in the provider's own fields: exactly what its API takes (per signer when `signers` is set). */
  value: PlacerValue;
  /** The box that was added, moved, resized, reassigned or removed (null when all changed, e.g. a form reset). */
  box: PlacedBox | null;
  /** That box's signer (null for a box without one, such as an e-meterai, or without `signers`). */
  signer: Signer | null;
}

/** `esign-error`, shared by every element: a stable code and a message for the person. */
export interface EsignErrorDetail {
  code: string;
  message: string;
  /** The provider's own code, when the provider refused (web views). */
  providerCode?: string;
  /** The HTTP status, for `http-error`. */
  status?: number;
  /** The field at fault: `boxes.<index>.<field>` for box errors (a neutral or a provider field), `signers.<index>` for a signer's, the override key for `invalid-profile`. */
  field?: string;
  /** The id of the signer the problem is about, when there is one. */
  signer?: string;
}

export interface TagMatch extends NeutralBox {
  /** The marker's text as found. */
  text: string;
}

export function fire<T>(target: EventTarget, type: string, detail: T): boolean {
  return target.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
}

declare global {
  interface HTMLElementEventMap {
    /** The placer's or the web view's readiness: check `event.target` (or `'pageCount' in detail`). */
    'esign-ready': CustomEvent<EsignPlacerReadyDetail | EsignWebviewReadyDetail>;
    'esign-change': CustomEvent<EsignPlacerChangeDetail>;
    'esign-error': CustomEvent<EsignErrorDetail>;
  }
}
