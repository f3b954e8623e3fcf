// Importing this module defines <esign-placer>.
import { EsignPlacer } from './placer/placer.js';

export { EsignPlacer };
export type { Zoom } from './placer/placer.js';
export type { EsignErrorDetail, EsignPlacerChangeDetail, EsignPlacerReadyDetail, TagMatch } from './placer/events.js';

if (!customElements.get('esign-placer')) customElements.define('esign-placer', EsignPlacer);

declare global {
  interface HTMLElementTagNameMap {
    'esign-placer': EsignPlacer;
  }
}
