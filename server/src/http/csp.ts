// Content-Security-Policy: the strict default every response gets (JSON, PDFs, errors load nothing and may be
// framed by no one) and the demo pages' own policy, with the other security headers.
import type { RequestHandler } from 'express';
import type { ServerConfig } from '../config.js';

/**
 * The policy of every response that does not set a stricter-fitting one of its own: JSON, PDFs and errors
 * load nothing and may be framed by no one. Pages replace it with their own (the Digisign landing: a nonce'd
 * script, framed by PORTAL_ORIGINS only; the sandbox inbox; the demo).
 */
export const DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The CSP for the demo's pages (app.ts serves dist/demo): scripts from this origin only (no inline script, no
 * eval; WebAssembly for pdf.js's image decoders), inline styles (Lit's style bindings), API calls to this
 * server, and as frames only the providers' web views and this server itself — Digisign's pages end by
 * redirecting the frame to this server's landing page (/callback/digisign), which must be allowed to load
 * there for the element to hear the outcome — and never framed itself.
 */
export function demoPageCsp(config: Pick<ServerConfig, 'providers'>): string {
  const frames = [
    ...new Set([config.providers.peruri?.webViewUrl, config.providers.digisign?.webViewOrigin].filter((u): u is string => !!u).map((u) => new URL(u).origin)),
  ];
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    `frame-src 'self'${frames.length ? ` ${frames.join(' ')}` : ''}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders(): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-site');
    res.setHeader('Content-Security-Policy', DEFAULT_CSP);
    next();
  };
}
