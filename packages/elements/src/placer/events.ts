import type { NeutralBox, PlacedBox } from '@esign-kit/core';

export interface EsignPlacerReadyDetail {
  pageCount: number;
  /** Each page as displayed (after /Rotate and the CropBox), in user-space units. */
  pages: { width: number; height: number; rotate: number; userUnit: number }[];
}

export interface EsignPlacerChangeDetail {
  boxes: PlacedBox[];
  /** The boxes in the provider's own fields: exactly what its API takes. */
  value: Record<string, string | number>[];
}

export interface EsignErrorDetail {
  code: string;
  message: string;
  /** The HTTP status, for `http-error`. */
  status?: number;
  /** The field at fault, for box errors. */
  field?: string;
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
    'esign-ready': CustomEvent<EsignPlacerReadyDetail>;
    'esign-change': CustomEvent<EsignPlacerChangeDetail>;
    'esign-error': CustomEvent<EsignErrorDetail>;
  }
}
