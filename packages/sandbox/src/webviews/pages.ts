// What the simulated web-view pages share: the page shell (its inline style and script carry the response's CSP
// nonce), the link to the document under review, and the script that reports to the embedding portal.
import type { Response } from 'express';
import { escapeHtml } from '../http.js';

export const TEST_VIDEO_BASE64 = Buffer.from('SANDBOX-TEST-VIDEO: a recorded face, as far as the sandbox is concerned.').toString('base64');

/** A page of the simulated web views; its inline style and script carry the response's CSP nonce. */
export function page(res: Response, title: string, body: string, script = ''): string {
  const nonce = String(res.locals.nonce);
  return `<!doctype html><html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">body{font:15px system-ui,sans-serif;margin:0;padding:1.2rem;color:#1b1b1b}h1{font-size:1.2rem}.note{background:#fff7d6;padding:.5rem .8rem;border-radius:6px}
.err{color:#a40000;font-weight:600}button{font:inherit;padding:.45rem 1rem;margin:.2rem .3rem .2rem 0}input{font:inherit;padding:.35rem}
.doc{padding:.8rem;border:1px solid #ccc;border-radius:6px;background:#f6f7f9}canvas{border:1px solid #888;touch-action:none;background:#fff}label{display:block;margin:.4rem 0}</style>
</head><body><p class="note">Sandbox — bukan layanan sebenarnya</p>${body}${script ? `<script nonce="${nonce}">${script}</script>` : ''}</body></html>`;
}

/**
 * The document to sign, as a link rather than an embedded viewer: the portal frames these pages in a sandboxed
 * iframe, where browsers run no PDF plugin (an embedded PDF shows a broken-plugin icon).
 */
export function documentLink(href: string, bytes: number): string {
  return `<p class="doc"><a href="${escapeHtml(href)}" target="_blank" rel="noopener">Buka dokumen (PDF)</a> · <span>${Math.max(1, Math.round(bytes / 1024))} KB</span></p>`;
}

/** postMessage to every allowed portal origin: the browser delivers it only to the one that embeds us. */
export const notifyParentScript = (origins: readonly string[], func: string) =>
  `function notifyParent(message){var origins=${JSON.stringify(origins)};for(var i=0;i<origins.length;i++){try{window.parent.postMessage({func:${JSON.stringify(func)},message:message},origins[i]);}catch(e){}}}`;
