// Importing this module defines <esign-placer>.
import { EsignPlacer } from './placer/placer.js';

export { EsignPlacer };
export type { Zoom } from './placer/placer.js';
export type { EsignErrorDetail, EsignPlacerChangeDetail, EsignPlacerReadyDetail, PlacerValue, TagMatch } from './placer/events.js';
export { isSignerValue, signingRules, type Signer, type SignerValue, type SigningRules } from './placer/signers.js';
import type { EsignErrorDetail, EsignPlacerChangeDetail, EsignPlacerReadyDetail } from './placer/events.js';
import type { EsignWebviewReadyDetail } from './webview/events.js';

if (!customElements.get('esign-placer')) customElements.define('esign-placer', EsignPlacer);

declare global {
  interface HTMLElementTagNameMap {
    'esign-placer': EsignPlacer;
  }
  // The events bubble out of the element and are composed: typed on document and window too (elements have
  // them through HTMLElementEventMap, placer/events.ts). esign-ready and esign-error are shared with <esign-webview>.
  interface GlobalEventHandlersEventMap {
    'esign-ready': CustomEvent<EsignPlacerReadyDetail | EsignWebviewReadyDetail>;
    'esign-change': CustomEvent<EsignPlacerChangeDetail>;
    'esign-error': CustomEvent<EsignErrorDetail>;
  }
}
