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

if (!customElements.get('esign-webview')) customElements.define('esign-webview', EsignWebview);

declare global {
  interface HTMLElementTagNameMap {
    'esign-webview': EsignWebview;
  }
}
