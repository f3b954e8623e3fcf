// Digisign's web views (docs/providers/digisign.md §11): the statuses a link answers, and the probe the server
// sends before handing a link to a browser, whose iframe would hide them.
import { httpError, invalid, ProviderError, type ProviderErrorCode } from '../shared/errors.js';
import type { ProviderRequest } from '../shared/types.js';
import { DIGISIGN_TIMEOUTS, type DigisignSettings } from './operations.js';
import { normalizeDigisignLink } from './responses.js';

/**
 * §11: the HTTP statuses of the web views (activation and sign pages), for a server that checks a link
 * before handing it to the browser. 200 is fine (undefined); anything else is a typed error.
 */
export function digisignWebViewError(status: number): ProviderError | undefined {
  if (status === 200) return undefined;
  const op = 'digisign.webView';
  const table: Record<number, [ProviderErrorCode, number, string]> = {
    403: ['provider-auth-failed', 502, 'Digisign refused the partner token or admin user for the web view.'],
    401: ['user-not-found', 404, 'Digisign does not know the user of this web view.'],
    404: ['document-not-found', 404, 'Digisign does not know the document of this web view.'],
    408: ['session-expired', 410, 'The Digisign web-view session has expired; request a new link.'],
  };
  const row = table[status];
  if (!row) return httpError('digisign', op, status);
  return new ProviderError({
    code: row[0],
    provider: 'digisign',
    operation: op,
    providerCode: String(status),
    message: row[2],
    httpStatus: row[1],
    retryable: false,
  });
}

/**
 * §11 WebView Response: the statuses a web-view link answers (401 user not found, 403 token/admin invalid,
 * 404 document not found, 408 session expired). A browser's iframe hides them from the portal, so the
 * server GETs a fresh link once before handing it out (no credential, no redirect followed: the page itself,
 * as the browser would load it) and maps a refusal to its typed error.
 */
export function buildDigisignWebViewProbe(link: string, settings: DigisignSettings): ProviderRequest {
  let url: string;
  try {
    url = normalizeDigisignLink(link);
  } catch {
    invalid('link', 'link must be the http(s) web-view link Digisign returned.');
  }
  return {
    provider: 'digisign',
    operation: 'digisign.webView',
    method: 'GET',
    url: url!,
    headers: { Accept: 'text/html' },
    body: { kind: 'none' },
    idempotent: true,
    timeoutMs: settings.timeouts?.signPage ?? DIGISIGN_TIMEOUTS.signPage,
  };
}

/** 2xx (the page) and 3xx (its own redirect) are fine; a §11 status is its typed error. */
export function parseDigisignWebViewProbe(status: number): { status: number } {
  if (status >= 200 && status < 400) return { status };
  throw digisignWebViewError(status)!;
}
