// GET /callback/digisign/:flow — where Digisign sends the browser after activation or signing, with the
// result AES-encrypted in `msg` (docs/providers/digisign.md §4, §7). The answer is a tiny page that posts the typed result — a bridge
// `LandingMessage` (`type: 'esign-kit/callback'`, version 1) carrying the channel of the element that opened
// the flow, read from `window.name` (`esign-kit:<channel>`, which survives the provider's cross-origin
// navigations) — to the portal window (opener, or parent when framed) with an explicit target origin from
// PORTAL_ORIGINS — never "*" — under a CSP that allows only its own nonce'd script. Without a channel in
// the window's name nothing is posted (no element is waiting). A tampered, truncated or wrong-key
// msg gives a typed error page, never a crash. Each successful outcome is recorded (store/landings.ts) before
// the page is answered: the element's confirmation (POST /api/webviews/confirmations) requires the record of
// its own signer, so another signer's landing replayed into its frame completes nothing. AES-ECB has no
// integrity check, so a signing outcome is also confirmed by downloading the signed PDF. Digisign's words
// (`notif`) reach the page scrubbed of secrets and cut to length, like every API answer.
import { randomBytes } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { decryptDigisignRedirect, ProviderError, type DigisignRedirect } from '../adapters.js';
import { providerText } from '../../log/secrets.js';
import type { AppContext } from '../../http/context.js';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON that is safe inside a <script> element. */
const scriptJson = (v: unknown) =>
  JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

/** The bridge's landing message (without its channel, which the page adds from window.name). */
type Landing = {
  type: 'esign-kit/callback';
  version: 1;
  provider: 'digisign';
  flow: 'activation' | 'sign';
  ok: boolean;
  providerCode?: string;
  providerMessage?: string;
  result?: Record<string, string | boolean>;
  error?: { code: string; message: string };
};
const bridgeFlow = (kind: 'activation' | 'signing') => (kind === 'signing' ? 'sign' : 'activation');

function landingMessage(r: DigisignRedirect, scrub: (text: string) => string): Landing {
  const result: Record<string, string | boolean> =
    r.kind === 'signing'
      ? { kind: r.kind, documentId: r.documentId, email: r.emailUser, status: r.statusDocument, completed: r.completed }
      : { kind: r.kind, email: r.emailUser };
  for (const [k, v] of Object.entries(result)) if (v === undefined || v === null) delete result[k];
  const m: Landing = {
    type: 'esign-kit/callback',
    version: 1,
    provider: 'digisign',
    flow: bridgeFlow(r.kind),
    ok: r.ok,
    providerCode: String(r.result),
    result,
  };
  if (r.notif) m.providerMessage = providerText(r.notif, scrub);
  return m;
}

