// Importing this module defines <esign-placer>.
import { EsignPlacer } from './placer/placer.js';

export { EsignPlacer };
export type { Zoom } from './placer/placer.js';
export type { EsignErrorDetail, EsignPlacerChangeDetail, EsignPlacerReadyDetail, PlacerValue, TagMatch } from './placer/events.js';
export { isSignerValue, signingRules, type Signer, type SignerValue, type SigningRules } from './placer/signers.js';

if (!customElements.get('esign-placer')) customElements.define('esign-placer', EsignPlacer);

declare global {
  interface HTMLElementTagNameMap {
    'esign-placer': EsignPlacer;
  }
  // Its events are typed on elements, document and window (placer/events.ts; esign-ready and esign-error, shared
  // with <esign-webview>, in internal/events.ts).
}
