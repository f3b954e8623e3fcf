// The web views, served from a second origin (another port) like the real ones: Peruri's (peruri.ts) and
// Digisign's (digisign.ts), each page framed by the portals only, under a CSP with a nonce per response.
import { randomBytes } from 'node:crypto';
import express, { type Express } from 'express';
import type { SandboxContext } from '../context.js';
import { peruriPages } from './peruri.js';
import { digisignPages } from './digisign.js';

export { encryptRedirectMessage } from './digisign.js';

export function createWebViewApp(ctx: SandboxContext): Express {
  const app = express();
  app.disable('x-powered-by');
  // Like a provider's pages: framed by the portals only; scripts and styles only the page's own (nonce'd);
  // forms post here, and the Digisign pages' 303 to the redirect URL (this companion's landing) is allowed.
  const frameAncestors = `frame-ancestors 'self' ${ctx.options.portalOrigins.join(' ')}`.trim();
  app.use((_req, res, next) => {
    const redirectOrigin = new URL(ctx.options.digisignRedirectUrl ?? ctx.options.publicUrl).origin;
    const nonce = randomBytes(16).toString('base64');
    res.locals.nonce = nonce;
    res.set(
      'Content-Security-Policy',
      `default-src 'self'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; object-src 'none'; base-uri 'none'; form-action 'self' ${redirectOrigin}; ${frameAncestors}`,
    );
    res.set('X-Content-Type-Options', 'nosniff');
    res.set('Referrer-Policy', 'no-referrer');
    res.set('Cache-Control', 'no-store');
    next();
  });
  app.use(express.urlencoded({ extended: false, limit: '2mb' }));
  app.use(express.json({ limit: '20mb' }));

  peruriPages(app, ctx);
  digisignPages(app, ctx);

  app.use((_req, res) => {
    res.status(404).type('text/plain').send('Not found');
  });
  return app;
}
