// The sandbox inbox: every e-mail and SMS the simulators "send" (OTP codes, activation links, signing
// requests), as a page and as JSON. Filters: `to` (address or phone), `provider`, `limit`.
import { randomBytes } from 'node:crypto';
import express, { type Router } from 'express';
import type { SandboxContext } from './context.js';
import { escapeHtml } from './http.js';
import type { InboxMessage } from './state.js';

function filtered(ctx: SandboxContext, q: Record<string, unknown>): InboxMessage[] {
  const to = typeof q.to === 'string' ? q.to.trim().toLowerCase() : undefined;
  const provider = typeof q.provider === 'string' ? q.provider : undefined;
  const limit = Math.min(Math.max(Number(q.limit) || 50, 1), 500);
  return ctx.state.data.inbox.filter((m) => (!to || m.to.toLowerCase() === to) && (!provider || m.provider === provider)).slice(0, limit);
}

export function createInboxRouter(ctx: SandboxContext): Router {
  const router = express.Router();
  router.get('/inbox.json', (req, res) => {
    res.set('Cache-Control', 'no-store').json({ messages: filtered(ctx, req.query) });
  });
  router.get('/inbox', (req, res) => {
    const rows = filtered(ctx, req.query)
      .map(
        (m) => `<tr><td>${escapeHtml(m.at)}</td><td>${escapeHtml(m.provider)}</td><td>${m.channel === 'sms' ? 'SMS' : 'e-mail'}</td><td>${escapeHtml(m.to)}</td>
<td><strong>${escapeHtml(m.subject)}</strong><br>${escapeHtml(m.text)}</td><td class="code">${m.code ? escapeHtml(m.code) : ''}</td></tr>`,
      )
      .join('\n');
    // Its one inline style carries a nonce, so the policy allows nothing else inline.
    const nonce = randomBytes(16).toString('base64');
    res
      .set('Cache-Control', 'no-store')
      .set('Content-Security-Policy', `default-src 'none'; style-src 'nonce-${nonce}'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`)
      .type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>esign-kit sandbox inbox</title>
<style nonce="${nonce}">body{font:14px system-ui,sans-serif;margin:2rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}.code{font:600 1.3rem ui-monospace,monospace;letter-spacing:.1em}</style>
</head><body><h1>Sandbox inbox</h1><p>E-mails and SMS "sent" by the sandbox providers (newest first; this page refreshes every 5 s). JSON: <code>inbox.json?to=&amp;provider=</code>.</p>
<table><thead><tr><th>time</th><th>provider</th><th>channel</th><th>to</th><th>message</th><th>code</th></tr></thead><tbody>
${rows || '<tr><td colspan="6">No messages yet.</td></tr>'}
</tbody></table></body></html>`);
  });
  return router;
}
