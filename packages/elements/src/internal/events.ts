// The events more than one element fires, and the one way every element fires an event. Element folders import
// these from here, never from each other's folders: `esign-error` and `esign-ready` are shared by the placer and
// the web view (and `esign-error` by <esign-verify>), so their detail types live below all three.
import type { Flow, Provider } from '@esign-kit/bridge';

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

/** `esign-ready` from <esign-placer>. */
export interface EsignPlacerReadyDetail {
  pageCount: number;
  /** Each page as displayed (after /Rotate and the CropBox), in user-space units. */
  pages: { width: number; height: number; rotate: number; userUnit: number }[];
}

/** `esign-ready` from <esign-webview>. */
export interface EsignWebviewReadyDetail {
  provider: Provider;
  flow: Flow;
  /** The web view's origin (announced by the server's GET /api/providers). */
  origin: string;
}

/**
 * Dispatches an element's event: bubbling and composed, so that a listener outside the shadow root, on a form,
 * on `document` or on `window` hears it. Called as `fire(this, 'esign-…', detail)` from the element's own
 * class, where the manifest test (test/node/elements-manifest.test.ts) reads which events an element fires.
 */
export function fire<T>(target: EventTarget, type: string, detail: T): boolean {
  return target.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
}

declare global {
  interface HTMLElementEventMap {
    /** The placer's or the web view's readiness: check `event.target` (or `'pageCount' in detail`). */
    'esign-ready': CustomEvent<EsignPlacerReadyDetail | EsignWebviewReadyDetail>;
    'esign-error': CustomEvent<EsignErrorDetail>;
  }
  // The events bubble out of the element and are composed: typed on document and window too.
  interface GlobalEventHandlersEventMap {
    'esign-ready': CustomEvent<EsignPlacerReadyDetail | EsignWebviewReadyDetail>;
    'esign-error': CustomEvent<EsignErrorDetail>;
  }
}