function page(res: Response, status: number, ctx: AppContext, messages: Landing[], title: string, text: string, frameAncestors: string[]) {
  const nonce = randomBytes(16).toString('base64');
  res.status(status);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader(
    'Content-Security-Policy',
    `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; base-uri 'none'; form-action 'none'; frame-ancestors ${frameAncestors.join(' ') || "'none'"}`,
  );
  const targets = ctx.config.portalOrigins;
  res.send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style nonce="${nonce}">body{font:16px system-ui,sans-serif;margin:2rem;color:#222}</style></head>
<body><p>${escapeHtml(text)}</p>
<script nonce="${nonce}">
(function () {
  var messages = ${scriptJson(messages)};
  var targets = ${scriptJson(targets)};
  var portal = window.opener || (window.parent !== window ? window.parent : null);
  // The element's channel travels in the frame's name (bridge frameNameFor / channelFromFrameName).
  var name = String(window.name || ''), prefix = 'esign-kit:';
  var channel = name.indexOf(prefix) === 0 ? name.slice(prefix.length) : '';
  if (!portal || !/^[A-Za-z0-9_-]{22,64}$/.test(channel)) return;
  // One postMessage per allowed origin: the browser delivers only the one that matches the portal.
  for (var m = 0; m < messages.length; m++) {
    messages[m].channel = channel;
    for (var i = 0; i < targets.length; i++) portal.postMessage(messages[m], targets[i]);
  }
  if (window.opener) setTimeout(function () { window.close(); }, 300);
})();
</script></body></html>`);
}

const msg = z.object({
  msg: z.string().describe('The result JSON, AES-128-ECB encrypted with DIGISIGN_AES_KEY, MIME base64, URL-encoded (docs/providers/digisign.md §7.1)'),
});
const page200 = {
  description:
    'HTML page that posts an esign-kit/callback message (@esign-kit/bridge LandingMessage, with the channel read from the frame name) to PORTAL_ORIGINS',
  media: 'text/html',
};
const page400 = { description: 'HTML page that posts a LandingMessage with ok: false and the error', media: 'text/html' };

export function callbackRouter(ctx: AppContext): Router {
  const r = ctx.api.router('');
  // `/callback/digisign/:flow` checks that the result is of that flow; `/callback/digisign` takes either,
  // for a deployment whose Digisign account has one redirect link for both.
  const landing = async (req: Request, res: Response) => {
    const flow = req.params.flow as string | undefined;
    const d = ctx.providers.digisign;
    // The page is a bridge to the portal: only PORTAL_ORIGINS may frame it (the browser comes here by a
    // redirect of the element's own frame, whose parent is the portal), never Digisign or anyone else.
    const ancestors = ctx.config.portalOrigins;
    const fail = (status: number, code: string, text: string) => {
      // Without a flow we cannot tell which channel waits: the error goes out on both.
      const flows: ('activation' | 'signing')[] = flow === 'activation' || flow === 'signing' ? [flow] : ['activation', 'signing'];
      page(
        res,
        status,
        ctx,
        flows.map((f): Landing => ({
          type: 'esign-kit/callback',
          version: 1,
          provider: 'digisign',
          flow: bridgeFlow(f),
          ok: false,
          error: { code, message: text },
        })),
        'Digisign',
        text,
        ancestors,
      );
    };
    if (flow !== undefined && flow !== 'activation' && flow !== 'signing') return fail(404, 'not-found', 'Unknown Digisign flow.');
    if (!d || !d.settings.aesKey) return fail(503, 'provider-not-configured', 'Digisign redirects are not configured on this server (DIGISIGN_AES_KEY).');
    const raw = req.query.msg;
    if (typeof raw !== 'string') return fail(400, 'redirect-malformed', 'The redirect has no msg value.');
    let result: DigisignRedirect;
    try {
      result = decryptDigisignRedirect(raw, d.settings.aesKey);
    } catch (err) {
      if (err instanceof ProviderError) return fail(400, err.code, err.message);
      throw err;
    }
    if (flow !== undefined && result.kind !== flow) return fail(400, 'redirect-flow-mismatch', `The redirect carries a ${result.kind} result, not ${flow}.`);
    ctx.logger.info({ provider: 'digisign', flow: result.kind, result: result.result, ok: result.ok }, 'digisign redirect');
    await ctx.landings.record(result);
    const text = result.ok
      ? result.kind === 'signing'
        ? 'Signing finished. You can close this window.'
        : 'Activation finished. You can close this window.'
      : 'Digisign reported a problem. You can close this window.';
    page(res, 200, ctx, [landingMessage(result, ctx.scrub)], 'Digisign', text, ancestors);
  };
  r.get(
    {
      path: '/callback/digisign',
      tag: 'digisign',
      summary: 'Digisign redirect landing for either flow (one redirect link for both): decrypts msg, posts the typed result to the portal window',
      public: true,
      query: msg,
      answers: { 200: page200, 400: page400 },
    },
    landing,
  );
  r.get(
    {
      path: '/callback/digisign/:flow',
      tag: 'digisign',
      summary: 'Digisign redirect landing: decrypts msg, posts the typed result to the portal window',
      public: true,
      params: z.object({ flow: z.enum(['activation', 'signing']) }),
      query: msg,
      answers: { 200: page200, 400: page400 },
    },
    landing,
  );
  return r.router;
}
