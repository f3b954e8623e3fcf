// Importing this module defines <esign-webview>.
import { EsignWebview } from './webview/webview.js';

export { EsignWebview };
export type { WebviewStatus } from './webview/webview.js';
export type {
  EsignWebviewCancelDetail,
  EsignWebviewCompleteDetail,
  EsignWebviewDebugDetail,
  EsignWebviewErrorDetail,
  EsignWebviewReadyDetail,
  EsignWebviewTimeoutDetail,
} from './webview/events.js';
import type { EsignWebviewCancelDetail, EsignWebviewCompleteDetail, EsignWebviewDebugDetail, EsignWebviewTimeoutDetail } from './webview/events.js';

if (!customElements.get('esign-webview')) customElements.define('esign-webview', EsignWebview);

declare global {
  interface HTMLElementTagNameMap {
    'esign-webview': EsignWebview;
  }
  // Typed on document and window too (esign-ready and esign-error, shared with <esign-placer>: internal/events.ts).
  interface GlobalEventHandlersEventMap {
    'esign-complete': CustomEvent<EsignWebviewCompleteDetail>;
    'esign-cancel': CustomEvent<EsignWebviewCancelDetail>;
    'esign-timeout': CustomEvent<EsignWebviewTimeoutDetail>;
    'esign-debug': CustomEvent<EsignWebviewDebugDetail>;
  }
}
